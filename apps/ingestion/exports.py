"""The problem-data download: open rejected rows of one resource as an Excel workbook.

One column per catalogue field (Chinese names, so the file re-uploads as it
is), then 错误说明 (every problem of the row) and 问题行编号 (the queue entry;
a re-uploaded row carrying it closes that entry once it loads or is held).

Cells starting with ``=``, ``+``, ``-`` or ``@`` (and tab or carriage return)
are neutralised with a leading single quote, so a spreadsheet program never
runs a value a department submitted as a formula ("CSV injection"). The
pipeline strips that quote again from re-uploaded rows that carry a
问题行编号.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

from apps.ingestion.models import RejectedRow

#: Extra columns of the download: every problem, and the queue entry a re-uploaded row fixes.
ERROR_HEADER = "错误说明"
PROBLEM_ID_HEADER = "问题行编号"

#: First characters a spreadsheet takes as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value, with a leading quote if a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(value: Any) -> Any:
    """Undo :func:`neutralise` (for re-uploaded problem files)."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def problem_text(problems: list[dict[str, Any]], *, english: bool = False) -> str:
    """Every problem of a row on one line, in the reader's language."""
    key = "message_en" if english else "message_zh"
    return "；".join(str(p.get(key) or p.get("message_zh") or "") for p in problems)


def problem_workbook(version, rows: Iterable[RejectedRow], *, english: bool = False):
    """A temporary file holding the workbook (write-only mode: memory stays flat)."""
    specs = list(version.fields.order_by("order", "pk"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=version.resource.code[:31])
    sheet.append([spec.name for spec in specs] + [ERROR_HEADER, PROBLEM_ID_HEADER])
    for row in rows:
        values = row.raw_values or {}
        sheet.append(
            [neutralise(values.get(spec.code)) for spec in specs]
            + [neutralise(problem_text(row.problems, english=english)), str(row.pk)]
        )
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (closed by the FileResponse)
    book.save(handle)
    handle.seek(0)
    return handle
