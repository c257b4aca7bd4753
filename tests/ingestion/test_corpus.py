"""The bad-input corpus: every case ends with a clear message, never a crashed worker.

Files are generated here (small, deterministic). Row-level problems name the
row (RejectedRow.row_number, and "第 N 行" in the message of the pipeline's
own rules), the field (code) and the rule; the good rows of the same file load.
Whole-file problems fail the submission with a message saying what to do.
"""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from apps.ingestion import parsing
from apps.ingestion.models import RejectedRow, SubmissionStatus
from apps.ingestion.rowchecks import today_in_hainan
from apps.ingestion.services import create_submission
from apps.records.models import GenericRecord
from tests.factories.enterprises import EnterpriseFactory
from tests.ingestion.conftest import RICH_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def run(rich_resource, dept, clerk, django_capture_on_commit_callbacks):
    """Submit content through the real task (eager) and return the refreshed submission."""

    def _run(content: bytes, filename: str = "data.csv", content_type: str = "text/csv"):
        with django_capture_on_commit_callbacks(execute=True):
            submission = create_submission(
                department=dept,
                resource=rich_resource,
                content=content,
                filename=filename,
                content_type=content_type,
                channel="file",
                actor=clerk,
            )
        submission.refresh_from_db()
        return submission

    return _run


def good(enterprise, n: int) -> str:
    return f"海南好数据{n}有限公司,{enterprise.uscc},琼许字〔2024〕{n}号,2024-03-01,普通,2024-03-01,2027-02-28,食品经营"


def csv_of(*rows: str) -> bytes:
    return ("\n".join([RICH_HEADER, *rows]) + "\n").encode()


def problems_by_row() -> dict[int, list[dict]]:
    return {r.row_number: r.problems for r in RejectedRow.objects.order_by("row_number")}


def rules(problems: list[dict]) -> set[tuple[str, str]]:
    return {(p["field"], p["rule"]) for p in problems}


