"""Celery tasks of the quality app: thin wrappers around checks and scoring."""

from __future__ import annotations

from celery import shared_task

from .choices import CheckRunKind


@shared_task(acks_late=True)
def check_changed_records_task() -> dict[str, int]:
    """Periodic: run the rules over records changed since each store's watermark."""
    from .checks import run_checks

    run = run_checks(CheckRunKind.INCREMENTAL)
    return {
        "run": run.pk,
        "checked": run.records_checked,
        "opened": run.issues_opened,
        "closed": run.issues_closed,
    }


@shared_task(acks_late=True)
def check_all_records_task() -> dict[str, int]:
    """Nightly: run the rules over every record (also closes issues of removed rules)."""
    from .checks import run_checks

    run = run_checks(CheckRunKind.FULL)
    return {
        "run": run.pk,
        "checked": run.records_checked,
        "opened": run.issues_opened,
        "closed": run.issues_closed,
    }


@shared_task(acks_late=True)
def compute_scorecards_task(months: int = 3, quarters: int = 2) -> dict[str, int]:
    """Periodic: recompute the recent months' and quarters' scorecards and coverage."""
    from .scoring import compute_recent

    return compute_recent(months=months, quarters=quarters)


@shared_task(acks_late=True)
def draw_sample_task(check_id: int) -> int:
    """Draw the sample of a scheduled check (idempotent: a drawn check is left as it is)."""
    from .models import SamplingCheck
    from .services import draw_sample

    check = SamplingCheck.objects.get(pk=check_id)
    if check.drawn_at is None:
        draw_sample(check, actor=None)
    return check.pk


@shared_task
def draw_due_samples_task() -> int:
    """Daily: draw the samples of checks whose date has come."""
    from django.utils import timezone

    from .models import SamplingCheck

    due = SamplingCheck.objects.filter(drawn_at__isnull=True, check_date__lte=timezone.localdate())
    count = 0
    for check_id in due.values_list("pk", flat=True):
        draw_sample_task(check_id)
        count += 1
    return count
