"""State changes of penalties: revocation, correction, credit repair.

Every function runs in ``transaction.atomic()``, writes a
:class:`~apps.records.models.RecordRevision` where the record's content
changes and an audit row with :func:`apps.core.audit.record_event` in the same
transaction. A broken rule raises :class:`~apps.core.exceptions.DomainError`
(400) or :class:`~apps.core.exceptions.ConflictError` (409) with a message
that names the rule.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import _jsonable, record_event
from apps.core.exceptions import ConflictError, DomainError
from apps.core.workdays import add_working_days
from apps.enterprises.choices import RecordChannel, SubjectKind
from apps.records.models import RecordRevision

from .choices import ApplicationStatus, PenaltyEvent, RepairStatus
from .models import Penalty, RepairApplication
from .stores import DERIVED_COLUMNS, recompute_publicity

#: The department decides a repair application within this many working days
#: (国市监信规〔2021〕3号 [R]: 15 working days from acceptance).
REVIEW_WORKING_DAYS = 15

#: Columns a department may correct, with the catalogue field code they carry.
CORRECTABLE = {
    "decision_date": "CF_JDRQ",
    "category": "CF_CFLB",
    "content": "CF_NR",
    "violation_type": "CF_WFXW",
    "facts": "CF_SY",
    "legal_basis": "CF_YJ",
    "fine_amount": "CF_NR_FK",
    "confiscated_amount": "CF_NR_WFFF",
    "licence_affected": "CF_NR_ZKDX",
    "severity_override": "",
}


def _channel_for(actor: Any) -> str:
    """Changes from a token principal arrive by API; a person's by the web form."""
    return RecordChannel.FORM if getattr(actor, "_meta", None) is not None else RecordChannel.API


def write_revision(
    record: Any, before: dict[str, Any], after: dict[str, Any], *, actor: Any
) -> RecordRevision:
    """Append a revision to any record's history (same table the loader writes)."""
    content_type = ContentType.objects.get_for_model(type(record))
    last = (
        RecordRevision.objects.filter(content_type=content_type, object_id=record.pk).aggregate(
            n=Max("revision")
        )["n"]
        or 0
    )
    return RecordRevision.objects.create(
        content_type=content_type,
        object_id=record.pk,
        revision=last + 1,
        before=_jsonable(before),
        after=_jsonable(after),
        submission_id=None,
        channel=_channel_for(actor),
        changed_at=timezone.now(),
    )


def _lock(penalty: Penalty) -> Penalty:
    return Penalty.objects.select_for_update().select_related("department").get(pk=penalty.pk)


