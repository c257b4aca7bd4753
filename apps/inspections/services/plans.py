"""Plans and their seeded draws (with redraws only for a reason, audited)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from apps.core.audit import record_event, snapshot
from apps.core.exceptions import ConflictError, DomainError
from apps.enterprises.models import Enterprise
from apps.organizations.choices import Action, Role
from apps.organizations.models import Department
from apps.organizations.scoping import can, principal_role, region_subtree_ids

from ..choices import (
    CheckType,
    InspectionEvent,
    PlanStatus,
    TaskStatus,
)
from ..draw import ALGORITHM, DrawInputs, DrawOutcome, OfficerInput, compute_draw, parse_seed
from ..models import (
    Draw,
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


def _next_plan_code(department: Department, year: int) -> str:
    prefix = f"{department.code}-CC-{year}-"
    taken = Plan.objects.filter(code__startswith=prefix).count()
    number = taken + 1
    while Plan.objects.filter(code=f"{prefix}{number:03d}").exists():
        number += 1
    return f"{prefix}{number:03d}"


def create_plan(
    *,
    name: str,
    lead_department: Department,
    pool: TargetPool,
    matters: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    other_departments: Iterable[Department] = (),
    check_type: str = CheckType.DIRECTED,
    sample_count: int | None = None,
    sample_ratio: Decimal | None = None,
    officers_per_target: int = 2,
    avoid_own_area: bool = False,
    actor: Any,
) -> Plan:
    """Create a plan of ``lead_department`` (joint when ``other_departments`` are named).

    Refuses: no name or matters, end before start, neither or both of count
    and ratio, fewer than 2 officers per target, a count above the pool size.
    """
    name = (name or "").strip()
    matters = (matters or "").strip()
    if not name:
        raise DomainError(gettext("字段“计划名称”：必须填写。"), code="plan_name_required")
    if not matters:
        raise DomainError(gettext("字段“抽查事项”：必须填写。"), code="plan_matters_required")
    if ends_on < starts_on:
        raise DomainError(
            gettext("字段“结束日期”：%(end)s 早于开始日期 %(start)s。")
            % {"end": ends_on, "start": starts_on},
            code="plan_dates",
        )
    if (sample_count is None) == (sample_ratio is None):
        raise DomainError(
            gettext("字段“抽取户数/抽取比例”：须填写且只填写其中一项。"), code="plan_sample"
        )
    if sample_ratio is not None and not (Decimal("0") < Decimal(sample_ratio) <= Decimal("100")):
        raise DomainError(
            gettext("字段“抽取比例”：%(ratio)s 不在 0（不含）到 100 之间。")
            % {"ratio": sample_ratio},
            code="plan_ratio",
        )
    if sample_count is not None and sample_count < 1:
        raise DomainError(gettext("字段“抽取户数”：至少为 1。"), code="plan_count")
    if sample_count is not None and sample_count > pool.member_count:
        raise DomainError(
            gettext(
                "字段“抽取户数”：%(n)s 超过检查对象名录“%(pool)s”中的 %(size)s 户，抽取数量不能大于名录库。"
            )
            % {"n": sample_count, "pool": pool.name, "size": pool.member_count},
            code="sample_larger_than_pool",
        )
    if officers_per_target < 2:
        raise DomainError(
            gettext("字段“每户检查人员数”：%(k)s 少于 2，每个检查对象至少应有 2 名执法检查人员。")
            % {"k": officers_per_target},
            code="too_few_officers_per_target",
        )
    others = [d for d in other_departments if d.pk != lead_department.pk]
    with transaction.atomic():
        plan = Plan.objects.create(
            code=_next_plan_code(lead_department, starts_on.year),
            name=name[:200],
            lead_department=lead_department,
            pool=pool,
            check_type=check_type,
            matters=matters,
            sample_count=sample_count,
            sample_ratio=sample_ratio,
            officers_per_target=officers_per_target,
            avoid_own_area=avoid_own_area,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor if getattr(actor, "_meta", None) is not None else None,
        )
        PlanDepartment.objects.create(plan=plan, department=lead_department, is_lead=True)
        PlanDepartment.objects.bulk_create(
            [PlanDepartment(plan=plan, department=d) for d in {d.pk: d for d in others}.values()]
        )
        after = snapshot(plan)
        after["departments"] = [lead_department.code, *sorted({d.code for d in others})]
        record_event(
            InspectionEvent.PLAN_CREATED,
            actor=actor,
            target=plan,
            after=after,
            department_code=lead_department.code,
        )
    return plan


def may_manage_plan(principal: Any, plan: Plan) -> bool:
    """Administrators in scope and the lead department's people draw and redraw."""
    if not can(principal, Action.CHANGE, plan):
        return False
    if principal_role(principal) in (Role.PROVINCE_ADMIN, Role.REGION_ADMIN):
        return True
    return getattr(principal, "department_id", None) == plan.lead_department_id


