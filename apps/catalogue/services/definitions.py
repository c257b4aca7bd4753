"""Plain definitions of versions and the field-by-field diff between two of them."""

from __future__ import annotations

import decimal
from typing import Any

from ..models import (
    FieldSpec,
    ResourceVersion,
)
from .common import FIELD_DIFF_KEYS, FIELD_KEYS, VERSION_KEYS

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
