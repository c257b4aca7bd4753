"""Every state change of the resource catalogue.

Each service runs in ``transaction.atomic()`` and writes its audit event in
the same transaction. Editing rights: only provincial administrators change
the catalogue (``Resource.scope_rule``); ``actor=None`` is the system (the
``load_catalogue`` command). Published versions are immutable: every draft
service refuses them with :class:`ConflictError`.
"""

from __future__ import annotations

import copy
import decimal
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _gettext

from apps.core.audit import record_event, snapshot
from apps.core.choices import AuditEventType
from apps.core.exceptions import ConflictError, DomainError
from apps.organizations.choices import Action, Role
from apps.organizations.models import Department
from apps.organizations.scoping import DEPARTMENT_ROLES, can, principal_role, scope_filter

from .choices import FieldType, MaskingRule, ProposalStatus, ResourceKind, VersionStatus
from .models import (
    CatalogueAnnouncement,
    FieldSpec,
    ObligedSupplier,
    PublicityRegime,
    Resource,
    ResourceLiaison,
    ResourceVersion,
    SupplementProposal,
)
from .selectors import department_supplies, obliged_departments, reference_version

# Sent on commit after a version is published (announcement ready); the hook
# point for notifying suppliers. Receivers get ``announcement`` (an instance).
version_published = Signal()

# Attributes of a version that define it (``change_note`` describes a change
# and is not part of the definition compared for idempotency and diffs).
VERSION_KEYS = (
    "name",
    "name_en",
    "description",
    "legal_basis",
    "update_frequency",
    "deadline_working_days",
    "publicity_class",
    "sharing_class",
    "business_key_fields",
    "decision_date_field",
    "subject_uscc_field",
    "subject_name_field",
)
FIELD_KEYS = (
    "code",
    "name",
    "name_en",
    "data_type",
    "required",
    "required_when",
    "max_length",
    "min_length",
    "max_digits",
    "decimal_places",
    "min_value",
    "max_value",
    "pattern",
    "enum_values",
    "unit",
    "is_public",
    "masking",
    "aliases",
    "notation",
    "description",
    "order",
)
# ``order`` moves whenever a field is inserted before it; the diff reports
# reordering once instead of one change per shifted field.
FIELD_DIFF_KEYS = tuple(k for k in FIELD_KEYS if k not in ("code", "order"))
REGIME_KEYS = (
    "name",
    "legal_basis",
    "valid_from",
    "valid_to",
    "category",
    "severity",
    "min_months",
    "max_months",
    "repair_after_months",
    "priority",
    "note",
)


# --- permission and state guards ------------------------------------------------------


def _require_catalogue_editor(actor: Any) -> None:
    """Only provincial administrators (or the system) change the catalogue."""
    if actor is None:
        return
    if scope_filter(Resource, actor, Action.CHANGE) is None:
        raise PermissionDenied(_gettext("只有省级管理员可以修改资源目录。"))


def _require_draft(version: ResourceVersion) -> None:
    stored = ResourceVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if stored != VersionStatus.DRAFT:
        raise ConflictError(
            _gettext("%(version)s 已发布，不能修改；请先创建新草稿。") % {"version": version},
            code="version_immutable",
        )


# --- plain values for diffs and comparisons ------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-ready, comparison-stable form of a field value (decimals without trailing zeros)."""
    if isinstance(value, decimal.Decimal):
        normalized = value.normalize()
        # normalize() turns 100 into 1E+2; keep plain notation.
        return format(normalized, "f")
    if isinstance(value, int | float) and not isinstance(value, bool) and value is not None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _field_value(key: str, value: Any) -> Any:
    """Clean ``value`` with the model field's own conversion, then make it plain."""
    model_field = FieldSpec._meta.get_field(key)
    if value is None:
        return None
    if key in ("min_value", "max_value"):
        return _plain(decimal.Decimal(str(value)))
    if key == "aliases" or key == "enum_values":
        return _plain(list(value))
    if key == "required_when":
        return _plain(value) or None
    return _plain(model_field.to_python(value))


def field_definition(data: dict[str, Any] | FieldSpec) -> dict[str, Any]:
    """The canonical dict of a field spec (a model row or FieldSpec-keyed dict)."""
    if isinstance(data, FieldSpec):
        return {key: _field_value(key, getattr(data, key)) for key in FIELD_KEYS}
    defaults = {f: FieldSpec._meta.get_field(f).get_default() for f in FIELD_KEYS}
    merged = {**defaults, **{k: v for k, v in data.items() if k in FIELD_KEYS}}
    for text_key in ("name_en", "pattern", "unit", "notation", "description"):
        merged[text_key] = merged[text_key] or ""
    return {key: _field_value(key, merged[key]) for key in FIELD_KEYS}


def _supplier_key(line: str, levels: list[str], department_code: str) -> tuple[str, tuple, str]:
    return (line or "", tuple(sorted(levels or [])), department_code or "")


def _supplier_label(key: tuple[str, tuple, str]) -> str:
    line, levels, department_code = key
    if department_code:
        return department_code
    return f"{line}（{'/'.join(levels)}）" if levels else line


