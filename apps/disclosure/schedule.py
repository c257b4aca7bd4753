"""Periodic tasks of the disclosure portal, merged into CELERY_BEAT_SCHEDULE by the settings."""

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # New catalogue announcements and list inclusions/removals reach the
    # announcement page, the Atom feed and the change feed API within a minute.
    "disclosure-sync-change-events": {
        "task": "apps.disclosure.tasks.sync_change_events_task",
        "schedule": 60.0,
    },
}
