"""Business operations of the disclosure portal: objections, the change feed, portal API keys.

Every state change runs in ``transaction.atomic()`` and writes its audit row
(:func:`apps.core.audit.record_event`) in the same transaction. Read helpers
shared by pages, API and commands (``find_disputed_record``,
``public_list_rows``, ``answer_working_days_on``) live here too while they are few.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext

from apps.catalogue.choices import MaskingRule, PublicityClass, ResourceKind, VersionStatus
from apps.catalogue.masking import mask_value
from apps.catalogue.models import CatalogueAnnouncement, FieldSpec, Resource, ResourceVersion
from apps.core.audit import record_event, snapshot
from apps.core.exceptions import ConflictError, DomainError
from apps.core.workdays import add_working_days
from apps.enterprises.models import Enterprise
from apps.organizations.models import Department
from apps.records import registry

from .models import (
    ChangeEvent,
    ChangeEventKind,
    ChangeFeedSource,
    Objection,
    ObjectionAttachment,
    ObjectionOutcome,
    ObjectionRule,
    ObjectionStatus,
    PortalApiKey,
)

# Used when no ObjectionRule row exists (a fresh database before migrations'
# data, or a deleted table); the migration adds the same figure as data.
DEFAULT_ANSWER_WORKING_DAYS = 15

# Advisory-lock key of the change-feed writer ("DISCFEED" as an integer).
CHANGE_FEED_LOCK = 0x4449534346454544 & 0x7FFFFFFFFFFFFFFF

# List entries changed since a source's last sync, less this margin, are
# re-read: a transaction that stamped its rows before that sync but committed
# after it is still seen; source keys make re-reading harmless.
LIST_EVENT_LOOKBACK = datetime.timedelta(hours=1)

# Reference numbers: "YY" + date + 6 characters; verification codes: 8 characters.
# Both from an alphabet without look-alikes (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PORTAL_KEY_PREFIX = "hcp"


class ObjectionTargetError(DomainError):
    """The enterprise, resource or record an objection names cannot be found on the portal."""

    code = "objection_target"


# --- objections: the disputed record -----------------------------------------------------


@dataclass(frozen=True)
class DisputedRecord:
    """A record on a public profile, as the objection form and service need it."""

    enterprise: Enterprise
    resource: Resource
    resource_name: str
    record_id: int
    department: Department
    decision_date: datetime.date | None
    label: str


def _record_stores(resource: Resource) -> list[Any]:
    """The resource's own store first, then every other registered store (de-duplicated)."""
    stores: list[Any] = []
    with contextlib.suppress(LookupError):
        stores.append(registry.get_store(resource.kind, resource.code))
    for store in registry.registered_stores():
        if all(store is not seen for seen in stores):
            stores.append(store)
    return stores


def _is_public(store: Any, enterprise: Enterprise, resource_code: str, record_id: int) -> bool:
    """Whether the store shows the record publicly today (stores without the hook: trusted)."""
    provider = getattr(store, "public_records", None)
    if provider is None:
        return True
    return any(
        item.resource_code == resource_code and item.record_id == record_id
        for item in provider(enterprise.pk, on=timezone.localdate())
    )


