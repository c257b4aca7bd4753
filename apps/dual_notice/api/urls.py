from __future__ import annotations

from rest_framework.routers import DefaultRouter

from .views import (
    ClaimTaskViewSet,
    DepartmentStatisticsViewSet,
    LicensingMatterViewSet,
    NoticeViewSet,
)

router = DefaultRouter()
router.register("tasks", ClaimTaskViewSet, basename="task")
router.register("notices", NoticeViewSet, basename="notice")
router.register("matters", LicensingMatterViewSet, basename="matter")
router.register("statistics", DepartmentStatisticsViewSet, basename="statistics")

app_name = "dual_notice-api"
urlpatterns = router.urls
