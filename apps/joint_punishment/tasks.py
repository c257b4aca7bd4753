"""Celery tasks of joint punishment: thin wrappers around the services."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(acks_late=True)
def run_list_rules_task(on: str | None = None) -> dict[str, int]:
    """Daily: run the statutory list rules for ``on`` (ISO date; default today).

    Idempotent: every proposal has a deterministic key, so a re-run or a
    redelivered task proposes nothing twice.
    """
    day = datetime.date.fromisoformat(on) if on else timezone.localdate()
    return services.run_rules(day)