def find_disputed_record(uscc: str, resource_code: str, record_id: Any) -> DisputedRecord:
    """Locate the record an objection is about, through the records registry.

    The record must belong to the enterprise, be of the named resource, and
    (where its store says so) be public today: an objection can only be
    raised against what the portal shows. Raises :class:`ObjectionTargetError`
    with a message naming the parameter otherwise.
    """
    from apps.core.uscc import normalize_code

    code = normalize_code(uscc or "")
    enterprise = Enterprise.objects.filter(uscc=code).first() if code else None
    if enterprise is None:
        raise ObjectionTargetError(
            gettext("参数 enterprise：找不到统一社会信用代码为“%(code)s”的市场主体。")
            % {"code": code[:18]}
        )
    resource = (
        Resource.objects.select_related("current_version")
        .filter(code=str(resource_code or "")[:32])
        .first()
    )
    version = resource.current_version if resource else None
    if resource is None or version is None or version.publicity_class != PublicityClass.PUBLIC:
        raise ObjectionTargetError(
            gettext("参数 resource：“%(code)s”不是公示的信息资源。")
            % {"code": str(resource_code or "")[:32]}
        )
    try:
        pk = int(str(record_id))
    except (TypeError, ValueError):
        raise ObjectionTargetError(gettext("参数 record：记录编号必须是整数。")) from None
    for store in _record_stores(resource):
        model = store.model
        names = {f.name for f in model._meta.get_fields()}
        if "resource_code" not in names or "enterprise" not in names:
            continue
        record = (
            model._default_manager.select_related("department")
            .filter(pk=pk, resource_code=resource.code, enterprise=enterprise)
            .first()
        )
        if record is None:
            continue
        if not _is_public(store, enterprise, resource.code, pk):
            # The first store holding the record is the resource's own: its word is final.
            break
        decision_date = getattr(record, "decision_date", None)
        business_key = getattr(record, "business_key", "") or ""
        label = f"{version.name} {business_key}".strip()
        return DisputedRecord(
            enterprise=enterprise,
            resource=resource,
            resource_name=version.name,
            record_id=pk,
            department=record.department,
            decision_date=decision_date,
            label=label[:255],
        )
    raise ObjectionTargetError(
        gettext("参数 record：该市场主体的公示信息中没有编号为 %(id)s 的“%(resource)s”记录。")
        % {"id": pk, "resource": version.name}
    )


# --- objections: deadlines and codes -------------------------------------------------------


def answer_working_days_on(day: datetime.date) -> int:
    """The answer period (working days) of the rule valid on ``day``."""
    rule = ObjectionRule.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    return rule.answer_working_days if rule else DEFAULT_ANSWER_WORKING_DAYS


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def hash_verification_code(code: str) -> str:
    """Keyed hash of a verification code (the code itself is only shown to the objector once)."""
    normalised = code.strip().upper()
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"), normalised.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def find_objection_for_objector(reference: str, secret: str) -> Objection | None:
    """The objection with ``reference`` when ``secret`` is its verification code or phone number.

    Returns None on any mismatch, without saying which part was wrong.
    """
    objection = (
        Objection.objects.select_related("department")
        .filter(reference=reference.strip().upper()[:32])
        .first()
    )
    if objection is None or not secret:
        return None
    if hmac.compare_digest(objection.verification_hash, hash_verification_code(secret)):
        return objection
    phone = _digits(secret)
    if len(phone) >= 7 and hmac.compare_digest(phone, _digits(objection.objector_phone)):
        return objection
    return None


# --- objections: state changes -----------------------------------------------------------


@dataclass(frozen=True)
class AttachmentUpload:
    """A checked attachment: its bytes, shown name and detected content type."""

    content: bytes
    name: str
    content_type: str


@dataclass(frozen=True)
class SubmittedObjection:
    """The new objection and its verification code (shown to the objector once)."""

    objection: Objection
    verification_code: str


