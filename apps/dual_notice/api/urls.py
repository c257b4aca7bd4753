from __future__ import annotations

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

app_name = "dual_notice-api"
urlpatterns = router.urls
