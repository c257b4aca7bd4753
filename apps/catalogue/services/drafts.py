"""Resources, drafts, field specs, suppliers and publication."""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from apps.core.audit import record_event, snapshot
from apps.core.choices import AuditEventType
from apps.core.exceptions import ConflictError, DomainError

from ..choices import FieldType, MaskingRule, ResourceKind, VersionStatus
from ..models import (
    CatalogueAnnouncement,
    FieldSpec,
    ObligedSupplier,
    Resource,
    ResourceVersion,
)
from .common import (
    FIELD_KEYS,
    VERSION_KEYS,
    _lock,
    _next_number,
    _require_catalogue_editor,
    _require_draft,
    _user,
    version_published,
)
from .definitions import diff_versions, field_definition, version_definition

# --- resources and drafts -----------------------------------------------------------------


def create_resource(
    *, code: str, kind: str, attributes: dict[str, Any], actor: Any
) -> ResourceVersion:
    """Create a resource with its first draft (v1) holding ``attributes``."""
    _require_catalogue_editor(actor)
    if kind not in ResourceKind.values:
        raise DomainError(gettext("未知的资源类别：%(kind)s") % {"kind": kind}, code="bad_kind")
    with transaction.atomic():
        if Resource.objects.filter(code=code).exists():
            raise ConflictError(
                gettext("资源代码 %(code)s 已存在。") % {"code": code}, code="duplicate_code"
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


def create_draft(resource: Resource, *, actor: Any) -> ResourceVersion:
    """Open a draft numbered last+1, copying the current published version (fields, suppliers).

    At most one draft exists per resource (also a database constraint).
    """
    _require_catalogue_editor(actor)
    with transaction.atomic():
        resource = _lock(resource)
        if resource.versions.filter(status=VersionStatus.DRAFT).exists():
            raise ConflictError(gettext("该资源已有草稿，请直接编辑草稿。"), code="draft_exists")
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
            gettext("不能修改的属性：%(keys)s") % {"keys": ", ".join(unknown)}, code="bad_key"
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
            gettext("未知的数据类型：%(type)s") % {"type": data["data_type"]}, code="bad_type"
        )
    if "masking" in data and data["masking"] not in MaskingRule.values:
        raise DomainError(
            gettext("未知的遮蔽规则：%(rule)s") % {"rule": data["masking"]}, code="bad_masking"
        )
    unknown = sorted(set(data) - set(FIELD_KEYS))
    if unknown:
        raise DomainError(
            gettext("未知的数据项属性：%(keys)s") % {"keys": ", ".join(unknown)}, code="bad_key"
        )


def add_field(version: ResourceVersion, data: dict[str, Any], *, actor: Any) -> FieldSpec:
    """Add a field spec to a draft; without ``order`` it goes last."""
    _require_catalogue_editor(actor)
    _check_field_data(data)
    with transaction.atomic():
        _require_draft(version)
        if version.fields.filter(code=data["code"]).exists():
            raise ConflictError(
                gettext("数据项代码 %(code)s 已存在。") % {"code": data["code"]},
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
                gettext("数据项代码 %(code)s 已存在。") % {"code": code}, code="duplicate_field"
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
            raise DomainError(gettext("排序必须恰好列出草稿的全部数据项。"), code="bad_order")
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
        summary = gettext("首次发布，共 %(n)s 个数据项。") % {"n": len(changes["fields_added"])}
    else:
        summary = gettext(
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
        summary += gettext("变更说明：%(note)s") % {"note": change_note}
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
            raise DomainError(gettext("草稿没有任何数据项，不能发布。"), code="empty_version")
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
            title=gettext("%(code)s %(name)s 第 %(number)s 版目录变更公告")
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
