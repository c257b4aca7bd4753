"""Routes of ``/api/v1/catalogue/``."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("versions", views.ResourceVersionViewSet, basename="version")
router.register("regimes", views.PublicityRegimeViewSet, basename="regime")
router.register("announcements", views.CatalogueAnnouncementViewSet, basename="announcement")
router.register("proposals", views.SupplementProposalViewSet, basename="proposal")

app_name = "catalogue-api"
urlpatterns = router.urls
