"""State changes of double notification: notices, claim tasks, the mapping, the scan.

Every function runs in ``transaction.atomic()`` and writes its audit row with
:func:`apps.core.audit.record_event` in the same transaction. Broken rules
raise :class:`~apps.core.exceptions.DomainError` (400) or
:class:`~apps.core.exceptions.ConflictError` (409) with a Chinese message.

How registrations arrive (the hook): a periodic scan
(:func:`scan_registrations`, beat task ``scan_registrations_task``) reads
enterprises and QYDJ registration records whose ``updated_at`` passed a
per-source watermark. It catches every path that writes the registry
(apps.enterprises services, COPY bulk loads, ingestion's set-based loader),
which no ``post_save`` signal would, and it needs no change in the apps
below (ARCHITECTURE.md import directions). Idempotence comes from the scope
hash: a notice is issued only when an enterprise's scope differs from its
latest notice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_event, snapshot
from apps.core.exceptions import ConflictError, DomainError
from apps.core.workdays import add_working_days
from apps.enterprises.choices import EnterpriseStatus
from apps.enterprises.models import Enterprise
from apps.organizations.choices import Role
from apps.organizations.models import Department
from apps.organizations.scoping import principal_role

from .choices import (
    QUEUE_STATUSES,
    AssignmentOutcome,
    DualNoticeEventType,
    NoticeSource,
    NoticeTrigger,
    TaskStatus,
)
from .models import (
    ClaimDeadlineRule,
    ClaimTask,
    LicensingMatter,
    Notice,
    ScanWatermark,
    ScopeKeyword,
    TaskAssignment,
)
from .routing import match_matters, resolve_department, scope_hash

# The registrar line: market regulation issues the notice (BRIEF.md 5.2).
REGISTRAR_LINE = "SCJG"
# Rows read per scan transaction; a batch commits with its watermark.
SCAN_BATCH_SIZE = 500
# Rows stamped less than this long ago wait for the next scan: a transaction
# that stamped updated_at may not have committed yet.
SCAN_LAG = datetime.timedelta(minutes=2)
QYDJ_RESOURCE = "QYDJ"
QYDJ_SCOPE_FIELD = "DJ_JYFW"
QYDJ_INDUSTRY_FIELD = "DJ_HYDM"


def _today() -> datetime.date:
    return timezone.localdate()


def claim_deadline_days(on: datetime.date) -> int:
    """Working days to claim a task assigned on ``on`` (the rule in force that day)."""
    rule = ClaimDeadlineRule.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    if rule is None:
        raise DomainError(
            _("%(date)s 没有生效的认领时限规则；请省级管理员在“认领时限规则”中录入。")
            % {"date": on.isoformat()},
            code="no_deadline_rule",
        )
    return rule.working_days


def _task_snapshot(task: ClaimTask) -> dict[str, Any]:
    return snapshot(task, ["status", "department_id", "assigned_on", "due_on", "queue_reason"])


def _open_assignment(
    task: ClaimTask, department: Department, due_on: datetime.date, pushed_on: datetime.date
) -> None:
    now = timezone.now()
    # A push dated in the past (demo data, a re-read window) starts at 09:00 that day.
    assigned_at = (
        now
        if pushed_on >= timezone.localdate(now)
        else timezone.make_aware(datetime.datetime.combine(pushed_on, datetime.time(9)))
    )
    TaskAssignment.objects.create(
        task=task, department=department, due_on=due_on, assigned_at=assigned_at
    )


def _close_assignment(task: ClaimTask, outcome: str, reason: str = "") -> None:
    TaskAssignment.objects.filter(task=task, outcome=AssignmentOutcome.OPEN).update(
        outcome=outcome, closed_at=timezone.now(), reason=reason[:500]
    )


# --------------------------------------------------------------------------- notices


def issue_notice(
    enterprise: Enterprise,
    *,
    scope: str,
    industry_code: str = "",
    registered_on: datetime.date,
    source: str,
    source_record_id: int | None = None,
    actor: Any = None,
    today: datetime.date | None = None,
) -> Notice | None:
    """Issue the notice for a registration event and push claim tasks to departments.

    Rules: nothing is issued for an empty scope, or when the scope (and
    industry code) equals the enterprise's latest notice (idempotent, also
    under concurrent scans: the enterprise row is locked). The first notice of
    an enterprise is an establishment notice, later ones scope changes. Each
    matched matter becomes one task: sent to its department with a deadline of
    N working days from ``today`` (the push date), or, when the line has no
    department, straight to the provincial administrators' queue.
    """
    if not (scope or "").strip():
        return None
    today = today or _today()
    digest = scope_hash(scope, industry_code)
    with transaction.atomic():
        locked = (
            Enterprise.objects.select_for_update().select_related("region").get(pk=enterprise.pk)
        )
        latest = Notice.objects.filter(enterprise=locked).order_by("-created_at", "-pk").first()
        if latest is not None and latest.scope_hash == digest:
            return None
        matches = match_matters(scope, industry_code, on=registered_on)
        days = claim_deadline_days(today) if matches else 0
        due_on = add_working_days(today, days) if matches else None
        notice = Notice.objects.create(
            number=f"pending-{locked.pk}-{timezone.now().timestamp()}",
            enterprise=locked,
            trigger=NoticeTrigger.ESTABLISHMENT if latest is None else NoticeTrigger.SCOPE_CHANGE,
            source=source,
            source_record_id=source_record_id,
            business_scope=scope.strip(),
            scope_hash=digest,
            industry_code=(industry_code or "").strip().upper(),
            registered_on=registered_on,
            registrar=resolve_department(REGISTRAR_LINE, locked.region),
        )
        notice.number = f"SGZ{registered_on:%Y}-{locked.region.code}-{notice.pk:07d}"
        notice.save(update_fields=["number"])
        routed = []
        for match in matches:
            department = resolve_department(
                match.matter.department_line, locked.region, match.matter.approval_level
            )
            task = ClaimTask.objects.create(
                notice=notice,
                enterprise=locked,
                matter=match.matter,
                matched_text=match.matched_text,
                department=department,
                status=TaskStatus.PENDING if department else TaskStatus.UNASSIGNED,
                assigned_on=today if department else None,
                due_on=due_on if department else None,
                queue_reason=""
                if department
                else _("条线 %(line)s 没有可认领的部门。") % {"line": match.matter.department_line},
            )
            if department is not None:
                _open_assignment(task, department, due_on, today)  # type: ignore[arg-type]
            routed.append(
                {
                    "matter": match.matter.code,
                    "department": department.code if department else None,
                    "matched": match.matched_text,
                }
            )
        record_event(
            DualNoticeEventType.NOTICE_ISSUED,
            actor=actor,
            target=notice,
            after={
                "number": notice.number,
                "trigger": notice.trigger,
                "source": source,
                "registered_on": registered_on,
                "due_on": due_on,
                "tasks": routed,
            },
            enterprise_uscc=locked.uscc,
            department_code=notice.registrar.code if notice.registrar else "",
        )
    return notice


# --------------------------------------------------------------------------- claim tasks


def _require_own_department(task: ClaimTask, actor: Any) -> None:
    department_id = getattr(getattr(actor, "department", None), "pk", None)
    if department_id is None or department_id != task.department_id:
        raise PermissionDenied(_("只有任务所在部门的人员可以认领或退回该任务。"))
    if principal_role(actor) == Role.AUDITOR:
        raise PermissionDenied(_("审计员只能查看。"))


def _require_province_admin(actor: Any) -> None:
    if principal_role(actor) != Role.PROVINCE_ADMIN:
        raise PermissionDenied(_("只有省级管理员可以分派或办结待分派任务。"))


def claim_task(
    task: ClaimTask, *, actor: Any, note: str = "", today: datetime.date | None = None
) -> ClaimTask:
    """The task's department claims it (认领): it will supervise the enterprise's licensed activity.

    Rules: only a pending task, only by its own department, only until its
    deadline. A late claim routes the task back as overdue and is refused.
    """
    today = today or _today()
    _require_own_department(task, actor)
    late = False
    with transaction.atomic():
        locked = ClaimTask.objects.select_for_update().get(pk=task.pk)
        if locked.status != TaskStatus.PENDING or locked.department_id != task.department_id:
            raise ConflictError(
                _("任务当前状态为“%(status)s”，不能认领。")
                % {"status": locked.get_status_display()},
                code="task_not_pending",
            )
        if locked.is_overdue_on(today):
            _route_overdue(locked, today)
            late = True
        else:
            before = _task_snapshot(locked)
            locked.status = TaskStatus.CLAIMED
            locked.claimed_at = timezone.now()
            locked.claimed_by = actor if getattr(actor, "_meta", None) is not None else None
            locked.handling_note = (note or "").strip()[:500]
            locked.save()
            _close_assignment(locked, AssignmentOutcome.CLAIMED, locked.handling_note)
            record_event(
                DualNoticeEventType.TASK_CLAIMED,
                actor=actor,
                target=locked,
                before=before,
                after=_task_snapshot(locked),
                enterprise_uscc=locked.enterprise.uscc,
                message=locked.handling_note,
            )
    if late:
        raise ConflictError(
            _("认领期限（%(due)s）已过，任务已退回省级管理员重新分派。")
            % {"due": task.due_on.isoformat() if task.due_on else ""},
            code="task_overdue",
        )
    task.refresh_from_db()
    return task


def return_task(task: ClaimTask, *, actor: Any, reason: str) -> ClaimTask:
    """The department returns a task it does not approve; it goes to the provincial queue.

    Rules: a reason is required; only a pending task of the actor's department.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("退回原因（reason）不能为空：请说明为何不属于本部门审批。"), code="reason_required"
        )
    _require_own_department(task, actor)
    with transaction.atomic():
        locked = ClaimTask.objects.select_for_update().get(pk=task.pk)
        if locked.status != TaskStatus.PENDING or locked.department_id != task.department_id:
            raise ConflictError(
                _("任务当前状态为“%(status)s”，不能退回。")
                % {"status": locked.get_status_display()},
                code="task_not_pending",
            )
        before = _task_snapshot(locked)
        department_code = locked.department.code if locked.department else ""
        locked.status = TaskStatus.RETURNED
        locked.department = None
        locked.queue_reason = reason[:500]
        locked.save()
        _close_assignment(locked, AssignmentOutcome.RETURNED, reason)
        record_event(
            DualNoticeEventType.TASK_RETURNED,
            actor=actor,
            target=locked,
            before=before,
            after=_task_snapshot(locked),
            enterprise_uscc=locked.enterprise.uscc,
            department_code=department_code,
            message=reason,
        )
    task.refresh_from_db()
    return task


