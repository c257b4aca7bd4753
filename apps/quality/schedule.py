"""Periodic tasks of the quality app, merged into CELERY_BEAT_SCHEDULE by the settings."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # New and changed records are checked within five minutes of loading.
    "quality-check-changed-records": {
        "task": "apps.quality.tasks.check_changed_records_task",
        "schedule": 300.0,
    },
    # Every record once a night: registry changes (renames, deregistrations) and
    # holiday-table changes reach records that did not change themselves.
    "quality-check-all-records": {
        "task": "apps.quality.tasks.check_all_records_task",
        "schedule": crontab(hour=1, minute=30),
    },
    "quality-compute-scorecards": {
        "task": "apps.quality.tasks.compute_scorecards_task",
        "schedule": crontab(minute=15),
    },
    "quality-draw-due-samples": {
        "task": "apps.quality.tasks.draw_due_samples_task",
        "schedule": crontab(hour=6, minute=0),
    },
}
