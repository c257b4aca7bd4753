"""Every state change of 双随机一公开: officers, conflicts, pools, plans, draws, results.

Each service runs in one transaction and writes its audit event inside it
(apps.core.audit.record_event). Bad input raises :class:`DomainError` with a
Chinese message naming the field and the rule; views show it as is.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext

from apps.catalogue.choices import ResourceKind
from apps.catalogue.models import Resource
from apps.catalogue.validation import validator_for
from apps.core.audit import record_event, snapshot
from apps.core.exceptions import ConflictError, DomainError
from apps.core.uscc import load_allow_list
from apps.core.workdays import add_working_days
from apps.enterprises.choices import RecordChannel
from apps.enterprises.models import Enterprise
from apps.organizations.choices import Action, Role
from apps.organizations.models import Department, Region
from apps.organizations.scoping import can, principal_role, region_subtree_ids
from apps.records.registry import LoadContext, LoadRow, get_store, list_badges

from .choices import (
    CheckType,
    FollowUpKind,
    FollowUpState,
    InspectionEvent,
    PlanStatus,
    ResultOutcome,
    TaskStatus,
)
from .draw import ALGORITHM, DrawInputs, DrawOutcome, OfficerInput, compute_draw, parse_seed
from .models import (
    Draw,
    FollowUp,
    InspectionResult,
    Officer,
    OfficerConflict,
    Plan,
    PlanDepartment,
    PoolMember,
    ResultDeadline,
    RiskMark,
    TargetPool,
    Task,
    TaskOfficer,
)

#: Catalogue resource that publishes spot-check results on the profile.
RESULT_RESOURCE = "CCJC"
#: Used only when administrators have entered no deadline row ([R] 国发〔2019〕5号).
DEFAULT_RESULT_DEADLINE = 20
#: Entities per list_badges() call while building a pool.
BADGE_CHUNK = 5000


# ----------------------------------------------------------------------------- officers


def save_officer(
    *,
    department: Department,
    name: str,
    certificate_number: str,
    areas: Iterable[Region] = (),
    user: Any = None,
    is_active: bool = True,
    officer: Officer | None = None,
    actor: Any,
) -> Officer:
    """Create or update an officer of ``department``; the certificate number is unique."""
    name = (name or "").strip()
    certificate_number = (certificate_number or "").strip()
    if not name:
        raise DomainError(gettext("字段“姓名”：必须填写。"), code="officer_name_required")
    if not certificate_number:
        raise DomainError(
            gettext("字段“执法证号”：必须填写。"), code="officer_certificate_required"
        )
    clash = Officer.objects.filter(certificate_number=certificate_number)
    if officer is not None:
        clash = clash.exclude(pk=officer.pk)
    if clash.exists():
        raise DomainError(
            gettext("字段“执法证号”：%(number)s 已登记在其他执法检查人员名下。")
            % {"number": certificate_number},
            code="officer_certificate_taken",
        )
    with transaction.atomic():
        before = snapshot(officer) if officer is not None else None
        if officer is None:
            officer = Officer(department=department)
        officer.name = name
        officer.certificate_number = certificate_number
        officer.user = user
        officer.is_active = is_active
        officer.department = department
        officer.save()
        officer.areas.set(list(areas))
        after = snapshot(officer)
        after["areas"] = sorted(officer.areas.values_list("code", flat=True))
        record_event(
            InspectionEvent.OFFICER_SAVED,
            actor=actor,
            target=officer,
            before=before,
            after=after,
            department_code=department.code,
        )
    return officer


def declare_conflict(
    officer: Officer, enterprise: Enterprise, *, reason: str, actor: Any
) -> OfficerConflict:
    """Declare that ``officer`` must never inspect ``enterprise`` (回避); idempotent."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("字段“回避事由”：必须填写。"), code="conflict_reason_required")
    with transaction.atomic():
        conflict, created = OfficerConflict.objects.get_or_create(
            officer=officer, enterprise=enterprise, defaults={"reason": reason[:200]}
        )
        if created:
            record_event(
                InspectionEvent.CONFLICT_DECLARED,
                actor=actor,
                target=conflict,
                after={"officer": officer.certificate_number, "reason": conflict.reason},
                department_code=officer.department.code,
                enterprise_uscc=enterprise.uscc,
            )
    return conflict


