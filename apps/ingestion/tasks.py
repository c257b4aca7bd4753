"""Celery tasks of ingestion: thin wrappers around the services."""

from __future__ import annotations

from celery import shared_task

from apps.ingestion import services


@shared_task(acks_late=True)
def process_submission_task(submission_id: int) -> str:
    """Process one submission; a finished submission is left as it is (idempotent)."""
    return services.process_submission(submission_id).status


@shared_task
def release_held_rows_task() -> int:
    """Periodic: release held rows whose entity has been registered since."""
    return services.release_all_held_rows()
