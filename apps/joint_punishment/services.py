"""State changes of joint punishment: listings, removals, proposals, feedback.

Every function runs in ``transaction.atomic()`` and writes its audit event
(:func:`apps.core.audit.record_event`) in the same transaction. Scheduled
rules (:mod:`.rules`) only ever create :class:`~.models.Proposal` rows; lists
change when the competent department confirms one (or records a decision
directly), never silently.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_event, snapshot
from apps.core.workdays import add_working_days
from apps.enterprises.choices import EntityType, RecordChannel, SubjectKind
from apps.enterprises.models import Enterprise
from apps.organizations.models import Department

from .choices import FeedbackOutcome, JointEvent, ListCode, ProposalKind, ProposalStatus
from .departments import DepartmentDirectory
from .exceptions import ListingRefused, ProposalConflict
from .models import (
    Feedback,
    ListEntry,
    ListingGround,
    ListRegime,
    ListType,
    Measure,
    Obligation,
    Proposal,
)

ENTRY_AUDIT_FIELDS = [
    "list_type_id",
    "ground_id",
    "listing_authority",
    "listing_document",
    "listed_on",
    "listing_reason",
    "removal_authority",
    "removal_document",
    "removed_on",
    "removal_reason",
    "warning_notice_on",
]


def _user(actor: Any) -> Any:
    """The Django user behind ``actor`` (None for tokens and the system)."""
    return actor if getattr(actor, "_meta", None) is not None and actor.pk else None


def regime_for(list_type: ListType, listed_on: datetime.date) -> ListRegime | None:
    """The regime an entry listed on ``listed_on`` follows (the one valid on its listing date)."""
    return (
        ListRegime.objects.filter(list_type=list_type, valid_from__lte=listed_on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=listed_on))
        .order_by("-valid_from")
        .first()
    )


def _check_entity_fits_list(list_type: ListType, enterprise: Enterprise) -> None:
    """Individual businesses are marked abnormal, never put in the abnormal list (Order 69)."""
    individual = enterprise.entity_type == EntityType.INDIVIDUAL_BUSINESS
    if list_type.code == ListCode.ABNORMAL and individual:
        raise ListingRefused(
            _(
                "字段“名单类型”：个体工商户不列入经营异常名录，应标记为经营异常状态"
                "（原工商总局令第69号）。"
            )
        )
    if list_type.code == ListCode.MARKED_ABNORMAL and not individual:
        raise ListingRefused(_("字段“名单类型”：经营异常状态标记只适用于个体工商户。"))


def _resource_version(code: str) -> int:
    from apps.catalogue.models import Resource

    resource = Resource.objects.filter(code=code).select_related("current_version").first()
    if resource is None or resource.current_version is None:
        return 0
    return resource.current_version.number


def create_obligations(
    entries: Iterable[ListEntry], *, directory: DepartmentDirectory | None = None
) -> int:
    """Create the feedback duties of newly listed entries (one per implementing department).

    Implementing departments: every active department of a line that implements
    a measure the list triggers, at the province and along the entity's region
    chain. Idempotent (unique per entry and department).
    """
    entries = [e for e in entries if e.enterprise_id is not None]
    if not entries:
        return 0
    directory = directory or DepartmentDirectory()
    lines_by_list: dict[int, set[str]] = {}
    for measure in Measure.objects.filter(is_active=True).prefetch_related("list_types"):
        for list_type in measure.list_types.all():
            lines_by_list.setdefault(list_type.pk, set()).update(measure.implementing_lines)
    regions = dict(
        Enterprise.objects.filter(pk__in={e.enterprise_id for e in entries}).values_list(
            "id", "region_id"
        )
    )
    feedback_days = dict(ListType.objects.values_list("id", "feedback_working_days"))
    due_cache: dict[tuple[datetime.date, int], datetime.date] = {}
    rows = []
    for entry in entries:
        lines = lines_by_list.get(entry.list_type_id)
        if not lines:
            continue
        key = (entry.listed_on, feedback_days[entry.list_type_id])
        if key not in due_cache:
            due_cache[key] = add_working_days(*key)
        for department in directory.implementing(lines, regions[entry.enterprise_id]):
            rows.append(Obligation(entry=entry, department=department, due_on=due_cache[key]))
    Obligation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


@transaction.atomic
def list_entity(
    *,
    list_type: ListType,
    enterprise: Enterprise,
    department: Department,
    listed_on: datetime.date,
    authority: str,
    document: str,
    reason: str,
    ground: ListingGround | None = None,
    actor: Any,
    channel: str = RecordChannel.FORM,
    values: dict[str, Any] | None = None,
) -> ListEntry:
    """Put ``enterprise`` on ``list_type`` from ``listed_on`` (a listing decision).

    Refuses a second entry of the same list in force on that day, an
    individual business in the abnormal list (it is marked instead) and a
    ground of another list. Creates the implementing departments' feedback
    duties and writes ``joint.entry_listed``.
    """
    _check_entity_fits_list(list_type, enterprise)
    if ground is not None and ground.list_type_id != list_type.pk:
        raise ListingRefused(
            _("字段“列入情形”：情形 %(ground)s 不属于%(list)s。")
            % {"ground": ground.name, "list": list_type.name}
        )
    # Serialise listings of one entity: two clerks cannot list it twice at once.
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    current = (
        ListEntry.objects.filter(enterprise=enterprise, list_type=list_type)
        .in_force(listed_on)
        .first()
    )
    if current is not None:
        raise ListingRefused(
            _("该主体自 %(day)s 起已在%(list)s中（决定书 %(doc)s），不能重复列入。")
            % {
                "day": current.listed_on.isoformat(),
                "list": list_type.name,
                "doc": current.listing_document or "—",
            }
        )
    resource_code = list_type.resource_code or list_type.code
    entry = ListEntry.objects.create(
        list_type=list_type,
        ground=ground,
        enterprise=enterprise,
        subject_kind=(
            SubjectKind.INDIVIDUAL_BUSINESS
            if enterprise.entity_type == EntityType.INDIVIDUAL_BUSINESS
            else SubjectKind.ORGANIZATION
        ),
        subject_uscc=enterprise.uscc,
        subject_name=enterprise.name,
        department=department,
        channel=channel,
        resource_code=resource_code,
        resource_version=_resource_version(resource_code),
        business_key=f"{enterprise.uscc}|{listed_on.isoformat()}|{list_type.code}",
        decision_date=listed_on,
        received_at=timezone.now(),
        listing_authority=authority,
        listing_document=document,
        listed_on=listed_on,
        listing_reason=reason,
        values=values or {},
    )
    create_obligations([entry])
    record_event(
        JointEvent.ENTRY_LISTED,
        actor=actor,
        target=entry,
        after=snapshot(entry, ENTRY_AUDIT_FIELDS),
        enterprise_uscc=enterprise.uscc,
        department_code=department.code,
    )
    return entry


@transaction.atomic
def remove_entry(
    entry: ListEntry,
    *,
    removed_on: datetime.date,
    authority: str,
    document: str,
    reason: str,
    actor: Any,
) -> ListEntry:
    """End ``entry`` from ``removed_on`` (a removal decision); it leaves force that day.

    Refused when the entry is already removed or the removal is dated before
    the listing.
    """
    entry = (
        ListEntry.objects.select_for_update(of=("self",))
        .select_related("list_type")
        .get(pk=entry.pk)
    )
    if entry.removed_on is not None:
        raise ProposalConflict(
            _("该名单记录已于 %(day)s 移出（决定书 %(doc)s），不能再次移出。")
            % {"day": entry.removed_on.isoformat(), "doc": entry.removal_document or "—"}
        )
    if removed_on < entry.listed_on:
        raise ListingRefused(
            _("字段“移出日期”：移出日期 %(removed)s 早于列入日期 %(listed)s，不能移出。")
            % {"removed": removed_on.isoformat(), "listed": entry.listed_on.isoformat()}
        )
    if not reason.strip():
        raise ListingRefused(_("字段“移出原因”：必须填写移出原因。"))
    before = snapshot(entry, ENTRY_AUDIT_FIELDS)
    entry.removed_on = removed_on
    entry.removal_authority = authority
    entry.removal_document = document
    entry.removal_reason = reason
    entry.save(
        update_fields=[
            "removed_on",
            "removal_authority",
            "removal_document",
            "removal_reason",
            "updated_at",
        ]
    )
    record_event(
        JointEvent.ENTRY_REMOVED,
        actor=actor,
        target=entry,
        before=before,
        after=snapshot(entry, ENTRY_AUDIT_FIELDS),
        enterprise_uscc=entry.subject_uscc,
    )
    return entry


def remove_listing(
    *,
    list_type: ListType,
    enterprise: Enterprise,
    removed_on: datetime.date,
    authority: str,
    document: str,
    reason: str,
    actor: Any,
    department: Department | None = None,
) -> ListEntry:
    """Remove the entity from ``list_type`` by its USCC: the entry in force on ``removed_on``.

    A removal without a listing in force, or dated before every listing, is
    refused with a message naming the rule. ``department`` (when given) must
    be the department that listed it.
    """
    entries = ListEntry.objects.filter(enterprise=enterprise, list_type=list_type)
    current = entries.in_force(removed_on).first()
    if current is None:
        later = entries.filter(listed_on__gt=removed_on, removed_on__isnull=True).first()
        if later is not None:
            raise ListingRefused(
                _("字段“移出日期”：移出日期 %(removed)s 早于列入日期 %(listed)s，不能移出。")
                % {"removed": removed_on.isoformat(), "listed": later.listed_on.isoformat()}
            )
        raise ListingRefused(
            _("该主体在 %(day)s 不在%(list)s中：没有可以移出的列入决定。")
            % {"day": removed_on.isoformat(), "list": list_type.name}
        )
    if department is not None and current.department_id != department.pk:
        raise ListingRefused(
            _("移出决定应由作出列入决定的部门（%(dept)s）作出。")
            % {"dept": current.department.name}
        )
    return remove_entry(
        current,
        removed_on=removed_on,
        authority=authority,
        document=document,
        reason=reason,
        actor=actor,
    )


# ----------------------------------------------------------------------------- proposals


def create_proposals(drafts: list[Proposal], *, actor: Any = None) -> int:
    """Insert the proposals a rule produced; existing ones (same ``key``) are left alone.

    One audit event per run summarises what was proposed (a rule may propose
    thousands of entities after 30 June).
    """
    if not drafts:
        return 0
    with transaction.atomic():
        keys = [d.key for d in drafts]
        existing = set(Proposal.objects.filter(key__in=keys).values_list("key", flat=True))
        fresh = [d for d in drafts if d.key not in existing]
        Proposal.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=2000)
        if fresh:
            kinds: dict[str, int] = {}
            for draft in fresh:
                kinds[draft.kind] = kinds.get(draft.kind, 0) + 1
            record_event(
                JointEvent.PROPOSAL_CREATED,
                actor=actor,
                after={"count": len(fresh), "kinds": kinds},
                message=_("名单规则提出 %(n)d 条建议。") % {"n": len(fresh)},
                channel="task",
            )
    return len(fresh)


def _pending(proposal: Proposal) -> Proposal:
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("list_type", "enterprise", "department", "entry", "ground")
        .get(pk=proposal.pk)
    )
    if locked.status == ProposalStatus.WITHDRAWN:
        raise ProposalConflict(_("该建议已撤回（其依据已更正），不能确认或驳回。"))
    if locked.status != ProposalStatus.PENDING:
        raise ProposalConflict(
            _("该建议已%(status)s，不能再次处理。") % {"status": locked.get_status_display()}
        )
    return locked


def _annual_report_filed(enterprise_id: int, year: int) -> bool:
    from apps.records.models import GenericRecord

    return GenericRecord.objects.filter(
        Q(payload__NB_ND=year) | Q(payload__NB_ND=str(year)),
        enterprise_id=enterprise_id,
        resource_code="QYNB",
    ).exists()


@transaction.atomic
def confirm_proposal(
    proposal: Proposal,
    *,
    actor: Any,
    decided_on: datetime.date,
    document: str,
    note: str = "",
) -> Proposal:
    """The competent department confirms: list, remove or record the warning notice.

    - listing proposals create the entry (listed on ``decided_on``);
    - removal proposals end the entry (removed on ``decided_on``);
    - a warning proposal records the notice's publication day on the entry.
    An annual-report proposal whose report has since been filed is refused
    (reject it instead).
    """
    proposal = _pending(proposal)
    if decided_on < proposal.basis_date and proposal.kind != ProposalKind.WARNING_NOTICE:
        raise ListingRefused(
            _("字段“决定日期”：决定日期 %(day)s 早于起算日期 %(basis)s。")
            % {"day": decided_on.isoformat(), "basis": proposal.basis_date.isoformat()}
        )
    department = proposal.department
    kind = proposal.kind
    result: ListEntry | None = None
    if (
        kind in (ProposalKind.LIST_ABNORMAL, ProposalKind.MARK_ABNORMAL)
        and proposal.report_year
        and _annual_report_filed(proposal.enterprise_id, proposal.report_year)
    ):
        raise ProposalConflict(
            _("该主体已补报 %(year)d 年度报告，不应列入；请驳回该建议。")
            % {"year": proposal.report_year}
        )
    if kind in (
        ProposalKind.LIST_ABNORMAL,
        ProposalKind.MARK_ABNORMAL,
        ProposalKind.ESCALATE_SERIOUS,
    ):
        result = list_entity(
            list_type=proposal.list_type,
            enterprise=proposal.enterprise,
            department=department,
            listed_on=decided_on,
            authority=department.name,
            document=document,
            reason=proposal.reason,
            ground=proposal.ground,
            actor=actor,
        )
    elif kind in (ProposalKind.REMOVE_EXPIRED, ProposalKind.REMOVE_EARLY):
        result = remove_entry(
            proposal.entry,
            removed_on=decided_on,
            authority=department.name,
            document=document,
            reason=note or proposal.reason,
            actor=actor,
        )
    elif kind == ProposalKind.WARNING_NOTICE:
        entry = ListEntry.objects.select_for_update().get(pk=proposal.entry_id)
        before = snapshot(entry, ["warning_notice_on"])
        entry.warning_notice_on = decided_on
        entry.save(update_fields=["warning_notice_on", "updated_at"])
        record_event(
            JointEvent.ENTRY_WARNED,
            actor=actor,
            target=entry,
            before=before,
            after=snapshot(entry, ["warning_notice_on"]),
            enterprise_uscc=entry.subject_uscc,
        )
        result = entry
    proposal.status = ProposalStatus.CONFIRMED
    proposal.decided_at = timezone.now()
    proposal.decided_by = _user(actor)
    proposal.decided_by_name = getattr(actor, "audit_name", "") or str(actor or "")
    proposal.decision_document = document
    proposal.decision_note = note
    proposal.result_entry = result
    proposal.save()
    record_event(
        JointEvent.PROPOSAL_CONFIRMED,
        actor=actor,
        target=proposal,
        after={
            "kind": kind,
            "decided_on": decided_on,
            "document": document,
            "entry": result.pk if result else None,
        },
        enterprise_uscc=proposal.enterprise.uscc,
        department_code=department.code,
    )
    return proposal


@transaction.atomic
def reject_proposal(proposal: Proposal, *, actor: Any, note: str) -> Proposal:
    """The competent department rejects the proposal, with its reason; nothing else changes."""
    if not note.strip():
        raise ListingRefused(_("字段“决定说明”：驳回建议必须说明理由。"))
    proposal = _pending(proposal)
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_at = timezone.now()
    proposal.decided_by = _user(actor)
    proposal.decided_by_name = getattr(actor, "audit_name", "") or str(actor or "")
    proposal.decision_note = note
    proposal.save()
    record_event(
        JointEvent.PROPOSAL_REJECTED,
        actor=actor,
        target=proposal,
        after={"kind": proposal.kind, "note": note},
        enterprise_uscc=proposal.enterprise.uscc,
        department_code=proposal.department.code,
    )
    return proposal


@transaction.atomic
def withdraw_proposal(proposal: Proposal, *, reason: str, actor: Any) -> Proposal:
    """Take back a pending proposal whose basis no longer stands (status ``withdrawn``).

    Called by the proposing side (a corrected spot-check result, issue 8), not
    by the deciding department. Records who, when and why on the proposal and
    in the audit history. Withdrawing a withdrawn proposal again changes
    nothing (idempotent); a confirmed or rejected proposal is refused, because
    a decision was already made (see :func:`flag_basis_corrected`).
    """
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("enterprise", "department")
        .get(pk=proposal.pk)
    )
    if locked.status == ProposalStatus.WITHDRAWN:
        return locked
    if locked.status != ProposalStatus.PENDING:
        raise ProposalConflict(
            _("该建议的状态为“%(status)s”，不能撤回。") % {"status": locked.get_status_display()}
        )
    if not reason.strip():
        raise ListingRefused(_("字段“撤回原因”：撤回建议必须说明原因。"))
    before = snapshot(locked, ["status", "withdrawn_at", "withdrawn_by_name", "withdrawal_reason"])
    locked.status = ProposalStatus.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = _user(actor)
    locked.withdrawn_by_name = getattr(actor, "audit_name", "") or str(actor or "")
    locked.withdrawal_reason = reason
    locked.save(
        update_fields=[
            "status",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawn_by_name",
            "withdrawal_reason",
            "updated_at",
        ]
    )
    record_event(
        JointEvent.PROPOSAL_WITHDRAWN,
        actor=actor,
        target=locked,
        before=before,
        after=snapshot(
            locked, ["status", "withdrawn_at", "withdrawn_by_name", "withdrawal_reason"]
        ),
        enterprise_uscc=locked.enterprise.uscc,
        department_code=locked.department.code,
    )
    return locked


@transaction.atomic
def flag_basis_corrected(proposal: Proposal, *, note: str, actor: Any) -> Proposal:
    """Mark a confirmed proposal whose basis was corrected after the listing decision.

    The listing stays: only the department that listed the entity may remove
    it, by a removal decision (:func:`remove_entry`). The note is shown on the
    proposal and on the entry. Flagging again with the same note changes
    nothing; a new note (a further correction) replaces it, with audit. An
    empty ``note`` clears the flag (the basis was corrected back).
    """
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("enterprise", "department")
        .get(pk=proposal.pk)
    )
    if locked.status != ProposalStatus.CONFIRMED:
        raise ProposalConflict(
            _("该建议的状态为“%(status)s”，尚未作出列入决定，无需标记。")
            % {"status": locked.get_status_display()}
        )
    if locked.basis_correction_note == note:
        return locked
    before = snapshot(locked, ["basis_corrected_at", "basis_correction_note"])
    locked.basis_corrected_at = timezone.now() if note else None
    locked.basis_correction_note = note
    locked.save(update_fields=["basis_corrected_at", "basis_correction_note", "updated_at"])
    record_event(
        JointEvent.PROPOSAL_BASIS_CORRECTED,
        actor=actor,
        target=locked,
        before=before,
        after=snapshot(locked, ["basis_corrected_at", "basis_correction_note"]),
        enterprise_uscc=locked.enterprise.uscc,
        department_code=locked.department.code,
    )
    return locked


@transaction.atomic
def apply_for_early_removal(
    entry: ListEntry, *, applied_on: datetime.date, reason: str, actor: Any
) -> Proposal:
    """Record an entity's application for early removal as a proposal to the listing department.

    Accepted only from the regime's minimum (listing date plus
    ``early_removal_after_months`` of the regime valid on the listing date);
    refused for lists without early removal and for entries already removed.
    """
    entry = ListEntry.objects.select_related("list_type", "enterprise", "department").get(
        pk=entry.pk
    )
    if not entry.is_in_force(applied_on):
        raise ListingRefused(
            _("该名单记录在 %(day)s 不在列，无需申请移出。") % {"day": applied_on.isoformat()}
        )
    regime = regime_for(entry.list_type, entry.listed_on)
    earliest = regime.early_removal_from(entry.listed_on) if regime else None
    if earliest is None:
        raise ListingRefused(
            _("%(list)s不接受提前移出申请（规则：%(regime)s）。")
            % {"list": entry.list_type.name, "regime": regime.name if regime else "—"}
        )
    if applied_on < earliest:
        raise ListingRefused(
            _(
                "字段“申请日期”：按%(regime)s，列入满 %(months)d 个月后（%(day)s 起）方可申请提前移出。"
            )
            % {
                "regime": regime.name,
                "months": regime.early_removal_after_months,
                "day": earliest.isoformat(),
            }
        )
    if Proposal.objects.filter(
        entry=entry, kind=ProposalKind.REMOVE_EARLY, status=ProposalStatus.PENDING
    ).exists():
        raise ProposalConflict(_("该名单记录已有待处理的提前移出申请。"))
    proposal = Proposal.objects.create(
        kind=ProposalKind.REMOVE_EARLY,
        key=f"early:{entry.pk}:{applied_on.isoformat()}",
        enterprise=entry.enterprise,
        list_type=entry.list_type,
        entry=entry,
        department=entry.department,
        reason=reason,
        basis_date=applied_on,
        decide_by=add_working_days(applied_on, regime.removal_working_days),
    )
    record_event(
        JointEvent.PROPOSAL_CREATED,
        actor=actor,
        target=proposal,
        after={"kind": proposal.kind, "entry": entry.pk, "applied_on": applied_on},
        enterprise_uscc=entry.subject_uscc,
        department_code=entry.department.code,
    )
    return proposal


# ----------------------------------------------------------------------------- feedback


def expected_measures(list_type_ids: Iterable[int], line: str) -> list[Measure]:
    """Active measures triggered by the lists that the department line implements."""
    return list(
        Measure.objects.filter(
            is_active=True, list_types__in=list(list_type_ids), implementing_lines__contains=[line]
        )
        .distinct()
        .order_by("code")
    )


@transaction.atomic
def record_feedback(
    *,
    department: Department,
    enterprise: Enterprise,
    measure: Measure,
    business_context: str,
    applied_on: datetime.date,
    outcome: str,
    reason: str = "",
    business_reference: str = "",
    actor: Any,
) -> Feedback:
    """Record what ``department`` did with ``measure`` for ``enterprise``.

    The measure must be one the department's line implements and one that a
    list the entity is in on ``applied_on`` triggers. "Not applicable" needs
    a reason. The department's obligation for that listing is fulfilled once
    every measure of its line has feedback.
    """
    if outcome == FeedbackOutcome.NOT_APPLICABLE and not reason.strip():
        raise ListingRefused(_("字段“不适用理由”：结果为“不适用”时必须说明理由。"))
    if department.line not in measure.implementing_lines:
        raise ListingRefused(
            _("字段“惩戒措施”：措施 %(code)s 不由本部门条线（%(line)s）实施。")
            % {"code": measure.code, "line": department.line or "—"}
        )
    entry = (
        ListEntry.objects.filter(enterprise=enterprise, list_type__in=measure.list_types.all())
        .in_force(applied_on)
        .order_by("listed_on", "pk")
        .first()
    )
    if entry is None:
        raise ListingRefused(
            _("字段“实施日期”：该主体在 %(day)s 不在触发措施 %(code)s 的名单中。")
            % {"day": applied_on.isoformat(), "code": measure.code}
        )
    obligation = (
        Obligation.objects.select_for_update().filter(entry=entry, department=department).first()
    )
    feedback = Feedback.objects.create(
        department=department,
        enterprise=enterprise,
        measure=measure,
        entry=entry,
        obligation=obligation,
        business_context=business_context,
        business_reference=business_reference,
        applied_on=applied_on,
        outcome=outcome,
        reason=reason,
        recorded_by=_user(actor),
        recorded_by_name=getattr(actor, "audit_name", "") or str(actor or ""),
    )
    if obligation is not None and obligation.fulfilled_at is None:
        expected = {m.pk for m in expected_measures([entry.list_type_id], department.line)}
        done = set(obligation.feedback.values_list("measure_id", flat=True))
        if expected <= done:
            obligation.fulfilled_at = timezone.now()
            obligation.save(update_fields=["fulfilled_at"])
    record_event(
        JointEvent.FEEDBACK_RECORDED,
        actor=actor,
        target=feedback,
        after=snapshot(
            feedback,
            ["measure_id", "entry_id", "business_context", "applied_on", "outcome", "reason"],
        ),
        enterprise_uscc=enterprise.uscc,
        department_code=department.code,
    )
    return feedback


def run_rules(on: datetime.date, *, actor: Any = None) -> dict[str, int]:
    """Run every scheduled list rule for day ``on``; returns proposals created per rule."""
    from . import rules

    summary: dict[str, int] = {}
    directory = DepartmentDirectory()
    for name, rule in rules.RULES:
        summary[name] = create_proposals(rule(on, directory=directory), actor=actor)
    return summary
