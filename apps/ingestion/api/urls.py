from __future__ import annotations

from rest_framework.routers import DefaultRouter

from .views import SubmissionViewSet

router = DefaultRouter()
router.register("submissions", SubmissionViewSet, basename="submission")

app_name = "ingestion-api"
urlpatterns = router.urls
