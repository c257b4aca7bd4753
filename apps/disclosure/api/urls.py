from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import portal_views, views

router = DefaultRouter()

app_name = "disclosure-api"
urlpatterns = router.urls + [
    # Search and profiles (docs/portal.md).
    path("search/", portal_views.PortalSearchView.as_view(), name="portal-search"),
    path(
        "enterprises/<str:uscc>/",
        portal_views.PortalProfileView.as_view(),
        name="portal-profile",
    ),
    # Objections and feeds (docs/objections.md).
    path("changes/", views.ChangeFeedView.as_view(), name="change-feed"),
    path("objections/status/", views.ObjectionStatusView.as_view(), name="objection-status"),
]
