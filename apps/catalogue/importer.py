"""Read a catalogue import document (format ``hainan-catalogue/1``) into plain definitions.

:func:`parse_catalogue` is a pure function: it checks the whole document and
either returns one :class:`ResourceDefinition` per resource, shaped exactly as
the catalogue models' fields, or raises :class:`CatalogueImportError` listing
*every* problem found, each with a path such as ``resources[2].fields[5].type``.
The services write nothing when it raises, so a catalogue is never
half-imported. The document format is described in docs/catalogue-format.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from apps.organizations.choices import DepartmentLevel

from .choices import (
    FieldType,
    MaskingRule,
    PublicityClass,
    ResourceKind,
    Severity,
    SharingClass,
    UpdateFrequency,
)
from .notation import NotationError, parse_notation

__all__ = [
    "FORMAT",
    "CatalogueImportError",
    "ImportProblem",
    "ResourceDefinition",
    "field_key",
    "parse_catalogue",
]

FORMAT = "hainan-catalogue/1"

RESOURCE_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,31}")
FIELD_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
LINE_CODE = re.compile(r"[A-Z]{1,16}")

# Types whose values are text and may carry a C..n notation and a pattern.
TEXT_TYPES = frozenset(
    {
        FieldType.STRING,
        FieldType.TEXT,
        FieldType.ENUM,
        FieldType.USCC,
        FieldType.IDENTIFIER,
        FieldType.ID_NUMBER,
        FieldType.PHONE,
        FieldType.EMAIL,
        FieldType.REGION_CODE,
    }
)
NUMBER_TYPES = frozenset({FieldType.INTEGER, FieldType.DECIMAL})
SUBJECT_ID_TYPES = frozenset({FieldType.USCC, FieldType.IDENTIFIER})
DATE_TYPES = frozenset({FieldType.DATE, FieldType.DATETIME})

RESOURCE_KEYS = {
    "code",
    "kind",
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
    "change_note",
    "suppliers",
    "regimes",
    "fields",
}
FIELD_KEYS = {
    "code",
    "name",
    "name_en",
    "notation",
    "type",
    "required",
    "required_when",
    "public",
    "masking",
    "unit",
    "max_length",
    "min_length",
    "max_digits",
    "decimal_places",
    "min_value",
    "max_value",
    "pattern",
    "enum",
    "aliases",
    "description",
}
REGIME_KEYS = {
    "line",
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
}
ENUM_KEYS = {"code", "label", "label_en", "aliases"}


def field_key(name: str) -> str:
    """The matching key of a field code, alias or header: width-, case- and space-insensitive."""
    folded = unicodedata.normalize("NFKC", str(name)).casefold()
    return "".join(folded.split())


@dataclass(frozen=True)
class ImportProblem:
    """One problem of an import document: where, what (code) and why in both languages."""

    path: str
    code: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        """Plain form for API responses and logs."""
        return {
            "path": self.path,
            "code": self.code,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


class CatalogueImportError(Exception):
    """The document was refused whole; ``problems`` lists every reason."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s): " + "; ".join(f"{p.path}: {p.code}" for p in problems[:5])
        )


@dataclass
class ResourceDefinition:
    """One resource of a document, shaped as the models' fields (see CATALOGUE.md)."""

    resource: dict[str, Any]
    version: dict[str, Any]
    fields: list[dict[str, Any]] = field(default_factory=list)
    suppliers: list[dict[str, Any]] = field(default_factory=list)
    regimes: list[dict[str, Any]] = field(default_factory=list)


class _Collector:
    """Collects problems while the parser walks the document."""

    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []

    def add(self, path: str, code: str, zh: str, en: str) -> None:
        self.problems.append(ImportProblem(path, code, zh, en))

    def missing(self, path: str, key: str) -> None:
        self.add(
            f"{path}.{key}", "required", f"缺少必填项“{key}”。", f"Required key '{key}' is missing."
        )

    def choice(self, path: str, value: Any, choices: type, what_zh: str, what_en: str) -> None:
        allowed = ", ".join(choices.values)
        self.add(
            path,
            "unknown_value",
            f"未知的{what_zh}“{value}”，可选值：{allowed}。",
            f"Unknown {what_en} '{value}'; allowed: {allowed}.",
        )

    def wrong_type(self, path: str, expected_zh: str, expected_en: str) -> None:
        self.add(path, "wrong_type", f"应为{expected_zh}。", f"Must be {expected_en}.")

    def unknown_keys(self, path: str, data: dict, allowed: set[str]) -> None:
        for key in sorted(set(data) - allowed, key=str):
            self.add(
                f"{path}.{key}",
                "unknown_key",
                f"未知的键“{key}”（是否拼写错误？）。",
                f"Unknown key '{key}' (a typo?).",
            )


