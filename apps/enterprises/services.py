"""State changes of the enterprise registry: register, update, rename.

Every function runs in ``transaction.atomic()`` and writes its audit row with
:func:`apps.core.audit.record_event` in the same transaction, with
``enterprise_uscc`` set so the enterprise's timeline is one indexed query.
A broken business rule raises :class:`~apps.core.exceptions.DomainError` (400)
or :class:`~apps.core.exceptions.ConflictError` (409).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.utils.translation import gettext as _

from apps.core.audit import diff, record_event, snapshot
from apps.core.choices import AuditEventType
from apps.core.exceptions import ConflictError, DomainError
from apps.core.text import search_document
from apps.core.uscc import check_identifier, load_allow_list
from apps.organizations.choices import Action, Role
from apps.organizations.models import Region
from apps.organizations.scoping import can, principal_role, region_subtree_ids

from .choices import UsccStatus
from .loader import LoadResult, copy_enterprises
from .models import Enterprise, EnterpriseNameHistory

# Fields an administrator may change through :func:`update_enterprise`. The
# USCC never changes once issued (GB 32100); the name changes only through
# :func:`rename_enterprise`, which keeps the history.
EDITABLE_FIELDS = (
    "registration_number",
    "entity_type",
    "legal_representative",
    "registered_capital",
    "capital_currency",
    "established_on",
    "approved_on",
    "business_term_to",
    "deregistered_on",
    "revoked_on",
    "status",
    "registration_authority",
    "region",
    "address",
    "business_scope",
    "industry_code",
)
# What the audit history keeps of an enterprise (search fields are derived).
AUDITED_FIELDS = [
    "uscc",
    "uscc_status",
    "organization_code",
    "name",
    "region_id",
    *(f for f in EDITABLE_FIELDS if f != "region"),
]


def _check_may_change(actor: Any, enterprise: Enterprise | None, region: Region | None) -> None:
    """Refuse (403) a change the actor's scope does not cover.

    ``actor=None`` is the system (commands, ingestion), which is not scoped.
    A city/county administrator may only place an enterprise in a region of
    their own subtree, so an edit can never move a row out of their reach.
    """
    if actor is None:
        return
    if enterprise is not None and not can(actor, Action.CHANGE, enterprise):
        raise PermissionDenied(_("只读权限：您可以查看但不能修改该市场主体。"))
    role = principal_role(actor)
    if role not in (Role.PROVINCE_ADMIN, Role.REGION_ADMIN):
        raise PermissionDenied(_("只有管理员可以登记或修改市场主体。"))
    if (
        role == Role.REGION_ADMIN
        and region is not None
        and region.pk not in region_subtree_ids(getattr(actor, "region_id", None))
    ):
        raise PermissionDenied(_("不能把市场主体登记到您管辖范围以外的区划。"))


def _reasons(result: Any) -> str:
    """The validator's error messages joined for a DomainError."""
    messages = []
    for error in getattr(result, "errors", ()) or ():
        message = getattr(error, "message", None)
        if message is None and isinstance(error, dict):
            message = error.get("message") or error.get("code")
        if message is None and isinstance(error, list | tuple) and error:
            message = error[-1]
        messages.append(str(message if message is not None else error))
    return "；".join(messages)


def check_enterprise_uscc(raw: str) -> tuple[str, str]:
    """Validate a USCC for the registry: (normalised code, ``UsccStatus``).

    Valid codes are stored as valid; legacy pilot codes (BRIEF.md 1.4) are
    accepted and flagged ``legacy`` for confirmation; anything else, including
    a registration number or organisation code given in its place, is refused
    with the validator's reasons.
    """
    result = check_identifier(raw, allow_list=load_allow_list())
    if result.kind != "uscc":
        raise DomainError(
            _("统一社会信用代码无效：应为18位统一社会信用代码，而不是注册号或组织机构代码。"),
            code="invalid_uscc",
        )
    if result.status == "invalid":
        raise DomainError(
            _("统一社会信用代码无效：%(reasons)s") % {"reasons": _reasons(result)},
            code="invalid_uscc",
        )
    status = UsccStatus.LEGACY if result.status == "legacy" else UsccStatus.VALID
    return result.normalized, status


