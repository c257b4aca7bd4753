"""Periodic tasks of ingestion, merged into CELERY_BEAT_SCHEDULE by the settings."""

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Held rows are released when their entity is registered.
    "ingestion-release-held-rows": {
        "task": "apps.ingestion.tasks.release_held_rows_task",
        "schedule": 900.0,
    },
    # Submissions whose worker died mid-file resume from their last committed chunk.
    "ingestion-resume-stale-submissions": {
        "task": "apps.ingestion.tasks.resume_stale_submissions_task",
        "schedule": 300.0,
    },
}
