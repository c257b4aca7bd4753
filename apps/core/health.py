"""Checks behind ``GET /healthz``: the database, the broker and a worker's heartbeat."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone


def check_database() -> dict[str, Any]:
    """Run ``SELECT 1`` on the default database."""
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is a "down", reported, not raised
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_broker() -> dict[str, Any]:
    """Open (and close) a connection to the Celery broker."""
    from hainan_credit.celery import app

    started = time.monotonic()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # reported in the JSON body
        return {"ok": False, "error": exc.__class__.__name__, "transport": _transport()}
    return {
        "ok": True,
        "ms": round((time.monotonic() - started) * 1000, 1),
        "transport": _transport(),
    }


def check_worker() -> dict[str, Any]:
    """Read the workers' heartbeat rows: alive when one is younger than 3 beats.

    Workers write the rows themselves (apps/core/worker.py), which works with
    every broker, including the filesystem transport that cannot broadcast a
    ping. Only when tasks run eagerly (``CELERY_TASK_ALWAYS_EAGER``, the test
    settings) is no worker needed, and the answer says so.
    """
    from apps.core.models import WorkerHeartbeat

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager"}
    max_age = 3 * settings.WORKER_HEARTBEAT_SECONDS
    now = timezone.now()
    try:
        beats = list(
            WorkerHeartbeat.objects.filter(last_seen__gte=now - timedelta(seconds=max_age))
            .order_by("hostname")
            .values_list("hostname", "last_seen")
        )
    except Exception as exc:  # the database check reports the cause
        return {"ok": False, "error": exc.__class__.__name__}
    if not beats:
        return {"ok": False, "error": f"no worker heartbeat in the last {max_age} s", "workers": []}
    return {
        "ok": True,
        "workers": [
            {"hostname": hostname, "age_s": round((now - last_seen).total_seconds(), 1)}
            for hostname, last_seen in beats
        ],
    }


def _transport() -> str:
    return settings.CELERY_BROKER_URL.split("://", 1)[0]