def submit_objection(
    target: DisputedRecord,
    *,
    objector_name: str,
    objector_phone: str,
    objector_email: str,
    content: str,
    attachments: Iterable[AttachmentUpload] = (),
) -> SubmittedObjection:
    """File an objection in the source department's queue, with its deadline.

    The deadline is ``answer_working_days_on(today)`` working days after the
    submission day. The objector is anonymous: the audit row names them as
    the actor by a masked name, never with their contact details.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    code = _random_code(8)
    with transaction.atomic():
        for _attempt in range(5):
            reference = f"YY{today:%Y%m%d}{_random_code(6)}"
            if not Objection.objects.filter(reference=reference).exists():
                break
        objection = Objection.objects.create(
            reference=reference,
            verification_hash=hash_verification_code(code),
            enterprise=target.enterprise,
            enterprise_uscc=target.enterprise.uscc,
            enterprise_name=target.enterprise.name,
            resource_code=target.resource.code,
            record_id=target.record_id,
            record_label=target.label,
            department=target.department,
            objector_name=objector_name.strip(),
            objector_phone=objector_phone.strip(),
            objector_email=objector_email.strip(),
            content=content.strip(),
            submitted_at=now,
            due_date=add_working_days(today, answer_working_days_on(today)),
        )
        for upload in attachments:
            attachment = ObjectionAttachment(
                objection=objection,
                original_name=upload.name[:255],
                content_type=upload.content_type,
                size=len(upload.content),
                sha256=hashlib.sha256(upload.content).hexdigest(),
            )
            extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[
                upload.content_type
            ]
            attachment.file.save(
                f"{secrets.token_hex(16)}.{extension}", ContentFile(upload.content), save=False
            )
            attachment.save()
        record_event(
            "objection.submitted",
            actor=None,
            target=objection,
            after={
                "reference": objection.reference,
                "resource_code": objection.resource_code,
                "record_id": objection.record_id,
                "objector": mask_value(objection.objector_name, MaskingRule.PERSON_NAME),
                "attachments": objection.attachments.count(),
                "due_date": objection.due_date,
            },
            department_code=target.department.code,
            enterprise_uscc=objection.enterprise_uscc,
            message=gettext("公众提交异议 %(ref)s") % {"ref": objection.reference},
            channel="web",
        )
    return SubmittedObjection(objection=objection, verification_code=code)


def answer_objection(objection: Objection, *, outcome: str, note: str, actor: Any) -> Objection:
    """The source department's answer: corrected, or rejected with reasons.

    Refuses a second answer (409) and a rejection without reasons (400). The
    correction itself is made through the record's own channel (ingestion
    correction or a new delivery); ``note`` says what was changed. The
    objector is e-mailed on commit when they left an address.
    """
    note = (note or "").strip()
    if outcome not in ObjectionOutcome.values:
        raise DomainError(gettext("字段 outcome：处理结果只能是“已更正”或“不予更正”。"))
    if outcome == ObjectionOutcome.REJECTED and not note:
        raise DomainError(gettext("字段 note：不予更正时必须说明理由。"))
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status != ObjectionStatus.PENDING:
            raise ConflictError(
                gettext("异议 %(ref)s 已经答复，不能再次答复。") % {"ref": locked.reference},
                code="objection_answered",
            )
        fields = ["status", "outcome_note", "answered_at", "answered_by"]
        before = snapshot(locked, ["status", "outcome_note", "answered_at", "answered_by_id"])
        locked.status = outcome
        locked.outcome_note = note
        locked.answered_at = timezone.now()
        locked.answered_by = actor if getattr(actor, "pk", None) else None
        locked.save(update_fields=fields)
        record_event(
            "objection.answered",
            actor=actor,
            target=locked,
            before=before,
            after=snapshot(locked, ["status", "outcome_note", "answered_at", "answered_by_id"]),
            department_code=locked.department.code,
            enterprise_uscc=locked.enterprise_uscc,
        )
        if locked.objector_email:
            from .tasks import notify_objector_task

            transaction.on_commit(lambda: notify_objector_task.delay(locked.pk))
    return locked


def notify_objector(objection_id: int) -> bool:
    """E-mail the answer to the objector's address; False when there is nothing to send.

    The message carries the reference and the outcome, never the verification code.
    """
    objection = (
        Objection.objects.select_related("department")
        .filter(pk=objection_id)
        .exclude(objector_email="")
        .exclude(status=ObjectionStatus.PENDING)
        .first()
    )
    if objection is None:
        return False
    subject = gettext("异议 %(ref)s 处理结果：%(status)s") % {
        "ref": objection.reference,
        "status": objection.get_status_display(),
    }
    body = gettext(
        "您对“%(enterprise)s”的公示信息“%(record)s”提出的异议（受理编号 %(ref)s）"
        "已由%(department)s答复：%(status)s。\n\n处理说明：%(note)s"
    ) % {
        "enterprise": objection.enterprise_name,
        "record": objection.record_label,
        "ref": objection.reference,
        "department": objection.department.name,
        "status": objection.get_status_display(),
        "note": objection.outcome_note or "-",
    }
    send_mail(subject, body, None, [objection.objector_email])
    return True


def set_answer_working_days(
    *, valid_from: datetime.date, working_days: int, basis: str, actor: Any
) -> ObjectionRule:
    """Add (or change) the answer period valid from a date; audited."""
    if working_days < 1:
        raise DomainError(gettext("字段 answer_working_days：答复时限至少为 1 个工作日。"))
    with transaction.atomic():
        rule, created = ObjectionRule.objects.get_or_create(
            valid_from=valid_from,
            defaults={"answer_working_days": working_days, "basis": basis},
        )
        before = None if created else snapshot(rule)
        if not created:
            rule.answer_working_days = working_days
            rule.basis = basis
            rule.save(update_fields=["answer_working_days", "basis"])
        record_event(
            "objection.rule_changed", actor=actor, target=rule, before=before, after=snapshot(rule)
        )
    return rule


# --- change feed ---------------------------------------------------------------------------


def _field(item: Any, name: str, default: Any = "") -> Any:
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _as_datetime(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time()))
    return timezone.now()


def _field_names(model: Any) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def is_dated_list_store(store: Any) -> bool:
    """A store whose model keeps list entries with listing and removal dates.

    The list-entry store of ``joint_punishment`` has them (``listed_on``,
    ``removed_on``); the portal reads them through the registry, never by
    importing that app.
    """
    model = getattr(store, "model", None)
    if model is None:
        return False
    return {"listed_on", "removed_on", "resource_code", "enterprise"} <= _field_names(model)


def list_event_sources() -> list[Any]:
    """Registered stores that announce list inclusions and removals.

    A store either offers ``announcement_events(since)`` itself or keeps
    dated list entries (:func:`is_dated_list_store`), read by
    :func:`_dated_list_events`.
    """
    return [
        store
        for store in registry.registered_stores()
        if callable(getattr(store, "announcement_events", None)) or is_dated_list_store(store)
    ]


def public_list_entries(store: Any, resource_codes: Iterable[str]) -> Any:
    """The store's list entries that the public may see: public lists, enterprises only."""
    model = store.model
    names = _field_names(model)
    qs = model._default_manager.filter(
        resource_code__in=list(resource_codes), enterprise__isnull=False
    )
    if "subject_kind" in names:
        qs = qs.exclude(subject_kind="natural_person")
    if "list_type" in names:
        related = model._meta.get_field("list_type").related_model
        if "is_public" in _field_names(related):
            qs = qs.filter(list_type__is_public=True)
    return qs


