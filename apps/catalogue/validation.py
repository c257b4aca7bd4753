"""The compiled row validator of a resource version.

:func:`validator_for` turns a version's :class:`~apps.catalogue.models.FieldSpec`
rows into one :class:`RowValidator`, compiled once per published version and
used alike by entry forms, file imports and the push API. ``validate(row)``
returns every problem of a row at once, each with the field code, a rule code,
a Chinese and an English message and the offending value.

How a value is judged, and why it is written this way:

- A value is trimmed of surrounding whitespace; blank and ``None`` mean
  "not given". Row keys may be canonical codes, aliases (the 2016 dialect) or
  Chinese names, matched ignoring case, width and spaces.
- Every field type compiles to one *acceptance expression* (:attr:`FieldRule.body`)
  that the trimmed text must match as a whole. Character classes in it admit
  the full-width forms that :func:`apps.core.text.to_halfwidth` folds, and
  letters of either case where case does not matter. The JSON Schema export
  embeds the very same expressions, so the schema and the validator accept the
  same rows (apart from check characters, which no regular expression can
  compute: USCC and identity numbers; see :data:`SCHEMA_GAPS`).
- When a text fails its expression, the validator diagnoses which rules it
  breaks (too long, too many decimal places, above the maximum ...) so that the
  supplier reads a reason, not "invalid".
- Accepted values are converted (folded to half-width, dates to ``date``,
  decimals to ``Decimal`` in the field's unit, enum labels to codes).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from apps.core.uscc import IdentifierStatus, check_identifier

from .choices import FieldType, VersionStatus
from .importer import field_key

__all__ = [
    "SCHEMA_GAPS",
    "FieldRule",
    "HeaderMapping",
    "Problem",
    "RowResult",
    "RowValidator",
    "compile_validator",
    "fold",
    "validator_for",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Rules the JSON Schema cannot express exactly (a check character needs arithmetic).
SCHEMA_GAPS = {
    FieldType.USCC: "uscc_check_character",
    FieldType.IDENTIFIER: "identifier_check_character",
    FieldType.ID_NUMBER: "id_number_check_digit",
}

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
TRUE_WORDS = ("是", "true", "yes", "y", "1")
FALSE_WORDS = ("否", "false", "no", "n", "0")

# ---------------------------------------------------------------------------
# Messages: (Chinese, English) per rule; placeholders filled with str.format.
MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("“{name}”为必填项。", "{name} is required."),
    "required_when": (
        "“{other}”为“{value}”时，“{name}”为必填项。",
        "{name} is required when {other} is '{value}'.",
    ),
    "unknown_field": ("未知的数据项“{key}”。", "Unknown field '{key}'."),
    "duplicate_field": (
        "数据项“{name}”出现了多次（{keys}）。",
        "Field {name} is given more than once ({keys}).",
    ),
    "max_length": (
        "“{name}”不能超过 {limit} 个字符（现为 {length} 个）。",
        "{name} must be at most {limit} characters (has {length}).",
    ),
    "min_length": (
        "“{name}”至少需要 {limit} 个字符（现为 {length} 个）。",
        "{name} must be at least {limit} characters (has {length}).",
    ),
    "pattern": ("“{name}”的格式不符合要求。", "{name} does not match the required format."),
    "type": ("“{name}”应为{expected_zh}。", "{name} must be {expected_en}."),
    "unit": (
        "“{name}”的计量单位应为“{unit}”。",
        "{name} must be given in {unit}.",
    ),
    "decimal_places": (
        "“{name}”最多保留 {limit} 位小数。",
        "{name} takes at most {limit} decimal places.",
    ),
    "max_digits": (
        "“{name}”的整数部分最多 {limit} 位。",
        "{name} takes at most {limit} digits before the decimal point.",
    ),
    "min_value": ("“{name}”不能小于 {limit}。", "{name} must be at least {limit}."),
    "max_value": ("“{name}”不能大于 {limit}。", "{name} must be at most {limit}."),
    "enum": (
        "“{name}”的取值“{value}”不在代码表中（可选：{options}）。",
        "{name} value '{value}' is not one of the codes ({options}).",
    ),
    "date": (
        "“{name}”不是有效日期（如 2017-06-19、20170619、2017/06/19、2017年6月19日）。",
        "{name} is not a valid date (e.g. 2017-06-19, 20170619, 2017/06/19).",
    ),
    "datetime": (
        "“{name}”不是有效的日期时间（如 2017-06-19 08:30:00）。",
        "{name} is not a valid date and time (e.g. 2017-06-19 08:30:00).",
    ),
    "boolean": ("“{name}”应为“是”或“否”。", "{name} must be yes or no."),
    "uscc_invalid": (
        "“{name}”不是有效的统一社会信用代码：{reason_zh}",
        "{name} is not a valid unified social credit code: {reason_en}",
    ),
    "uscc_legacy": (
        "“{name}”按历史代码接收，请与登记机关核实：{reason_zh}",
        "{name} is accepted as a legacy code; confirm it with the registry: {reason_en}",
    ),
    "placeholder_uscc": (
        "“{name}”是占位代码（如 00000000000000000X），不能作为统一社会信用代码。",
        "{name} is a placeholder code (such as 00000000000000000X), not a real one.",
    ),
    "id_number": (
        "“{name}”不是有效的身份证件号码：{reason_zh}",
        "{name} is not a valid identity document number: {reason_en}",
    ),
    "phone": (
        "“{name}”不是有效的电话号码（手机 11 位，固话如 0898-12345678）。",
        "{name} is not a valid phone number (11-digit mobile, or landline like 0898-12345678).",
    ),
    "email": ("“{name}”不是有效的电子邮箱。", "{name} is not a valid e-mail address."),
    "region_code": (
        "“{name}”应为 6 位行政区划代码（GB/T 2260）。",
        "{name} must be a 6-digit administrative division code (GB/T 2260).",
    ),
}

TYPE_WORDS: dict[str, tuple[str, str]] = {
    FieldType.STRING: ("文本", "text"),
    FieldType.TEXT: ("文本", "text"),
    FieldType.INTEGER: ("整数", "a whole number"),
    FieldType.DECIMAL: (
        '数值（小数请以文本形式提供，如 "1.50"）',
        'a number (decimals as text, e.g. "1.50")',
    ),
    FieldType.DATE: ("日期", "a date"),
    FieldType.DATETIME: ("日期时间", "a date and time"),
    FieldType.BOOLEAN: ("是/否", "yes or no"),
    FieldType.ENUM: ("代码值", "a code value"),
    FieldType.USCC: ("统一社会信用代码", "a unified social credit code"),
    FieldType.IDENTIFIER: ("主体标识代码", "a subject identifier"),
    FieldType.ID_NUMBER: ("证件号码", "an identity document number"),
    FieldType.PHONE: ("电话号码", "a phone number"),
    FieldType.EMAIL: ("电子邮箱", "an e-mail address"),
    FieldType.REGION_CODE: ("行政区划代码", "a division code"),
}


@dataclass(frozen=True)
class Problem:
    """One broken rule of one field: field code, rule code, messages and the value given."""

    field: str
    rule: str
    message_zh: str
    message_en: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        """Plain form for JSON responses and quarantine rows."""
        value = self.value
        if value is not None and not isinstance(value, str | int | float | bool):
            value = str(value)
        return {
            "field": self.field,
            "rule": self.rule,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "value": value,
        }


@dataclass
class RowResult:
    """The outcome of one row: converted values (every field code) and problems and warnings."""

    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        """A row with warnings only is accepted."""
        return not self.problems


@dataclass
class HeaderMapping:
    """Which column holds which field; what could not be mapped."""

    columns: dict[int, str]
    unknown: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Width folding and tolerant character classes.


@cache
def _fold_table() -> dict[int, str]:
    """Single-character foldings of core.text.to_halfwidth over the Basic Multilingual Plane."""
    from apps.core.text import to_halfwidth

    table: dict[int, str] = {}
    for point in range(0x10000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        char = chr(point)
        folded = to_halfwidth(char)
        if len(folded) == 1 and folded != char:
            table[point] = folded
    return table


def fold(text: str) -> str:
    """Full-width letters, digits, punctuation and spaces to half-width, character by character."""
    return text.translate(_fold_table())


def _lower(text: str) -> str:
    # Only ASCII letters have case here; str.lower() would also touch other scripts.
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = {point: point + 32 for point in range(ord("A"), ord("Z") + 1)}


@cache
def _preimages(nocase: bool) -> dict[str, frozenset[str]]:
    """For each folded character, every raw character that folds (and case-folds) to it."""
    result: dict[str, set[str]] = {}
    for point in range(0x10000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        raw = chr(point)
        target = fold(raw)
        if nocase:
            target = _lower(target)
        result.setdefault(target, set()).add(raw)
    return {key: frozenset(value) for key, value in result.items()}


def _class(chars: str, *, nocase: bool = False) -> str:
    """A character class of every raw character folding to one of ``chars`` (ASCII)."""
    table = _preimages(nocase)
    wanted = {(_lower(ch) if nocase else ch) for ch in chars}
    members: set[str] = set()
    for ch in wanted:
        members |= table.get(ch, {ch})
    return "[" + "".join(_escape_class(ch) for ch in sorted(members)) + "]"


def _escape_class(ch: str) -> str:
    if ch in "\\]^-[":
        return "\\" + ch
    if ch.isprintable() and not ch.isspace():
        return ch
    return f"\\u{ord(ch):04x}"


def _lit(text: str, *, nocase: bool = False) -> str:
    """A literal admitting width (and, with ``nocase``, case) variants of each character."""
    parts = []
    for ch in fold(text):
        if nocase:
            ch = _lower(ch)
        members = _preimages(nocase).get(ch, frozenset({ch}))
        if len(members) == 1:
            parts.append(
                re.escape(ch) if ch.isprintable() and not ch.isspace() else f"\\u{ord(ch):04x}"
            )
        else:
            parts.append(_class(ch, nocase=nocase))
    return "".join(parts)


def _digits(low: str = "0", high: str = "9") -> str:
    return _class("".join(chr(c) for c in range(ord(low), ord(high) + 1)))


def _alt(parts: Iterable[str]) -> str:
    parts = list(parts)
    if not parts:
        return "(?!)"
    return "(?:" + "|".join(parts) + ")"


# ---------------------------------------------------------------------------
# Number ranges as expressions (whole non-negative numbers, no leading zeros).


def _range_parts(low: int, high: int) -> list[str]:
    """Expressions matching exactly the decimal numerals of low..high (0 <= low <= high)."""
    if low > high:
        return []
    if low == high:
        return [_lit(str(low))]
    low_s, high_s = str(low), str(high)
    if len(low_s) < len(high_s):
        return _range_parts(low, 10 ** len(low_s) - 1) + _range_parts(10 ** len(low_s), high)
    # Same length: split on the first differing digit.
    prefix = 0
    while low_s[prefix] == high_s[prefix]:
        prefix += 1
    head = _lit(low_s[:prefix])
    rest = len(low_s) - prefix - 1
    lo_d, hi_d = low_s[prefix], high_s[prefix]
    parts: list[str] = []
    if rest == 0:
        return [head + _digits(lo_d, hi_d)]
    # low's digit with its tail up to 99..9
    tail_low = int(low_s[prefix + 1 :])
    parts += [head + _lit(lo_d) + p for p in _tail_parts(tail_low, 10**rest - 1, rest)]
    if int(hi_d) - int(lo_d) > 1:
        middle = _digits(str(int(lo_d) + 1), str(int(hi_d) - 1))
        parts.append(head + middle + _digits() + f"{{{rest}}}")
    tail_high = int(high_s[prefix + 1 :])
    parts += [head + _lit(hi_d) + p for p in _tail_parts(0, tail_high, rest)]
    return parts


def _tail_parts(low: int, high: int, width: int) -> list[str]:
    """Fixed-width (zero-padded) numerals of low..high."""
    if low == 0 and high == 10**width - 1:
        return [_digits() + f"{{{width}}}"]
    low_s, high_s = str(low).zfill(width), str(high).zfill(width)
    if width == 1:
        return [_digits(low_s, high_s)]
    if low_s[0] == high_s[0]:
        return [_lit(low_s[0]) + p for p in _tail_parts(int(low_s[1:]), int(high_s[1:]), width - 1)]
    parts = [
        _lit(low_s[0]) + p for p in _tail_parts(int(low_s[1:]), 10 ** (width - 1) - 1, width - 1)
    ]
    if int(high_s[0]) - int(low_s[0]) > 1:
        parts.append(
            _digits(str(int(low_s[0]) + 1), str(int(high_s[0]) - 1))
            + _digits()
            + f"{{{width - 1}}}"
        )
    parts += [_lit(high_s[0]) + p for p in _tail_parts(0, int(high_s[1:]), width - 1)]
    return parts


def _int_numeral(low: int, high: int | None) -> str:
    """Numerals of low..high (high None = unbounded), no leading zeros."""
    if high is None:
        bounded = _range_parts(low, 10 ** len(str(low)) - 1)
        longer = _digits("1", "9") + _digits() + f"{{{len(str(low))},}}"
        return _alt([*bounded, longer])
    return _alt(_range_parts(low, high))


# ---------------------------------------------------------------------------
# Dates.


def _date_body(*, compact_only: bool = False) -> str:
    """Real calendar dates of the years 1900-9999 in the accepted spellings."""
    d = _digits()
    year = _alt([_lit("19") + d + d, _digits("2", "9") + d + d + d])
    leap = _alt(
        [
            _alt([_lit("19"), _digits("2", "9") + d])
            + _alt(
                [
                    _lit("0") + _class("48"),
                    _class("2468") + _class("048"),
                    _class("13579") + _class("26"),
                ]
            ),
            # Centuries divisible by 400 (2000, 2400 ...); 1900 is not a leap year.
            _alt([_class("2468") + _class("048"), _class("3579") + _class("26")]) + _lit("00"),
        ]
    )

    def forms(sep_month: str, sep_day: str, end: str, pad: bool) -> str:
        zero = _lit("0") if pad else _lit("0") + "?"
        long_month = _alt([zero + _class("13578"), _lit("1") + _class("02")])
        short_month = _alt([zero + _class("469"), _lit("11")])
        february = zero + _lit("2")
        day28 = _alt([zero + _digits("1", "9"), _lit("1") + d, _lit("2") + _digits("0", "8")])
        day29, day30, day31 = _lit("29"), _lit("30"), _lit("31")
        ordinary = _alt(
            [
                long_month + sep_day + _alt([day28, day29, day30, day31]),
                short_month + sep_day + _alt([day28, day29, day30]),
                february + sep_day + day28,
            ]
        )
        return _alt(
            [
                year + sep_month + ordinary + end,
                leap + sep_month + february + sep_day + day29 + end,
            ]
        )

    compact = forms("", "", "", True)
    if compact_only:
        return compact
    dash = forms(_lit("-"), _lit("-"), "", False)
    slash = forms(_lit("/"), _lit("/"), "", False)
    chinese = forms(_lit("年"), _lit("月"), _lit("日"), False)
    return _alt([dash, slash, chinese, compact])


def _time_body() -> str:
    d = _digits()
    hour = _alt([_class("01") + d, _lit("2") + _digits("0", "3")])
    minute = _digits("0", "5") + d
    colon = _lit(":")
    return hour + colon + minute + f"(?:{colon}{minute}(?:{_lit('.')}{d}{{1,6}})?)?"


def _datetime_body() -> str:
    d = _digits()
    hour = _alt([_class("01") + d, _lit("2") + _digits("0", "3")])
    minute = _digits("0", "5") + d
    separated = _date_body() + "(?:" + _class(" T", nocase=True) + "|\\s+)" + _time_body()
    compact = _date_body(compact_only=True) + hour + minute + minute
    return _alt([separated, compact])


# ---------------------------------------------------------------------------
# Compiled field rules.


@dataclass
class FieldRule:
    """One field spec compiled: its names, limits and acceptance expression."""

    code: str
    name: str
    name_en: str
    data_type: str
    required: bool
    required_when: dict[str, Any] | None
    max_length: int | None
    min_length: int | None
    max_digits: int | None
    decimal_places: int | None
    min_value: Decimal | None
    max_value: Decimal | None
    pattern: str
    enum_values: list[dict[str, Any]]
    unit: str
    aliases: list[str]
    body: str = ""
    compiled: re.Pattern[str] | None = None
    enum_lookup: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_spec(cls, spec: Any) -> FieldRule:
        """Build from a FieldSpec row or a parse_catalogue field dict."""

        def get(name: str, default: Any = None) -> Any:
            if isinstance(spec, Mapping):
                return spec.get(name, default)
            return getattr(spec, name, default)

        def number(name: str) -> Decimal | None:
            value = get(name)
            return None if value is None else Decimal(str(value))

        rule = cls(
            code=get("code"),
            name=get("name") or get("code"),
            name_en=get("name_en") or get("code"),
            data_type=get("data_type"),
            required=bool(get("required", False)),
            required_when=get("required_when") or None,
            max_length=get("max_length"),
            min_length=get("min_length") or None,
            max_digits=get("max_digits"),
            decimal_places=get("decimal_places"),
            min_value=number("min_value"),
            max_value=number("max_value"),
            pattern=get("pattern") or "",
            enum_values=list(get("enum_values") or []),
            unit=get("unit") or "",
            aliases=list(get("aliases") or []),
        )
        rule._compile()
        return rule

    # -- compilation --------------------------------------------------------

    def _compile(self) -> None:
        builder = getattr(self, f"_body_{self.data_type}", None)
        if builder is None:
            raise ValueError(f"Unknown field type {self.data_type!r} of {self.code}")
        self.body = "(?!\\s)(?:" + builder() + ")(?<!\\s)"
        self.compiled = re.compile(self.body)

    def _length_guard(self) -> str:
        low = max(self.min_length or 0, 1)
        high = self.max_length
        if low == 1 and high is None:
            return ""
        upper = "" if high is None else str(high)
        return f"(?=[\\s\\S]{{{low},{upper}}}(?<!\\s)\\s*$)"

    def _body_string(self) -> str:
        content = self.pattern or "[\\s\\S]+"
        return self._length_guard() + "(?:" + content + ")"

    _body_text = _body_string

    def _body_enum(self) -> str:
        names: list[str] = []
        for item in self.enum_values:
            for name in (item["code"], item.get("label") or item["code"], *item.get("aliases", [])):
                key = _lower(fold(name.strip()))
                self.enum_lookup.setdefault(key, item["code"])
                names.append(name.strip())
        # Longest first so that a short code never shadows a longer label.
        ordered = sorted(dict.fromkeys(names), key=len, reverse=True)
        return _alt(_lit(name, nocase=True) for name in ordered)

    def _number_parts(self) -> tuple[str, int | None, int | None]:
        places = 0 if self.data_type == FieldType.INTEGER else self.decimal_places
        int_digits = None
        if self.max_digits is not None:
            int_digits = self.max_digits - (places or 0)
        return _digits(), places, int_digits

    def _body_number(self) -> str:
        d, places, int_digits = self._number_parts()
        dot = _lit(".")
        if places == 0:
            frac, zero_frac, nonzero_frac = "", "", "(?!)"
        elif places is None:
            frac = f"(?:{dot}{d}+)?"
            zero_frac = f"(?:{dot}{_lit('0')}+)?"
            nonzero_frac = f"{dot}(?={d}*{_digits('1', '9')}){d}+"
        else:
            frac = f"(?:{dot}{d}{{1,{places}}})?"
            zero_frac = f"(?:{dot}{_lit('0')}{{1,{places}}})?"
            nonzero_frac = f"{dot}(?={d}*{_digits('1', '9')}){d}{{1,{places}}}"
        digit_cap = None if int_digits is None else 10**int_digits - 1
        low = int(self.min_value) if self.min_value is not None else 0
        high = int(self.max_value) if self.max_value is not None else None
        caps = [c for c in (digit_cap, None if high is None else high - 1) if c is not None]
        cap = min(caps) if caps else None
        branches = []
        if cap is None or low <= cap:
            branches.append(_int_numeral(low, cap) + frac)
        if high is not None and high >= low and (digit_cap is None or high <= digit_cap):
            branches.append(_lit(str(high)) + zero_frac)
        if self.min_value is None:
            magnitude = _int_numeral(1, digit_cap) + frac
            branches.append(_lit("-") + _alt([magnitude, _lit("0") + nonzero_frac]))
        body = _alt(branches)
        if self.unit:
            body += f"(?:\\s*{_lit(self.unit)})?"
        return body

    _body_integer = _body_number
    _body_decimal = _body_number

    def _body_date(self) -> str:
        return _date_body()

    def _body_datetime(self) -> str:
        return _datetime_body()

    def _body_boolean(self) -> str:
        return _alt(
            _lit(word, nocase=True)
            for word in sorted(TRUE_WORDS + FALSE_WORDS, key=len, reverse=True)
        )

    def _uscc(self) -> str:
        symbol = _class(USCC_ALPHABET, nocase=True)
        zero = _lit("0")
        guards = "".join(f"(?!{_lit(ch, nocase=True)}{{18}})" for ch in USCC_ALPHABET)
        # Placeholders: all one symbol, seventeen zeros, or an all-zero organisation code.
        guards += f"(?!{zero}{{17}})(?![\\s\\S]{{8}}{zero}{{9}})"
        return guards + symbol + symbol + _digits() + "{6}" + symbol + "{10}"

    def _body_uscc(self) -> str:
        return self._uscc()

    def _body_identifier(self) -> str:
        registration = _digits() + "{15}"
        org_symbol = _class("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", nocase=True)
        org_code = org_symbol + "{8}" + _lit("-") + "?" + _class("0123456789X", nocase=True)
        return _alt([self._uscc(), registration, org_code])

    def _body_id_number(self) -> str:
        d = _digits()
        resident = (
            d
            + "{6}"
            + _date_body(compact_only=True)
            + d
            + "{3}"
            + _class("0123456789X", nocase=True)
        )
        # Other documents: passports and mainland travel permits start with a letter;
        # Taiwan residents' permits have 8 digits; old identity cards 15.
        letter = _class("ABCDEFGHIJKLMNOPQRSTUVWXYZ", nocase=True)
        other_char = _class("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ()-", nocase=True)
        other = _alt([letter + other_char + "{4,31}", d + "{8}", d + "{15}"])
        return _alt([resident, other])

    def _body_phone(self) -> str:
        d = _digits()
        dash = _lit("-")
        country = f"(?:{_lit('+')}?{_lit('86')}{_class('- ')}?)?"
        mobile = country + _lit("1") + _digits("3", "9") + d + "{9}"
        landline = _lit("0") + d + "{2,3}" + dash + "?" + _digits("1", "9") + d + "{6,7}"
        landline += f"(?:{dash}{d}{{1,6}})?"
        local = _digits("2", "9") + d + "{6,7}"
        service = _class("48") + _lit("00") + dash + "?" + d + "{3}" + dash + "?" + d + "{4}"
        return _alt([mobile, landline, local, service])

    def _body_email(self) -> str:
        local = _class("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ._%+-", nocase=True)
        label = _class("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-", nocase=True)
        return local + "+" + _lit("@") + label + "+(?:" + _lit(".") + label + "+)+"

    def _body_region_code(self) -> str:
        return _alt([_digits("1", "9") + _digits() + "{5}", _lit("46YP00", nocase=True)])

    # -- checking -----------------------------------------------------------

    def problem(self, rule: str, given: Any, **params: Any) -> Problem:
        """A problem of this field with both messages filled in."""
        zh, en = MESSAGES[rule]
        expected_zh, expected_en = TYPE_WORDS.get(self.data_type, ("", ""))
        values = {
            "name": self.name,
            "code": self.code,
            "expected_zh": expected_zh,
            "expected_en": expected_en,
            "unit": self.unit,
            **params,
        }
        en_values = {**values, "name": self.name_en or self.code}
        return Problem(self.code, rule, zh.format(**values), en.format(**en_values), given)

    def check(
        self, raw: Any, *, allow_list: Collection[str] = ()
    ) -> tuple[Any, list[Problem], list[Problem]]:
        """Judge one given (non-blank) value: (converted value, problems, warnings).

        ``allow_list`` holds the administrators' confirmed legacy USCCs
        (:func:`apps.core.uscc.load_allow_list`), for USCC and identifier fields.
        """
        text = self._as_text(raw)
        if text is None:
            return None, [self.problem("type", raw)], []
        assert self.compiled is not None  # noqa: S101  (set in _compile)
        if self.compiled.fullmatch(text):
            return self._convert(text, raw, allow_list)
        problems = self._diagnose(text, raw) or [self.problem(self._type_rule(), raw)]
        return None, problems, []

    def _as_text(self, raw: Any) -> str | None:
        """The trimmed text of a value, or None when its JSON type is not accepted."""
        if isinstance(raw, str):
            return raw.strip()
        if self.data_type in (FieldType.INTEGER, FieldType.DECIMAL):
            if isinstance(raw, bool):
                return None
            if isinstance(raw, int):
                return str(raw)
            # JSON Schema counts 3.0 as an integer; fractional floats lose precision.
            if isinstance(raw, float) and raw.is_integer():
                return str(int(raw))
            if isinstance(raw, Decimal) and raw.is_finite():
                return format(raw, "f")
            return None
        if self.data_type == FieldType.BOOLEAN and isinstance(raw, bool):
            return "true" if raw else "false"
        if self.data_type == FieldType.DATE and type(raw) is dt.date:
            return raw.isoformat()
        if self.data_type == FieldType.DATETIME and isinstance(raw, dt.datetime):
            local = raw.astimezone(SHANGHAI) if raw.tzinfo else raw
            return local.strftime("%Y-%m-%d %H:%M:%S")
        return None

    def _type_rule(self) -> str:
        return {
            FieldType.DATE: "date",
            FieldType.DATETIME: "datetime",
            FieldType.BOOLEAN: "boolean",
            FieldType.ENUM: "enum",
            FieldType.USCC: "uscc_invalid",
            FieldType.IDENTIFIER: "uscc_invalid",
            FieldType.ID_NUMBER: "id_number",
            FieldType.PHONE: "phone",
            FieldType.EMAIL: "email",
            FieldType.REGION_CODE: "region_code",
            FieldType.STRING: "pattern",
            FieldType.TEXT: "pattern",
        }.get(self.data_type, "type")

    def _diagnose(self, text: str, raw: Any) -> list[Problem]:
        """Why a text failed its expression, as specific rules."""
        kind = self.data_type
        if kind in (FieldType.STRING, FieldType.TEXT):
            return self._diagnose_string(text, raw)
        if kind in (FieldType.INTEGER, FieldType.DECIMAL):
            return self._diagnose_number(text, raw)
        if kind == FieldType.ENUM:
            options = "、".join(item["code"] for item in self.enum_values[:20])
            return [self.problem("enum", raw, value=text, options=options)]
        if kind in (FieldType.USCC, FieldType.IDENTIFIER):
            code = _upper(fold(text))
            if len(code) == 18 and _is_placeholder(code):
                return [self.problem("placeholder_uscc", raw)]
            return [
                self.problem(
                    "uscc_invalid",
                    raw,
                    reason_zh="应为 18 位代码（数字和除 I、O、S、V、Z 外的大写字母，第 3–8 位为数字）。",
                    reason_en="expected 18 characters (digits and capital letters except "
                    "I, O, S, V, Z; positions 3-8 digits).",
                )
            ]
        if kind == FieldType.ID_NUMBER:
            return [
                self.problem(
                    "id_number",
                    raw,
                    reason_zh="居民身份证号应为 18 位且含有效出生日期；其他证件以字母开头。",
                    reason_en="a resident identity number has 18 characters with a real "
                    "birth date; other documents start with a letter.",
                )
            ]
        return []

    def _diagnose_string(self, text: str, raw: Any) -> list[Problem]:
        problems = []
        if self.max_length is not None and len(text) > self.max_length:
            problems.append(
                self.problem("max_length", raw, limit=self.max_length, length=len(text))
            )
        if self.min_length and len(text) < self.min_length:
            problems.append(
                self.problem("min_length", raw, limit=self.min_length, length=len(text))
            )
        if self.pattern and not re.fullmatch(self.pattern, text):
            problems.append(self.problem("pattern", raw))
        return problems

    def _diagnose_number(self, text: str, raw: Any) -> list[Problem]:
        folded = fold(text)
        match = re.fullmatch(r"(-?)(\d+)(?:\.(\d+))?(?:\s*(\S.*))?", folded, flags=re.ASCII)
        if not match:
            return [self.problem("type", raw)]
        sign, whole, fraction, unit = match.groups()
        problems = []
        if unit is not None and unit != fold(self.unit):
            problems.append(self.problem("unit" if self.unit else "type", raw))
        number = Decimal(f"{sign}{whole}.{fraction or '0'}")
        if (len(whole) > 1 and whole.startswith("0")) or (sign and number == 0):
            problems.append(self.problem("type", raw))
        places = 0 if self.data_type == FieldType.INTEGER else self.decimal_places
        if fraction is not None and places == 0:
            problems.append(self.problem("type", raw))
        elif fraction is not None and places is not None and len(fraction) > places:
            problems.append(self.problem("decimal_places", raw, limit=places))
        _, _, int_digits = self._number_parts()
        if int_digits is not None and len(whole.lstrip("0") or "0") > int_digits:
            problems.append(self.problem("max_digits", raw, limit=int_digits))
        if self.min_value is not None and number < self.min_value:
            problems.append(self.problem("min_value", raw, limit=_plain(self.min_value)))
        if self.max_value is not None and number > self.max_value:
            problems.append(self.problem("max_value", raw, limit=_plain(self.max_value)))
        return problems

    def _convert(
        self, text: str, raw: Any, allow_list: Collection[str] = ()
    ) -> tuple[Any, list[Problem], list[Problem]]:
        folded = fold(text)
        kind = self.data_type
        if kind in (FieldType.STRING, FieldType.TEXT):
            return folded, [], []
        if kind in (FieldType.INTEGER, FieldType.DECIMAL):
            number_text = re.match(r"-?\d+(?:\.\d+)?", folded, flags=re.ASCII).group(0)
            value = Decimal(number_text)
            return (int(value) if kind == FieldType.INTEGER else value), [], []
        if kind == FieldType.DATE:
            return _to_date(folded), [], []
        if kind == FieldType.DATETIME:
            return _to_datetime(folded), [], []
        if kind == FieldType.BOOLEAN:
            return _lower(folded) in TRUE_WORDS, [], []
        if kind == FieldType.ENUM:
            return self.enum_lookup[_lower(folded)], [], []
        if kind in (FieldType.USCC, FieldType.IDENTIFIER):
            return self._convert_identifier(_upper(folded).replace("-", ""), raw, allow_list)
        if kind == FieldType.ID_NUMBER:
            number = _upper(folded)
            if len(number) == 18 and number[:17].isdigit() and not _ric_check_ok(number):
                reason_zh = "校验码错误。"
                reason_en = "the check digit is wrong."
                return (
                    None,
                    [self.problem("id_number", raw, reason_zh=reason_zh, reason_en=reason_en)],
                    [],
                )
            return number, [], []
        if kind == FieldType.REGION_CODE:
            return _upper(folded), [], []
        if kind == FieldType.PHONE:
            return folded, [], []
        if kind == FieldType.EMAIL:
            return _lower(folded), [], []
        return folded, [], []

    def _convert_identifier(
        self, code: str, raw: Any, allow_list: Collection[str]
    ) -> tuple[Any, list[Problem], list[Problem]]:
        """Judge a well-formed code with :func:`apps.core.uscc.check_identifier`.

        Invalid codes become one ``uscc_invalid`` problem carrying every reason
        the core check found (mod-31 check character, inner GB 11714 check,
        authority ...); legacy codes (early pilot codes, the allow-list) are
        accepted with a ``uscc_legacy`` warning.
        """
        result = check_identifier(code, allow_list=allow_list)
        if result.status == IdentifierStatus.INVALID:
            problem = self.problem(
                "uscc_invalid",
                raw,
                reason_zh="".join(error.message_zh for error in result.errors),
                reason_en=" ".join(error.message_en for error in result.errors),
            )
            return None, [problem], []
        warnings = []
        if result.status == IdentifierStatus.LEGACY:
            warnings.append(
                self.problem(
                    "uscc_legacy",
                    raw,
                    reason_zh="".join(warning.message_zh for warning in result.warnings),
                    reason_en=" ".join(warning.message_en for warning in result.warnings),
                )
            )
        return result.normalized, [], warnings


def _upper(text: str) -> str:
    return text.translate({point + 32: point for point in range(ord("A"), ord("Z") + 1)})


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _is_placeholder(code: str) -> bool:
    return len(set(code)) == 1 or code[:17] == "0" * 17 or code[8:17] == "0" * 9


def _ric_check_ok(number: str) -> bool:
    """ISO 7064 MOD 11-2 check digit of an 18-digit resident identity number."""
    total = sum(int(digit) * (2 ** (17 - index) % 11) for index, digit in enumerate(number[:17]))
    return "10X98765432"[total % 11] == number[17]


def _to_date(text: str) -> dt.date:
    digits = re.findall(r"\d+", text)
    if len(digits) == 1:  # YYYYMMDD
        value = digits[0]
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    return dt.date(int(digits[0]), int(digits[1]), int(digits[2]))


def _to_datetime(text: str) -> dt.datetime:
    numbers = re.findall(r"\d+", text)
    if len(numbers) == 1:  # YYYYMMDDhhmmss
        value = numbers[0]
        parts = [int(value[i:j]) for i, j in ((0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14))]
        micro = 0
    else:
        if len(numbers[0]) == 8:  # YYYYMMDD hh:mm:ss
            value = numbers.pop(0)
            numbers[:0] = [value[:4], value[4:6], value[6:8]]
        parts = [int(n) for n in numbers[:6]] + [0] * (6 - len(numbers[:6]))
        micro = int(numbers[6].ljust(6, "0")) if len(numbers) > 6 else 0
    return dt.datetime(*parts, micro, tzinfo=SHANGHAI)


# ---------------------------------------------------------------------------
# The row validator.


class RowValidator:
    """All field rules of one resource version, with alias lookup and row checks."""

    def __init__(self, rules: Iterable[FieldRule]) -> None:
        self.rules: dict[str, FieldRule] = {}
        self.keys: dict[str, str] = {}
        for rule in rules:
            self.rules[rule.code] = rule
        # Codes win over aliases, aliases over Chinese names, should a key ever repeat.
        for rule in self.rules.values():
            self.keys.setdefault(field_key(rule.code), rule.code)
        for rule in self.rules.values():
            for alias in rule.aliases:
                self.keys.setdefault(field_key(alias), rule.code)
        for rule in self.rules.values():
            self.keys.setdefault(field_key(rule.name), rule.code)

    def resolve(self, key: str) -> str | None:
        """The canonical field code a key (code, alias, header) names, or None."""
        return self.keys.get(field_key(key))

    def map_headers(self, headers: list[str]) -> HeaderMapping:
        """Map the header row of a file onto field codes."""
        mapping = HeaderMapping(columns={})
        seen: set[str] = set()
        for index, header in enumerate(headers):
            if header is None or not str(header).strip():
                continue
            code = self.resolve(str(header))
            if code is None:
                mapping.unknown.append(str(header))
            elif code in seen:
                mapping.duplicates.append(str(header))
            else:
                mapping.columns[index] = code
                seen.add(code)
        mapping.missing_required = [
            code for code, rule in self.rules.items() if rule.required and code not in seen
        ]
        return mapping

    def validate(self, row: Mapping[str, Any], *, allow_list: Collection[str] = ()) -> RowResult:
        """Judge a whole row; every problem at once.

        ``allow_list``: normalised USCCs that administrators confirmed (load it
        once per file or request with :func:`apps.core.uscc.load_allow_list`);
        such codes are accepted with a ``uscc_legacy`` warning. The compiled
        validator itself never queries the database.
        """
        given: dict[str, Any] = {}
        keys_of: dict[str, list[str]] = {}
        problems: list[Problem] = []
        warnings: list[Problem] = []
        for key, value in row.items():
            code = self.resolve(str(key))
            if code is None:
                problems.append(
                    Problem(
                        str(key),
                        "unknown_field",
                        MESSAGES["unknown_field"][0].format(key=key),
                        MESSAGES["unknown_field"][1].format(key=key),
                        value,
                    )
                )
                continue
            keys_of.setdefault(code, []).append(str(key))
            if _is_blank(value):
                given.setdefault(code, None)
            elif given.get(code) is None:
                given[code] = value
        for code, keys in keys_of.items():
            if len(keys) > 1:
                problems.append(
                    self.rules[code].problem("duplicate_field", row[keys[1]], keys="、".join(keys))
                )

        values: dict[str, Any] = dict.fromkeys(self.rules)
        for code, rule in self.rules.items():
            raw = given.get(code)
            if raw is None:
                continue
            value, found, warned = rule.check(raw, allow_list=allow_list)
            values[code] = value
            problems.extend(found)
            warnings.extend(warned)

        for code, rule in self.rules.items():
            if given.get(code) is not None:
                continue
            if rule.required:
                problems.append(rule.problem("required", None))
            elif rule.required_when and self._condition_met(rule.required_when, given):
                other = self.rules[rule.required_when["field"]]
                shown = given[other.code]
                problems.append(
                    rule.problem("required_when", None, other=other.name, value=str(shown).strip())
                )
        order = {code: index for index, code in enumerate(self.rules)}
        problems.sort(key=lambda p: order.get(p.field, -1))
        return RowResult(values=values, problems=problems, warnings=warnings)

    def _condition_met(self, condition: Mapping[str, Any], given: Mapping[str, Any]) -> bool:
        other = self.rules.get(condition.get("field", ""))
        if other is None:
            return False
        raw = given.get(other.code)
        if raw is None or not isinstance(raw, str):
            return False
        key = _lower(fold(raw.strip()))
        wanted = {_lower(fold(str(v).strip())) for v in condition.get("in", [])}
        if other.data_type == FieldType.ENUM:
            code = other.enum_lookup.get(key)
            return code is not None and _lower(fold(code)) in wanted
        return key in wanted


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def compile_validator(specs: Iterable[Any]) -> RowValidator:
    """Compile field specs (FieldSpec rows or parse_catalogue dicts, in order) into a validator."""
    return RowValidator(FieldRule.from_spec(spec) for spec in specs)


_cache: dict[int, RowValidator] = {}
_cache_lock = threading.Lock()


def validator_for(version: Any) -> RowValidator:
    """The compiled validator of a resource version; cached for published versions.

    Published and superseded versions never change, so their validators are
    kept for the life of the process; drafts are compiled afresh each time
    because their field specs change without touching the version row.
    """
    if version.status == VersionStatus.DRAFT:
        return compile_validator(version.fields.order_by("order", "pk"))
    cached = _cache.get(version.pk)
    if cached is not None:
        return cached
    validator = compile_validator(version.fields.order_by("order", "pk"))
    with _cache_lock:
        _cache.setdefault(version.pk, validator)
    return _cache[version.pk]
