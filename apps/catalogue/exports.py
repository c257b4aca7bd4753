"""Exports of a resource version: a JSON Schema for one row and an Excel template.

The JSON Schema (draft 2020-12) lets department systems check a row before
pushing it. It is generated from the same compiled rules as the validator
(:mod:`apps.catalogue.validation`): every text value must match the field's
acceptance expression, so for rows keyed by canonical codes the schema accepts
exactly what the validator accepts, except for check characters that no
regular expression can compute (USCC check character and ``check_identifier``'s
legacy allow-list, identity-number check digit). Those are listed under
``x-hainan-unexpressed`` so that integrators know the push API checks more.

Value types: text fields are JSON strings; integers and decimals are strings
(decimals should be strings so that no binary rounding happens) or JSON
integers; booleans are ``true``/``false`` or 是/否 strings; blank or ``null``
means "not given".

The Excel template has Chinese headers (the field code in each header's
comment), a notes sheet with every field's rules, drop-downs for code lists
and every column formatted as text so that Excel keeps codes such as USCCs,
leading zeros and dates exactly as typed.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .choices import FieldType, MaskingRule
from .validation import SCHEMA_GAPS, FieldRule, RowValidator, _lit, validator_for

__all__ = ["excel_template", "json_schema", "schema_for_validator"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
BLANK = r"^\s*$"
TEMPLATE_ROWS = 1000  # rows that carry the drop-downs; more rows may be added by copying


def _full(body: str) -> str:
    return r"^\s*(?:" + body + r")\s*$"


def _number_bounds(rule: FieldRule) -> dict[str, int]:
    """minimum/maximum for JSON integers, matching the rule's expression on str(int)."""
    _, _, int_digits = rule._number_parts()
    cap = None if int_digits is None else 10**int_digits - 1
    bounds: dict[str, int] = {}
    if rule.min_value is not None:
        bounds["minimum"] = int(rule.min_value)
    elif cap is not None:
        bounds["minimum"] = -cap
    highs = [
        h for h in (cap, None if rule.max_value is None else int(rule.max_value)) if h is not None
    ]
    if highs:
        bounds["maximum"] = min(highs)
    return bounds


def _property(rule: FieldRule, *, mandatory: bool) -> dict[str, Any]:
    types = ["string"]
    prop: dict[str, Any] = {"title": rule.name, "description": _describe(rule)}
    pattern = _full(rule.body)
    if not mandatory:
        pattern = BLANK + "|" + pattern
    prop["pattern"] = pattern
    if rule.data_type in (FieldType.INTEGER, FieldType.DECIMAL):
        types.append("integer")
        prop.update(_number_bounds(rule))
    if rule.data_type == FieldType.BOOLEAN:
        types.append("boolean")
    if not mandatory:
        types.append("null")
    prop["type"] = types
    if rule.max_length is not None:
        prop["x-max-length"] = rule.max_length
    if rule.enum_values:
        prop["x-codes"] = [
            {
                "code": item["code"],
                "label": item.get("label", ""),
                "aliases": item.get("aliases", []),
            }
            for item in rule.enum_values
        ]
    if rule.unit:
        prop["x-unit"] = rule.unit
    return prop


def _describe(rule: FieldRule) -> str:
    parts = [f"{rule.name}（{rule.name_en}）" if rule.name_en != rule.code else rule.name]
    if rule.max_length:
        parts.append(f"最多 {rule.max_length} 个字符")
    if rule.min_length:
        parts.append(f"至少 {rule.min_length} 个字符")
    if rule.data_type == FieldType.DECIMAL and rule.decimal_places is not None:
        parts.append(f"最多 {rule.decimal_places} 位小数")
    if rule.unit:
        parts.append(f"单位：{rule.unit}")
    if rule.enum_values:
        parts.append("代码值：" + "、".join(item["code"] for item in rule.enum_values))
    return "；".join(parts)


def _condition(validator: RowValidator, rule: FieldRule) -> dict[str, Any] | None:
    condition = rule.required_when
    other = validator.rules.get(condition.get("field", "")) if condition else None
    if other is None:
        return None
    wanted = [str(v) for v in condition.get("in", [])]
    if other.data_type == FieldType.ENUM:
        # Any spelling (code, label, alias) of the listed codes sets the condition.
        wanted_keys = set(wanted)
        names = []
        for item in other.enum_values:
            if item["code"] in wanted_keys:
                names += [item["code"], item.get("label") or item["code"], *item.get("aliases", [])]
        options = [_lit(name.strip(), nocase=True) for name in dict.fromkeys(names)]
    else:
        options = [_lit(value.strip(), nocase=True) for value in wanted]
    if not options:
        return None
    trigger = _full(r"(?!\s)(?:" + "|".join(options) + r")(?<!\s)")
    return {
        "if": {
            "properties": {other.code: {"type": "string", "pattern": trigger}},
            "required": [other.code],
        },
        "then": {
            "required": [rule.code],
            "properties": {
                rule.code: {
                    "not": {"anyOf": [{"type": "null"}, {"type": "string", "pattern": BLANK}]}
                }
            },
        },
    }


