"""API routes of the enterprises app (``/api/v1/enterprises/``)."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from .views import EnterpriseViewSet

router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

app_name = "enterprises-api"
urlpatterns = router.urls