def draw_inputs(plan: Plan) -> DrawInputs:
    """Assemble the draw's inputs from the pool snapshot, the officer lists and the conflicts."""
    members = list(
        PoolMember.objects.filter(pool=plan.pool_id)
        .order_by("enterprise_id")
        .values_list("enterprise_id", "region_id_at_snapshot")
    )
    department_ids = list(plan.participants.values_list("department_id", flat=True))
    officers = list(
        Officer.objects.filter(department_id__in=department_ids, is_active=True)
        .prefetch_related("areas")
        .order_by("pk")
    )
    subtree_cache: dict[int, set[int]] = {}
    officer_inputs = []
    for officer in officers:
        covered: set[int] = set()
        for area in officer.areas.all():
            if area.pk not in subtree_cache:
                subtree_cache[area.pk] = region_subtree_ids(area.pk)
            covered |= subtree_cache[area.pk]
        officer_inputs.append(OfficerInput(officer.pk, officer.department_id, frozenset(covered)))
    conflicts = frozenset(
        OfficerConflict.objects.filter(officer__in=officers).values_list(
            "officer_id", "enterprise_id"
        )
    )
    return DrawInputs(
        targets=tuple(members),
        officers=tuple(officer_inputs),
        conflicts=conflicts,
        sample_size=plan.sample_size(len(members)),
        officers_per_target=plan.officers_per_target,
        avoid_own_area=plan.avoid_own_area,
        mix_departments=len(department_ids) > 1,
    )


def _labels(enterprise_ids: Iterable[int]) -> dict[int, str]:
    return {
        pk: f"{name}（{uscc}）"
        for pk, name, uscc in Enterprise.objects.filter(pk__in=list(enterprise_ids)).values_list(
            "pk", "name", "uscc"
        )
    }


def draw_plan(plan: Plan, *, actor: Any, seed: str | int | None = None, reason: str = "") -> Draw:
    """Draw the plan's targets and officers with a recorded seed; a redraw needs a reason.

    A redraw cancels the previous draw's tasks; it is refused once any result
    has been entered. The seed is generated when not given (a public lottery
    number may be given instead). Bad input raises DrawError/DomainError.
    """
    seed_value = parse_seed(seed) if seed not in (None, "") else secrets.randbits(48)
    reason = (reason or "").strip()
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        current = plan.draws.filter(is_current=True).first()
        if current is not None:
            if not reason:
                raise DomainError(
                    gettext(
                        "字段“重新抽取理由”：计划已抽取过，重新抽取必须说明理由（将记入审计记录）。"
                    ),
                    code="redraw_reason_required",
                )
            if InspectionResult.objects.filter(task__draw=current).exists():
                raise ConflictError(
                    gettext("已有检查结果录入，不能重新抽取。"), code="redraw_after_results"
                )
        inputs = draw_inputs(plan)
        labelled = replace(inputs, labels=_labels(e for e, _r in inputs.targets))
        outcome = compute_draw(seed_value, labelled)
        round_number = (current.round + 1) if current is not None else 1
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current", "updated_at"])
            current.tasks.update(status=TaskStatus.CANCELLED)
        draw = Draw.objects.create(
            plan=plan,
            round=round_number,
            seed=str(seed_value),
            algorithm=ALGORITHM,
            inputs=inputs.as_json(),
            outcome=outcome.as_json(),
            reason=reason[:500],
            is_current=True,
            drawn_by=actor if getattr(actor, "_meta", None) is not None else None,
        )
        _create_tasks(plan, draw, outcome)
        plan.status = PlanStatus.DRAWN
        plan.save(update_fields=["status", "updated_at"])
        record_event(
            InspectionEvent.REDRAWN if current is not None else InspectionEvent.DRAWN,
            actor=actor,
            target=draw,
            before={"round": current.round, "seed": current.seed} if current is not None else None,
            after={
                "plan": plan.code,
                "round": round_number,
                "seed": draw.seed,
                "algorithm": ALGORITHM,
                "targets": len(outcome.assignments),
                "pool_size": len(inputs.targets),
                "officers": len(inputs.officers),
            },
            message=reason,
            department_code=plan.lead_department.code,
        )
    return draw


def _create_tasks(plan: Plan, draw: Draw, outcome: DrawOutcome) -> None:
    tasks = Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                draw=draw,
                code=f"{plan.code}-R{draw.round}-{position:04d}",
                position=position,
                enterprise_id=enterprise_id,
            )
            for position, (enterprise_id, _officers) in enumerate(outcome.assignments, start=1)
        ]
    )
    TaskOfficer.objects.bulk_create(
        [
            TaskOfficer(task=task, officer_id=officer_id, position=index)
            for task, (_e, officer_ids) in zip(tasks, outcome.assignments, strict=True)
            for index, officer_id in enumerate(officer_ids, start=1)
        ]
    )


# ----------------------------------------------------------------------------- results