def reassign_task(
    task: ClaimTask,
    department: Department,
    *,
    actor: Any,
    today: datetime.date | None = None,
) -> ClaimTask:
    """A provincial administrator sends a queued (or pending) task to a department.

    The new turn gets a fresh deadline from ``today``; a pending turn elsewhere
    is withdrawn. Claimed and closed tasks cannot be reassigned.
    """
    today = today or _today()
    _require_province_admin(actor)
    if not department.is_active:
        raise DomainError(
            _("部门 %(code)s 已停用，不能分派。") % {"code": department.code},
            code="department_inactive",
        )
    with transaction.atomic():
        locked = ClaimTask.objects.select_for_update().get(pk=task.pk)
        if locked.status not in (*QUEUE_STATUSES, TaskStatus.PENDING):
            raise ConflictError(
                _("任务当前状态为“%(status)s”，不能改派。")
                % {"status": locked.get_status_display()},
                code="task_final",
            )
        if locked.status == TaskStatus.PENDING and locked.department_id == department.pk:
            raise ConflictError(_("任务已在该部门待认领。"), code="same_department")
        before = _task_snapshot(locked)
        _close_assignment(locked, AssignmentOutcome.WITHDRAWN, _("省级管理员改派"))
        due_on = add_working_days(today, claim_deadline_days(today))
        locked.status = TaskStatus.PENDING
        locked.department = department
        locked.assigned_on = today
        locked.due_on = due_on
        locked.queue_reason = ""
        locked.save()
        _open_assignment(locked, department, due_on, today)
        record_event(
            DualNoticeEventType.TASK_REASSIGNED,
            actor=actor,
            target=locked,
            before=before,
            after=_task_snapshot(locked),
            enterprise_uscc=locked.enterprise.uscc,
            department_code=department.code,
        )
    task.refresh_from_db()
    return task


