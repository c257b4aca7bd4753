"""Celery tasks of the disclosure portal: thin wrappers around the services."""

from __future__ import annotations

from celery import shared_task

from apps.disclosure import services


@shared_task
def sync_change_events_task() -> int:
    """Periodic (and after each catalogue publication): append new announcements to the feed."""
    return services.sync_change_events()


@shared_task
def notify_objector_task(objection_id: int) -> bool:
    """E-mail the objector the department's answer (once answered; no address: nothing)."""
    return services.notify_objector(objection_id)
