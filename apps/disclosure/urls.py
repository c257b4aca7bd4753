from __future__ import annotations

from django.urls import path

from . import feeds, views, views_portal

app_name = "disclosure"
urlpatterns: list = [
    # Search and profiles (docs/portal.md).
    path("", views_portal.search, name="search"),
    path("e/<str:uscc>/", views_portal.profile, name="profile"),
    path("e/<str:uscc>/print/", views_portal.profile_print, name="profile-print"),
    path("e/<str:uscc>/report.pdf", views_portal.profile_pdf, name="profile-pdf"),
    # Objections, announcements, bulk lists, portal API keys (docs/objections.md).
    path("objections/new/", views.objection_create, name="objection-create"),
    path("objections/submitted/", views.objection_submitted, name="objection-submitted"),
    path("objections/status/", views.objection_lookup, name="objection-lookup"),
    path("objections/manage/", views.objection_list, name="objection-list"),
    path("objections/manage/<int:pk>/", views.objection_detail, name="objection-detail"),
    path(
        "objections/manage/<int:pk>/attachments/<int:attachment_pk>/",
        views.objection_attachment,
        name="objection-attachment",
    ),
    path("announcements/", views.announcement_list, name="announcement-list"),
    path("announcements/feed.atom", feeds.AnnouncementFeed(), name="announcement-feed"),
    path("lists/", views.list_downloads, name="list-downloads"),
    path("lists/<str:code>.csv", views.ListCsvView.as_view(), name="list-csv"),
    path("keys/", views.key_list, name="key-list"),
    path("keys/new/", views.key_create, name="key-create"),
    path("keys/<int:pk>/revoke/", views.key_revoke, name="key-revoke"),
]
