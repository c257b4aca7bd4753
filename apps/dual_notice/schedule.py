"""Periodic tasks of double notification, merged into CELERY_BEAT_SCHEDULE by the settings."""

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # New and changed registrations become notices and claim tasks within minutes.
    "dual-notice-scan-registrations": {
        "task": "apps.dual_notice.tasks.scan_registrations_task",
        "schedule": 300.0,
    },
    # Deadlines are whole days; hourly keeps "overdue" at most an hour late.
    "dual-notice-route-overdue": {
        "task": "apps.dual_notice.tasks.route_overdue_tasks_task",
        "schedule": 3600.0,
    },
}