def _dated_list_events(store: Any, since: datetime.datetime | None) -> list[dict[str, Any]]:
    """Inclusion and removal events of a dated list store, changed since ``since``.

    Future-dated listings and removals are announced once their day has come.
    """
    names = {r.code: r.current_version.name for r in list_resources()}
    if not names:
        return []
    model = store.model
    fields = _field_names(model)
    today = timezone.localdate()
    qs = public_list_entries(store, names).filter(listed_on__lte=today)
    if since is not None:
        # Changed since the last sync, or dated on a day that has come since
        # (a listing or removal entered in advance is announced on its day).
        start = timezone.localdate(since)
        due = Q(listed_on__gte=start) | Q(removed_on__gte=start, removed_on__lte=today)
        qs = qs.filter(Q(updated_at__gte=since) | due) if "updated_at" in fields else qs.filter(due)
    events: list[dict[str, Any]] = []
    for entry in qs.select_related("department", "enterprise").order_by("pk").iterator(2000):
        base = {
            "key": f"{model._meta.label_lower}:{entry.pk}",
            "resource_code": entry.resource_code,
            "list_name": names.get(entry.resource_code, entry.resource_code),
            "enterprise_uscc": entry.enterprise.uscc,
            "enterprise_name": entry.enterprise.name,
        }
        events.append(
            {
                **base,
                "kind": "included",
                "occurred_at": entry.listed_on,
                "reason": getattr(entry, "listing_reason", ""),
                "department_name": getattr(entry, "listing_authority", "") or entry.department.name,
            }
        )
        if entry.removed_on is not None and entry.removed_on <= today:
            events.append(
                {
                    **base,
                    "kind": "removed",
                    "occurred_at": entry.removed_on,
                    "reason": getattr(entry, "removal_reason", ""),
                    "department_name": getattr(entry, "removal_authority", "")
                    or entry.department.name,
                }
            )
    return events


