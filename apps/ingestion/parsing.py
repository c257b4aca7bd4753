"""Reading a submission's raw content as rows: CSV (charset detected), XLSX, JSON.

Everything streams: a CSV is decoded and split as it is read, an XLSX is read
with openpyxl's read-only parser, so memory does not grow with the file. An
XLSX is a zip archive; its declared uncompressed sizes are checked *before*
anything is decompressed, so a "zip bomb" is refused without being expanded.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

from charset_normalizer import from_bytes
from django.utils.translation import gettext

#: Bytes sniffed for the charset of a CSV file.
SNIFF_BYTES = 64 * 1024
#: Largest total uncompressed size of an XLSX archive (all members).
MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024
#: Largest compression ratio of one XLSX member above RATIO_FLOOR bytes (bombs reach 1000+).
MAX_XLSX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
#: Largest CSV field (bytes); csv's default of 128 KiB is too small for long 违法事实 texts.
MAX_FIELD = 1024 * 1024

csv.field_size_limit(MAX_FIELD)


class SubmissionRefused(Exception):
    """The whole submission cannot be processed (empty, not a spreadsheet, columns missing ...)."""


class Formula(str):
    """The text of an XLSX formula cell (``=SUM(A1:A3)``); never taken as a value."""


def detect_encoding(head: bytes) -> str:
    """The charset of a CSV from its first bytes: UTF-8 (with or without BOM), else GB18030."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sniff boundary is still UTF-8.
        if exc.start >= len(head) - 3:
            return "utf-8"
    best = from_bytes(head).best()
    encoding = best.encoding if best else "gb18030"
    # GB18030 is a superset of GBK and GB2312: decode with it whatever was guessed.
    if encoding.lower() in {"gbk", "gb2312", "cp936", "big5"}:
        encoding = "gb18030"
    return encoding


def check_xlsx_archive(handle) -> None:
    """Refuse an XLSX that is not a zip archive, or whose members would expand too far.

    Only the archive's central directory is read (declared sizes); nothing is
    decompressed here.
    """
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SubmissionRefused(
            gettext("文件不是有效的 XLSX 文件（Excel 2007 及以上格式），无法读取：{reason}").format(
                reason=exc
            )
        ) from None
    with archive:
        names = {info.filename for info in archive.infolist()}
        if "[Content_Types].xml" not in names:
            raise SubmissionRefused(
                gettext("文件不是有效的 XLSX 文件：压缩包中没有 [Content_Types].xml。")
            )
        total = 0
        for info in archive.infolist():
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > MAX_XLSX_RATIO:
                raise SubmissionRefused(
                    gettext(
                        "XLSX 文件中的“{member}”解压后 {size} 字节，压缩比 {ratio:.0f} 倍，"
                        "超过上限 {limit} 倍（疑似压缩炸弹），拒绝处理。"
                    ).format(
                        member=info.filename,
                        size=info.file_size,
                        ratio=ratio,
                        limit=MAX_XLSX_RATIO,
                    )
                )
        if total > MAX_XLSX_UNCOMPRESSED:
            raise SubmissionRefused(
                gettext(
                    "XLSX 文件解压后共 {size} 字节，超过上限 {limit} 字节（疑似压缩炸弹），"
                    "拒绝处理；请拆分文件或改用 CSV。"
                ).format(size=total, limit=MAX_XLSX_UNCOMPRESSED)
            )
    handle.seek(0)


def file_format(filename: str, content_type: str) -> str:
    """``xlsx``, ``json`` or ``csv`` from the name (and the content type for API pushes)."""
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if name.endswith(".json") or content_type.startswith("application/json"):
        return "json"
    return "csv"


def _csv_rows(handle) -> Iterator[list[Any]]:
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    encoding = detect_encoding(head)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    reader = csv.reader(text)
    line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise SubmissionRefused(
                gettext(
                    "第 {row} 行之后的内容无法按 {encoding} 解码：文件混用了多种字符编码，"
                    "请整体另存为 UTF-8 或 GB18030 后重新上传。"
                ).format(row=line, encoding=encoding)
            ) from None
        except csv.Error as exc:
            raise SubmissionRefused(
                gettext("第 {row} 行不是有效的 CSV：{reason}").format(row=line + 1, reason=exc)
            ) from None
        line += 1
        yield row


def _xlsx_rows(handle) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    check_xlsx_archive(handle)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a broken archive
        raise SubmissionRefused(
            gettext("XLSX 文件已损坏，无法读取：{reason}").format(reason=exc)
        ) from None
    try:
        for row in workbook.active.iter_rows():
            values = []
            for cell in row:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" and value is not None:
                    value = Formula(value)
                values.append(value)
            yield values
    finally:
        workbook.close()


def _json_rows(handle) -> Iterator[list[Any]]:
    try:
        records = json.load(handle)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SubmissionRefused(gettext("JSON 内容无法解析：{reason}").format(reason=exc)) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise SubmissionRefused(gettext("JSON 内容应为记录（对象）的列表。"))
    headers: list[str] = []
    for record in records:
        for key in record:
            if key not in headers:
                headers.append(key)
    yield headers
    for record in records:
        yield [record.get(key) for key in headers]


def iter_table(raw_file, *, filename: str, content_type: str = "") -> Iterator[list[Any]]:
    """Stream the rows (header first) of a stored raw file; never reads it whole.

    Raises :class:`SubmissionRefused` for content that cannot be read at all.
    """
    handle = raw_file.storage.open(raw_file.name, "rb")
    try:
        if raw_file.size == 0:
            raise SubmissionRefused(gettext("文件为空（0 字节），没有表头和数据。"))
        kind = file_format(filename, content_type)
        if kind == "xlsx":
            yield from _xlsx_rows(handle)
        elif kind == "json":
            yield from _json_rows(handle)
        else:
            yield from _csv_rows(handle)
    finally:
        handle.close()


def estimate_rows(raw_file, *, filename: str, content_type: str = "") -> int:
    """Data rows to expect (for the progress bar); exact once processing ends.

    CSV: line breaks counted in 1 MiB blocks (a quoted line break makes it an
    over-estimate); XLSX: the sheet's declared dimension; JSON: the list length.
    """
    kind = file_format(filename, content_type)
    handle = raw_file.storage.open(raw_file.name, "rb")
    try:
        if kind == "csv":
            lines, last = 0, b""
            while block := handle.read(1024 * 1024):
                lines += block.count(b"\n")
                last = block
            if last and not last.endswith(b"\n"):
                lines += 1
            return max(lines - 1, 0)
        if kind == "json":
            return 0  # the JSON is parsed once, by the pipeline; the total comes with it
        from openpyxl import load_workbook

        check_xlsx_archive(handle)
        workbook = load_workbook(handle, read_only=True)
        try:
            return max((workbook.active.max_row or 1) - 1, 0)
        finally:
            workbook.close()
    except (SubmissionRefused, Exception):  # noqa: BLE001  (the pipeline reports it properly)
        return 0
    finally:
        handle.close()
