"""The ingestion pipeline end to end through the eager Celery task and the generic store."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from apps.ingestion.models import HeldRow, RejectedRow, RowStatus, SubmissionStatus
from apps.ingestion.services import create_submission, release_held_rows
from apps.records.models import GenericRecord
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


def _csv(rows, header="行政相对人名称,统一社会信用代码,行政许可决定文书号,许可决定日期"):
    return "\n".join([header, *rows]) + "\n"


def _submit(resource, dept, clerk, content: bytes, filename="data.csv", capture=None):
    with capture(execute=True):
        submission = create_submission(
            department=dept,
            resource=resource,
            content=content,
            filename=filename,
            channel="file",
            actor=clerk,
        )
    submission.refresh_from_db()
    return submission


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_with_chinese_headers_loads_in_each_encoding(
    resource, dept, clerk, enterprise, encoding, django_capture_on_commit_callbacks
):
    text = _csv([f"海南测试有限公司,{enterprise.uscc},琼许字〔2024〕1号,2024-03-01"])
    submission = _submit(
        resource, dept, clerk, text.encode(encoding), capture=django_capture_on_commit_callbacks
    )
    assert submission.status == SubmissionStatus.COMPLETED, submission.error
    assert submission.created_count == 1
    record = GenericRecord.objects.get()
    assert record.enterprise_id == enterprise.pk
    assert record.business_key == "琼许字〔2024〕1号"


def test_xlsx_with_the_older_dialect_headers_loads(
    resource, dept, clerk, enterprise, django_capture_on_commit_callbacks
):
    book = Workbook()
    sheet = book.active
    sheet.append(["XK_XDR", "行政相对人代码_1(统一社会信用代码)", "XK_WSH", "决定日期"])
    sheet.append(["海南测试有限公司", enterprise.uscc, "琼许字〔2024〕2号", "2024-03-02"])
    buffer = io.BytesIO()
    book.save(buffer)
    submission = _submit(
        resource, dept, clerk, buffer.getvalue(), "data.xlsx", django_capture_on_commit_callbacks
    )
    assert submission.status == SubmissionStatus.COMPLETED, submission.error
    assert submission.created_count == 1


def test_a_missing_required_column_refuses_the_file_naming_it(
    resource, dept, clerk, django_capture_on_commit_callbacks
):
    text = _csv(["海南测试有限公司,琼许字〔2024〕1号"], header="行政相对人名称,行政许可决定文书号")
    submission = _submit(
        resource, dept, clerk, text.encode(), capture=django_capture_on_commit_callbacks
    )
    assert submission.status == SubmissionStatus.FAILED
    assert "XK_XDR_SHXYM" in submission.error and "XK_JDRQ" in submission.error
    assert GenericRecord.objects.count() == 0


def test_a_bad_row_is_rejected_with_its_reasons_while_good_rows_load(
    resource, dept, clerk, enterprise, django_capture_on_commit_callbacks
):
    text = _csv(
        [
            f"海南测试有限公司,{enterprise.uscc},琼许字〔2024〕1号,2024-03-01",
            f"海南测试有限公司,{enterprise.uscc},琼许字〔2024〕3号,2024-13-45",
            "海南测试有限公司,9.13E+17,琼许字〔2024〕4号,2024-03-01",
        ]
    )
    submission = _submit(
        resource, dept, clerk, text.encode(), capture=django_capture_on_commit_callbacks
    )
    assert submission.status == SubmissionStatus.COMPLETED
    assert (submission.created_count, submission.rejected_count) == (1, 2)
    bad_date, mangled = RejectedRow.objects.order_by("row_number")
    assert bad_date.row_number == 2
    assert bad_date.problems[0]["field"] == "XK_JDRQ"
    assert bad_date.problems[0]["message_zh"]
    assert mangled.problems[0]["field"] == "XK_XDR_SHXYM"
    excel = [p for p in mangled.problems if p["rule"] == "excel_scientific"]
    assert excel and "Excel" in excel[0]["message_en"]


def test_the_same_file_twice_is_unchanged_the_second_time(
    resource, dept, clerk, enterprise, django_capture_on_commit_callbacks
):
    content = _csv([f"海南测试有限公司,{enterprise.uscc},琼许字〔2024〕1号,2024-03-01"]).encode()
    _submit(resource, dept, clerk, content, capture=django_capture_on_commit_callbacks)
    second = _submit(resource, dept, clerk, content, capture=django_capture_on_commit_callbacks)
    assert (second.created_count, second.unchanged_count) == (0, 1)
    assert GenericRecord.objects.count() == 1


def test_an_unknown_uscc_is_held_and_released_when_registered(
    resource, dept, clerk, django_capture_on_commit_callbacks
):
    unknown = EnterpriseFactory.build().uscc
    text = _csv([f"新设有限公司,{unknown},琼许字〔2024〕9号,2024-03-01"])
    submission = _submit(
        resource, dept, clerk, text.encode(), capture=django_capture_on_commit_callbacks
    )
    assert submission.held_count == 1
    assert GenericRecord.objects.count() == 0
    assert release_held_rows(unknown) == 0
    enterprise = EnterpriseFactory(uscc=unknown)
    assert release_held_rows(unknown) == 1
    assert GenericRecord.objects.get().enterprise_id == enterprise.pk
    assert HeldRow.objects.get().status == RowStatus.RELEASED


def test_a_file_larger_than_one_chunk_loads_every_row_in_one_submission(
    resource, dept, clerk, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.ingestion import services

    monkeypatch.setattr(services, "CHUNK_SIZE", 3)
    enterprise = EnterpriseFactory()
    rows = [f"海南测试有限公司,{enterprise.uscc},琼许字〔2024〕{n}号,2024-03-01" for n in range(10)]
    submission = _submit(
        resource, dept, clerk, _csv(rows).encode(), capture=django_capture_on_commit_callbacks
    )
    assert (submission.total, submission.created_count) == (10, 10)
    assert GenericRecord.objects.filter(submission_id=submission.pk).count() == 10


def test_the_periodic_task_releases_held_rows_of_registered_entities(
    resource, dept, clerk, django_capture_on_commit_callbacks
):
    from apps.ingestion.tasks import release_held_rows_task

    unknown = EnterpriseFactory.build().uscc
    text = _csv([f"新设有限公司,{unknown},琼许字〔2024〕9号,2024-03-01"])
    _submit(resource, dept, clerk, text.encode(), capture=django_capture_on_commit_callbacks)
    assert release_held_rows_task() == 0
    EnterpriseFactory(uscc=unknown)
    assert release_held_rows_task() == 1
    assert GenericRecord.objects.count() == 1


def test_processing_a_finished_submission_again_changes_nothing(
    resource, dept, clerk, django_capture_on_commit_callbacks
):
    from apps.ingestion.services import process_submission

    enterprise = EnterpriseFactory()
    text = _csv([f"海南测试有限公司,{enterprise.uscc},琼许字〔2024〕1号,2024-03-01"])
    submission = _submit(
        resource, dept, clerk, text.encode(), capture=django_capture_on_commit_callbacks
    )
    again = process_submission(submission.pk)
    assert (again.status, again.created_count, again.unchanged_count) == ("completed", 1, 0)


def test_a_dry_run_submission_is_not_processed_until_confirmed(resource, dept, clerk):
    from apps.ingestion.services import process_submission
    from tests.factories.ingestion import SubmissionFactory

    submission = SubmissionFactory(resource=resource, department=dept)
    assert process_submission(submission.pk).status == SubmissionStatus.DRY_RUN
