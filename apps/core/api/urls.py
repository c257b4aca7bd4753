"""Kernel API routes (``/api/v1/``): the public USCC check."""

from __future__ import annotations

from django.urls import path

from .views import IdentifierCheckView

app_name = "core-api"
urlpatterns = [
    path("uscc/<str:code>/", IdentifierCheckView.as_view(), name="uscc-check"),
]