def xlsx(rows: list[list], *, merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- whole-file problems -------------------------------------------------------------


def test_an_empty_file_fails_with_a_message(run):
    submission = run(b"")
    assert submission.status == SubmissionStatus.FAILED
    assert "文件为空" in submission.error


def test_a_header_only_file_fails_with_a_message(run):
    submission = run(csv_of())
    assert submission.status == SubmissionStatus.FAILED
    assert "只有表头" in submission.error


def test_wrongly_declared_encoding_is_ignored_and_the_charset_detected(run, enterprise):
    # GB18030 bytes sent as "UTF-8": the declaration is not trusted, the bytes are.
    submission = run(
        csv_of(good(enterprise, 1)).decode().encode("gb18030"),
        content_type="text/csv; charset=utf-8",
    )
    assert submission.status == SubmissionStatus.COMPLETED, submission.error
    assert GenericRecord.objects.get().subject_name == "海南好数据1有限公司"


def test_a_file_mixing_encodings_fails_naming_the_row(run, enterprise):
    head = csv_of(*[good(enterprise, n) for n in range(1, 3000)])
    tail = "混入的GBK行,x,y,2024-03-01,普通,,,\n".encode("gbk")
    submission = run(head + tail)
    assert submission.status == SubmissionStatus.FAILED
    assert "无法按 utf-8 解码" in submission.error and "第 " in submission.error


def test_binary_junk_named_xlsx_fails_as_not_an_xlsx(run):
    submission = run(bytes(range(256)) * 40, filename="data.xlsx")
    assert submission.status == SubmissionStatus.FAILED
    assert "不是有效的 XLSX" in submission.error


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(run, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (32 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200 * 1024

    def no_parsing(*args, **kwargs):
        raise AssertionError("the workbook must not be parsed")

    monkeypatch.setattr("openpyxl.load_workbook", no_parsing)
    submission = run(buffer.getvalue(), filename="bomb.xlsx")
    assert submission.status == SubmissionStatus.FAILED
    assert "压缩炸弹" in submission.error and "sheet1.xml" in submission.error


def test_an_xlsx_too_large_when_expanded_is_refused(run, enterprise, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_XLSX_UNCOMPRESSED", 1000)
    content = xlsx([RICH_HEADER.split(","), good(enterprise, 1).split(",")])
    submission = run(content, filename="data.xlsx")
    assert submission.status == SubmissionStatus.FAILED
    assert "超过上限 1000 字节" in submission.error


def test_merged_header_cells_fail_naming_the_missing_columns_and_the_cause(run, enterprise):
    header = ["行政相对人名称", "统一社会信用代码", None, "许可决定日期", "许可类别"]
    content = xlsx(
        [header, good(enterprise, 1).split(",")[:5]],
        merge="B1:C1",  # 统一社会信用代码 spread over the 文书号 column
    )
    submission = run(content, filename="data.xlsx")
    assert submission.status == SubmissionStatus.FAILED
    assert "XK_XKWS" in submission.error and "行政许可决定文书号" in submission.error
    assert "合并单元格" in submission.error and "第 C 列" in submission.error


# -- row problems: the good rows still load -------------------------------------------


def test_formulas_are_rejected_per_cell_and_good_rows_load(run, enterprise):
    content = xlsx(
        [
            RICH_HEADER.split(","),
            good(enterprise, 1).split(","),
            [*good(enterprise, 2).split(",")[:3], "=DATE(2024,3,1)", "普通"],
        ]
    )
    submission = run(content, filename="data.xlsx")
    assert submission.status == SubmissionStatus.COMPLETED, submission.error
    assert (submission.created_count, submission.rejected_count) == (1, 1)
    problems = problems_by_row()[2]
    assert ("XK_JDRQ", "formula") in rules(problems)
    formula = next(p for p in problems if p["rule"] == "formula")
    assert "第 2 行" in formula["message_zh"] and "许可决定日期" in formula["message_zh"]
    assert "Row 2" in formula["message_en"]


def test_a_fifty_column_row_is_rejected_and_good_rows_load(run, enterprise):
    wide = ",".join([good(enterprise, 2)] + [f"x{n}" for n in range(42)])
    assert len(wide.split(",")) == 50
    submission = run(csv_of(good(enterprise, 1), wide, good(enterprise, 3)))
    assert (submission.created_count, submission.rejected_count) == (2, 1)
    problem = next(p for p in problems_by_row()[2] if p["rule"] == "extra_cells")
    assert "第 2 行有 50 列" in problem["message_zh"] and "8 列" in problem["message_zh"]


def test_duplicated_rows_within_a_file_reject_the_later_ones(run, enterprise):
    submission = run(csv_of(good(enterprise, 1), good(enterprise, 2), good(enterprise, 1)))
    assert (submission.created_count, submission.rejected_count) == (2, 1)
    problems = problems_by_row()[3]
    assert rules(problems) == {("XK_XKWS", "duplicate_in_file")}
    assert (
        "第 3 行" in problems[0]["message_zh"] and "琼许字〔2024〕1号" in problems[0]["message_zh"]
    )


def test_invalid_and_excel_mangled_usccs_are_rejected_with_the_reason(run, enterprise):
    bad_check = enterprise.uscc[:-1] + ("0" if enterprise.uscc[-1] != "0" else "1")
    rows = [
        good(enterprise, 1),
        good(enterprise, 2).replace(enterprise.uscc, bad_check),
        good(enterprise, 3).replace(enterprise.uscc, "9.14601E+17"),
        good(enterprise, 4).replace(enterprise.uscc, "914601000000000000"),
    ]
    submission = run(csv_of(*rows))
    assert (submission.created_count, submission.rejected_count) == (1, 3)
    found = problems_by_row()
    assert ("XK_XDR_SHXYM", "uscc_invalid") in rules(found[2])
    assert ("XK_XDR_SHXYM", "excel_scientific") in rules(found[3])
    assert ("XK_XDR_SHXYM", "excel_rounded") in rules(found[4])
    assert all(p["message_zh"] and p["message_en"] for row in found.values() for p in row)


def test_excel_numeric_uscc_cells_in_xlsx_are_flagged_not_fixed(run, enterprise):
    row = good(enterprise, 2).split(",")
    row[1] = 9.14601e17
    submission = run(
        xlsx([RICH_HEADER.split(","), good(enterprise, 1).split(","), row]), filename="d.xlsx"
    )
    assert (submission.created_count, submission.rejected_count) == (1, 1)
    assert ("XK_XDR_SHXYM", "excel_scientific") in rules(problems_by_row()[2])


def test_dates_in_the_future_are_rejected(run, enterprise):
    future = (today_in_hainan() + datetime.timedelta(days=40)).isoformat()
    row = good(enterprise, 2).replace(",2024-03-01,普通", f",{future},普通")
    submission = run(csv_of(good(enterprise, 1), row))
    assert (submission.created_count, submission.rejected_count) == (1, 1)
    problem = problems_by_row()[2][0]
    assert (problem["field"], problem["rule"]) == ("XK_JDRQ", "future_date")
    assert "第 2 行" in problem["message_zh"] and future in problem["message_zh"]


def test_an_end_before_its_start_is_rejected(run, enterprise):
    row = good(enterprise, 2).replace("2024-03-01,2027-02-28", "2024-03-01,2023-12-31")
    submission = run(csv_of(good(enterprise, 1), row))
    assert (submission.created_count, submission.rejected_count) == (1, 1)
    problem = problems_by_row()[2][0]
    assert (problem["field"], problem["rule"]) == ("XK_YXQZI", "end_before_start")
    assert "有效期至" in problem["message_zh"] and "有效期自" in problem["message_zh"]


def test_unknown_enumeration_codes_are_rejected_listing_the_codes(run, enterprise):
    row = good(enterprise, 2).replace(",普通,", ",临时,")
    submission = run(csv_of(good(enterprise, 1), row))
    assert (submission.created_count, submission.rejected_count) == (1, 1)
    problem = problems_by_row()[2][0]
    assert (problem["field"], problem["rule"]) == ("XK_XKLB", "enum")
    assert "临时" in problem["message_zh"] and "特许" in problem["message_zh"]


def test_the_whole_corpus_in_one_file_loads_only_the_good_rows(run, enterprise):
    future = (today_in_hainan() + datetime.timedelta(days=3)).isoformat()
    rows = [
        good(enterprise, 1),
        good(enterprise, 1),  # duplicate
        good(enterprise, 3).replace(enterprise.uscc, "9.14601E+17"),
        good(enterprise, 4).replace(",2024-03-01,普通", f",{future},普通"),
        good(enterprise, 5).replace("2024-03-01,2027-02-28", "2024-03-01,2020-01-01"),
        good(enterprise, 6).replace(",普通,", ",无此代码,"),
        ",".join([good(enterprise, 7)] + ["x"] * 42),
        good(enterprise, 8),
    ]
    submission = run(csv_of(*rows))
    assert submission.status == SubmissionStatus.COMPLETED
    assert (submission.total, submission.created_count, submission.rejected_count) == (8, 2, 6)
    assert sorted(GenericRecord.objects.values_list("business_key", flat=True)) == [
        "琼许字〔2024〕1号",
        "琼许字〔2024〕8号",
    ]
