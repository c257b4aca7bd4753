"""The health check reports database, broker and worker (by its heartbeat)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import WorkerHeartbeat


def _beat(hostname: str, seconds_ago: float) -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        hostname=hostname,
        last_seen=now - timedelta(seconds=seconds_ago),
        started_at=now - timedelta(hours=1),
    )


@pytest.mark.django_db
def test_healthz_reports_every_component(client):
    response = client.get("/healthz")
    body = response.json()
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == {"database", "broker", "worker"}
    assert body["checks"]["database"]["ok"] is True
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_eager_mode_reports_the_worker_as_eager(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    body = client.get("/healthz").json()
    assert body["checks"]["worker"] == {"ok": True, "mode": "eager"}


@pytest.mark.django_db
def test_healthz_is_503_without_any_worker_heartbeat(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["ok"] is False


@pytest.mark.django_db
def test_healthz_is_503_when_the_only_heartbeat_is_stale(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.WORKER_HEARTBEAT_SECONDS = 10
    _beat("celery@old", seconds_ago=31)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "30 s" in response.json()["checks"]["worker"]["error"]


@pytest.mark.django_db
def test_healthz_is_200_with_a_fresh_heartbeat(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.WORKER_HEARTBEAT_SECONDS = 10
    _beat("celery@stale", seconds_ago=600)
    _beat("celery@fresh", seconds_ago=2)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    workers = body["checks"]["worker"]["workers"]
    assert [w["hostname"] for w in workers] == ["celery@fresh"]
    assert 1 <= workers[0]["age_s"] < 30


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client, settings):
    from hainan_credit.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_login_page_is_in_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


@pytest.mark.django_db
def test_a_starting_worker_prunes_day_old_heartbeats():
    from apps.core.worker import prune_heartbeats

    _beat("celery@dead", seconds_ago=2 * 24 * 3600)
    _beat("celery@alive", seconds_ago=5)
    assert prune_heartbeats() == 1
    assert list(WorkerHeartbeat.objects.values_list("hostname", flat=True)) == ["celery@alive"]