def _load(document: dict | bytes | str, out: _Collector) -> dict | None:
    if isinstance(document, bytes | bytearray):
        try:
            document = document.decode("utf-8-sig")
        except UnicodeDecodeError:
            out.add("$", "not_utf8", "文档不是 UTF-8 编码。", "The document is not UTF-8 encoded.")
            return None
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as exc:
            out.add(
                "$",
                "not_json",
                f"文档不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）。",
                f"The document is not valid JSON (line {exc.lineno}, column {exc.colno}).",
            )
            return None
    if not isinstance(document, dict):
        out.wrong_type("$", "JSON 对象", "a JSON object")
        return None
    return document


def _text(
    data: dict,
    key: str,
    path: str,
    out: _Collector,
    *,
    required: bool = False,
    max_length: int | None = None,
) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            out.missing(path, key)
        return ""
    if not isinstance(value, str):
        out.wrong_type(f"{path}.{key}", "文本", "text")
        return ""
    value = value.strip()
    if max_length is not None and len(value) > max_length:
        out.add(
            f"{path}.{key}",
            "too_long",
            f"不能超过 {max_length} 个字符。",
            f"Must be at most {max_length} characters.",
        )
    return value


def _bool(data: dict, key: str, path: str, out: _Collector, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        out.wrong_type(f"{path}.{key}", "true 或 false", "true or false")
        return default
    return value


def _int(
    data: dict, key: str, path: str, out: _Collector, *, minimum: int = 0, maximum: int = 32767
) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        out.wrong_type(
            f"{path}.{key}",
            f"{minimum} 到 {maximum} 之间的整数",
            f"a whole number from {minimum} to {maximum}",
        )
        return None
    return value


def _bound(data: dict, key: str, path: str, out: _Collector) -> Decimal | None:
    value = data.get(key)
    if value is None:
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidOperation
        number = Decimal(str(value))
    except InvalidOperation:
        out.wrong_type(f"{path}.{key}", "数值", "a number")
        return None
    # The JSON Schema export writes bounds into patterns for numbers sent as text;
    # whole, non-negative bounds are what the catalogue needs (amounts, counts).
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        out.add(
            f"{path}.{key}",
            "bound_unsupported",
            "取值范围须为非负整数（如金额下限 0）；负数下限请留空。",
            "Bounds must be whole non-negative numbers (e.g. 0 for amounts); leave a "
            "negative lower bound empty.",
        )
        return None
    if number >= Decimal(10) ** 24:
        out.add(f"{path}.{key}", "bound_unsupported", "取值范围过大。", "The bound is too large.")
        return None
    return number


def _date(data: dict, key: str, path: str, out: _Collector, *, required: bool) -> dt.date | None:
    value = data.get(key)
    if value is None:
        if required:
            out.missing(path, key)
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
        except ValueError:
            pass
    out.add(
        f"{path}.{key}",
        "bad_date",
        f"日期“{value}”无效，应为 YYYY-MM-DD 格式的真实日期。",
        f"Invalid date '{value}'; expected a real date as YYYY-MM-DD.",
    )
    return None


def _string_list(data: dict, key: str, path: str, out: _Collector) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        out.wrong_type(f"{path}.{key}", "非空文本的列表", "a list of non-empty texts")
        return []
    return [v.strip() for v in value]


def _parse_enum(items: Any, path: str, out: _Collector) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        out.wrong_type(path, "代码值列表", "a list of code values")
        return []
    result: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        if isinstance(item, str):
            item = {"code": item}
        if not isinstance(item, dict):
            out.wrong_type(item_path, "代码值对象", "a code value object")
            continue
        out.unknown_keys(item_path, item, ENUM_KEYS)
        code = _text(item, "code", item_path, out, required=True, max_length=64)
        label = _text(item, "label", item_path, out, max_length=128) or code
        label_en = _text(item, "label_en", item_path, out, max_length=160)
        aliases = _string_list(item, "aliases", item_path, out)
        if not code:
            continue
        for name in dict.fromkeys([code, label, *aliases]):
            key = field_key(name)
            if key in seen and seen[key] != code:
                out.add(
                    item_path,
                    "duplicate_enum_value",
                    f"代码值“{name}”与代码“{seen[key]}”冲突。",
                    f"Code value '{name}' clashes with code '{seen[key]}'.",
                )
            seen.setdefault(key, code)
        result.append({"code": code, "label": label, "label_en": label_en, "aliases": aliases})
    return result


def _parse_field(data: Any, path: str, index: int, out: _Collector) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        out.wrong_type(path, "数据项对象", "a field object")
        return None
    out.unknown_keys(path, data, FIELD_KEYS)
    code = _text(data, "code", path, out, required=True)
    if code and not FIELD_CODE.fullmatch(code):
        out.add(
            f"{path}.code",
            "bad_code",
            f"数据项代码“{code}”只能由大写字母、数字和下划线组成，以字母开头，至多 64 位。",
            f"Field code '{code}' must be capital letters, digits and underscores, starting "
            "with a letter, at most 64 characters.",
        )
    name = _text(data, "name", path, out, required=True, max_length=128)
    explicit_type = data.get("type")
    notation_raw = data.get("notation")
    notation = None
    if notation_raw is not None:
        if not isinstance(notation_raw, str):
            out.wrong_type(f"{path}.notation", "文本", "text")
        else:
            try:
                notation = parse_notation(notation_raw)
            except NotationError as exc:
                out.add(f"{path}.notation", exc.code, exc.message_zh, exc.message_en)
    data_type: str | None = None
    if explicit_type is not None:
        if explicit_type not in FieldType.values:
            out.choice(f"{path}.type", explicit_type, FieldType, "数据类型", "field type")
        else:
            data_type = explicit_type
    elif notation is not None:
        data_type = notation.data_type
    elif notation_raw is None:
        out.add(
            f"{path}.type",
            "required",
            "必须给出数据类型（type）或格式标注（notation）。",
            "Either a type or a notation is required.",
        )

    limits = {
        "max_length": _int(data, "max_length", path, out, minimum=1, maximum=100_000),
        "min_length": _int(data, "min_length", path, out, minimum=0, maximum=100_000),
        "max_digits": _int(data, "max_digits", path, out, minimum=1, maximum=30),
        "decimal_places": _int(data, "decimal_places", path, out, minimum=0, maximum=29),
    }
    if notation is not None and data_type is not None:
        compatible = data_type == notation.data_type or (
            notation.data_type == FieldType.STRING and data_type in TEXT_TYPES
        )
        if not compatible:
            out.add(
                f"{path}.type",
                "notation_conflict",
                f"数据类型“{data_type}”与格式标注“{notation.raw}”（{notation.data_type}）矛盾。",
                f"Type '{data_type}' contradicts notation '{notation.raw}' ({notation.data_type}).",
            )
        for key, implied in notation.limits().items():
            given = limits[key]
            if given is not None and implied is not None and given != implied:
                out.add(
                    f"{path}.{key}",
                    "notation_conflict",
                    f"{key}={given} 与格式标注“{notation.raw}”（{implied}）矛盾。",
                    f"{key}={given} contradicts notation '{notation.raw}' ({implied}).",
                )
            elif given is None and implied is not None:
                limits[key] = implied

    if data_type is not None:
        if data_type not in TEXT_TYPES:
            for key in ("max_length", "min_length"):
                if data.get(key) is not None:
                    out.add(
                        f"{path}.{key}",
                        "not_applicable",
                        f"{data_type} 类型的数据项不能设置 {key}。",
                        f"{key} does not apply to a {data_type} field.",
                    )
                limits[key] = None
        if data_type not in NUMBER_TYPES:
            for key in ("max_digits", "decimal_places"):
                if data.get(key) is not None:
                    out.add(
                        f"{path}.{key}",
                        "not_applicable",
                        f"{data_type} 类型的数据项不能设置 {key}。",
                        f"{key} does not apply to a {data_type} field.",
                    )
                limits[key] = None
        if data_type == FieldType.INTEGER and limits["decimal_places"]:
            out.add(
                f"{path}.decimal_places",
                "not_applicable",
                "整数不能有小数位。",
                "An integer has no decimal places.",
            )
            limits["decimal_places"] = None
        if (
            data_type == FieldType.DECIMAL
            and limits["max_digits"] is not None
            and limits["decimal_places"] is not None
            and limits["decimal_places"] >= limits["max_digits"]
        ):
            out.add(
                f"{path}.decimal_places",
                "min_max",
                "小数位数必须小于总位数。",
                "Decimal places must be fewer than the digits.",
            )
    if (
        limits["min_length"] is not None
        and limits["max_length"] is not None
        and limits["min_length"] > limits["max_length"]
    ):
        out.add(
            f"{path}.min_length",
            "min_max",
            "最小长度大于最大长度。",
            "The minimum length exceeds the maximum length.",
        )

    min_value = _bound(data, "min_value", path, out)
    max_value = _bound(data, "max_value", path, out)
    if (min_value is not None or max_value is not None) and data_type not in NUMBER_TYPES:
        out.add(
            f"{path}.min_value",
            "not_applicable",
            "只有整数和小数可以设置取值范围。",
            "Only integer and decimal fields take value bounds.",
        )
    if min_value is not None and max_value is not None and min_value > max_value:
        out.add(
            f"{path}.min_value",
            "min_max",
            "最小值大于最大值。",
            "The minimum value exceeds the maximum value.",
        )

    pattern = _text(data, "pattern", path, out, max_length=255)
    if pattern:
        if data_type not in (FieldType.STRING, FieldType.TEXT):
            out.add(
                f"{path}.pattern",
                "not_applicable",
                "只有字符串和长文本可以设置正则表达式。",
                "Only string and text fields take a pattern.",
            )
        try:
            re.compile(pattern)
            # Patterns are embedded in the JSON Schema; inline global flags cannot be.
            if re.search(r"\(\?[aiLmsux]+\)", pattern):
                raise re.error("inline flags")
        except re.error:
            out.add(
                f"{path}.pattern",
                "bad_pattern",
                f"正则表达式“{pattern}”无效（不支持全局内联标志）。",
                f"Invalid regular expression '{pattern}' (inline global flags are not supported).",
            )

    enum_values: list[dict[str, Any]] = []
    if "enum" in data:
        enum_values = _parse_enum(data["enum"], f"{path}.enum", out)
        if data_type is not None and data_type != FieldType.ENUM:
            out.add(
                f"{path}.enum",
                "not_applicable",
                "只有代码（枚举）类型可以设置代码值。",
                "Only enum fields take code values.",
            )
    if data_type == FieldType.ENUM and not enum_values:
        out.add(
            f"{path}.enum",
            "enum_empty",
            "代码（枚举）类型的数据项必须列出代码值。",
            "An enum field must list its code values.",
        )

    masking = data.get("masking", MaskingRule.NONE)
    if masking not in MaskingRule.values:
        out.choice(f"{path}.masking", masking, MaskingRule, "遮蔽规则", "masking rule")
        masking = MaskingRule.NONE

    required_when = data.get("required_when")
    if required_when is not None:
        valid = (
            isinstance(required_when, dict)
            and set(required_when) == {"field", "in"}
            and isinstance(required_when["field"], str)
            and isinstance(required_when["in"], list)
            and required_when["in"]
            and all(isinstance(v, str) for v in required_when["in"])
        )
        if not valid:
            out.add(
                f"{path}.required_when",
                "bad_required_when",
                '条件必填应为 {"field": 数据项代码, "in": [取值, ...]}。',
                'required_when must be {"field": field code, "in": [value, ...]}.',
            )
            required_when = None

    return {
        "code": code,
        "name": name,
        "name_en": _text(data, "name_en", path, out, max_length=160),
        "data_type": data_type or "",
        "required": _bool(data, "required", path, out, False),
        "required_when": required_when,
        **limits,
        "min_value": min_value,
        "max_value": max_value,
        "pattern": pattern,
        "enum_values": enum_values,
        "unit": _text(data, "unit", path, out, max_length=16),
        "is_public": _bool(data, "public", path, out, True),
        "masking": masking,
        "aliases": _string_list(data, "aliases", path, out),
        "notation": notation_raw.strip() if isinstance(notation_raw, str) else "",
        "description": _text(data, "description", path, out),
        "order": (index + 1) * 10,
    }


def _check_field_names(fields: list[dict[str, Any]], path: str, out: _Collector) -> None:
    """Codes, aliases and Chinese names must identify one field each (headers map onto them)."""
    owners: dict[str, tuple[int, str]] = {}
    for index, spec in enumerate(fields):
        names = [("code", spec["code"]), ("name", spec["name"])]
        names += [(f"aliases[{i}]", alias) for i, alias in enumerate(spec["aliases"])]
        for where, name in names:
            if not name:
                continue
            key = field_key(name)
            owner = owners.setdefault(key, (index, where))
            if owner[0] == index:
                continue
            other = fields[owner[0]]["code"]
            if where == "code" and owner[1] == "code":
                out.add(
                    f"{path}[{index}].code",
                    "duplicate_field",
                    f"数据项代码“{name}”与 fields[{owner[0]}] 重复。",
                    f"Field code '{name}' repeats fields[{owner[0]}].",
                )
            else:
                out.add(
                    f"{path}[{index}].{where}",
                    "alias_clash",
                    f"“{name}”已用于数据项“{other}”（不区分大小写、全半角和空格）。",
                    f"'{name}' already names field '{other}' (ignoring case, width and spaces).",
                )


def _check_references(
    fields: list[dict[str, Any]], version: dict[str, Any], path: str, out: _Collector
) -> None:
    by_code = {spec["code"]: spec for spec in fields if spec["code"]}

    def refer(key: str, value: str, types: frozenset[str] | None, what_zh: str) -> None:
        if not value:
            return
        spec = by_code.get(value)
        if spec is None:
            out.add(
                f"{path}.{key}",
                "unknown_field",
                f"{what_zh}“{value}”不是本资源的数据项。",
                f"{key} '{value}' names no field of this resource.",
            )
        elif types is not None and spec["data_type"] and spec["data_type"] not in types:
            out.add(
                f"{path}.{key}",
                "wrong_field_type",
                f"{what_zh}“{value}”的类型应为 {'/'.join(sorted(types))}。",
                f"{key} '{value}' must be of type {'/'.join(sorted(types))}.",
            )

    for position, code in enumerate(version["business_key_fields"]):
        if code not in by_code:
            out.add(
                f"{path}.business_key_fields[{position}]",
                "unknown_field",
                f"业务主键字段“{code}”不是本资源的数据项。",
                f"Business key field '{code}' names no field of this resource.",
            )
    refer("decision_date_field", version["decision_date_field"], DATE_TYPES, "决定日期字段")
    refer("subject_uscc_field", version["subject_uscc_field"], SUBJECT_ID_TYPES, "相对人代码字段")
    refer("subject_name_field", version["subject_name_field"], None, "相对人名称字段")

    for index, spec in enumerate(fields):
        condition = spec["required_when"]
        if not condition:
            continue
        where = f"{path}.fields[{index}].required_when"
        other = by_code.get(condition["field"])
        if other is None or other is spec:
            out.add(
                where,
                "unknown_field",
                f"条件必填引用的数据项“{condition['field']}”不存在。",
                f"required_when names no other field '{condition['field']}'.",
            )
            continue
        if other["data_type"] == FieldType.ENUM:
            codes = {item["code"] for item in other["enum_values"]}
            for value in condition["in"]:
                if value not in codes:
                    out.add(
                        where,
                        "unknown_value",
                        f"条件必填的取值“{value}”不是“{other['code']}”的代码值。",
                        f"required_when value '{value}' is not a code of '{other['code']}'.",
                    )


def _parse_supplier(data: Any, path: str, out: _Collector) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        out.wrong_type(path, "报送义务对象", "a supplier object")
        return None
    out.unknown_keys(path, data, {"line", "levels", "department"})
    line = _text(data, "line", path, out)
    department = _text(data, "department", path, out, max_length=32)
    levels = _string_list(data, "levels", path, out)
    if bool(line) == bool(department):
        out.add(
            path,
            "bad_supplier",
            "报送义务须且只能指定条线（line）或部门（department）之一。",
            "A supplier names exactly one of line or department.",
        )
    if line and not LINE_CODE.fullmatch(line):
        out.add(
            f"{path}.line",
            "bad_code",
            f"条线代码“{line}”应为大写字母。",
            f"Line code '{line}' must be capital letters.",
        )
    for position, level in enumerate(levels):
        if level not in DepartmentLevel.values:
            out.choice(f"{path}.levels[{position}]", level, DepartmentLevel, "层级", "level")
    if line and not levels:
        out.missing(path, "levels")
    return {"line": line, "levels": levels if line else [], "department_code": department}


def _parse_regime(data: Any, path: str, out: _Collector) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        out.wrong_type(path, "公示期规则对象", "a regime object")
        return None
    out.unknown_keys(path, data, REGIME_KEYS)
    valid_from = _date(data, "valid_from", path, out, required=True)
    valid_to = _date(data, "valid_to", path, out, required=False)
    if valid_from and valid_to and valid_to < valid_from:
        out.add(
            f"{path}.valid_to",
            "min_max",
            "适用截止日早于起始日。",
            "valid_to is before valid_from.",
        )
    severity = data.get("severity", Severity.ANY)
    if severity not in Severity.values:
        out.choice(f"{path}.severity", severity, Severity, "严重程度", "severity")
    min_months = _int(data, "min_months", path, out, maximum=600)
    max_months = _int(data, "max_months", path, out, maximum=600)
    if "max_months" not in data:
        out.missing(path, "max_months")
    if min_months is not None and max_months is not None and min_months > max_months:
        out.add(
            f"{path}.min_months",
            "min_max",
            "最短公示期长于最长公示期。",
            "min_months exceeds max_months.",
        )
    line = _text(data, "line", path, out, max_length=16)
    if line and not LINE_CODE.fullmatch(line):
        out.add(
            f"{path}.line",
            "bad_code",
            f"条线代码“{line}”应为大写字母。",
            f"Line code '{line}' must be capital letters.",
        )
    priority = data.get("priority", 0)
    if isinstance(priority, bool) or not isinstance(priority, int) or abs(priority) > 32767:
        out.wrong_type(f"{path}.priority", "整数", "a whole number")
        priority = 0
    return {
        "name": _text(data, "name", path, out, required=True, max_length=128),
        "legal_basis": _text(data, "legal_basis", path, out, required=True, max_length=255),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "line": line,
        "category": _text(data, "category", path, out, max_length=64),
        "severity": severity,
        "min_months": min_months or 0,
        "max_months": max_months if max_months is not None else 0,
        "repair_after_months": _int(data, "repair_after_months", path, out, maximum=600),
        "priority": priority,
        "note": _text(data, "note", path, out),
    }


def _parse_resource(data: Any, path: str, out: _Collector) -> ResourceDefinition | None:
    if not isinstance(data, dict):
        out.wrong_type(path, "资源对象", "a resource object")
        return None
    out.unknown_keys(path, data, RESOURCE_KEYS)
    code = _text(data, "code", path, out, required=True)
    if code and not RESOURCE_CODE.fullmatch(code):
        out.add(
            f"{path}.code",
            "bad_code",
            f"资源代码“{code}”只能由大写字母、数字和下划线组成，以字母开头，2 到 32 位。",
            f"Resource code '{code}' must be 2-32 capital letters, digits and underscores, "
            "starting with a letter.",
        )
    kind = data.get("kind")
    if kind is None:
        out.missing(path, "kind")
    elif kind not in ResourceKind.values:
        out.choice(f"{path}.kind", kind, ResourceKind, "资源类别", "resource kind")

    choices = {}
    for key, enum, default, zh, en in (
        (
            "update_frequency",
            UpdateFrequency,
            UpdateFrequency.ON_EVENT,
            "更新频率",
            "update frequency",
        ),
        ("publicity_class", PublicityClass, PublicityClass.PUBLIC, "公示属性", "publicity class"),
        ("sharing_class", SharingClass, SharingClass.UNCONDITIONAL, "共享属性", "sharing class"),
    ):
        value = data.get(key, default)
        if value not in enum.values:
            out.choice(f"{path}.{key}", value, enum, zh, en)
            value = default
        choices[key] = value
    deadline = _int(data, "deadline_working_days", path, out, maximum=365)

    version = {
        "name": _text(data, "name", path, out, required=True, max_length=128),
        "name_en": _text(data, "name_en", path, out, max_length=160),
        "description": _text(data, "description", path, out),
        "legal_basis": _text(data, "legal_basis", path, out),
        "update_frequency": choices["update_frequency"],
        "deadline_working_days": deadline if deadline is not None else 20,
        "publicity_class": choices["publicity_class"],
        "sharing_class": choices["sharing_class"],
        "business_key_fields": _string_list(data, "business_key_fields", path, out),
        "decision_date_field": _text(data, "decision_date_field", path, out, max_length=64),
        "subject_uscc_field": _text(data, "subject_uscc_field", path, out, max_length=64),
        "subject_name_field": _text(data, "subject_name_field", path, out, max_length=64),
        "change_note": _text(data, "change_note", path, out),
    }

    fields: list[dict[str, Any]] = []
    raw_fields = data.get("fields")
    if raw_fields is None:
        out.missing(path, "fields")
    elif not isinstance(raw_fields, list) or not raw_fields:
        out.wrong_type(f"{path}.fields", "非空的数据项列表", "a non-empty list of fields")
    else:
        for index, raw in enumerate(raw_fields):
            spec = _parse_field(raw, f"{path}.fields[{index}]", index, out)
            if spec is not None:
                fields.append(spec)
        _check_field_names(fields, f"{path}.fields", out)
        _check_references(fields, version, path, out)

    suppliers = []
    raw_suppliers = data.get("suppliers", [])
    if not isinstance(raw_suppliers, list):
        out.wrong_type(f"{path}.suppliers", "列表", "a list")
    else:
        for index, raw in enumerate(raw_suppliers):
            supplier = _parse_supplier(raw, f"{path}.suppliers[{index}]", out)
            if supplier is not None:
                suppliers.append(supplier)

    regimes = []
    raw_regimes = data.get("regimes", [])
    if not isinstance(raw_regimes, list):
        out.wrong_type(f"{path}.regimes", "列表", "a list")
    else:
        for index, raw in enumerate(raw_regimes):
            regime = _parse_regime(raw, f"{path}.regimes[{index}]", out)
            if regime is not None:
                regimes.append(regime)

    return ResourceDefinition(
        resource={"code": code, "kind": kind},
        version=version,
        fields=fields,
        suppliers=suppliers,
        regimes=regimes,
    )


def parse_catalogue(document: dict | bytes | str) -> list[ResourceDefinition]:
    """Check a whole import document; return its definitions or raise with every problem."""
    out = _Collector()
    data = _load(document, out)
    definitions: list[ResourceDefinition] = []
    if data is not None:
        out.unknown_keys("$", data, {"format", "resources", "description"})
        if data.get("format") != FORMAT:
            out.add(
                "format",
                "bad_format",
                f"文档格式应为“{FORMAT}”。",
                f"The document format must be '{FORMAT}'.",
            )
        resources = data.get("resources")
        if not isinstance(resources, list) or not resources:
            out.wrong_type("resources", "非空的资源列表", "a non-empty list of resources")
            resources = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(resources):
            path = f"resources[{index}]"
            definition = _parse_resource(raw, path, out)
            if definition is None:
                continue
            code = definition.resource["code"]
            if code:
                if code.upper() in seen:
                    out.add(
                        f"{path}.code",
                        "duplicate_resource",
                        f"资源代码“{code}”与 resources[{seen[code.upper()]}] 重复。",
                        f"Resource code '{code}' repeats resources[{seen[code.upper()]}].",
                    )
                seen.setdefault(code.upper(), index)
            definitions.append(definition)
    if out.problems:
        raise CatalogueImportError(out.problems)
    return definitions
