"""Celery tasks of ingestion: thin wrappers around the services."""

from __future__ import annotations

from celery import shared_task

from apps.ingestion import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def process_submission_task(submission_id: int) -> str:
    """Process (or resume) one submission; a finished one is left as it is (idempotent)."""
    return services.process_submission(submission_id).status


@shared_task
def resume_stale_submissions_task() -> list[int]:
    """Periodic: resume submissions whose worker died mid-file (from their checkpoint)."""
    return services.resume_stale_submissions()


@shared_task
def release_held_rows_task() -> int:
    """Periodic: release held rows whose entity has been registered since."""
    return services.release_all_held_rows()