def close_task(task: ClaimTask, *, actor: Any, note: str) -> ClaimTask:
    """A provincial administrator closes a queued task that no department needs to claim."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("办结说明（note）不能为空。"), code="note_required")
    _require_province_admin(actor)
    with transaction.atomic():
        locked = ClaimTask.objects.select_for_update().get(pk=task.pk)
        if locked.status not in QUEUE_STATUSES:
            raise ConflictError(
                _("只有待分派的任务可以办结；当前状态为“%(status)s”。")
                % {"status": locked.get_status_display()},
                code="task_not_queued",
            )
        before = _task_snapshot(locked)
        locked.status = TaskStatus.CLOSED
        locked.handling_note = note[:500]
        locked.save()
        record_event(
            DualNoticeEventType.TASK_CLOSED,
            actor=actor,
            target=locked,
            before=before,
            after=_task_snapshot(locked),
            enterprise_uscc=locked.enterprise.uscc,
            message=note,
        )
    task.refresh_from_db()
    return task


def _route_overdue(locked: ClaimTask, today: datetime.date) -> None:
    """Move a locked pending task past its deadline to the provincial queue (in a transaction)."""
    before = _task_snapshot(locked)
    department_code = locked.department.code if locked.department else ""
    reason = _("超过认领期限 %(due)s 未认领（%(dept)s）。") % {
        "due": locked.due_on.isoformat() if locked.due_on else "",
        "dept": locked.department.name if locked.department else "",
    }
    locked.status = TaskStatus.OVERDUE
    locked.department = None
    locked.queue_reason = reason
    locked.save()
    _close_assignment(locked, AssignmentOutcome.OVERDUE, reason)
    record_event(
        DualNoticeEventType.TASK_OVERDUE,
        actor=None,
        target=locked,
        before=before,
        after=_task_snapshot(locked),
        enterprise_uscc=locked.enterprise.uscc,
        department_code=department_code,
        message=reason,
    )


def route_overdue_tasks(*, today: datetime.date | None = None) -> int:
    """Route every pending task whose deadline has passed back to the provincial queue.

    Idempotent: a task is taken only while still pending and past due
    (``skip_locked``: a department claiming it right now keeps its lock).
    Returns how many tasks were routed.
    """
    today = today or _today()
    routed = 0
    ids = list(
        ClaimTask.objects.filter(status=TaskStatus.PENDING, due_on__lt=today).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            locked = (
                ClaimTask.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("department", "enterprise")
                .filter(pk=pk, status=TaskStatus.PENDING, due_on__lt=today)
                .first()
            )
            if locked is None:
                continue
            _route_overdue(locked, today)
            routed += 1
    return routed


# --------------------------------------------------------------------------- the scan


@dataclass
class ScanResult:
    """What one scan read and issued, per source."""

    read: dict[str, int] = field(default_factory=dict)
    issued: dict[str, int] = field(default_factory=dict)
    started: list[str] = field(default_factory=list)


def _latest_hashes(enterprise_ids: list[int]) -> dict[int, str]:
    rows = (
        Notice.objects.filter(enterprise_id__in=enterprise_ids)
        .order_by("enterprise_id", "-created_at", "-pk")
        .distinct("enterprise_id")
        .values_list("enterprise_id", "scope_hash")
    )
    return dict(rows)


def _registry_batch(mark: ScanWatermark, cutoff: datetime.datetime, limit: int) -> list[tuple]:
    """(enterprise, scope, industry code, registered_on, record id, updated_at, pk) rows."""
    rows = (
        Enterprise.objects.filter(updated_at__lte=cutoff)
        .filter(
            Q(updated_at__gt=mark.last_updated_at)
            | Q(updated_at=mark.last_updated_at, pk__gt=mark.last_pk)
        )
        .order_by("updated_at", "pk")[:limit]
    )
    out = []
    for e in rows:
        changed_on = timezone.localdate(e.updated_at)
        out.append(
            (
                e,
                e.business_scope,
                e.industry_code,
                e.approved_on or e.established_on or changed_on,
                None,
                e.updated_at,
                e.pk,
                changed_on,
            )
        )
    return out


def _qydj_batch(mark: ScanWatermark, cutoff: datetime.datetime, limit: int) -> list[tuple]:
    # A read of the records app's generic store: QYDJ has no typed store.
    from apps.records.models import GenericRecord

    rows = (
        GenericRecord.objects.filter(resource_code=QYDJ_RESOURCE, updated_at__lte=cutoff)
        .filter(
            Q(updated_at__gt=mark.last_updated_at)
            | Q(updated_at=mark.last_updated_at, pk__gt=mark.last_pk)
        )
        .select_related("enterprise")
        .order_by("updated_at", "pk")[:limit]
    )
    out = []
    for r in rows:
        payload = r.payload or {}
        out.append(
            (
                r.enterprise,
                str(payload.get(QYDJ_SCOPE_FIELD) or ""),
                str(payload.get(QYDJ_INDUSTRY_FIELD) or ""),
                r.decision_date,
                r.pk,
                r.updated_at,
                r.pk,
                r.decision_date,
            )
        )
    return out


_BATCHES = {NoticeSource.REGISTRY: _registry_batch, NoticeSource.QYDJ: _qydj_batch}


def scan_registrations(
    *,
    now: datetime.datetime | None = None,
    batch_size: int = SCAN_BATCH_SIZE,
    since: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> ScanResult:
    """Read new and changed registrations from each source and issue their notices.

    A source seen for the first time starts at ``now`` (or ``since``): the
    registry as it stood when double notification was switched on is the
    baseline, not a flood of notices. ``since`` moves the watermark back to
    re-read a window (harmless: unchanged scopes issue nothing). Each batch
    commits with its watermark, so a crash repeats at most one batch.
    """
    now = now or timezone.now()
    cutoff = now - SCAN_LAG
    result = ScanResult()
    for source, fetch in _BATCHES.items():
        if since is not None:
            ScanWatermark.objects.update_or_create(
                source=source, defaults={"last_updated_at": since, "last_pk": 0}
            )
        _mark, created = ScanWatermark.objects.get_or_create(
            source=source, defaults={"last_updated_at": now, "last_pk": 0}
        )
        if created:
            result.started.append(source)
        read = issued = 0
        while True:
            with transaction.atomic():
                mark = ScanWatermark.objects.select_for_update().get(source=source)
                batch = fetch(mark, cutoff, batch_size)
                if not batch:
                    break
                hashes = _latest_hashes([row[0].pk for row in batch if row[0] is not None])
                for enterprise, scope, industry, registered_on, record_id, *_rest in batch:
                    if enterprise is None or enterprise.status != EnterpriseStatus.ACTIVE:
                        continue
                    if hashes.get(enterprise.pk) == scope_hash(scope, industry):
                        continue
                    notice = issue_notice(
                        enterprise,
                        scope=scope,
                        industry_code=industry,
                        registered_on=registered_on,
                        source=source,
                        source_record_id=record_id,
                        today=today or _today(),
                    )
                    if notice is not None:
                        issued += 1
                        hashes[enterprise.pk] = notice.scope_hash
                read += len(batch)
                mark.last_updated_at = batch[-1][5]
                mark.last_pk = batch[-1][6]
                mark.save()
            if len(batch) < batch_size:
                break
        result.read[source] = read
        result.issued[source] = issued
    return result


# --------------------------------------------------------------------------- the mapping


def _parse_codes(values: list[str]) -> list[str]:
    return sorted({v.strip().upper() for v in values if v and v.strip()})


def save_matter(
    matter: LicensingMatter | None,
    data: dict[str, Any],
    keywords: list[tuple[str, list[str]]],
    *,
    actor: Any,
) -> LicensingMatter:
    """Create or change a licensing matter and replace its scope keywords (provincial admins).

    ``keywords``: (phrase, exclusions) pairs. Rules: the approving line must
    have at least one department (else tasks could never be routed), a phrase
    appears once per matter.
    """
    _require_province_admin(actor)
    line = str(data.get("department_line") or "").strip().upper()
    if not Department.objects.filter(line=line).exists():
        raise DomainError(
            _("审批部门条线 %(line)s 没有任何部门；请先在部门目录中设置条线。") % {"line": line},
            code="unknown_line",
        )
    phrases = [p for p, _x in keywords]
    duplicates = sorted({p for p in phrases if phrases.count(p) > 1})
    if duplicates:
        raise DomainError(
            _("关键词重复：%(words)s") % {"words": "、".join(duplicates)}, code="duplicate_keyword"
        )
    data = {**data, "department_line": line}
    data["industry_code_prefixes"] = _parse_codes(list(data.get("industry_code_prefixes") or []))
    with transaction.atomic():
        if matter is None:
            matter = LicensingMatter(**data)
            before: dict[str, Any] = {}
        else:
            matter = LicensingMatter.objects.select_for_update().get(pk=matter.pk)
            before = {
                **snapshot(matter, list(data)),
                "keywords": sorted(matter.keywords.values_list("phrase", flat=True)),
            }
            for key, value in data.items():
                setattr(matter, key, value)
        matter.save()
        matter.keywords.all().delete()
        ScopeKeyword.objects.bulk_create(
            ScopeKeyword(matter=matter, phrase=p, exclusions=x) for p, x in keywords
        )
        record_event(
            DualNoticeEventType.MATTER_SAVED,
            actor=actor,
            target=matter,
            before=before or None,
            after={**snapshot(matter, list(data)), "keywords": sorted(phrases)},
        )
    return matter


def load_mapping(entries: list[dict[str, Any]], *, actor: Any = None) -> dict[str, int]:
    """Upsert licensing matters and their keywords from fixture entries (by ``code``).

    Used by ``load_dual_notice_mapping``; an unchanged entry changes nothing
    but is counted; keywords of a loaded matter are replaced by the entry's.
    """
    created = updated = 0
    with transaction.atomic():
        for entry in entries:
            entry = dict(entry)
            keywords = entry.pop("keywords", [])
            entry["valid_from"] = datetime.date.fromisoformat(entry["valid_from"])
            if entry.get("valid_to"):
                entry["valid_to"] = datetime.date.fromisoformat(entry["valid_to"])
            matter, was_created = LicensingMatter.objects.update_or_create(
                code=entry.pop("code"), defaults=entry
            )
            created += was_created
            updated += not was_created
            wanted = {k["phrase"]: list(k.get("exclusions", [])) for k in keywords}
            matter.keywords.exclude(phrase__in=list(wanted)).delete()
            for phrase, exclusions in wanted.items():
                ScopeKeyword.objects.update_or_create(
                    matter=matter, phrase=phrase, defaults={"exclusions": exclusions}
                )
        record_event(
            DualNoticeEventType.MAPPING_LOADED,
            actor=actor,
            after={"created": created, "updated": updated, "entries": len(entries)},
        )
    return {"created": created, "updated": updated}
