"""Periodic tasks of ingestion, merged into CELERY_BEAT_SCHEDULE by the settings."""

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Held rows are released when their entity is registered.
    "ingestion-release-held-rows": {
        "task": "apps.ingestion.tasks.release_held_rows_task",
        "schedule": 900.0,
    },
}