def version_definition(version: ResourceVersion) -> dict[str, Any]:
    """What a version says, as plain data: attributes, ordered fields and suppliers."""
    return {
        "attributes": {key: _plain(getattr(version, key)) for key in VERSION_KEYS},
        # Order is compared as a sequence: imported (10, 20, …) and edited (0, 1, …)
        # numbering of the same sequence is the same definition.
        "fields": [
            {**field_definition(f), "order": position}
            for position, f in enumerate(
                sorted(version.fields.all(), key=lambda f: (f.order, f.pk))
            )
        ],
        "suppliers": sorted(
            _supplier_key(s.line, list(s.levels), s.department.code if s.department_id else "")
            for s in version.suppliers.select_related("department")
        ),
    }


def _definition_of(definition: Any) -> dict[str, Any]:
    """The same plain form as :func:`version_definition` for an importer ``ResourceDefinition``."""
    ordered = sorted(
        enumerate(definition.fields), key=lambda item: (item[1].get("order", item[0]), item[0])
    )
    fields = [
        field_definition({**spec, "order": position})
        for position, (_index, spec) in enumerate(ordered)
    ]
    attributes = {}
    for key in VERSION_KEYS:
        model_field = ResourceVersion._meta.get_field(key)
        value = definition.version.get(key, model_field.get_default())
        attributes[key] = _plain(value if value is not None else model_field.get_default())
    return {
        "attributes": attributes,
        "fields": fields,
        "suppliers": sorted(
            _supplier_key(s.get("line", ""), s.get("levels") or [], s.get("department_code", ""))
            for s in definition.suppliers
        ),
    }


# --- diff --------------------------------------------------------------------------------


def _label(model: type, key: str) -> str:
    return str(model._meta.get_field(key).verbose_name)


def diff_definitions(
    old: dict[str, Any] | None, new: dict[str, Any], *, from_number: int | None, to_number: int
) -> dict[str, Any]:
    """Structured diff of two plain definitions (see :func:`diff_versions`)."""
    old = old or {"attributes": {}, "fields": [], "suppliers": []}
    attributes = [
        {
            "name": key,
            "label": _label(ResourceVersion, key),
            "before": old["attributes"].get(key),
            "after": new["attributes"].get(key),
        }
        for key in VERSION_KEYS
        if old["attributes"] and old["attributes"].get(key) != new["attributes"].get(key)
    ]
    old_fields = {f["code"]: f for f in old["fields"]}
    new_fields = {f["code"]: f for f in new["fields"]}
    added = [
        {"code": f["code"], "name": f["name"], "spec": _without_order(f)}
        for f in new["fields"]
        if f["code"] not in old_fields
    ]
    removed = [
        {"code": f["code"], "name": f["name"], "spec": _without_order(f)}
        for f in old["fields"]
        if f["code"] not in new_fields
    ]
    changed = []
    for f in new["fields"]:
        before = old_fields.get(f["code"])
        if before is None:
            continue
        changes = [
            {
                "attribute": key,
                "label": _label(FieldSpec, key),
                "before": before.get(key),
                "after": f.get(key),
            }
            for key in FIELD_DIFF_KEYS
            if before.get(key) != f.get(key)
        ]
        if changes:
            changed.append({"code": f["code"], "name": f["name"], "changes": changes})
    common_old = [f["code"] for f in old["fields"] if f["code"] in new_fields]
    common_new = [f["code"] for f in new["fields"] if f["code"] in old_fields]
    old_suppliers = {tuple(s) if not isinstance(s, tuple) else s for s in old["suppliers"]}
    new_suppliers = {tuple(s) if not isinstance(s, tuple) else s for s in new["suppliers"]}
    return {
        "from_version": from_number,
        "to_version": to_number,
        "attributes": attributes,
        "fields_added": added,
        "fields_removed": removed,
        "fields_changed": changed,
        "order_changed": common_old != common_new,
        "suppliers_added": sorted(_supplier_label(s) for s in new_suppliers - old_suppliers)
        if old["attributes"]
        else sorted(_supplier_label(s) for s in new_suppliers),
        "suppliers_removed": sorted(_supplier_label(s) for s in old_suppliers - new_suppliers),
    }


def _without_order(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k != "order"}


def diff_versions(old: ResourceVersion | None, new: ResourceVersion) -> dict[str, Any]:
    """Field-by-field difference between two versions of one resource.

    Returns ``{"from_version", "to_version", "attributes": [{name, label,
    before, after}], "fields_added": [{code, name, spec}], "fields_removed":
    [...], "fields_changed": [{code, name, changes: [{attribute, label, before,
    after}]}], "order_changed", "suppliers_added", "suppliers_removed"}``.
    ``old=None`` (a first version) lists every field as added.
    """
    return diff_definitions(
        version_definition(old) if old is not None else None,
        version_definition(new),
        from_number=old.number if old is not None else None,
        to_number=new.number,
    )


def diff_is_empty(changes: dict[str, Any]) -> bool:
    """Whether a diff records no change at all."""
    return not any(
        changes.get(key)
        for key in (
            "attributes",
            "fields_added",
            "fields_removed",
            "fields_changed",
            "order_changed",
            "suppliers_added",
            "suppliers_removed",
        )
    )


# --- resources and drafts -----------------------------------------------------------------


def _next_number(resource: Resource) -> int:
    last = resource.versions.aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _lock(resource: Resource) -> Resource:
    """Lock the resource row: drafts and publications of one resource run one at a time."""
    return Resource.objects.select_for_update().get(pk=resource.pk)