def revoke_record(record: Any, *, reason: str, actor: Any, event: str, messages: dict) -> Any:
    """Revoke a decision record (撤销) of a typed store: out of public view at once.

    Shared by penalties and licences (``apps.permits``): the record is locked,
    ``revoked_at`` / ``revocation_reason`` are set, a revision and the audit
    ``event`` are written in one transaction. ``messages`` holds the store's own
    wording: ``reason_required`` (no reason, 400) and ``already_revoked``
    (with ``%(doc)s`` and ``%(at)s``; a second revocation, 409).
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(messages["reason_required"], code="reason_required")
    with transaction.atomic():
        record = (
            type(record).objects.select_for_update().select_related("department").get(pk=record.pk)
        )
        if record.revoked_at is not None:
            raise ConflictError(
                messages["already_revoked"]
                % {"doc": record.document_number, "at": record.revoked_at.date()},
                code="already_revoked",
            )
        before = {"revoked_at": None, "revocation_reason": ""}
        record.revoked_at = timezone.now()
        record.revocation_reason = reason
        record.save(update_fields=["revoked_at", "revocation_reason", "updated_at"])
        after = {"revoked_at": record.revoked_at, "revocation_reason": reason}
        write_revision(record, before, after, actor=actor)
        record_event(
            event,
            actor=actor,
            target=record,
            before=before,
            after=after,
            department_code=record.department.code,
            enterprise_uscc=record.subject_uscc if record.enterprise_id else "",
            message=reason,
        )
    return record


def revoke_penalty(penalty: Penalty, *, reason: str, actor: Any) -> Penalty:
    """Revoke a decision (撤销): it leaves public view at once; history keeps why and who.

    Refused for an already revoked decision (409) or without a reason (400).
    """
    return revoke_record(
        penalty,
        reason=reason,
        actor=actor,
        event=PenaltyEvent.REVOKED,
        messages={
            "reason_required": _("撤销处罚决定必须填写理由。"),
            "already_revoked": _("处罚决定 %(doc)s 已于 %(at)s 撤销，不能重复撤销。"),
        },
    )


def _coerce(column: str, value: Any) -> Any:
    from apps.catalogue.choices import Severity

    from .choices import PenaltyKind

    if column == "decision_date":
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                raise DomainError(
                    _("决定日期（CF_JDRQ）格式应为 YYYY-MM-DD：%(v)s") % {"v": value},
                    code="invalid_date",
                ) from None
        if value > timezone.localdate():
            raise DomainError(_("决定日期（CF_JDRQ）不能晚于今天。"), code="future_date")
        return value
    if column in ("fine_amount", "confiscated_amount"):
        if value in (None, ""):
            return None
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise DomainError(
                _("%(f)s 应为数字（万元）：%(v)s") % {"f": CORRECTABLE[column], "v": value},
                code="invalid_amount",
            ) from None
        if number < 0:
            raise DomainError(
                _("%(f)s 不能为负数。") % {"f": CORRECTABLE[column]}, code="invalid_amount"
            )
        return number
    if column == "category" and value not in PenaltyKind.values:
        raise DomainError(
            _("处罚类别（CF_CFLB）不在《行政处罚法》第九条的类别中：%(v)s") % {"v": value},
            code="invalid_category",
        )
    if column == "severity_override" and value and value not in Severity.values:
        raise DomainError(_("严重程度取值无效：%(v)s") % {"v": value}, code="invalid_severity")
    return "" if value is None else value


def correct_penalty(
    penalty: Penalty, changes: dict[str, Any], *, reason: str, actor: Any
) -> Penalty:
    """Correct a decision's content (更正) and recompute its publicity from the regimes.

    ``changes`` maps columns of :data:`CORRECTABLE` to new values; setting
    ``severity_override`` records the staff's severity (blank: derive it
    again). The old and new values go to the record's history. Refused for a
    revoked decision or without a reason.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("更正处罚决定必须填写理由。"), code="reason_required")
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise DomainError(
            _("以下数据项不能更正：%(f)s") % {"f": "、".join(unknown)}, code="not_correctable"
        )
    with transaction.atomic():
        penalty = _lock(penalty)
        if penalty.is_revoked:
            raise ConflictError(
                _("处罚决定 %(doc)s 已撤销，不能更正。") % {"doc": penalty.document_number},
                code="revoked",
            )
        columns = [*CORRECTABLE, *DERIVED_COLUMNS]
        before = {c: getattr(penalty, c) for c in columns}
        for column, value in changes.items():
            setattr(penalty, column, _coerce(column, value))
        recompute_publicity(penalty)
        after = {c: getattr(penalty, c) for c in columns}
        changed = [c for c in columns if before[c] != after[c]]
        if not changed:
            return penalty
        penalty.save(update_fields=[*changed, "updated_at"])
        old = {c: before[c] for c in changed}
        new = {c: after[c] for c in changed}
        write_revision(penalty, old, new, actor=actor)
        record_event(
            PenaltyEvent.CORRECTED,
            actor=actor,
            target=penalty,
            before=old,
            after=new,
            department_code=penalty.department.code,
            enterprise_uscc=penalty.subject_uscc if penalty.enterprise_id else "",
            message=reason,
        )
    return penalty


def find_penalty_for_repair(uscc: str, document_number: str) -> Penalty:
    """The penalty an applicant names by its USCC and decision document number."""
    penalty = (
        Penalty.objects.select_related("department", "regime")
        .filter(subject_uscc=uscc.strip().upper(), document_number=document_number.strip())
        .exclude(subject_kind=SubjectKind.NATURAL_PERSON)
        .order_by("-decision_date", "-pk")
        .first()
    )
    if penalty is None:
        raise DomainError(
            _("未找到统一社会信用代码为 %(u)s、决定书文号为 %(d)s 的行政处罚记录。")
            % {"u": uscc, "d": document_number},
            code="penalty_not_found",
        )
    return penalty


