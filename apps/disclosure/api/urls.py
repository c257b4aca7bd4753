from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()

app_name = "disclosure-api"
urlpatterns = router.urls + [
    # Objections and feeds (docs/objections.md).
    path("changes/", views.ChangeFeedView.as_view(), name="change-feed"),
    path("objections/status/", views.ObjectionStatusView.as_view(), name="objection-status"),
]