def create_resource(
    *, code: str, kind: str, attributes: dict[str, Any], actor: Any
) -> ResourceVersion:
    """Create a resource with its first draft (v1) holding ``attributes``."""
    _require_catalogue_editor(actor)
    if kind not in ResourceKind.values:
        raise DomainError(_gettext("未知的资源类别：%(kind)s") % {"kind": kind}, code="bad_kind")
    with transaction.atomic():
        if Resource.objects.filter(code=code).exists():
            raise ConflictError(
                _gettext("资源代码 %(code)s 已存在。") % {"code": code}, code="duplicate_code"
            )
        resource = Resource.objects.create(code=code, kind=kind)
        version = ResourceVersion.objects.create(
            resource=resource,
            number=1,
            status=VersionStatus.DRAFT,
            created_by=_user(actor),
            **{k: v for k, v in attributes.items() if k in (*VERSION_KEYS, "change_note")},
        )
        record_event(
            AuditEventType.CATALOGUE_RESOURCE_CREATED,
            actor=actor,
            target=resource,
            after={"code": code, "kind": kind, **snapshot(version, list(VERSION_KEYS))},
        )
    return version


def _user(actor: Any) -> Any:
    """The user to store as author (token principals and the system store none)."""
    return actor if getattr(actor, "_meta", None) is not None and actor.pk else None


def create_draft(resource: Resource, *, actor: Any) -> ResourceVersion:
    """Open a draft numbered last+1, copying the current published version (fields, suppliers).

    At most one draft exists per resource (also a database constraint).
    """
    _require_catalogue_editor(actor)
    with transaction.atomic():
        resource = _lock(resource)
        if resource.versions.filter(status=VersionStatus.DRAFT).exists():
            raise ConflictError(_gettext("该资源已有草稿，请直接编辑草稿。"), code="draft_exists")
        source = resource.current_version
        attributes = (
            {key: copy.deepcopy(getattr(source, key)) for key in VERSION_KEYS}
            if source
            else {"name": resource.code}
        )
        draft = ResourceVersion.objects.create(
            resource=resource,
            number=_next_number(resource),
            status=VersionStatus.DRAFT,
            created_by=_user(actor),
            **attributes,
        )
        if source is not None:
            FieldSpec.objects.bulk_create(
                FieldSpec(
                    version=draft,
                    **{k: copy.deepcopy(getattr(f, k)) for k in FIELD_KEYS},
                )
                for f in source.fields.order_by("order", "pk")
            )
            ObligedSupplier.objects.bulk_create(
                ObligedSupplier(
                    version=draft,
                    line=s.line,
                    levels=list(s.levels),
                    department_id=s.department_id,
                )
                for s in source.suppliers.all()
            )
        record_event(
            AuditEventType.CATALOGUE_DRAFT_CREATED,
            actor=actor,
            target=draft,
            after={"number": draft.number, "copied_from": source.number if source else None},
        )
    return draft


def get_or_create_draft(resource: Resource, *, actor: Any) -> ResourceVersion:
    """The resource's draft, opening one from the published version when there is none."""
    existing = resource.versions.filter(status=VersionStatus.DRAFT).first()
    return existing if existing is not None else create_draft(resource, actor=actor)


def update_draft(
    version: ResourceVersion, changes: dict[str, Any], *, actor: Any
) -> ResourceVersion:
    """Change attributes of a draft (name, deadline, classes, key fields, change note …)."""
    _require_catalogue_editor(actor)
    allowed = (*VERSION_KEYS, "change_note")
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise DomainError(
            _gettext("不能修改的属性：%(keys)s") % {"keys": ", ".join(unknown)}, code="bad_key"
        )
    with transaction.atomic():
        _require_draft(version)
        before = snapshot(version, list(changes))
        for key, value in changes.items():
            setattr(version, key, value)
        version.full_clean(exclude=["resource", "created_by", "published_by"])
        version.save()
        record_event(
            AuditEventType.CATALOGUE_DRAFT_CHANGED,
            actor=actor,
            target=version,
            before=before,
            after=snapshot(version, list(changes)),
        )
    return version


def _check_field_data(data: dict[str, Any]) -> None:
    if "data_type" in data and data["data_type"] not in FieldType.values:
        raise DomainError(
            _gettext("未知的数据类型：%(type)s") % {"type": data["data_type"]}, code="bad_type"
        )
    if "masking" in data and data["masking"] not in MaskingRule.values:
        raise DomainError(
            _gettext("未知的遮蔽规则：%(rule)s") % {"rule": data["masking"]}, code="bad_masking"
        )
    unknown = sorted(set(data) - set(FIELD_KEYS))
    if unknown:
        raise DomainError(
            _gettext("未知的数据项属性：%(keys)s") % {"keys": ", ".join(unknown)}, code="bad_key"
        )


