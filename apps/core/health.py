"""Checks behind ``GET /healthz``: the database, the broker and a worker."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import connection


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
    """Ping the workers through the broker; at least one must answer in time."""
    from hainan_credit.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager"}
    started = time.monotonic()
    try:
        replies = app.control.ping(timeout=settings.HEALTHZ_WORKER_TIMEOUT) or []
    except Exception as exc:  # broker down or transport without broadcast
        return {"ok": False, "error": exc.__class__.__name__}
    if not replies:
        return {"ok": False, "error": "no worker answered", "workers": 0}
    return {
        "ok": True,
        "workers": len(replies),
        "ms": round((time.monotonic() - started) * 1000, 1),
    }


def _transport() -> str:
    return settings.CELERY_BROKER_URL.split("://", 1)[0]
