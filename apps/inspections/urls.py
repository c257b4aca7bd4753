from __future__ import annotations

from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.home, name="home"),
    path("officers/", views.officer_list, name="officer-list"),
    path("officers/new/", views.officer_edit, name="officer-create"),
    path("officers/<int:pk>/", views.officer_detail, name="officer-detail"),
    path("officers/<int:pk>/edit/", views.officer_edit, name="officer-edit"),
    path("conflicts/<int:pk>/remove/", views.conflict_remove, name="conflict-remove"),
    path("pools/", views.pool_list, name="pool-list"),
    path("pools/new/", views.pool_create, name="pool-create"),
    path("pools/<int:pk>/", views.pool_detail, name="pool-detail"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/draw/", views.plan_draw, name="plan-draw"),
    path("draws/<int:pk>/verify/", views.draw_verify, name="draw-verify"),
    path("draws/<int:pk>/inputs.json", views.draw_inputs, name="draw-inputs"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("results/", views.result_list, name="result-list"),
    path("follow-ups/", views.follow_up_list, name="follow-up-list"),
]
