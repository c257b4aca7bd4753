"""Staff pages of the enterprise registry (``/enterprises/``)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="enterprise-list"),
    path("<str:uscc>/", views.enterprise_detail, name="enterprise-detail"),
    path("<str:uscc>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("<str:uscc>/rename/", views.enterprise_rename, name="enterprise-rename"),
]
