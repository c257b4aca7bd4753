from __future__ import annotations

from django.urls import path

from . import views

app_name = "joint_punishment"
urlpatterns = [
    path("", views.home, name="home"),
    path("lists/", views.list_types, name="listtype-list"),
    path("measures/", views.measure_list, name="measure-list"),
    path("entries/", views.entry_list, name="entry-list"),
    path("entries/new/", views.entry_create, name="entry-create"),
    path("entries/<int:pk>/", views.entry_detail, name="entry-detail"),
    path("entries/<int:pk>/remove/", views.entry_remove, name="entry-remove"),
    path("entries/<int:pk>/early-removal/", views.entry_early_removal, name="entry-early-removal"),
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/confirm/", views.proposal_confirm, name="proposal-confirm"),
    path("proposals/<int:pk>/reject/", views.proposal_reject, name="proposal-reject"),
    path("check/", views.check, name="check"),
    path("checks/", views.checklog_list, name="checklog-list"),
    path("obligations/", views.obligation_list, name="obligation-list"),
    path("feedback/", views.feedback_list, name="feedback-list"),
    path("feedback/new/", views.feedback_create, name="feedback-create"),
    path("feedback/rates/", views.feedback_rate_list, name="feedback-rates"),
]
