"""Scoped reads shared by pages, the API and the home panel."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import Http404

from apps.organizations.choices import Action
from apps.organizations.models import Department
from apps.organizations.scoping import get_object_for_user, scope_queryset

from .choices import QUEUE_STATUSES, AssignmentOutcome, TaskStatus
from .models import ClaimTask, LicensingMatter, Notice, TaskAssignment


def visible_tasks(principal: Any) -> models.QuerySet[ClaimTask]:
    """Claim tasks the principal may view: its department's, its region's, or all."""
    return scope_queryset(
        ClaimTask.objects.select_related("notice", "enterprise", "matter", "department"),
        principal,
        Action.VIEW,
    )


def pending_tasks_for(principal: Any) -> models.QuerySet[ClaimTask]:
    """Pending tasks the principal may act on (its department's), nearest deadline first."""
    return scope_queryset(
        ClaimTask.objects.filter(status=TaskStatus.PENDING).select_related(
            "enterprise", "matter", "department"
        ),
        principal,
        Action.CHANGE,
    ).order_by("due_on", "pk")


def queued_tasks(principal: Any) -> models.QuerySet[ClaimTask]:
    """Tasks waiting in the provincial administrators' queue (returned, overdue, no department)."""
    return visible_tasks(principal).filter(status__in=QUEUE_STATUSES).order_by("created_at", "pk")


def visible_notices(principal: Any) -> models.QuerySet[Notice]:
    """Notices the principal may list: the registrar's own, its region's, or all."""
    return scope_queryset(
        Notice.objects.select_related("enterprise", "registrar"), principal, Action.VIEW
    )


def get_notice_for_user(principal: Any, pk: int) -> Notice:
    """A notice the principal may read: in scope, or reached through one of its tasks; else 404."""
    notice = visible_notices(principal).filter(pk=pk).first()
    if notice is None and visible_tasks(principal).filter(notice_id=pk).exists():
        notice = Notice.objects.select_related("enterprise", "registrar").get(pk=pk)
    if notice is None:
        raise Http404("No Notice matches the given query.")
    return notice


def get_task_for_user(principal: Any, pk: int, *, write: bool = False) -> ClaimTask:
    """A task in the principal's scope (404 outside, 403 when read-only and ``write``)."""
    return get_object_for_user(
        ClaimTask.objects.select_related("notice", "enterprise", "matter", "department"),
        principal,
        write=write,
        pk=pk,
    )


def notice_lines(notice: Notice) -> list[ClaimTask]:
    """The licences a notice lists, in the mapping's order."""
    return list(
        notice.tasks.select_related("matter", "department").order_by("matter__sort_order", "pk")
    )


def matters_with_keywords() -> models.QuerySet[LicensingMatter]:
    """The mapping, every matter with its keywords (reference data for all staff)."""
    return LicensingMatter.objects.prefetch_related("keywords").order_by("sort_order", "code")


class EpochSeconds(models.Func):
    """Seconds in an interval (PostgreSQL ``EXTRACT(EPOCH FROM ...)``)."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = models.FloatField()


class Median(models.Aggregate):
    """The median (PostgreSQL ``percentile_cont(0.5)``), a continuous percentile."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = models.FloatField()


@dataclass(frozen=True)
class DepartmentStatistics:
    """Claim figures of one department over its turns with tasks."""

    department: Department
    assigned: int
    open: int
    claimed: int
    returned: int
    overdue: int
    withdrawn: int
    median_claim_hours: float | None

    @property
    def claim_rate(self) -> float | None:
        """Claimed share of the department's finished turns (withdrawn turns excluded)."""
        finished = self.claimed + self.returned + self.overdue
        return round(100.0 * self.claimed / finished, 1) if finished else None


def department_statistics(
    principal: Any,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[DepartmentStatistics]:
    """Per-department counts (claimed, returned, overdue, open) and median claim time.

    Counted from :class:`TaskAssignment` rows in the principal's scope, by the
    date a turn was assigned. Median claim time is the median of hours from
    push to claim, computed in PostgreSQL (``percentile_cont``).
    """
    qs = scope_queryset(TaskAssignment.objects.all(), principal, Action.VIEW)
    if date_from:
        qs = qs.filter(assigned_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(assigned_at__date__lte=date_to)
    counts = qs.values("department_id").annotate(
        assigned=models.Count("pk"),
        open=models.Count("pk", filter=models.Q(outcome=AssignmentOutcome.OPEN)),
        claimed=models.Count("pk", filter=models.Q(outcome=AssignmentOutcome.CLAIMED)),
        returned=models.Count("pk", filter=models.Q(outcome=AssignmentOutcome.RETURNED)),
        overdue=models.Count("pk", filter=models.Q(outcome=AssignmentOutcome.OVERDUE)),
        withdrawn=models.Count("pk", filter=models.Q(outcome=AssignmentOutcome.WITHDRAWN)),
        median_seconds=Median(
            EpochSeconds(models.F("closed_at") - models.F("assigned_at")),
            filter=models.Q(outcome=AssignmentOutcome.CLAIMED),
        ),
    )
    rows = {row["department_id"]: row for row in counts}
    if not rows:
        return []
    departments = Department.objects.in_bulk(list(rows))
    result = [
        DepartmentStatistics(
            department=departments[dept_id],
            assigned=row["assigned"],
            open=row["open"],
            claimed=row["claimed"],
            returned=row["returned"],
            overdue=row["overdue"],
            withdrawn=row["withdrawn"],
            median_claim_hours=(
                round(row["median_seconds"] / 3600.0, 1)
                if row["median_seconds"] is not None
                else None
            ),
        )
        for dept_id, row in rows.items()
    ]
    result.sort(key=lambda s: s.department.code)
    return result
