from __future__ import annotations

from django.urls import path

from . import views

app_name = "permits"
urlpatterns = [
    path("", views.licence_list, name="licence-list"),
    path("<int:pk>/", views.licence_detail, name="licence-detail"),
    path("<int:pk>/revoke/", views.licence_revoke, name="licence-revoke"),
]
