"""A real Celery worker against Redis takes a task and records its heartbeat."""

from __future__ import annotations

import os

import pytest
from celery.contrib.testing.worker import start_worker

from apps.core.models import WorkerHeartbeat
from apps.core.tasks import ping_task
from hainan_credit.celery import app

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="REDIS_URL is unset: this test needs a real Redis broker (.ci/run sets it)",
    ),
]


@pytest.fixture
def live_worker(settings):
    """A solo-pool worker thread on the Redis of REDIS_URL (the settings' broker), eager off."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=30
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_task_and_writes_its_heartbeat(live_worker, client):
    assert ping_task.delay().get(timeout=30) == "pong"

    heartbeat = WorkerHeartbeat.objects.get(hostname=live_worker.hostname)
    assert heartbeat.started_at <= heartbeat.last_seen

    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert live_worker.hostname in [w["hostname"] for w in body["checks"]["worker"]["workers"]]
    assert body["checks"]["broker"]["transport"] == "redis"


@pytest.mark.django_db(transaction=True)
def test_a_stopped_worker_removes_its_heartbeat(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False) as worker:
            assert WorkerHeartbeat.objects.filter(hostname=worker.hostname).exists()
    finally:
        app.conf.task_always_eager = True
    assert not WorkerHeartbeat.objects.filter(hostname=worker.hostname).exists()