def add_field(version: ResourceVersion, data: dict[str, Any], *, actor: Any) -> FieldSpec:
    """Add a field spec to a draft; without ``order`` it goes last."""
    _require_catalogue_editor(actor)
    _check_field_data(data)
    with transaction.atomic():
        _require_draft(version)
        if version.fields.filter(code=data["code"]).exists():
            raise ConflictError(
                _gettext("数据项代码 %(code)s 已存在。") % {"code": data["code"]},
                code="duplicate_field",
            )
        if data.get("order") is None:
            last = version.fields.aggregate(last=Max("order"))["last"]
            data = {**data, "order": (last + 1) if last is not None else 0}
        spec = FieldSpec(version=version, **data)
        spec.full_clean(exclude=["version"])
        spec.save()
        record_event(
            AuditEventType.CATALOGUE_DRAFT_CHANGED,
            actor=actor,
            target=version,
            after={"field_added": field_definition(spec)},
        )
    return spec


def update_field(spec: FieldSpec, changes: dict[str, Any], *, actor: Any) -> FieldSpec:
    """Change a field spec of a draft (its code may change if still unique)."""
    _require_catalogue_editor(actor)
    _check_field_data(changes)
    with transaction.atomic():
        _require_draft(spec.version)
        code = changes.get("code", spec.code)
        if (
            code != spec.code
            and FieldSpec.objects.filter(version_id=spec.version_id, code=code).exists()
        ):
            raise ConflictError(
                _gettext("数据项代码 %(code)s 已存在。") % {"code": code}, code="duplicate_field"
            )
        before = field_definition(spec)
        for key, value in changes.items():
            setattr(spec, key, value)
        spec.full_clean(exclude=["version"])
        spec.save()
        after = field_definition(spec)
        changed = [k for k in FIELD_KEYS if before[k] != after[k]]
        record_event(
            AuditEventType.CATALOGUE_DRAFT_CHANGED,
            actor=actor,
            target=spec.version,
            before={"field": before["code"], **{k: before[k] for k in changed}},
            after={"field": after["code"], **{k: after[k] for k in changed}},
        )
    return spec


def remove_field(spec: FieldSpec, *, actor: Any) -> None:
    """Remove a field spec from a draft."""
    _require_catalogue_editor(actor)
    with transaction.atomic():
        _require_draft(spec.version)
        before = field_definition(spec)
        version = spec.version
        spec.delete()
        record_event(
            AuditEventType.CATALOGUE_DRAFT_CHANGED,
            actor=actor,
            target=version,
            before={"field_removed": before},
        )


def reorder_fields(version: ResourceVersion, codes: list[str], *, actor: Any) -> None:
    """Put a draft's fields in the order of ``codes`` (which must name every field once)."""
    _require_catalogue_editor(actor)
    with transaction.atomic():
        _require_draft(version)
        specs = {f.code: f for f in version.fields.all()}
        if sorted(codes) != sorted(specs):
            raise DomainError(_gettext("排序必须恰好列出草稿的全部数据项。"), code="bad_order")
        before = [f.code for f in sorted(specs.values(), key=lambda f: (f.order, f.pk))]
        for index, code in enumerate(codes):
            specs[code].order = index
        FieldSpec.objects.bulk_update(specs.values(), ["order"])
        record_event(
            AuditEventType.CATALOGUE_DRAFT_CHANGED,
            actor=actor,
            target=version,
            before={"order": before},
            after={"order": list(codes)},
        )


def set_suppliers(version: ResourceVersion, suppliers: list[dict[str, Any]], *, actor: Any) -> None:
    """Replace a draft's obliged suppliers: ``[{"line", "levels", "department"}]``."""
    _require_catalogue_editor(actor)
    with transaction.atomic():
        _require_draft(version)
        before = version_definition(version)["suppliers"]
        version.suppliers.all().delete()
        ObligedSupplier.objects.bulk_create(
            ObligedSupplier(
                version=version,
                line=s.get("line", "") or "",
                levels=list(s.get("levels") or []),
                department=s.get("department"),
            )
            for s in suppliers
        )
        record_event(
            AuditEventType.CATALOGUE_DRAFT_CHANGED,
            actor=actor,
            target=version,
            before={"suppliers": [list(k) for k in before]},
            after={"suppliers": [list(k) for k in version_definition(version)["suppliers"]]},
        )


# --- publication ---------------------------------------------------------------------------


def _announcement_summary(resource: Resource, changes: dict[str, Any], change_note: str) -> str:
    if changes["from_version"] is None:
        summary = _gettext("首次发布，共 %(n)s 个数据项。") % {"n": len(changes["fields_added"])}
    else:
        summary = _gettext(
            "相对第 %(old)s 版：新增数据项 %(added)s 个，删除 %(removed)s 个，修改 %(changed)s 个；"
            "资源属性变更 %(attrs)s 项。"
        ) % {
            "old": changes["from_version"],
            "added": len(changes["fields_added"]),
            "removed": len(changes["fields_removed"]),
            "changed": len(changes["fields_changed"]),
            "attrs": len(changes["attributes"]),
        }
    if change_note:
        summary += _gettext("变更说明：%(note)s") % {"note": change_note}
    return summary


