from __future__ import annotations

from django.urls import path

from . import views

app_name = "ingestion"
urlpatterns = [
    path("", views.submission_list, name="submission-list"),
    path("upload/", views.upload, name="upload"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission-detail"),
    path("submissions/<int:pk>/preview/", views.submission_preview, name="submission-preview"),
    path("submissions/<int:pk>/status/", views.submission_status, name="submission-status"),
    path("entry/", views.record_entry, name="record-entry"),
    path("entry/<int:resource_id>/", views.record_form, name="record-form"),
    path("problems/", views.problem_list, name="problem-list"),
    path("problems/export/", views.problem_export, name="problem-export"),
    path("problems/<int:pk>/", views.problem_correct, name="problem-correct"),
    path("problems/<int:pk>/withdraw/", views.problem_withdraw, name="problem-withdraw"),
]
