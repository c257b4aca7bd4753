from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import (
    CoverageViewSet,
    FeedStatusView,
    QualityIssueViewSet,
    QualityRuleViewSet,
    SamplingCheckViewSet,
    ScorecardViewSet,
)

router = DefaultRouter()
router.register("rules", QualityRuleViewSet, basename="rule")
router.register("scorecards", ScorecardViewSet, basename="scorecard")
router.register("coverage", CoverageViewSet, basename="coverage")
router.register("issues", QualityIssueViewSet, basename="issue")
router.register("sampling-checks", SamplingCheckViewSet, basename="sampling-check")

app_name = "quality-api"
urlpatterns = [path("feeds/", FeedStatusView.as_view(), name="feeds"), *router.urls]
