"""Row rules of the pipeline beyond one field's type (the catalogue validator's job).

- ``formula``: an XLSX cell holding a formula, not a value;
- ``extra_cells``: a row with more filled cells than the header has columns
  (typically an unquoted comma shifting the row);
- ``future_date``: a decision date after today (Asia/Shanghai);
- ``end_before_start``: an end date before its start (有效期至 < 有效期自; a
  validity or publicity end before the decision date);
- ``duplicate_in_file``: the business key (e.g. the decision document number)
  already given by an earlier row of the same file.

Every problem has the shape of the catalogue validator's
(:meth:`apps.catalogue.validation.Problem.as_dict`): field, rule, Chinese and
English message, value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from apps.catalogue.choices import FieldType
from apps.catalogue.validation import fold

SHANGHAI = ZoneInfo("Asia/Shanghai")

MESSAGES: dict[str, tuple[str, str]] = {
    "formula": (
        "第 {row} 行“{name}”是公式（{value}），不是数值；请复制后“粘贴为数值”再上传。",
        "Row {row}: {name_en} holds a formula ({value}), not a value; paste it as values.",
    ),
    "extra_cells": (
        "第 {row} 行有 {cells} 列数据，多于表头的 {width} 列（多出的列：{extra}）；"
        "可能是未加引号的逗号使整行错位。",
        "Row {row} has {cells} filled columns, more than the header's {width} (extra: {extra}); "
        "an unquoted comma may have shifted the row.",
    ),
    "future_date": (
        "第 {row} 行“{name}”为 {value}，晚于今天（{today}）：决定日期不能是将来的日期。",
        "Row {row}: {name_en} is {value}, after today ({today}); a decision cannot be dated "
        "in the future.",
    ),
    "end_before_start": (
        "第 {row} 行“{name}”（{value}）早于“{start}”（{start_value}）：结束日期不能早于开始日期。",
        "Row {row}: {name_en} ({value}) is before {start_en} ({start_value}); an end date "
        "cannot precede its start.",
    ),
    "duplicate_in_file": (
        "第 {row} 行的“{name}”为“{value}”，与本文件中前面的行重复（业务主键在同一文件中只能出现一次）。",
        "Row {row}: {name_en} '{value}' repeats an earlier row of this file (a business key may "
        "appear only once per file).",
    ),
}

#: Chinese name endings of an end date, and the start endings they pair with.
END_MARKERS = ("截止日期", "截止期", "结束日期", "有效期至", "至", "止", "有效期")
START_MARKERS = ("自", "起", "开始日期")


def problem(rule: str, field_code: str, value: Any, **params: Any) -> dict[str, Any]:
    """A problem dict with both messages filled in."""
    zh, en = MESSAGES[rule]
    shown = None if value is None else str(value)
    params = {"value": shown, **params}
    params.setdefault("name_en", params.get("name"))
    return {
        "field": field_code,
        "rule": rule,
        "message_zh": zh.format(**params),
        "message_en": en.format(**params),
        "value": shown,
    }


@dataclass
class RowRules:
    """The cross-field rules of one resource version, worked out once per submission."""

    names: dict[str, tuple[str, str]]
    decision_field: str
    date_pairs: list[tuple[str, str]] = field(default_factory=list)
    key_fields: list[str] = field(default_factory=list)

    @classmethod
    def for_version(cls, version) -> RowRules:
        specs = list(version.fields.order_by("order", "pk"))
        names = {s.code: (s.name, s.name_en or s.code) for s in specs}
        dates = [s for s in specs if s.data_type in (FieldType.DATE, FieldType.DATETIME)]
        by_name = {s.name: s.code for s in dates}
        pairs: list[tuple[str, str]] = []
        for spec in dates:
            if spec.code == version.decision_date_field:
                continue
            marker = next((m for m in END_MARKERS if spec.name.endswith(m)), None)
            if marker is None:
                continue
            # 有效期至 pairs with 有效期自; 公示截止期 with 公示开始日期; 处罚有效期 with none.
            if marker in ("至", "止", "有效期至"):
                stem = spec.name[:-1]
            elif marker == "有效期":
                stem = ""
            else:
                stem = spec.name[: -len(marker)]
            start = next(
                (by_name[stem + s] for s in START_MARKERS if stem and stem + s in by_name), None
            )
            start = start or version.decision_date_field or None
            if start and start != spec.code:
                pairs.append((start, spec.code))
        return cls(
            names=names,
            decision_field=version.decision_date_field,
            date_pairs=pairs,
            key_fields=list(version.business_key_fields),
        )

    def key_of(self, row: dict[str, Any]) -> str:
        """The business key as given (trimmed, width-folded), for duplicate detection."""
        parts = []
        for code in self.key_fields:
            value = row.get(code)
            parts.append("" if value is None else fold(str(value)).strip())
        return "|".join(parts) if any(parts) else ""

    def raw_problems(
        self, number: int, raw: list[Any], columns: dict[int, str], width: int
    ) -> list[dict[str, Any]]:
        """Problems visible in the raw cells: formulas and cells beyond the header."""
        found: list[dict[str, Any]] = []
        for index, value in enumerate(raw):
            if isinstance(value, str) and type(value) is not str and index in columns:
                code = columns[index]
                name, name_en = self.names.get(code, (code, code))
                found.append(
                    problem("formula", code, value, row=number, name=name, name_en=name_en)
                )
        if len(raw) > width:
            extra = [i for i in range(width, len(raw)) if raw[i] not in (None, "")]
            if extra:
                cells = sum(1 for v in raw if v not in (None, ""))
                found.append(
                    problem(
                        "extra_cells",
                        "",
                        None,
                        row=number,
                        cells=cells,
                        width=width,
                        extra="、".join(_column_letter(i) for i in extra[:10]),
                    )
                )
        return found

    def value_problems(
        self, number: int, values: dict[str, Any], today: dt.date
    ) -> list[dict[str, Any]]:
        """Problems between validated values: future decision dates, ends before starts."""
        found: list[dict[str, Any]] = []
        decision = values.get(self.decision_field) if self.decision_field else None
        if decision is not None and _as_date(decision) > today:
            name, name_en = self.names.get(self.decision_field, (self.decision_field,) * 2)
            found.append(
                problem(
                    "future_date",
                    self.decision_field,
                    decision,
                    row=number,
                    name=name,
                    name_en=name_en,
                    today=today.isoformat(),
                )
            )
        for start_code, end_code in self.date_pairs:
            start, end = values.get(start_code), values.get(end_code)
            if start is None or end is None or _as_date(end) >= _as_date(start):
                continue
            name, name_en = self.names.get(end_code, (end_code, end_code))
            start_name, start_en = self.names.get(start_code, (start_code, start_code))
            found.append(
                problem(
                    "end_before_start",
                    end_code,
                    end,
                    row=number,
                    name=name,
                    name_en=name_en,
                    start=start_name,
                    start_en=start_en,
                    start_value=str(start),
                )
            )
        return found

    def duplicate_problem(self, number: int, key: str) -> dict[str, Any]:
        code = self.key_fields[0] if self.key_fields else ""
        name = "、".join(self.names.get(c, (c, c))[0] for c in self.key_fields) or code
        name_en = ", ".join(self.names.get(c, (c, c))[1] for c in self.key_fields) or code
        return problem("duplicate_in_file", code, key, row=number, name=name, name_en=name_en)


def today_in_hainan() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(SHANGHAI).date() if value.tzinfo else value.date()
    return value


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