def _catalogue_events() -> list[ChangeEvent]:
    known = ChangeEvent.objects.filter(
        source_key=Concat(Value("catalogue:"), Cast(OuterRef("pk"), CharField()))
    )
    pending = (
        CatalogueAnnouncement.objects.select_related("version__resource")
        .filter(~Exists(known))
        .order_by("published_at", "pk")
    )
    return [
        ChangeEvent(
            kind=ChangeEventKind.CATALOGUE,
            source_key=f"catalogue:{item.pk}",
            occurred_at=item.published_at,
            title=item.title[:255],
            summary=item.summary,
            resource_code=item.version.resource.code,
            link=reverse("catalogue:announcement-detail", args=[item.pk]),
        )
        for item in pending
    ]


def _profile_link(uscc: str) -> str:
    """The enterprise's public profile page, when the portal serves one."""
    if not uscc:
        return ""
    try:
        return reverse("disclosure:profile", args=[uscc])
    except NoReverseMatch:
        return ""


def _source_name(store: Any) -> str:
    model = getattr(store, "model", None)
    return model._meta.label_lower if model is not None else type(store).__name__


def _list_events(started: datetime.datetime) -> list[ChangeEvent]:
    """New list events of every list source; each source's cursor moves to ``started``."""
    events: list[ChangeEvent] = []
    for store in list_event_sources():
        cursor = ChangeFeedSource.objects.filter(name=_source_name(store)).first()
        since = cursor.synced_until - LIST_EVENT_LOOKBACK if cursor else None
        provider = getattr(store, "announcement_events", None)
        items = provider(since) if callable(provider) else _dated_list_events(store, since)
        ChangeFeedSource.objects.update_or_create(
            name=_source_name(store), defaults={"synced_until": started}
        )
        for item in items:
            removed = str(_field(item, "kind")).endswith("removed")
            kind = ChangeEventKind.LIST_REMOVED if removed else ChangeEventKind.LIST_INCLUDED
            key = str(_field(item, "key"))
            list_name = str(_field(item, "list_name") or _field(item, "resource_code"))
            name = str(_field(item, "enterprise_name"))
            title = (
                gettext("%(name)s 被移出%(list)s")
                if removed
                else gettext("%(name)s 被列入%(list)s")
            ) % {"name": name, "list": list_name}
            events.append(
                ChangeEvent(
                    kind=kind,
                    source_key=f"list:{key}:{'removed' if removed else 'included'}"[:128],
                    occurred_at=_as_datetime(_field(item, "occurred_at", None)),
                    title=title[:255],
                    summary=str(_field(item, "reason")),
                    resource_code=str(_field(item, "resource_code"))[:32],
                    enterprise_uscc=str(_field(item, "enterprise_uscc"))[:18],
                    enterprise_name=name[:255],
                    department_name=str(_field(item, "department_name"))[:128],
                    link=_profile_link(str(_field(item, "enterprise_uscc"))),
                )
            )
    events.sort(key=lambda event: event.occurred_at)
    return events


