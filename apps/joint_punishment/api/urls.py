from __future__ import annotations

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

app_name = "joint_punishment-api"
urlpatterns = router.urls
