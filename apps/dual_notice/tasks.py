"""Celery tasks of double notification: thin wrappers around the services."""

from __future__ import annotations

from celery import shared_task

from apps.core.choices import Channel
from apps.core.context import channel_context

from . import services


@shared_task
def scan_registrations_task() -> dict[str, dict[str, int]]:
    """Periodic: issue notices and claim tasks for new or changed registrations."""
    with channel_context(Channel.TASK):
        result = services.scan_registrations()
    return {"read": result.read, "issued": result.issued}


@shared_task
def route_overdue_tasks_task() -> int:
    """Periodic: route pending tasks past their deadline back to the provincial queue."""
    with channel_context(Channel.TASK):
        return services.route_overdue_tasks()