def remove_conflict(conflict: OfficerConflict, *, actor: Any) -> None:
    """Withdraw a declared conflict; later draws may pick the officer for the entity again."""
    with transaction.atomic():
        record_event(
            InspectionEvent.CONFLICT_REMOVED,
            actor=actor,
            target=conflict,
            before={"officer": conflict.officer.certificate_number, "reason": conflict.reason},
            department_code=conflict.officer.department.code,
            enterprise_uscc=conflict.enterprise.uscc,
        )
        conflict.delete()


def mark_risk(
    enterprise: Enterprise,
    *,
    grade: str,
    assessed_on: datetime.date,
    department: Department,
    note: str = "",
    actor: Any,
) -> RiskMark:
    """Record an entity's credit-risk grade as assessed on a day (the latest one applies)."""
    with transaction.atomic():
        mark = RiskMark.objects.create(
            enterprise=enterprise,
            grade=grade,
            assessed_on=assessed_on,
            department=department,
            note=note[:200],
        )
        record_event(
            InspectionEvent.RISK_MARKED,
            actor=actor,
            target=mark,
            after=snapshot(mark),
            department_code=department.code,
            enterprise_uscc=enterprise.uscc,
        )
    return mark


# ----------------------------------------------------------------------------- pools


@dataclass
class PoolFilters:
    """Criteria that select a pool's entities from the registry (all optional, combined by AND).

    - ``region_codes``: the entity's region is one of them or a district below;
    - ``entity_types`` / ``statuses``: exact values;
    - ``industry_prefixes``: GB/T 4754 code prefixes (``F`` or ``F51``);
    - ``lists``: names of lists (as the list stores name them); the entity is in one of them;
    - ``risk_grades``: the entity's latest risk grade is one of them.
    """

    region_codes: list[str] = field(default_factory=list)
    entity_types: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    industry_prefixes: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    risk_grades: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, list[str]]:
        return {key: sorted(value) for key, value in self.__dict__.items() if value}


def select_pool_entities(filters: PoolFilters, *, on: datetime.date) -> list[tuple[int, int]]:
    """(enterprise id, region id) of every registry entity matching ``filters``, sorted by id."""
    qs = Enterprise.objects.all()
    if filters.region_codes:
        roots = list(
            Region.objects.filter(code__in=filters.region_codes).values_list("pk", flat=True)
        )
        missing = set(filters.region_codes) - set(
            Region.objects.filter(pk__in=roots).values_list("code", flat=True)
        )
        if missing:
            raise DomainError(
                gettext("字段“区划”：未知的区划代码 %(codes)s。")
                % {"codes": "、".join(sorted(missing))},
                code="pool_region_unknown",
            )
        region_ids: set[int] = set()
        for root in roots:
            region_ids |= region_subtree_ids(root)
        qs = qs.filter(region_id__in=region_ids)
    if filters.entity_types:
        qs = qs.filter(entity_type__in=filters.entity_types)
    if filters.statuses:
        qs = qs.filter(status__in=filters.statuses)
    if filters.industry_prefixes:
        condition = Q()
        for prefix in filters.industry_prefixes:
            condition |= Q(industry_code__startswith=prefix.strip().upper())
        qs = qs.filter(condition)
    if filters.risk_grades:
        latest = (
            RiskMark.objects.filter(enterprise=OuterRef("pk"), assessed_on__lte=on)
            .order_by("-assessed_on", "-pk")
            .values("grade")[:1]
        )
        qs = qs.annotate(_risk=Subquery(latest)).filter(_risk__in=filters.risk_grades)
    rows = list(qs.order_by("pk").values_list("pk", "region_id"))
    if filters.lists:
        wanted = set(filters.lists)
        kept: list[tuple[int, int]] = []
        for start in range(0, len(rows), BADGE_CHUNK):
            chunk = rows[start : start + BADGE_CHUNK]
            badges = list_badges([pk for pk, _region in chunk], on=on)
            kept.extend(row for row in chunk if wanted & set(badges.get(row[0], [])))
        rows = kept
    return rows