def schema_for_validator(validator: RowValidator, *, title: str = "", schema_id: str = "") -> dict:
    """The row schema of a compiled validator (used by :func:`json_schema` and the tests)."""
    properties = {}
    required = []
    conditions = []
    gaps: dict[str, str] = {}
    for code, rule in validator.rules.items():
        properties[code] = _property(rule, mandatory=rule.required)
        if rule.required:
            required.append(code)
        if rule.required_when and not rule.required:
            condition = _condition(validator, rule)
            if condition:
                conditions.append(condition)
        if rule.data_type in SCHEMA_GAPS:
            gaps[code] = SCHEMA_GAPS[rule.data_type]
    schema: dict[str, Any] = {"$schema": SCHEMA_DIALECT}
    if schema_id:
        schema["$id"] = schema_id
    if title:
        schema["title"] = title
    schema.update(
        {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
    )
    if conditions:
        schema["allOf"] = conditions
    if gaps:
        schema["x-hainan-unexpressed"] = gaps
    return schema


def json_schema(version: Any) -> dict:
    """JSON Schema (draft 2020-12) of one row of a resource version, keyed by canonical codes."""
    code = version.resource.code
    return schema_for_validator(
        validator_for(version),
        title=f"{code} {version.name} v{version.number}",
        schema_id=f"urn:hainan-credit:catalogue:{code}:v{version.number}",
    )


# ---------------------------------------------------------------------------
# Excel template.

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
PLAIN_FONT = Font(bold=True)


def _limits_text(spec: Any) -> str:
    parts = []
    if spec.max_length:
        parts.append(f"≤{spec.max_length} 字符")
    if spec.min_length:
        parts.append(f"≥{spec.min_length} 字符")
    if spec.max_digits:
        parts.append(f"共 {spec.max_digits} 位")
    if spec.decimal_places:
        parts.append(f"{spec.decimal_places} 位小数")
    if spec.min_value is not None:
        parts.append(f"最小 {spec.min_value.normalize():f}")
    if spec.max_value is not None:
        parts.append(f"最大 {spec.max_value.normalize():f}")
    if spec.pattern:
        parts.append(f"格式 {spec.pattern}")
    return "；".join(parts)


def _type_hint(spec: Any) -> str:
    hints = {
        FieldType.DATE: "日期，如 2017-06-19",
        FieldType.DATETIME: "日期时间，如 2017-06-19 08:30:00",
        FieldType.USCC: "18 位统一社会信用代码",
        FieldType.BOOLEAN: "是/否",
        FieldType.ENUM: "从下拉列表选择",
    }
    return hints.get(spec.data_type, FieldType(spec.data_type).label)


def excel_template(version: Any) -> bytes:
    """An .xlsx template for one resource version (data sheet, notes sheet, code lists)."""
    specs = list(version.fields.order_by("order", "pk"))
    book = Workbook()
    data = book.active
    data.title = "数据"
    notes = book.create_sheet("填报说明")
    codes = book.create_sheet("代码表")

    for column, spec in enumerate(specs, start=1):
        letter = get_column_letter(column)
        cell = data.cell(row=1, column=column, value=spec.name)
        cell.font = REQUIRED_FONT if spec.required else PLAIN_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = f"代码：{spec.code}\n{_type_hint(spec)}"
        if spec.required:
            note += "\n必填"
        if spec.unit:
            note += f"\n单位：{spec.unit}"
        cell.comment = Comment(note, "海南省企业信用信息平台")
        # Text format keeps codes, leading zeros and dates exactly as typed.
        data.column_dimensions[letter].number_format = "@"
        data.column_dimensions[letter].width = max(12, min(40, len(spec.name) * 2 + 4))

    enum_column = 0
    for column, spec in enumerate(specs, start=1):
        if spec.data_type != FieldType.ENUM or not spec.enum_values:
            continue
        enum_column += 1
        code_letter = get_column_letter(enum_column)
        codes.cell(row=1, column=enum_column, value=spec.code)
        for row, item in enumerate(spec.enum_values, start=2):
            codes.cell(row=row, column=enum_column, value=item.get("label") or item["code"])
        last = len(spec.enum_values) + 1
        validation = DataValidation(
            type="list",
            formula1=f"'代码表'!${code_letter}$2:${code_letter}${last}",
            allow_blank=not spec.required,
            showErrorMessage=True,
            errorTitle="代码值无效",
            error=f"请从下拉列表选择“{spec.name}”的取值。",
        )
        letter = get_column_letter(column)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        data.add_data_validation(validation)
    codes.sheet_state = "hidden"
    data.freeze_panes = "A2"

    headers = ["代码", "名称", "英文名称", "类型", "格式标注", "必填", "条件必填", "长度/精度/范围",
               "单位", "代码值", "公示", "遮蔽", "别名", "说明"]  # fmt: skip
    for column, header in enumerate(headers, start=1):
        cell = notes.cell(row=1, column=column, value=header)
        cell.font = PLAIN_FONT
        cell.fill = HEADER_FILL
    for row, spec in enumerate(specs, start=2):
        condition = ""
        if spec.required_when:
            values = "、".join(spec.required_when.get("in", []))
            condition = f"{spec.required_when.get('field')} 为 {values} 时必填"
        enum_text = "；".join(
            f"{item['code']} {item.get('label', '')}".strip() for item in spec.enum_values
        )
        values = [
            spec.code,
            spec.name,
            spec.name_en,
            FieldType(spec.data_type).label,
            spec.notation,
            "是" if spec.required else "否",
            condition,
            _limits_text(spec),
            spec.unit,
            enum_text,
            "是" if spec.is_public else "否",
            MaskingRule(spec.masking).label if spec.masking != MaskingRule.NONE else "",
            "、".join(spec.aliases),
            spec.description,
        ]
        for column, value in enumerate(values, start=1):
            notes.cell(row=row, column=column, value=str(value) if value is not None else "")
    for column, width in enumerate((18, 24, 28, 14, 12, 6, 24, 28, 8, 40, 6, 12, 24, 60), 1):
        notes.column_dimensions[get_column_letter(column)].width = width
    notes.freeze_panes = "A2"

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
