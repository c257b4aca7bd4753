from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import (
    CheckLogViewSet,
    CheckView,
    FeedbackRateView,
    FeedbackViewSet,
    ListEntryViewSet,
    ListTypeViewSet,
    MeasureViewSet,
    ObligationViewSet,
    ProposalViewSet,
    RemovalView,
)

router = DefaultRouter()
router.register("list-types", ListTypeViewSet, basename="list-type")
router.register("measures", MeasureViewSet, basename="measure")
router.register("entries", ListEntryViewSet, basename="entry")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("check-logs", CheckLogViewSet, basename="check-log")
router.register("obligations", ObligationViewSet, basename="obligation")
router.register("feedback", FeedbackViewSet, basename="feedback")

app_name = "joint_punishment-api"
urlpatterns = [
    path("check/", CheckView.as_view(), name="check"),
    path("removals/", RemovalView.as_view(), name="removal"),
    path("feedback-rates/", FeedbackRateView.as_view(), name="feedback-rate"),
    *router.urls,
]