def build_pool(
    *, department: Department, name: str, filters: PoolFilters, actor: Any
) -> TargetPool:
    """Select entities by ``filters`` and freeze them as a new pool (a snapshot)."""
    name = (name or "").strip()
    if not name:
        raise DomainError(gettext("字段“名称”：必须填写。"), code="pool_name_required")
    today = timezone.localdate()
    rows = select_pool_entities(filters, on=today)
    if not rows:
        raise DomainError(
            gettext("筛选条件没有选中任何市场主体，检查对象名录不能为空；请放宽筛选条件。"),
            code="pool_empty",
        )
    with transaction.atomic():
        pool = TargetPool.objects.create(
            department=department,
            name=name[:200],
            filters=filters.as_json(),
            member_count=len(rows),
            snapshot_at=timezone.now(),
            created_by=actor if getattr(actor, "_meta", None) is not None else None,
        )
        PoolMember.objects.bulk_create(
            [
                PoolMember(pool=pool, enterprise_id=pk, region_id_at_snapshot=region)
                for pk, region in rows
            ],
            batch_size=5000,
        )
        record_event(
            InspectionEvent.POOL_CREATED,
            actor=actor,
            target=pool,
            after={"filters": pool.filters, "member_count": pool.member_count},
            department_code=department.code,
        )
    return pool


# ----------------------------------------------------------------------------- plans


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


def result_deadline_days(completed_on: datetime.date) -> int:
    """Working days allowed for publication of a check completed on ``completed_on``."""
    row = (
        ResultDeadline.objects.filter(valid_from__lte=completed_on).order_by("-valid_from").first()
    )
    return row.working_days if row is not None else DEFAULT_RESULT_DEADLINE


def may_enter_result(principal: Any, task: Task) -> bool:
    """The departments of the task's officers (and administrators in scope) enter its result."""
    return task.status != TaskStatus.CANCELLED and can(principal, Action.CHANGE, task)


def _result_department(task: Task, actor: Any) -> Department:
    department = getattr(actor, "department", None)
    assignments = list(task.assignments.select_related("officer__department").order_by("position"))
    if department is not None and any(
        a.officer.department_id == department.pk for a in assignments
    ):
        return department
    # An administrator enters on behalf of the first officer's department.
    return assignments[0].officer.department


def enter_result(
    task: Task,
    *,
    outcome: str,
    completed_on: datetime.date,
    details: str = "",
    actor: Any,
) -> InspectionResult:
    """Enter (or correct) a task's result and publish it on the profile through the CCJC store.

    Refuses a cancelled task, an unknown outcome, a completion date in the
    future or before the plan starts, and missing details where the outcome
    needs them. An entity not found at its registered address gets an
    abnormal-list follow-up (see :func:`propose_abnormal_listing`).
    """
    if task.status == TaskStatus.CANCELLED:
        raise ConflictError(
            gettext("任务 %(code)s 已因重新抽取作废，不能录入结果。") % {"code": task.code},
            code="task_cancelled",
        )
    if outcome not in ResultOutcome.values:
        raise DomainError(
            gettext("字段“检查结果”：未知的结果“%(value)s”。") % {"value": outcome},
            code="result_outcome_unknown",
        )
    details = (details or "").strip()
    if outcome in ResultOutcome.needs_details() and not details:
        raise DomainError(
            gettext("字段“问题及处理情况”：检查结果为“%(outcome)s”时必须填写发现的问题。")
            % {"outcome": ResultOutcome(outcome).label},
            code="result_details_required",
        )
    today = timezone.localdate()
    if completed_on > today:
        raise DomainError(
            gettext("字段“完成日期”：%(date)s 晚于今天。") % {"date": completed_on},
            code="result_date_future",
        )
    if completed_on < task.plan.starts_on:
        raise DomainError(
            gettext("字段“完成日期”：%(date)s 早于计划开始日期 %(start)s。")
            % {"date": completed_on, "start": task.plan.starts_on},
            code="result_date_before_plan",
        )
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("plan", "enterprise").get(pk=task.pk)
        existing = InspectionResult.objects.filter(task=task).first()
        before = snapshot(existing) if existing is not None else None
        result = existing or InspectionResult(task=task)
        result.outcome = outcome
        result.details = details
        result.completed_on = completed_on
        result.department = _result_department(task, actor)
        result.entered_by = actor if getattr(actor, "_meta", None) is not None else None
        result.publish_by = add_working_days(completed_on, result_deadline_days(completed_on))
        result.save()
        record_id = publish_result(result)
        result.record_id = record_id
        result.published_at = timezone.now()
        result.save(update_fields=["record_id", "published_at", "updated_at"])
        task.status = TaskStatus.PUBLISHED
        task.save(update_fields=["status", "updated_at"])
        plan = task.plan
        if not plan.tasks.filter(draw__is_current=True, status=TaskStatus.ASSIGNED).exists():
            plan.status = PlanStatus.COMPLETED
            plan.save(update_fields=["status", "updated_at"])
        record_event(
            InspectionEvent.RESULT_ENTERED,
            actor=actor,
            target=result,
            before=before,
            after=snapshot(result),
            department_code=result.department.code,
            enterprise_uscc=task.enterprise.uscc,
        )
        if outcome == ResultOutcome.NOT_FOUND:
            propose_abnormal_listing(result, actor=actor)
    return result


