from __future__ import annotations

from rest_framework.routers import DefaultRouter

from .views import LicenceViewSet

router = DefaultRouter()
router.register("licences", LicenceViewSet, basename="licence")

app_name = "permits-api"
urlpatterns = router.urls