def publish_version(
    draft: ResourceVersion, *, actor: Any, change_note: str = ""
) -> CatalogueAnnouncement:
    """Publish a draft: it becomes the current version and is immutable from now on.

    The previous published version becomes superseded (records validated
    against it keep pointing at it). A public announcement with the
    field-by-field diff is created; receivers of :data:`version_published`
    are told on commit.
    """
    _require_catalogue_editor(actor)
    with transaction.atomic():
        resource = _lock(draft.resource)
        _require_draft(draft)
        if not draft.fields.exists():
            raise DomainError(_gettext("草稿没有任何数据项，不能发布。"), code="empty_version")
        previous = resource.current_version
        changes = diff_versions(previous, draft)
        now = timezone.now()
        if previous is not None:
            # update() bypasses the immutability guard on purpose: superseding
            # is the one status move a published version may make.
            ResourceVersion.objects.filter(pk=previous.pk).update(
                status=VersionStatus.SUPERSEDED, updated_at=now
            )
        draft.status = VersionStatus.PUBLISHED
        draft.published_at = now
        draft.published_by = _user(actor)
        if change_note:
            draft.change_note = change_note
        draft.save()
        resource.current_version = draft
        resource.save(update_fields=["current_version", "updated_at"])
        announcement = CatalogueAnnouncement.objects.create(
            version=draft,
            title=_gettext("%(code)s %(name)s 第 %(number)s 版目录变更公告")
            % {"code": resource.code, "name": draft.name, "number": draft.number},
            summary=_announcement_summary(resource, changes, draft.change_note),
            changes=changes,
            published_at=now,
        )
        record_event(
            AuditEventType.CATALOGUE_PUBLISHED,
            actor=actor,
            target=draft,
            before={"current_version": previous.number if previous else None},
            after={"current_version": draft.number, "announcement": announcement.pk},
            message=draft.change_note,
        )
        transaction.on_commit(
            lambda: version_published.send(sender=CatalogueAnnouncement, announcement=announcement)
        )
    return announcement


# --- writing importer definitions ------------------------------------------------------------


def _department_ids(codes: set[str]) -> dict[str, int]:
    return dict(Department.objects.filter(code__in=codes).values_list("code", "pk"))


def _write_definition(
    draft: ResourceVersion, definition: Any, department_ids: dict[str, int]
) -> None:
    """Replace a draft's attributes, fields and suppliers by an importer definition."""
    for key in VERSION_KEYS:
        if key in definition.version:
            value = definition.version[key]
            model_field = ResourceVersion._meta.get_field(key)
            setattr(draft, key, value if value is not None else model_field.get_default())
    if definition.version.get("change_note"):
        draft.change_note = definition.version["change_note"]
    draft.save()
    draft.fields.all().delete()
    FieldSpec.objects.bulk_create(
        FieldSpec(
            version=draft,
            **{
                **{k: v for k, v in spec.items() if k in FIELD_KEYS},
                "order": spec.get("order", index),
            },
        )
        for index, spec in enumerate(definition.fields)
    )
    draft.suppliers.all().delete()
    ObligedSupplier.objects.bulk_create(
        ObligedSupplier(
            version=draft,
            line=s.get("line") or "",
            levels=list(s.get("levels") or []),
            department_id=department_ids.get(s.get("department_code") or ""),
        )
        for s in definition.suppliers
    )


def _upsert_regimes(resource: Resource, regimes: list[dict[str, Any]]) -> tuple[int, int]:
    """Create or update regimes keyed by (name, valid_from); existing others stay."""
    created = updated = 0
    for data in regimes:
        values = {k: data.get(k) for k in REGIME_KEYS if k in data}
        for text_key in ("category", "note", "legal_basis"):
            if text_key in values and values[text_key] is None:
                values[text_key] = ""
        existing = PublicityRegime.objects.filter(
            resource=resource, name=values["name"], valid_from=values["valid_from"]
        ).first()
        if existing is None:
            regime = PublicityRegime(resource=resource, **values)
            regime.full_clean(exclude=["resource"])
            regime.save()
            created += 1
            continue
        before = {k: _plain(getattr(existing, k)) for k in values}
        for key, value in values.items():
            setattr(existing, key, value)
        existing.full_clean(exclude=["resource"])
        if {k: _plain(getattr(existing, k)) for k in values} != before:
            existing.save()
            updated += 1
    return created, updated