def check_registration_number(raw: str) -> str:
    """Validate a 15-digit registration number (注册号); empty stays empty."""
    if not raw or not str(raw).strip():
        return ""
    result = check_identifier(raw)
    if result.kind != "registration_number" or result.status == "invalid":
        raise DomainError(
            _("注册号无效：%(reasons)s") % {"reasons": _reasons(result) or _("应为15位数字")},
            code="invalid_registration_number",
        )
    return result.normalized


def _refresh_search(enterprise: Enterprise, former_names: list[str] | None = None) -> None:
    """Recompute ``search_terms`` and ``search_vector`` from name, former names, representative.

    Former names stay searchable: a department often still files records
    under the name the entity had when the decision was taken.
    """
    if former_names is None:
        former_names = list(enterprise.name_history.values_list("name", flat=True))
    enterprise.search_terms = search_document(
        enterprise.name, *former_names, enterprise.legal_representative
    )
    Enterprise.objects.filter(pk=enterprise.pk).update(
        search_terms=enterprise.search_terms,
        # From the new value: a column reference would read the old row.
        search_vector=SearchVector(Value(enterprise.search_terms), config="simple"),
    )


def register_enterprise(data: dict[str, Any], *, actor: Any) -> Enterprise:
    """Register a market entity keyed by its USCC.

    Rules: the USCC must be valid or an accepted legacy code (stored with
    ``uscc_status=legacy``); the organisation code is positions 9-17 of the
    USCC; a registration number, if given, must pass its own check; a USCC
    already registered is a conflict (409).
    """
    data = dict(data)
    uscc, uscc_status = check_enterprise_uscc(str(data.pop("uscc", "") or ""))
    name = str(data.pop("name", "") or "").strip()
    if not name:
        raise DomainError(_("名称不能为空。"), code="name_required")
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("不能登记的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))},
            code="unknown_fields",
        )
    if data.get("region") is None:
        raise DomainError(_("所属区划不能为空。"), code="region_required")
    _check_may_change(actor, None, data["region"])
    data["registration_number"] = check_registration_number(data.get("registration_number", ""))
    enterprise = Enterprise(
        uscc=uscc,
        uscc_status=uscc_status,
        organization_code=uscc[8:17],
        name=name,
        **data,
    )
    try:
        with transaction.atomic():
            enterprise.save()
            _refresh_search(enterprise, former_names=[])
            record_event(
                AuditEventType.ENTERPRISE_CREATED,
                actor=actor,
                target=enterprise,
                after=snapshot(enterprise, AUDITED_FIELDS),
                enterprise_uscc=enterprise.uscc,
                message=(
                    _("早期试点代码，待与登记系统核实。")
                    if uscc_status == UsccStatus.LEGACY
                    else ""
                ),
            )
    except IntegrityError:
        if Enterprise.objects.filter(uscc=uscc).exists():
            raise ConflictError(
                _("统一社会信用代码 %(uscc)s 已登记。") % {"uscc": uscc}, code="uscc_exists"
            ) from None
        raise
    return enterprise


