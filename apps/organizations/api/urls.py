"""Routes of ``/api/v1/organizations/``."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("api-tokens", views.ApiTokenViewSet, basename="api-token")
router.register("audit-events", views.AuditEventViewSet, basename="audit-event")

app_name = "organizations-api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
