from __future__ import annotations

from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.record_list, name="record-list"),
    path("<int:pk>/", views.record_detail, name="record-detail"),
]