def check_repair_allowed(penalty: Penalty, on: datetime.date) -> None:
    """Raise a clear :class:`DomainError` when ``penalty`` may not be repaired on ``on``."""
    doc = penalty.document_number
    if penalty.is_revoked:
        raise DomainError(
            _("处罚决定 %(doc)s 已撤销，已不再公示，无需申请信用修复。") % {"doc": doc},
            code="revoked",
        )
    if not penalty.is_public_on(on):
        raise DomainError(
            _("处罚决定 %(doc)s 当前不在公示期内，无需申请信用修复。") % {"doc": doc},
            code="not_public",
        )
    if penalty.repair_from is None:
        raise DomainError(
            _(
                "处罚决定 %(doc)s 适用的公示期规则不适用信用修复（如通报批评、较低数额罚款或须公示满最长期限的情形），公示期满后自动停止公示。"
            )
            % {"doc": doc},
            code="no_repair",
        )
    if on < penalty.repair_from:
        raise DomainError(
            _("处罚决定 %(doc)s 的最短公示期尚未届满，不能申请信用修复；最早可于 %(d)s 起申请。")
            % {"doc": doc, "d": penalty.repair_from.isoformat()},
            code="before_minimum",
        )
    if penalty.repair_status == RepairStatus.PENDING:
        raise ConflictError(
            _("处罚决定 %(doc)s 已有待审核的信用修复申请，请等待审核结果。") % {"doc": doc},
            code="pending",
        )


def apply_for_repair(
    penalty: Penalty,
    *,
    applicant_name: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str = "",
    statement: str,
    evidence: UploadedFile,
    on: datetime.date | None = None,
) -> RepairApplication:
    """File a credit-repair application for ``penalty`` (public, no login).

    Refused before ``repair_from`` (the minimum period), where the regime has
    no repair, outside publicity, or while another application is pending.
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        penalty = _lock(penalty)
        check_repair_allowed(penalty, on)
        application = RepairApplication.objects.create(
            penalty=penalty,
            applicant_name=applicant_name,
            applicant_uscc=penalty.subject_uscc,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
            statement=statement,
            evidence=evidence,
            submitted_on=on,
            review_due=add_working_days(on, REVIEW_WORKING_DAYS),
        )
        penalty.repair_status = RepairStatus.PENDING
        penalty.save(update_fields=["repair_status", "updated_at"])
        record_event(
            PenaltyEvent.REPAIR_APPLIED,
            actor=None,
            target=application,
            after={"penalty": penalty.pk, "submitted_on": on, "review_due": application.review_due},
            department_code=penalty.department.code,
            enterprise_uscc=penalty.subject_uscc,
            message=applicant_name,
            channel="web",
        )
    return application


def _decide(
    application: RepairApplication, *, approve: bool, reason: str, actor: Any, on: datetime.date
) -> RepairApplication:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("审核信用修复申请必须填写审核意见。"), code="reason_required")
    with transaction.atomic():
        application = RepairApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.PENDING:
            raise ConflictError(
                _("该信用修复申请已审核（%(s)s），不能重复审核。")
                % {"s": application.get_status_display()},
                code="already_decided",
            )
        penalty = _lock(application.penalty)
        before = {
            "status": application.status,
            "repair_status": penalty.repair_status,
            "repaired_on": penalty.repaired_on,
        }
        if approve:
            if penalty.repair_from is None or on < penalty.repair_from:
                raise DomainError(
                    _("最短公示期尚未届满（%(d)s），不能通过信用修复。")
                    % {"d": penalty.repair_from},
                    code="before_minimum",
                )
            application.status = ApplicationStatus.APPROVED
            penalty.repair_status = RepairStatus.APPROVED
            penalty.repaired_on = on
        else:
            application.status = ApplicationStatus.REJECTED
            penalty.repair_status = RepairStatus.REJECTED
        application.reviewed_by = actor if getattr(actor, "_meta", None) is not None else None
        application.reviewed_at = timezone.now()
        application.decision_reason = reason
        application.save(update_fields=["status", "reviewed_by", "reviewed_at", "decision_reason"])
        penalty.save(update_fields=["repair_status", "repaired_on", "updated_at"])
        after = {
            "status": application.status,
            "repair_status": penalty.repair_status,
            "repaired_on": penalty.repaired_on,
        }
        if approve:
            write_revision(
                penalty,
                {"repair_status": before["repair_status"], "repaired_on": None},
                {"repair_status": penalty.repair_status, "repaired_on": on},
                actor=actor,
            )
        record_event(
            PenaltyEvent.REPAIR_APPROVED if approve else PenaltyEvent.REPAIR_REJECTED,
            actor=actor,
            target=application,
            before=before,
            after=after,
            department_code=penalty.department.code,
            enterprise_uscc=penalty.subject_uscc,
            message=reason,
        )
    return application


def approve_repair(
    application: RepairApplication, *, reason: str, actor: Any, on: datetime.date | None = None
) -> RepairApplication:
    """Approve a repair: the penalty's publicity ends on the approval day (``repaired_on``)."""
    return _decide(
        application, approve=True, reason=reason, actor=actor, on=on or timezone.localdate()
    )


