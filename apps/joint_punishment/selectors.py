"""Read queries shared by the pages, the API and the home panel (always scoped)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from apps.organizations.choices import Action
from apps.organizations.models import Department
from apps.organizations.scoping import scope_queryset

from .choices import ProposalStatus
from .models import CheckLog, Feedback, ListEntry, Obligation, Proposal


def visible_entries(principal: Any) -> QuerySet[ListEntry]:
    return scope_queryset(
        ListEntry.objects.select_related("list_type", "ground", "department", "enterprise"),
        principal,
        Action.VIEW,
    )


def visible_proposals(principal: Any) -> QuerySet[Proposal]:
    return scope_queryset(
        Proposal.objects.select_related("list_type", "enterprise", "department", "entry"),
        principal,
        Action.VIEW,
    )


def visible_checks(principal: Any) -> QuerySet[CheckLog]:
    return scope_queryset(
        CheckLog.objects.select_related("department", "enterprise"), principal, Action.VIEW
    )


def visible_obligations(principal: Any) -> QuerySet[Obligation]:
    return scope_queryset(
        Obligation.objects.select_related(
            "department", "entry", "entry__list_type", "entry__enterprise"
        ),
        principal,
        Action.VIEW,
    )


def visible_feedback(principal: Any) -> QuerySet[Feedback]:
    return scope_queryset(
        Feedback.objects.select_related("department", "enterprise", "measure", "entry"),
        principal,
        Action.VIEW,
    )


def overdue_obligations(principal: Any, on: datetime.date) -> QuerySet[Obligation]:
    """Unfulfilled obligations past their due day, in the principal's scope."""
    return visible_obligations(principal).filter(fulfilled_at__isnull=True, due_on__lt=on)


def pending_proposals(principal: Any) -> QuerySet[Proposal]:
    return visible_proposals(principal).filter(status=ProposalStatus.PENDING)


@dataclass(frozen=True)
class FeedbackRate:
    """One department's feedback record: obligations due by a day and how many were answered."""

    department: Department
    due: int
    fulfilled: int
    on_time: int
    overdue: int

    @property
    def rate(self) -> float | None:
        """Fulfilled share of the obligations due (None when nothing was due)."""
        return self.fulfilled / self.due if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def feedback_rates(principal: Any, on: datetime.date) -> list[FeedbackRate]:
    """Per-department feedback rate over the obligations due by ``on`` (scoped)."""
    due = Q(due_on__lte=on)
    rows = (
        visible_obligations(principal)
        .filter(due)
        .values("department")
        .annotate(
            due=Count("pk"),
            fulfilled=Count("pk", filter=Q(fulfilled_at__isnull=False)),
            on_time=Count(
                "pk",
                filter=Q(fulfilled_at__isnull=False, fulfilled_at__date__lte=F("due_on")),
            ),
            overdue=Count("pk", filter=Q(fulfilled_at__isnull=True, due_on__lt=on)),
        )
        .order_by("department")
    )
    departments = Department.objects.in_bulk([row["department"] for row in rows])
    return sorted(
        (
            FeedbackRate(
                department=departments[row["department"]],
                due=row["due"],
                fulfilled=row["fulfilled"],
                on_time=row["on_time"],
                overdue=row["overdue"],
            )
            for row in rows
        ),
        key=lambda r: (r.rate if r.rate is not None else 1.0, r.department.code),
    )
