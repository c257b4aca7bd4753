"""Catalogue import documents: checking, writing definitions, proposal documents."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from apps.core.audit import record_event
from apps.core.choices import AuditEventType
from apps.organizations.models import Department

from ..choices import VersionStatus
from ..importer import CatalogueImportError, ImportProblem, parse_catalogue
from ..models import (
    FieldSpec,
    ObligedSupplier,
    PublicityRegime,
    Resource,
    ResourceVersion,
)
from .common import FIELD_KEYS, REGIME_KEYS, VERSION_KEYS, _lock, _require_catalogue_editor, _user
from .definitions import _definition_of, _plain, field_definition, version_definition
from .drafts import create_draft, publish_version

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
                    message_zh=gettext("未知的部门代码：%(code)s") % {"code": code},
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
                    message_zh=gettext(
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
            change_note=definition.version.get("change_note") or gettext("按资源目录文件导入。"),
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