def update_enterprise(enterprise: Enterprise, changes: dict[str, Any], *, actor: Any) -> Enterprise:
    """Change registration fields of an enterprise, audited with a before/after diff.

    The USCC never changes; the name changes through :func:`rename_enterprise`.
    A change that alters nothing writes no audit row.
    """
    if "uscc" in changes and changes["uscc"] != enterprise.uscc:
        raise DomainError(_("统一社会信用代码一经赋予不再变更。"), code="uscc_immutable")
    if "name" in changes and changes["name"] != enterprise.name:
        raise DomainError(_("名称变更请使用“更名”操作，以保留曾用名。"), code="use_rename")
    changes = {k: v for k, v in changes.items() if k not in ("uscc", "name")}
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("不能修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))},
            code="unknown_fields",
        )
    if "region" in changes and changes["region"] is None:
        raise DomainError(_("所属区划不能为空。"), code="region_required")
    _check_may_change(actor, enterprise, changes.get("region"))
    if "registration_number" in changes:
        changes["registration_number"] = check_registration_number(changes["registration_number"])
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        before = snapshot(locked, AUDITED_FIELDS)
        for field_name, value in changes.items():
            setattr(locked, field_name, value)
        after = snapshot(locked, AUDITED_FIELDS)
        changed_before, changed_after = diff(before, after)
        if changed_after:
            locked.save()
            if "legal_representative" in changed_after:
                _refresh_search(locked)
            record_event(
                AuditEventType.ENTERPRISE_CHANGED,
                actor=actor,
                target=locked,
                before=changed_before,
                after=changed_after,
                enterprise_uscc=locked.uscc,
            )
    for field_name in changes:
        setattr(enterprise, field_name, getattr(locked, field_name))
    enterprise.updated_at = locked.updated_at
    enterprise.search_terms = locked.search_terms
    return enterprise


def rename_enterprise(
    enterprise: Enterprise, new_name: str, *, effective_on: datetime.date, actor: Any
) -> Enterprise:
    """Change an enterprise's name (名称变更), keeping the old name in its history.

    The old name is kept valid until the day before ``effective_on``; its
    start is the end of the previous history entry plus one day, or the
    establishment date. Search fields are refreshed so both names are found.
    """
    new_name = (new_name or "").strip()
    if not new_name:
        raise DomainError(_("新名称不能为空。"), code="name_required")
    _check_may_change(actor, enterprise, None)
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if new_name == locked.name:
            raise DomainError(_("新名称与现名称相同。"), code="name_unchanged")
        if locked.established_on and effective_on <= locked.established_on:
            raise DomainError(_("更名日期应晚于成立日期。"), code="effective_before_established")
        previous = locked.name_history.order_by("-valid_to", "-pk").first()
        # The previous rename took effect the day after its entry's valid_to.
        if previous is not None and effective_on <= previous.valid_to + datetime.timedelta(days=1):
            raise DomainError(_("更名日期应晚于上一次更名日期。"), code="effective_out_of_order")
        valid_from = (
            previous.valid_to + datetime.timedelta(days=1)
            if previous is not None
            else locked.established_on
        )
        history = EnterpriseNameHistory.objects.create(
            enterprise=locked,
            name=locked.name,
            valid_from=valid_from,
            valid_to=effective_on - datetime.timedelta(days=1),
        )
        old_name = locked.name
        locked.name = new_name
        locked.save(update_fields=["name", "updated_at"])
        _refresh_search(locked)
        record_event(
            AuditEventType.ENTERPRISE_RENAMED,
            actor=actor,
            target=locked,
            before={"name": old_name},
            after={"name": new_name, "effective_on": effective_on, "history_id": history.pk},
            enterprise_uscc=locked.uscc,
        )
    enterprise.name = locked.name
    enterprise.search_terms = locked.search_terms
    enterprise.updated_at = locked.updated_at
    return enterprise


def bulk_load_enterprises(
    rows: Iterable[tuple],
    *,
    actor: Any,
    batch_size: int = 20_000,
    description: str = "",
    progress: Callable[[LoadResult], None] | None = None,
) -> LoadResult:
    """Load many generated or exchanged registry rows with COPY, audited as one event.

    Rows are tuples in :data:`apps.enterprises.loader.COLUMNS` order with valid
    USCCs (the caller vouches for them: the demo generator builds them with
    their check characters). A USCC already registered is skipped. The whole
    load is one transaction, so the ``enterprise.bulk_loaded`` event and the
    rows commit together; a failure leaves the registry unchanged.
    """
    with transaction.atomic():
        result = copy_enterprises(rows, batch_size=batch_size, progress=progress)
        record_event(
            AuditEventType.ENTERPRISES_BULK_LOADED,
            actor=actor,
            after={
                "offered": result.offered,
                "inserted": result.inserted,
                "skipped": result.skipped,
                "seconds": round(result.seconds, 3),
            },
            message=description,
        )
    return result