@dataclass
class ImportSummary:
    """What :func:`import_catalogue` did (or, on a dry run, would do), by resource code."""

    created: list[str] = field(default_factory=list)
    drafted: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    regimes_created: int = 0
    regimes_updated: int = 0

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything."""
        return bool(
            self.created
            or self.drafted
            or self.published
            or self.regimes_created
            or self.regimes_updated
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "drafted": self.drafted,
            "published": self.published,
            "unchanged": self.unchanged,
            "regimes_created": self.regimes_created,
            "regimes_updated": self.regimes_updated,
        }


def _raw_department_codes(document: Any) -> list[tuple[str, str]]:
    """(path, code) of every supplier department named in a raw import document."""
    if isinstance(document, bytes | str):
        try:
            document = json.loads(document)
        except ValueError:
            return []
    found: list[tuple[str, str]] = []
    if not isinstance(document, dict) or not isinstance(document.get("resources"), list):
        return found
    for r_index, resource in enumerate(document["resources"]):
        if not isinstance(resource, dict) or not isinstance(resource.get("suppliers"), list):
            continue
        for s_index, supplier in enumerate(resource["suppliers"]):
            if isinstance(supplier, dict) and isinstance(supplier.get("department"), str):
                found.append(
                    (
                        f"resources[{r_index}].suppliers[{s_index}].department",
                        supplier["department"],
                    )
                )
    return found


def _check_document(document: Any) -> list[Any]:
    """Parse an import document and check its references; raise with every problem."""
    from .importer import CatalogueImportError, ImportProblem, parse_catalogue

    problems: list[Any] = []
    definitions: list[Any] = []
    try:
        definitions = parse_catalogue(document)
    except CatalogueImportError as exc:
        problems.extend(exc.problems)
    named = _raw_department_codes(document)
    known = _department_ids({code for _, code in named})
    for path, code in named:
        if code not in known:
            problems.append(
                ImportProblem(
                    path=path,
                    code="unknown_department",
                    message_zh=_gettext("未知的部门代码：%(code)s") % {"code": code},
                    message_en=f"Unknown department code: {code}",
                )
            )
    kinds = dict(
        Resource.objects.filter(code__in=[d.resource["code"] for d in definitions]).values_list(
            "code", "kind"
        )
    )
    for index, definition in enumerate(definitions):
        code, kind = definition.resource["code"], definition.resource["kind"]
        if code in kinds and kinds[code] != kind:
            problems.append(
                ImportProblem(
                    path=f"resources[{index}].kind",
                    code="kind_changed",
                    message_zh=_gettext(
                        "资源 %(code)s 的类别不能由 %(old)s 改为 %(new)s（记录已按类别入库）。"
                    )
                    % {"code": code, "old": kinds[code], "new": kind},
                    message_en=f"Resource {code}: kind cannot change from {kinds[code]} to {kind}",
                )
            )
    if problems:
        raise CatalogueImportError(problems)
    return definitions


def _apply_definition(
    definition: Any,
    *,
    actor: Any,
    publish: bool,
    department_ids: dict[str, int],
    summary: ImportSummary,
) -> None:
    """Bring one resource to ``definition``: unchanged, a new or updated draft, published."""
    code = definition.resource["code"]
    resource = Resource.objects.filter(code=code).first()
    wanted = _definition_of(definition)
    if resource is None:
        resource = Resource.objects.create(code=code, kind=definition.resource["kind"])
        draft = ResourceVersion.objects.create(
            resource=resource,
            number=1,
            status=VersionStatus.DRAFT,
            created_by=_user(actor),
            name=definition.version.get("name") or code,
        )
        _write_definition(draft, definition, department_ids)
        summary.created.append(code)
    else:
        resource = _lock(resource)
        draft = resource.versions.filter(status=VersionStatus.DRAFT).first()
        current = resource.current_version
        if draft is None and current is not None and version_definition(current) == wanted:
            summary.unchanged.append(code)
            draft = None
        elif draft is not None and version_definition(draft) == wanted:
            if not publish:
                summary.unchanged.append(code)
        else:
            if draft is None:
                draft = create_draft(resource, actor=actor)
            _write_definition(draft, definition, department_ids)
            summary.drafted.append(code)
    created, updated = _upsert_regimes(resource, definition.regimes)
    summary.regimes_created += created
    summary.regimes_updated += updated
    if publish and draft is not None:
        publish_version(
            draft,
            actor=actor,
            change_note=definition.version.get("change_note") or _gettext("按资源目录文件导入。"),
        )
        summary.published.append(code)


def import_catalogue(
    document: dict[str, Any] | bytes | str,
    *,
    actor: Any,
    publish: bool = False,
    dry_run: bool = False,
) -> ImportSummary:
    """Import a catalogue document (CATALOGUE.md format) in one transaction.

    Refused whole (``CatalogueImportError`` listing every problem, nothing
    written) when the parser finds problems, a supplier department code is
    unknown or a resource's kind would change. Idempotent: a resource whose
    published version (or draft) already says what the document says gets no
    new version. With ``publish`` the resulting drafts are published. With
    ``dry_run`` everything is computed and then rolled back.
    """
    _require_catalogue_editor(actor)
    definitions = _check_document(document)
    department_ids = _department_ids(
        {s["department_code"] for d in definitions for s in d.suppliers if s.get("department_code")}
    )
    summary = ImportSummary()
    with transaction.atomic():
        for definition in definitions:
            _apply_definition(
                definition,
                actor=actor,
                publish=publish,
                department_ids=department_ids,
                summary=summary,
            )
        if summary.changed:
            record_event(
                AuditEventType.CATALOGUE_IMPORTED,
                actor=actor,
                after={**summary.as_dict(), "publish": publish},
            )
        if dry_run:
            transaction.set_rollback(True)
    return summary


# --- supplements (目录补充) -------------------------------------------------------------------


def version_document(version: ResourceVersion) -> dict[str, Any]:
    """A version as one resource entry of the import format (the proposal payload's base)."""
    resource = version.resource
    entry: dict[str, Any] = {"code": resource.code, "kind": resource.kind}
    for key in VERSION_KEYS:
        entry[key] = _plain(getattr(version, key))
    entry["suppliers"] = [
        {"department": s.department.code}
        if s.department_id
        else {"line": s.line, "levels": list(s.levels)}
        for s in version.suppliers.select_related("department").order_by("line", "pk")
    ]
    entry["fields"] = [_field_document(f) for f in version.fields.order_by("order", "pk")]
    return entry


def _field_document(spec: FieldSpec) -> dict[str, Any]:
    """A field spec in the import format; empty limits are left out (the parser refuses
    limits that do not apply to the type, even empty ones such as ``enum: []``)."""
    data = field_definition(spec)
    renamed = {"data_type": "type", "is_public": "public", "enum_values": "enum"}
    document: dict[str, Any] = {}
    for key, value in data.items():
        if key == "order":
            continue
        if value is None or value == "" or value == []:
            continue
        document[renamed.get(key, key)] = value
    document.setdefault("required", False)
    document.setdefault("public", True)
    return document


def merged_proposal_document(resource: Resource | None, payload: dict[str, Any]) -> dict[str, Any]:
    """The full import entry a proposal stands for.

    A proposal for a new resource carries a whole entry. For an existing one,
    the payload's keys replace the current definition's; ``fields`` entries
    replace the field with the same code or are appended; ``remove_fields``
    lists codes to drop.
    """
    if resource is None:
        return dict(payload)
    base_version = (
        resource.versions.filter(status=VersionStatus.DRAFT).first() or resource.current_version
    )
    base = (
        version_document(base_version)
        if base_version
        else {
            "code": resource.code,
            "kind": resource.kind,
            "fields": [],
        }
    )
    merged = {**base}
    for key, value in payload.items():
        if key in ("fields", "remove_fields", "code", "kind"):
            continue
        merged[key] = value
    fields = {f["code"]: f for f in base.get("fields", [])}
    order = [f["code"] for f in base.get("fields", [])]
    for spec in payload.get("fields", []) or []:
        if isinstance(spec, dict) and spec.get("code"):
            if spec["code"] not in fields:
                order.append(spec["code"])
            fields[spec["code"]] = spec
    removed = set(payload.get("remove_fields", []) or [])
    merged["fields"] = [fields[code] for code in order if code not in removed]
    return merged


def _check_proposal_payload(resource: Resource | None, payload: dict[str, Any]) -> list[Any]:
    document = {
        "format": "hainan-catalogue/1",
        "resources": [merged_proposal_document(resource, payload)],
    }
    return _check_document(document)


def _may_propose_for(actor: Any, department: Department) -> bool:
    role = principal_role(actor)
    if role in DEPARTMENT_ROLES:
        return getattr(actor, "department_id", None) == department.pk
    if role in (Role.PROVINCE_ADMIN, Role.REGION_ADMIN):
        return can(actor, Action.CHANGE, department)
    return False


def submit_proposal(
    department: Department,
    *,
    resource: Resource | None,
    title: str,
    reason: str,
    payload: dict[str, Any],
    actor: Any,
) -> SupplementProposal:
    """A department (or a city/county administrator for one of its departments) proposes a change.

    Only for resources the department is obliged to supply, or a new resource.
    The payload must import cleanly (checked with the catalogue importer).
    """
    if not _may_propose_for(actor, department):
        raise PermissionDenied(_gettext("您不能以该部门名义提出目录补充建议。"))
    if resource is not None and not department_supplies(resource, department):
        raise PermissionDenied(
            _gettext("%(department)s 不是资源 %(code)s 的报送部门，不能对其提出补充建议。")
            % {"department": department, "code": resource.code}
        )
    if resource is None and Resource.objects.filter(code=payload.get("code")).exists():
        raise ConflictError(
            _gettext("资源代码 %(code)s 已存在，请针对该资源提出建议。")
            % {"code": payload.get("code")},
            code="duplicate_code",
        )
    if resource is None and not payload:
        raise DomainError(_gettext("提议新增资源必须给出完整的资源定义。"), code="payload_required")
    if payload:
        _check_proposal_payload(resource, payload)
    with transaction.atomic():
        proposal = SupplementProposal.objects.create(
            resource=resource,
            department=department,
            title=title,
            reason=reason,
            payload=payload,
            proposed_by=_user(actor),
        )
        record_event(
            AuditEventType.CATALOGUE_PROPOSAL_SUBMITTED,
            actor=actor,
            target=proposal,
            department_code=department.code,
            after={"title": title, "resource": resource.code if resource else None},
        )
    return proposal


def _lock_pending(proposal: SupplementProposal) -> SupplementProposal:
    locked = SupplementProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise ConflictError(_gettext("该建议已审核。"), code="already_decided")
    return locked


def approve_proposal(
    proposal: SupplementProposal, *, actor: Any, reason: str = ""
) -> SupplementProposal:
    """Approve a proposal and apply it to the resource's draft (opening one if needed).

    For a new resource, the resource is created with draft v1. Only provincial
    administrators decide. The proposal ends ``applied`` with ``applied_to``.
    """
    _require_catalogue_editor(actor)
    with transaction.atomic():
        proposal = _lock_pending(proposal)
        resource = proposal.resource
        if not proposal.payload and resource is not None:
            # A proposal in words only: open the draft for the administrator to edit.
            draft = get_or_create_draft(resource, actor=actor)
            return _decide(
                proposal, ProposalStatus.APPROVED, actor=actor, reason=reason, draft=draft
            )
        definitions = _check_proposal_payload(resource, proposal.payload)
        definition = definitions[0]
        department_ids = _department_ids(
            {s["department_code"] for s in definition.suppliers if s.get("department_code")}
        )
        if resource is None:
            if Resource.objects.filter(code=definition.resource["code"]).exists():
                raise ConflictError(
                    _gettext("资源代码 %(code)s 已存在。") % {"code": definition.resource["code"]},
                    code="duplicate_code",
                )
            resource = Resource.objects.create(
                code=definition.resource["code"], kind=definition.resource["kind"]
            )
            draft = ResourceVersion.objects.create(
                resource=resource,
                number=1,
                status=VersionStatus.DRAFT,
                created_by=_user(actor),
                name=definition.version.get("name") or resource.code,
            )
            proposal.resource = resource
        else:
            draft = get_or_create_draft(resource, actor=actor)
        _write_definition(draft, definition, department_ids)
        _upsert_regimes(resource, definition.regimes)
        return _decide(proposal, ProposalStatus.APPLIED, actor=actor, reason=reason, draft=draft)


def _decide(
    proposal: SupplementProposal,
    status: str,
    *,
    actor: Any,
    reason: str,
    draft: ResourceVersion | None = None,
) -> SupplementProposal:
    """Record the decision on a locked pending proposal, with its audit event."""
    proposal.status = status
    proposal.decided_by = _user(actor)
    proposal.decided_at = timezone.now()
    proposal.decision_reason = reason
    proposal.applied_to = draft
    proposal.save()
    record_event(
        AuditEventType.CATALOGUE_PROPOSAL_DECIDED,
        actor=actor,
        target=proposal,
        department_code=proposal.department.code,
        before={"status": ProposalStatus.PENDING},
        after={
            "status": status,
            "applied_to": draft.number if draft is not None else None,
            "reason": reason,
        },
    )
    return proposal


def reject_proposal(proposal: SupplementProposal, *, actor: Any, reason: str) -> SupplementProposal:
    """Reject a proposal; the reason is required and shown to the proposing department."""
    _require_catalogue_editor(actor)
    if not (reason or "").strip():
        raise DomainError(_gettext("驳回必须填写理由。"), code="reason_required")
    with transaction.atomic():
        proposal = _lock_pending(proposal)
        return _decide(proposal, ProposalStatus.REJECTED, actor=actor, reason=reason.strip())


# --- liaisons and regimes ------------------------------------------------------------------------


def set_resource_liaison(
    resource: Resource,
    department: Department,
    *,
    name: str,
    phone: str = "",
    email: str = "",
    actor: Any,
) -> ResourceLiaison:
    """Name (or change) an obliged department's liaison for one resource.

    The department's own staff and liaisons, and administrators whose scope
    includes the department, may do it; only for departments obliged to
    supply the resource.
    """
    if not _may_propose_for(actor, department):
        raise PermissionDenied(_gettext("您不能设置该部门的联络员。"))
    version = reference_version(resource)
    if version is None or not obliged_departments(version).filter(pk=department.pk).exists():
        raise DomainError(
            _gettext("%(department)s 不是资源 %(code)s 的报送部门。")
            % {"department": department, "code": resource.code},
            code="not_obliged",
        )
    with transaction.atomic():
        liaison = (
            ResourceLiaison.objects.select_for_update()
            .filter(resource=resource, department=department)
            .first()
        )
        before = snapshot(liaison, ["name", "phone", "email"]) if liaison else None
        if liaison is None:
            liaison = ResourceLiaison(resource=resource, department=department)
        liaison.name, liaison.phone, liaison.email = name, phone, email
        liaison.full_clean(exclude=["resource", "department"], validate_unique=False)
        liaison.save()
        record_event(
            AuditEventType.CATALOGUE_LIAISON_CHANGED,
            actor=actor,
            target=liaison,
            department_code=department.code,
            before=before,
            after=snapshot(liaison, ["name", "phone", "email"]),
        )
    return liaison


def _check_regime(regime: PublicityRegime) -> None:
    regime.full_clean(exclude=["resource"])
    if regime.valid_to is not None and regime.valid_to <= regime.valid_from:
        raise DomainError(_gettext("适用截止日必须晚于起始日。"), code="bad_dates")
    if regime.min_months > regime.max_months:
        raise DomainError(_gettext("最短公示期不能长于最长公示期。"), code="bad_period")


def add_regime(resource: Resource, data: dict[str, Any], *, actor: Any) -> PublicityRegime:
    """Add a dated publicity regime to a resource (province only; no code change needed)."""
    _require_catalogue_editor(actor)
    with transaction.atomic():
        regime = PublicityRegime(
            resource=resource, **{k: data[k] for k in data if k in REGIME_KEYS}
        )
        _check_regime(regime)
        regime.save()
        record_event(
            AuditEventType.CATALOGUE_REGIME_CHANGED,
            actor=actor,
            target=regime,
            after=snapshot(regime, list(REGIME_KEYS)),
        )
    return regime


def update_regime(
    regime: PublicityRegime, changes: dict[str, Any], *, actor: Any
) -> PublicityRegime:
    """Change a publicity regime (province only)."""
    _require_catalogue_editor(actor)
    keys = [k for k in changes if k in REGIME_KEYS]
    with transaction.atomic():
        before = snapshot(regime, keys)
        for key in keys:
            setattr(regime, key, changes[key])
        _check_regime(regime)
        regime.save()
        record_event(
            AuditEventType.CATALOGUE_REGIME_CHANGED,
            actor=actor,
            target=regime,
            before=before,
            after=snapshot(regime, keys),
        )
    return regime
