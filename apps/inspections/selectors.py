"""Read queries shared by the pages, the API and the home panel; all scoped.

Plans, draws, tasks and results are reached through several departments
(participants, officers), so their scoped querysets are made distinct.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from apps.organizations.choices import Action
from apps.organizations.scoping import scope_queryset

from .choices import TaskStatus
from .draw import DrawInputs, DrawOutcome, compute_draw
from .models import (
    Draw,
    FollowUp,
    InspectionResult,
    Officer,
    OfficerConflict,
    Plan,
    PlanDepartment,
    PoolMember,
    TargetPool,
    Task,
    TaskOfficer,
)


def _distinct_ids(qs: QuerySet[Any], principal: Any, action: str = Action.VIEW) -> QuerySet[Any]:
    """Scope through a multi-valued lookup without duplicates.

    The scope is a pk subquery; ``distinct()`` keeps rows single when
    ``get_object_for_user`` applies the (multi-valued) scope filter again.
    """
    scoped = scope_queryset(qs.model._default_manager.all(), principal, action)
    return qs.filter(pk__in=scoped.values("pk")).distinct()


def officer_department_ids(principal: Any) -> list[int]:
    """Departments whose officer list ``principal`` maintains (own, region's, or all)."""
    from apps.organizations.choices import Role
    from apps.organizations.models import Department
    from apps.organizations.scoping import principal_role, region_subtree_ids

    role = principal_role(principal)
    if role == Role.PROVINCE_ADMIN:
        return list(Department.objects.values_list("pk", flat=True))
    if role == Role.REGION_ADMIN:
        regions = region_subtree_ids(getattr(principal, "region_id", None))
        return list(Department.objects.filter(region_id__in=regions).values_list("pk", flat=True))
    if role in (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LIAISON):
        department_id = getattr(principal, "department_id", None)
        return [department_id] if department_id else []
    return []


def visible_officers(principal: Any) -> QuerySet[Officer]:
    return scope_queryset(
        Officer.objects.select_related("department", "user").prefetch_related("areas"), principal
    )


def visible_conflicts(principal: Any) -> QuerySet[OfficerConflict]:
    return scope_queryset(
        OfficerConflict.objects.select_related("officer__department", "enterprise"), principal
    )


def visible_pools(principal: Any) -> QuerySet[TargetPool]:
    return scope_queryset(TargetPool.objects.select_related("department"), principal)


def _assignments() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=TaskOfficer.objects.select_related("officer__department").order_by("position"),
    )


def visible_plans(principal: Any) -> QuerySet[Plan]:
    qs = Plan.objects.select_related("lead_department", "pool").prefetch_related(
        Prefetch("participants", queryset=PlanDepartment.objects.select_related("department"))
    )
    return _distinct_ids(qs, principal)


def visible_draws(principal: Any) -> QuerySet[Draw]:
    return _distinct_ids(Draw.objects.select_related("plan", "drawn_by"), principal)


def visible_tasks(principal: Any) -> QuerySet[Task]:
    """Tasks of the principal's officers' departments, plus every task of a plan it sees."""
    qs = Task.objects.select_related("plan", "enterprise", "draw", "result").prefetch_related(
        _assignments()
    )
    by_officer = scope_queryset(Task.objects.all(), principal).values("pk")
    by_plan = visible_plans(principal).values("pk")
    return qs.filter(Q(pk__in=by_officer) | Q(plan__in=by_plan)).distinct()


def officer_tasks(principal: Any) -> QuerySet[Task]:
    """The current tasks of the officer linked to ``principal``'s account (none without one)."""
    officer = getattr(principal, "inspection_officer", None) if principal.is_authenticated else None
    if officer is None:
        return Task.objects.none()
    return (
        Task.objects.filter(assignments__officer=officer)
        .exclude(status=TaskStatus.CANCELLED)
        .select_related("plan", "enterprise", "result")
        .prefetch_related(_assignments())
    )


def visible_results(principal: Any) -> QuerySet[InspectionResult]:
    qs = InspectionResult.objects.select_related(
        "task__plan", "task__enterprise", "department", "entered_by"
    )
    return qs.filter(task__in=visible_tasks(principal).values("pk")).distinct()


def visible_follow_ups(principal: Any) -> QuerySet[FollowUp]:
    return scope_queryset(
        FollowUp.objects.select_related("enterprise", "department", "result__task"), principal
    )


def pool_members(pool: TargetPool) -> QuerySet[PoolMember]:
    return PoolMember.objects.filter(pool=pool).select_related("enterprise__region")


@dataclass(frozen=True)
class Verification:
    """The outcome of recomputing a draw.

    - ``reproduced``: recomputing from the seed and the stored inputs gives the stored outcome;
    - ``pool_matches``: the stored targets are exactly the pool snapshot's members;
    - ``tasks_match``: the tasks and their officers are the stored outcome;
    - ``error``: why recomputation failed, if it did.
    """

    draw: Draw
    reproduced: bool
    pool_matches: bool
    tasks_match: bool
    recomputed: list[list[Any]]
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.reproduced and self.pool_matches and self.tasks_match


def verify_draw(draw: Draw, *, seed: str | None = None) -> Verification:
    """Recompute ``draw`` from its seed (or another ``seed``) and inputs and compare."""
    from apps.core.exceptions import DomainError

    from .draw import parse_seed

    inputs = DrawInputs.from_json(draw.inputs)
    stored = DrawOutcome.from_json(draw.outcome)
    error = ""
    recomputed: DrawOutcome | None = None
    try:
        recomputed = compute_draw(parse_seed(seed if seed else draw.seed), inputs)
    except DomainError as exc:
        error = exc.message
    members = list(
        PoolMember.objects.filter(pool=draw.plan.pool_id)
        .order_by("enterprise_id")
        .values_list("enterprise_id", "region_id_at_snapshot")
    )
    tasks = [
        [task.enterprise_id, [a.officer_id for a in task.assignments.all()]]
        for task in draw.tasks.order_by("position").prefetch_related(
            Prefetch("assignments", queryset=TaskOfficer.objects.order_by("position"))
        )
    ]
    return Verification(
        draw=draw,
        reproduced=recomputed is not None and recomputed == stored,
        pool_matches=[list(m) for m in members] == draw.inputs["targets"],
        tasks_match=tasks == stored.as_json(),
        recomputed=recomputed.as_json() if recomputed is not None else [],
        error=error,
    )