def reject_repair(
    application: RepairApplication, *, reason: str, actor: Any, on: datetime.date | None = None
) -> RepairApplication:
    """Reject a repair with the reason; the penalty stays public; a new application may follow."""
    return _decide(
        application, approve=False, reason=reason, actor=actor, on=on or timezone.localdate()
    )


#: Penalties recomputed per batch by :func:`recompute_publicity_all`.
RECOMPUTE_BATCH = 2000


def recompute_publicity_all(*, actor: Any = None, queryset: Any = None) -> int:
    """Recompute severity, regime and window of stored penalties after regimes changed.

    Administrators edit the catalogue's regimes (new rows with a valid-from
    date, corrected periods); stored windows follow only when recomputed. Rows
    whose derived columns change get a revision (old and new values); one
    audit event summarises the run. Returns the number of changed penalties.
    """
    from .rules import RegimeCache

    qs = queryset if queryset is not None else Penalty.objects.all()
    caches: dict[str, RegimeCache] = {}
    changed_total = 0
    content_type = ContentType.objects.get_for_model(Penalty)
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        batch = ids[start : start + RECOMPUTE_BATCH]
        with transaction.atomic():
            changed: list[Penalty] = []
            diffs: dict[int, tuple[dict, dict]] = {}
            for penalty in Penalty.objects.select_related("department").filter(pk__in=batch):
                cache = caches.setdefault(penalty.resource_code, RegimeCache(penalty.resource_code))
                before = {c: getattr(penalty, c) for c in DERIVED_COLUMNS}
                recompute_publicity(penalty, cache)
                after = {c: getattr(penalty, c) for c in DERIVED_COLUMNS}
                keys = [c for c in DERIVED_COLUMNS if before[c] != after[c]]
                if keys:
                    changed.append(penalty)
                    diffs[penalty.pk] = ({k: before[k] for k in keys}, {k: after[k] for k in keys})
            if not changed:
                continue
            Penalty.objects.bulk_update(changed, list(DERIVED_COLUMNS))
            last = dict(
                RecordRevision.objects.filter(content_type=content_type, object_id__in=diffs)
                .values("object_id")
                .annotate(n=Max("revision"))
                .values_list("object_id", "n")
            )
            now = timezone.now()
            RecordRevision.objects.bulk_create(
                RecordRevision(
                    content_type=content_type,
                    object_id=pk,
                    revision=last.get(pk, 0) + 1,
                    before=_jsonable(old),
                    after=_jsonable(new),
                    channel=RecordChannel.FORM,
                    changed_at=now,
                )
                for pk, (old, new) in diffs.items()
            )
            changed_total += len(changed)
    if changed_total:
        with transaction.atomic():
            record_event(
                PenaltyEvent.RECOMPUTED,
                actor=actor,
                after={"changed": changed_total},
                message=_("按现行公示期规则重新计算了 %(n)d 条行政处罚的公示期。")
                % {"n": changed_total},
            )
    return changed_total