def sync_change_events() -> int:
    """Append new catalogue announcements and list events to the change feed; returns how many.

    Idempotent on ``source_key``. One writer at a time (a transaction-level
    advisory lock), so feed ids become visible in increasing order and a
    client resuming with ``?after=`` never misses a row committed later with
    a smaller id.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGE_FEED_LOCK])
        events = [*_catalogue_events(), *_list_events(timezone.now())]
        if not events:
            return 0
        before = ChangeEvent.objects.count()
        ChangeEvent.objects.bulk_create(events, ignore_conflicts=True)
        return ChangeEvent.objects.count() - before


def change_events_after(
    after: int, limit: int, kinds: list[str] | None = None
) -> list[ChangeEvent]:
    """Feed rows with id greater than ``after``, oldest first (the change feed API)."""
    qs = ChangeEvent.objects.filter(id__gt=after)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return list(qs.order_by("id")[:limit])


# --- bulk list download --------------------------------------------------------------------


def list_resources() -> list[Resource]:
    """Public list resources (经营异常名录, 严重违法失信名单, …) offered for bulk download."""
    return list(
        Resource.objects.select_related("current_version")
        .filter(
            kind=ResourceKind.LIST_ENTRY,
            is_active=True,
            current_version__publicity_class=PublicityClass.PUBLIC,
        )
        .order_by("code")
    )


def _public_fields(version: ResourceVersion) -> list[FieldSpec]:
    return list(version.fields.filter(is_public=True).order_by("order", "pk"))


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> str:
    """A CSV cell that spreadsheets will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _public_list_records(resource: Resource, on: datetime.date) -> Iterator[Any]:
    """Every public record of a list resource on ``on``, from its store.

    A store may offer ``iter_public_records(resource_code, *, on)`` for bulk
    reading; otherwise its ``public_records(enterprise_id, *, on)`` is asked
    per listed entity (in chunks of ids).
    """
    try:
        store = registry.get_store(resource.kind, resource.code)
    except LookupError:
        return
    bulk = getattr(store, "iter_public_records", None)
    if callable(bulk):
        yield from bulk(resource.code, on=on)
        return
    if is_dated_list_store(store):
        # Entries in force on ``on`` only (removed ones stay on profiles, not in the list).
        entries = (
            public_list_entries(store, [resource.code])
            .filter(listed_on__lte=on)
            .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))
            .order_by("listed_on", "pk")
        )
        if "ground" in _field_names(store.model):
            entries = entries.select_related("ground")  # field_values reads the ground's code
        # Entries decided on the platform (a confirmed proposal, a listing form) carry
        # no delivered values for the subject: take them from the record base, under
        # the fields the catalogue declares for the subject's name and code.
        current = resource.current_version
        subject_fields = [
            (code, attribute)
            for code, attribute in (
                (current.subject_name_field, "subject_name"),
                (current.subject_uscc_field, "subject_uscc"),
            )
            if code
        ]
        for entry in entries.iterator(chunk_size=2000):
            values = store.field_values(entry)
            for code, attribute in subject_fields:
                if not values.get(code):
                    values[code] = getattr(entry, attribute, "")
            yield registry.PublicRecord(
                resource_code=entry.resource_code,
                resource_version=entry.resource_version,
                record_id=entry.pk,
                department_id=entry.department_id,
                decision_date=entry.listed_on,
                values=values,
                public_until=None,
            )
        return
    per_entity = getattr(store, "public_records", None)
    if not callable(per_entity):
        return
    ids = (
        store.model._default_manager.filter(resource_code=resource.code, enterprise__isnull=False)
        .values_list("enterprise_id", flat=True)
        .distinct()
        .order_by("enterprise_id")
    )
    for enterprise_id in ids.iterator(chunk_size=2000):
        for item in per_entity(enterprise_id, on=on):
            if item.resource_code == resource.code:
                yield item


