from __future__ import annotations

from django.urls import path

from . import views

app_name = "dual_notice"
urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/claim/", views.task_claim, name="task-claim"),
    path("tasks/<int:pk>/return/", views.task_return, name="task-return"),
    path("tasks/<int:pk>/reassign/", views.task_reassign, name="task-reassign"),
    path("tasks/<int:pk>/close/", views.task_close, name="task-close"),
    path("notices/", views.notice_list, name="notice-list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice-detail"),
    path("matters/", views.matter_list, name="matter-list"),
    path("matters/new/", views.matter_edit, name="matter-create"),
    path("matters/<int:pk>/edit/", views.matter_edit, name="matter-edit"),
    path("statistics/", views.statistics, name="statistics"),
]
