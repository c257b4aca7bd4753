"""Periodic tasks of joint punishment, merged into CELERY_BEAT_SCHEDULE by the settings."""

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # The statutory list rules (annual reports after 30 June, the three-year
    # warning and escalation, the end of serious-list periods) run once a day;
    # they only propose, the competent department decides.
    "joint-punishment-list-rules": {
        "task": "apps.joint_punishment.tasks.run_list_rules_task",
        "schedule": 6 * 3600.0,
    },
}
