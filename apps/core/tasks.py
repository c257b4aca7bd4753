"""Kernel tasks: a round trip through the broker for health and tests."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="core.ping_task")
def ping_task() -> str:
    """Answer ``"pong"``: proves that a worker takes tasks from the broker."""
    return "pong"
