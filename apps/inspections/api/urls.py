from __future__ import annotations

from rest_framework.routers import DefaultRouter

from .views import (
    ConflictViewSet,
    DrawViewSet,
    FollowUpViewSet,
    OfficerViewSet,
    PlanViewSet,
    PoolViewSet,
    ResultViewSet,
    TaskViewSet,
)

router = DefaultRouter()
router.register("officers", OfficerViewSet, basename="officer")
router.register("conflicts", ConflictViewSet, basename="conflict")
router.register("pools", PoolViewSet, basename="pool")
router.register("plans", PlanViewSet, basename="plan")
router.register("draws", DrawViewSet, basename="draw")
router.register("tasks", TaskViewSet, basename="task")
router.register("results", ResultViewSet, basename="result")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")

app_name = "inspections-api"
urlpatterns = router.urls
