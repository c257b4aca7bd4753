from __future__ import annotations

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

app_name = "inspections-api"
urlpatterns = router.urls
