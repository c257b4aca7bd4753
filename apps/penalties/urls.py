from __future__ import annotations

from django.urls import path

from . import views

app_name = "penalties"
urlpatterns = [
    path("", views.penalty_list, name="penalty-list"),
    path("<int:pk>/", views.penalty_detail, name="penalty-detail"),
    path("<int:pk>/revoke/", views.penalty_revoke, name="penalty-revoke"),
    path("<int:pk>/correct/", views.penalty_correct, name="penalty-correct"),
    path("repair/", views.repair_list, name="repair-list"),
    path("repair/apply/", views.repair_apply, name="repair-apply"),
    path("repair/<int:pk>/", views.repair_detail, name="repair-detail"),
    path("repair/<int:pk>/evidence/", views.repair_evidence, name="repair-evidence"),
]
