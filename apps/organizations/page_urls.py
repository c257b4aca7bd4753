"""Namespaced pages of the organizations app (``organizations:<name>``)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("departments/", views.department_list, name="department-list"),
    path("departments/<int:pk>/", views.department_detail, name="department-detail"),
    path(
        "departments/<int:pk>/liaison/",
        views.department_liaison_edit,
        name="department-liaison",
    ),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/edit/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user-active"),
    path("tokens/", views.token_list, name="token-list"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("audit/", views.audit_list, name="audit-list"),
]
