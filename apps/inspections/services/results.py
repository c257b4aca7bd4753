"""Results: entry, publication through the CCJC store, the abnormal-list follow-up."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
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
from apps.organizations.choices import Action
from apps.organizations.models import Department
from apps.organizations.scoping import can
from apps.records.registry import LoadContext, LoadRow, get_store

from ..choices import (
    FollowUpKind,
    FollowUpState,
    InspectionEvent,
    PlanStatus,
    ResultOutcome,
    TaskStatus,
)
from ..models import (
    FollowUp,
    InspectionResult,
    ResultDeadline,
    Task,
)

#: Catalogue resource that publishes spot-check results on the profile.
RESULT_RESOURCE = "CCJC"
#: Used only when administrators have entered no deadline row ([R] 国发〔2019〕5号).
DEFAULT_RESULT_DEADLINE = 20
#: The abnormal-operation list in apps.joint_punishment's reference data, and the listing
#: ground each spot-check finding verifies (SAIC Order 68 art. 4, BRIEF.md 3.1): (3) the
#: published information concealed facts or was false, "found by spot check"; (4) the entity
#: cannot be contacted at its registered address. "Not published" is no direct ground:
#: ground (2) needs an order to publish first and its deadline to pass.
ABNORMAL_LIST_CODE = "JYYC"
FALSE_INFO_GROUND_CODE = "3"
ADDRESS_GROUND_CODE = "4"
LISTING_GROUNDS = {
    ResultOutcome.FALSE_INFO: FALSE_INFO_GROUND_CODE,
    ResultOutcome.NOT_FOUND: ADDRESS_GROUND_CODE,
}


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
    needs them. An entity not found at its registered address, or whose
    published information proved false, gets an abnormal-list follow-up (see
    :func:`propose_abnormal_listing`); a correction that takes that finding
    away withdraws the proposal or flags the listing (see
    :func:`sync_abnormal_listing`).
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
        previous_outcome = existing.outcome if existing is not None else None
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
        sync_abnormal_listing(result, previous_outcome=previous_outcome, actor=actor)
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


def _note_in_chinese(task_code: str, outcome: str) -> str:
    # The note is a record of the platform, kept in Chinese whatever the page language.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("抽查任务 %(code)s：%(finding)s，拟列入经营异常名录。") % {
            "code": task_code,
            "finding": ResultOutcome(outcome).label,
        }


def _outcome_label(outcome: str | None) -> str:
    if outcome in ResultOutcome.values:
        return str(ResultOutcome(outcome).label)
    return "—"


def _follow_up_event(
    event: str,
    follow_up: FollowUp,
    result: InspectionResult,
    *,
    actor: Any,
    after: dict,
    before=None,
) -> None:
    """Audit a change of a result's follow-up, filed under the result's department and entity."""
    record_event(
        event,
        actor=actor,
        target=follow_up,
        before=before,
        after=after,
        department_code=result.department.code,
        enterprise_uscc=result.task.enterprise.uscc,
    )


def _restate_follow_up(
    follow_up: FollowUp, result: InspectionResult, *, state: str, note: str, actor: Any
) -> None:
    """Move a follow-up to ``state`` with ``note``, audited as a correction of its result."""
    before = snapshot(follow_up, ["state", "note"])
    follow_up.state = state
    follow_up.note = note
    follow_up.save(update_fields=["state", "note", "updated_at"])
    _follow_up_event(
        InspectionEvent.FOLLOW_UP_CORRECTED,
        follow_up,
        result,
        actor=actor,
        before=before,
        after={**snapshot(follow_up, ["state", "note"]), "outcome": result.outcome},
    )


def sync_abnormal_listing(
    result: InspectionResult, *, previous_outcome: str | None, actor: Any
) -> FollowUp | None:
    """Bring the abnormal-list follow-up in line with the result as now entered (issue 8).

    Runs on every entry and correction, inside :func:`enter_result`'s
    transaction. When the follow-up's proposal rests on a ground the result
    no longer verifies (the finding was corrected away, or to the other
    listing finding):

    - a pending proposal is withdrawn through
      ``apps.joint_punishment.services.withdraw_proposal`` with a reason naming
      the task and the correction;
    - a confirmed proposal (the entity is listed) is not undone: only the
      registrar may remove a listing, by a removal decision. The proposal is
      flagged (``flag_basis_corrected``) so the registrar sees it on the
      proposal and the entry, and the follow-up says the listing awaits that
      decision;
    - a rejected or withdrawn proposal needs nothing.

    A result that now verifies a listing ground then gets a proposal on that
    ground (:func:`propose_abnormal_listing`, a new key when the old proposal
    no longer stands). Repeating the same correction changes nothing.
    """
    from apps.joint_punishment import services as joint_services
    from apps.joint_punishment.choices import ProposalStatus
    from apps.joint_punishment.models import Proposal

    task = result.task
    wanted = LISTING_GROUNDS.get(ResultOutcome(result.outcome))
    follow_up = (
        FollowUp.objects.select_for_update()
        .filter(result=result, kind=FollowUpKind.ABNORMAL_LIST)
        .first()
    )
    if follow_up is not None and follow_up.state in (
        FollowUpState.PROPOSED,
        FollowUpState.REMOVAL_NEEDED,
    ):
        proposal = (
            Proposal.objects.select_related("ground", "list_type")
            .filter(pk=follow_up.proposal_id)
            .first()
        )
        stands = (
            proposal is not None
            and proposal.ground is not None
            and proposal.list_type.code == ABNORMAL_LIST_CODE
            and proposal.ground.code == wanted
        )
        if proposal is not None and stands and follow_up.state == FollowUpState.REMOVAL_NEEDED:
            # Corrected back to the finding the listing rests on: the listing is
            # justified again, so the registrar's flag is cleared.
            joint_services.flag_basis_corrected(proposal, note="", actor=actor)
            _restate_follow_up(
                follow_up,
                result,
                state=FollowUpState.PROPOSED,
                note=_note_in_chinese(task.code, result.outcome),
                actor=actor,
            )
        if proposal is not None and not stands and follow_up.state == FollowUpState.PROPOSED:
            before = snapshot(follow_up, ["state", "proposal_id", "note"])
            with translation.override(settings.LANGUAGE_CODE):
                values = {
                    "task": task.code,
                    "previous": _outcome_label(previous_outcome),
                    "outcome": _outcome_label(result.outcome),
                    "day": result.completed_on.isoformat(),
                    "ground": proposal.ground.name if proposal.ground else "—",
                    "id": proposal.pk,
                }
                reason = (
                    gettext(
                        "抽查任务 %(task)s 的检查结果已由“%(previous)s”更正为“%(outcome)s”"
                        "（完成日期 %(day)s），不再支持按“%(ground)s”列入经营异常名录。"
                    )
                    % values
                )
                if proposal.status == ProposalStatus.PENDING:
                    joint_services.withdraw_proposal(proposal, reason=reason, actor=actor)
                    follow_up.state = FollowUpState.WITHDRAWN
                    follow_up.note = (
                        gettext(
                            "抽查任务 %(task)s：检查结果已更正为“%(outcome)s”，列入名录建议（编号 %(id)s）已撤回。"
                        )
                        % values
                    )
                elif proposal.status == ProposalStatus.CONFIRMED:
                    note = reason + gettext(
                        "该主体已据此列入，列入决定仍然有效，需由登记机关作出移出决定。"
                    )
                    joint_services.flag_basis_corrected(proposal, note=note, actor=actor)
                    follow_up.state = FollowUpState.REMOVAL_NEEDED
                    follow_up.note = (
                        gettext(
                            "抽查任务 %(task)s：检查结果已更正为“%(outcome)s”，但该主体已按建议"
                            "（编号 %(id)s）列入经营异常名录，需由登记机关作出移出决定。"
                        )
                        % values
                    )
                else:
                    follow_up.state = FollowUpState.WITHDRAWN
                    follow_up.note = gettext(
                        "抽查任务 %(task)s：检查结果已更正为“%(outcome)s”，列入名录建议（编号 %(id)s）此前已%(status)s。"
                    ) % {**values, "status": proposal.get_status_display()}
            follow_up.note = follow_up.note[:500]
            follow_up.save(update_fields=["state", "note", "updated_at"])
            _follow_up_event(
                InspectionEvent.FOLLOW_UP_CORRECTED,
                follow_up,
                result,
                actor=actor,
                before=before,
                after={
                    **snapshot(follow_up, ["state", "proposal_id", "note"]),
                    "result_id": result.pk,
                    "previous_outcome": previous_outcome,
                    "outcome": result.outcome,
                    "proposal_status": str(
                        Proposal.objects.values_list("status", flat=True).get(pk=proposal.pk)
                    ),
                },
            )
    elif follow_up is not None and follow_up.state == FollowUpState.PENDING and wanted is None:
        # No proposal was ever made (no reference data): nothing to withdraw.
        with translation.override(settings.LANGUAGE_CODE):
            note = gettext(
                "抽查任务 %(task)s：检查结果已更正为“%(outcome)s”，不再建议列入经营异常名录。"
            ) % {"task": task.code, "outcome": _outcome_label(result.outcome)}
        _restate_follow_up(follow_up, result, state=FollowUpState.WITHDRAWN, note=note, actor=actor)
    if wanted is None:
        return follow_up
    return propose_abnormal_listing(result, actor=actor)


def propose_abnormal_listing(result: InspectionResult, *, actor: Any) -> FollowUp:
    """Ask for the entity's abnormal-list listing on the ground its result verified (BRIEF.md 3.1).

    Creates the follow-up once per result and, through
    ``apps.joint_punishment.services.create_proposals``, a listing proposal on
    the abnormal-operation list (JYYC) with ground 4 ("通过登记的住所或经营场所
    无法联系") or ground 3 ("公示信息隐瞒真实情况、弄虚作假"), see
    ``LISTING_GROUNDS``, for the registrar of the entity's region (the nearest
    market regulation department), to decide within the ground's working days
    from the completion of the check. The proposal key ``inspection:<task
    code>`` makes this idempotent. Without that list reference data the
    follow-up stays pending.
    """
    task = result.task
    with transaction.atomic():
        follow_up, created = FollowUp.objects.select_for_update().get_or_create(
            result=result,
            kind=FollowUpKind.ABNORMAL_LIST,
            defaults={
                "enterprise": task.enterprise,
                "department": result.department,
                "state": FollowUpState.PENDING,
                "note": _note_in_chinese(task.code, result.outcome),
            },
        )
        if created:
            _follow_up_event(
                InspectionEvent.FOLLOW_UP_CREATED,
                follow_up,
                result,
                actor=actor,
                after=snapshot(follow_up),
            )
        if follow_up.state != FollowUpState.PROPOSED:
            # pending (first time, or reference data was missing), withdrawn or
            # removal_needed (a correction took the old proposal's ground away).
            proposal_id = _create_listing_proposal(result, actor=actor)
            if proposal_id is not None and proposal_id != follow_up.proposal_id:
                before = snapshot(follow_up, ["state", "proposal_id", "note"])
                if follow_up.state != FollowUpState.PENDING:
                    follow_up.note = (
                        _note_in_chinese(task.code, result.outcome) + " " + follow_up.note
                    )[:500]
                follow_up.state = FollowUpState.PROPOSED
                follow_up.proposal_id = proposal_id
                follow_up.save(update_fields=["state", "proposal_id", "note", "updated_at"])
                _follow_up_event(
                    InspectionEvent.FOLLOW_UP_PROPOSED,
                    follow_up,
                    result,
                    actor=actor,
                    before=before,
                    after=snapshot(follow_up, ["state", "proposal_id", "note"]),
                )
    return follow_up


def _create_listing_proposal(result: InspectionResult, *, actor: Any) -> int | None:
    """The joint-punishment proposal for the result's ground (its id), or None without reference data."""
    from apps.joint_punishment import services as joint_services
    from apps.joint_punishment.choices import ProposalKind, ProposalStatus
    from apps.joint_punishment.departments import DepartmentDirectory
    from apps.joint_punishment.models import ListEntry, ListingGround, Proposal

    task = result.task
    ground = (
        ListingGround.objects.select_related("list_type")
        .filter(list_type__code=ABNORMAL_LIST_CODE, code=LISTING_GROUNDS[result.outcome])
        .first()
    )
    if ground is None:
        return None
    # The first proposal of a task has the key inspection:<task code>; after a
    # correction withdrew it (or took its ground away), the next one gets :2, :3, ...
    base = f"inspection:{task.code}"
    keys = list(
        Proposal.objects.filter(Q(key=base) | Q(key__startswith=f"{base}:"))
        .order_by("pk")
        .values_list("pk", "status", "ground_id")
    )
    if keys:
        pk, status, ground_id = keys[-1]
        if ground_id == ground.pk and status != ProposalStatus.WITHDRAWN:
            return pk
    # Corrected back to the ground an earlier proposal of this task listed the
    # entity on, while that listing is still in force: the listing is justified
    # again, so its removal flag is cleared instead of proposing a second time.
    standing = (
        Proposal.objects.filter(
            pk__in=[pk for pk, status, ground_id in keys if ground_id == ground.pk],
            status=ProposalStatus.CONFIRMED,
            result_entry__in=ListEntry.objects.in_force(timezone.localdate()),
        )
        .order_by("-pk")
        .first()
    )
    if standing is not None:
        joint_services.flag_basis_corrected(standing, note="", actor=actor)
        return standing.pk
    key = base if not keys else f"{base}:{len(keys) + 1}"
    registrar = DepartmentDirectory().registrar_for(task.enterprise.region_id)
    with translation.override(settings.LANGUAGE_CODE):
        reason = gettext(
            "“双随机、一公开”抽查（计划 %(plan)s，任务 %(task)s）于 %(day)s 核实：%(ground)s。"
        ) % {
            "plan": task.plan.code,
            "task": task.code,
            "day": result.completed_on.isoformat(),
            "ground": ground.name,
        }
        if result.details:
            reason += gettext("检查发现：%(details)s") % {"details": result.details}
    joint_services.create_proposals(
        [
            Proposal(
                kind=ProposalKind.LIST_ABNORMAL,
                key=key,
                enterprise=task.enterprise,
                list_type=ground.list_type,
                ground=ground,
                department=registrar or result.department,
                reason=reason,
                basis_date=result.completed_on,
                decide_by=add_working_days(result.completed_on, ground.decision_working_days),
            )
        ],
        actor=actor,
    )
    return Proposal.objects.filter(key=key).values_list("pk", flat=True).first()
