from __future__ import annotations

from rest_framework.routers import DefaultRouter

from .views import GenericRecordViewSet

router = DefaultRouter()
router.register("records", GenericRecordViewSet, basename="record")

app_name = "records-api"
urlpatterns = router.urls
