"""Pages of the organizations app: sign-in, home, and the namespaced management pages.

``home``, ``login`` and ``logout`` keep their bare names (base.html and
settings use them); the rest live under ``organizations:``.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("organizations/", include("apps.organizations.page_urls")),
]
