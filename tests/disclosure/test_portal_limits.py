"""Portal pages are limited per client address: 429 with Retry-After, other clients go on."""

# ruff: noqa: F811  (fixtures are imported from portal_support and then requested)

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.disclosure import views_portal

from .portal_support import _fresh_caches, enterprise  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_client_over_the_page_limit_gets_429_while_another_continues(
    client, enterprise, monkeypatch
):
    monkeypatch.setattr(views_portal, "PAGE_LIMIT", (3, 60))
    search = reverse("disclosure:search")
    profile = reverse("disclosure:profile", args=[enterprise.uscc])
    assert client.get(search, {"q": "椰风"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(profile, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(search, {"q": "椰"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    refused = client.get(profile, REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "操作过于频繁" in refused.content.decode()
    assert client.get(profile, REMOTE_ADDR="10.0.0.2").status_code == 200


def _with_proxies(settings, count: int) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}


def test_clients_behind_the_proxy_are_counted_apart(client, enterprise, monkeypatch, settings):
    """Behind the proxy every request has its address; the entry the proxy appended to
    X-Forwarded-For names the client, and what the client wrote before it is ignored."""
    _with_proxies(settings, 1)
    monkeypatch.setattr(views_portal, "PAGE_LIMIT", (1, 60))
    profile = reverse("disclosure:profile", args=[enterprise.uscc])
    proxy = {"REMOTE_ADDR": "10.9.9.9"}
    assert client.get(profile, HTTP_X_FORWARDED_FOR="1.2.3.4", **proxy).status_code == 200
    assert client.get(profile, HTTP_X_FORWARDED_FOR="5.6.7.8", **proxy).status_code == 200
    assert client.get(profile, HTTP_X_FORWARDED_FOR="1.2.3.4", **proxy).status_code == 429
    forged = client.get(profile, HTTP_X_FORWARDED_FOR="9.9.9.9, 1.2.3.4", **proxy)
    assert forged.status_code == 429


def test_without_a_proxy_a_forged_header_does_not_change_the_client(
    client, enterprise, monkeypatch, settings
):
    _with_proxies(settings, 0)
    monkeypatch.setattr(views_portal, "PAGE_LIMIT", (1, 60))
    profile = reverse("disclosure:profile", args=[enterprise.uscc])
    direct = {"REMOTE_ADDR": "10.1.1.1"}
    assert client.get(profile, HTTP_X_FORWARDED_FOR="1.1.1.1", **direct).status_code == 200
    assert client.get(profile, HTTP_X_FORWARDED_FOR="2.2.2.2", **direct).status_code == 429


def test_pdf_reports_have_their_own_lower_limit(client, enterprise, monkeypatch):
    monkeypatch.setattr(views_portal, "PDF_LIMIT", (1, 60))
    pdf = reverse("disclosure:profile-pdf", args=[enterprise.uscc])
    assert client.get(pdf).status_code == 200
    assert client.get(pdf).status_code == 429
    assert client.get(reverse("disclosure:profile", args=[enterprise.uscc])).status_code == 200
