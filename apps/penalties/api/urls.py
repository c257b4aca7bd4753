from __future__ import annotations

from rest_framework.routers import DefaultRouter

from .views import PenaltyViewSet, RepairApplicationViewSet

router = DefaultRouter()
router.register("penalties", PenaltyViewSet, basename="penalty")
router.register("repair-applications", RepairApplicationViewSet, basename="repair-application")

app_name = "penalties-api"
urlpatterns = router.urls