def result_values(result: InspectionResult) -> dict[str, Any]:
    """The CCJC record of a result, by catalogue field code (always in Chinese)."""
    task = result.task
    plan = task.plan
    enterprise = task.enterprise
    with translation.override(settings.LANGUAGE_CODE):
        departments = list(
            dict.fromkeys(
                a.officer.department.name
                for a in task.assignments.select_related("officer__department").order_by("position")
            )
        )
        summary = str(ResultOutcome(result.outcome).label)
        if result.details:
            summary = f"{summary}：{result.details}"
        return {
            "CC_QYMC": enterprise.name,
            "CC_TYSHXYDM": enterprise.uscc,
            "CC_JHBH": plan.code,
            "CC_JHMC": plan.name,
            "CC_RWBH": task.code,
            "CC_RWMC": f"{plan.name}（{enterprise.name}）"[:200],
            "CC_CCLX": plan.check_type,
            "CC_JCJG": "、".join(departments)[:200],
            "CC_WCRQ": result.completed_on.isoformat(),
            "CC_JCJGNR": summary[:500],
        }


def publish_result(result: InspectionResult) -> int:
    """Load the result into the CCJC record store (channel form); return the record id.

    Validated with the catalogue's own validator first, so the record is what
    any department delivering CCJC through ingestion would produce.
    Idempotent on (department, CCJC, task number|USCC): a correction updates
    the record and the store keeps the revision.
    """
    resource = (
        Resource.objects.select_related("current_version").filter(code=RESULT_RESOURCE).first()
    )
    version = resource.current_version if resource is not None else None
    if version is None:
        raise DomainError(
            gettext(
                "资源目录中没有已发布的 %(code)s（抽查检查结果信息）资源，检查结果无法公示；请省级管理员先载入并发布资源目录。"
            )
            % {"code": RESULT_RESOURCE},
            code="result_resource_missing",
        )
    checked = validator_for(version).validate(result_values(result), allow_list=load_allow_list())
    if not checked.is_valid:
        problems = "；".join(f"{p.field}：{p.message_zh}" for p in checked.problems)
        raise DomainError(
            gettext("检查结果不符合 %(code)s 资源目录规范：%(problems)s")
            % {"code": RESULT_RESOURCE, "problems": problems},
            code="result_invalid",
        )
    values = checked.values
    task = result.task
    row = LoadRow(
        row_number=1,
        business_key="|".join(str(values.get(f) or "") for f in version.business_key_fields),
        decision_date=result.completed_on,
        subject_kind="organization",
        subject_uscc=task.enterprise.uscc,
        subject_name=task.enterprise.name,
        enterprise_id=task.enterprise_id,
        values=values,
    )
    context = LoadContext(
        department_id=result.department_id,
        resource_code=RESULT_RESOURCE,
        resource_version=version.number,
        channel=RecordChannel.FORM,
        submission_id=None,
        received_at=timezone.now(),
    )
    loaded = get_store(ResourceKind.INSPECTION, RESULT_RESOURCE).load([row], context)
    return loaded.record_ids[1]


def propose_abnormal_listing(result: InspectionResult, *, actor: Any) -> FollowUp:
    """Ask for the entity's abnormal-list listing (cannot be contacted at its address, BRIEF.md 3.1).

    Creates the follow-up once per result; it stays pending until a
    joint-punishment proposal exists for it.
    """
    task = result.task
    with transaction.atomic():
        follow_up, created = FollowUp.objects.get_or_create(
            result=result,
            kind=FollowUpKind.ABNORMAL_LIST,
            defaults={
                "enterprise": task.enterprise,
                "department": result.department,
                "state": FollowUpState.PENDING,
                "note": gettext(
                    "抽查任务 %(code)s：通过登记的住所（经营场所）无法联系，拟列入经营异常名录。"
                )
                % {"code": task.code},
            },
        )
        if created:
            record_event(
                InspectionEvent.FOLLOW_UP_CREATED,
                actor=actor,
                target=follow_up,
                after=snapshot(follow_up),
                department_code=result.department.code,
                enterprise_uscc=task.enterprise.uscc,
            )
    return follow_up
