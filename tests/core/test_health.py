"""The health check reports database, broker and worker."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_healthz_reports_every_component(client):
    response = client.get("/healthz")
    body = response.json()
    assert set(body["checks"]) == {"database", "broker", "worker"}
    assert body["checks"]["database"]["ok"] is True
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_login_page_is_in_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()