def _enum_labels(spec: FieldSpec) -> dict[str, str]:
    """Code -> label of an enum field (empty for other fields)."""
    labels = getattr(spec, "_enum_labels", None)
    if labels is None:
        labels = {
            str(item["code"]): str(item.get("label") or item["code"])
            for item in (spec.enum_values or [])
            if isinstance(item, dict) and "code" in item
        }
        spec._enum_labels = labels  # type: ignore[attr-defined]
    return labels


def public_list_rows(resource: Resource, on: datetime.date | None = None) -> Iterator[list[str]]:
    """The CSV rows (header first) of a list resource: public fields only, masked, neutralised.

    Columns are the public fields of the current version, then the source
    department and the end of publicity. A record validated against an older
    version shows a field only if that version marks it public too, masked by
    that version's rule.
    """
    on = on or timezone.localdate()
    current = resource.current_version
    columns = _public_fields(current)
    yield [
        *(neutralise_cell(f.name) for f in columns),
        gettext("来源部门"),
        gettext("公示截止日期"),
    ]
    specs: dict[int, dict[str, FieldSpec]] = {current.number: {f.code: f for f in columns}}
    departments: dict[int, str] = {}
    for item in _public_list_records(resource, on):
        if item.resource_version not in specs:
            version = resource.versions.filter(
                number=item.resource_version,
                status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED],
            ).first()
            specs[item.resource_version] = (
                {f.code: f for f in _public_fields(version)} if version else {}
            )
        public = specs[item.resource_version]
        if item.department_id not in departments:
            departments[item.department_id] = (
                Department.objects.filter(pk=item.department_id)
                .values_list("name", flat=True)
                .first()
                or ""
            )
        row = []
        for column in columns:
            spec = public.get(column.code)
            value = item.values.get(column.code) if spec else None
            if spec and value is not None:
                # Enum codes as their catalogue labels, as the profile shows them.
                value = _enum_labels(spec).get(str(value), value)
            row.append(neutralise_cell(mask_value(value, spec.masking) if spec else ""))
        row.append(neutralise_cell(departments[item.department_id]))
        row.append(item.public_until.isoformat() if item.public_until else "")
        yield row


# --- portal API keys -----------------------------------------------------------------------


def hash_portal_key(key: str) -> str:
    """SHA-256 of a full portal key (256-bit random secrets need no salt or slow hash)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    """A new key row and the full key, which is shown once and never stored."""

    key: PortalApiKey
    secret: str


def issue_portal_key(
    *,
    name: str,
    owner: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    daily_quota: int,
    per_minute: int,
    actor: Any,
) -> IssuedKey:
    """Issue a public-API key to a heavy user; the secret is returned once, only its hash kept."""
    if daily_quota < 1 or per_minute < 1:
        raise DomainError(gettext("字段 daily_quota/per_minute：配额和限额必须为正整数。"))
    prefix = secrets.token_hex(4)
    secret = f"{PORTAL_KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        key = PortalApiKey.objects.create(
            name=name,
            owner=owner,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            prefix=prefix,
            key_hash=hash_portal_key(secret),
            daily_quota=daily_quota,
            per_minute=per_minute,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        record_event(
            "portal_key.issued",
            actor=actor,
            target=key,
            after=snapshot(
                key, ["name", "owner", "prefix", "daily_quota", "per_minute", "contact_name"]
            ),
        )
    return IssuedKey(key=key, secret=secret)


def revoke_portal_key(key: PortalApiKey, *, actor: Any) -> PortalApiKey:
    """Revoke a key at once (its next request answers 401); revoking twice changes nothing."""
    with transaction.atomic():
        locked = PortalApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor if getattr(actor, "pk", None) else None
        locked.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            "portal_key.revoked",
            actor=actor,
            target=locked,
            before={"revoked_at": None},
            after={"revoked_at": locked.revoked_at},
        )
    return locked
