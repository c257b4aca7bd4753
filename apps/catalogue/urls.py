"""Pages of the catalogue under ``/catalogue/``."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.resource_list, name="resource-list"),
    path("new/", views.resource_create, name="resource-create"),
    path("announcements/", views.announcement_list, name="announcement-list"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement-detail"),
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/new/", views.proposal_create, name="proposal-create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("r/<str:code>/", views.resource_detail, name="resource-detail"),
    path("r/<str:code>/diff/", views.version_diff, name="version-diff"),
    path("r/<str:code>/liaison/", views.liaison_edit, name="liaison-edit"),
    path("r/<str:code>/regimes/new/", views.regime_edit, name="regime-create"),
    path("r/<str:code>/regimes/<int:pk>/", views.regime_edit, name="regime-edit"),
    path("r/<str:code>/draft/", views.draft_edit, name="draft-edit"),
    path("r/<str:code>/draft/create/", views.draft_create, name="draft-create"),
    path("r/<str:code>/draft/publish/", views.draft_publish, name="draft-publish"),
    path("r/<str:code>/draft/fields/new/", views.field_edit, name="field-create"),
    path("r/<str:code>/draft/fields/<str:field_code>/", views.field_edit, name="field-edit"),
    path(
        "r/<str:code>/draft/fields/<str:field_code>/delete/",
        views.field_delete,
        name="field-delete",
    ),
    path("r/<str:code>/v<int:number>/", views.version_detail, name="version-detail"),
    path("r/<str:code>/v<int:number>/schema.json", views.version_schema, name="version-schema"),
    path(
        "r/<str:code>/v<int:number>/template.xlsx",
        views.version_template,
        name="version-template",
    ),
]
