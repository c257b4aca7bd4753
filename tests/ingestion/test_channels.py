"""Web-form channel, live progress, the problem-data download and re-upload, home panel."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from apps.catalogue.validation import validator_for
from apps.enterprises.choices import RecordChannel
from apps.ingestion.exports import neutralise, unneutralise
from apps.ingestion.fastpath import FastRowValidator
from apps.ingestion.models import RejectedRow, RowStatus, Submission, SubmissionStatus
from apps.ingestion.services import create_submission
from apps.records.models import GenericRecord, RecordRevision
from tests.factories.enterprises import EnterpriseFactory
from tests.ingestion.conftest import RICH_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


def _form_data(enterprise, **changes):
    data = {
        "XK_XDR_MC": "海南表单录入有限公司",
        "XK_XDR_SHXYM": enterprise.uscc,
        "XK_XKWS": "琼许字〔2024〕100号",
        "XK_JDRQ": "2024-03-01",
        "XK_XKLB": "普通",
        "XK_YXQZ": "2024-03-01",
        "XK_YXQZI": "2027-02-28",
        "XK_NR": "食品经营",
    }
    data.update(changes)
    return data


# -- web form ---------------------------------------------------------------------


def test_the_entry_form_is_generated_from_the_published_version(login, clerk, rich_resource):
    client = login(clerk)
    chooser = client.get("/ingestion/entry/")
    assert rich_resource.code in chooser.content.decode()
    page = client.get(f"/ingestion/entry/{rich_resource.pk}/")
    body = page.content.decode()
    # One field per FieldSpec, the code table as a select, dates as date inputs, required marks.
    for code in ("XK_XDR_MC", "XK_XDR_SHXYM", "XK_XKWS", "XK_JDRQ", "XK_YXQZ", "XK_NR"):
        assert f'name="{code}"' in body
    assert '<select name="XK_XKLB"' in body and '<option value="特许">' in body
    assert 'type="date" name="XK_JDRQ"' in body
    assert body.count('title="必填"') == 5  # 名称, 代码, 文书号, 决定日期, 许可类别
    assert "<textarea" in body


def test_a_valid_record_goes_through_the_pipeline_and_the_page_shows_its_outcome(
    login, clerk, rich_resource, enterprise, django_capture_on_commit_callbacks
):
    client = login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ingestion/entry/{rich_resource.pk}/", _form_data(enterprise))
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ingestion/submissions/{submission.pk}/"
    assert submission.channel == RecordChannel.FORM
    assert (submission.status, submission.created_count) == (SubmissionStatus.COMPLETED, 1)
    record = GenericRecord.objects.get()
    assert record.channel == RecordChannel.FORM and record.enterprise_id == enterprise.pk
    detail = client.get(response["Location"]).content.decode()
    assert "已完成" in detail and "100%" in detail


def test_field_errors_are_shown_next_to_each_field_in_chinese(login, clerk, rich_resource):
    client = login(clerk)
    code = EnterpriseFactory.build().uscc
    data = _form_data(
        EnterpriseFactory.build(),
        XK_XDR_SHXYM=code[:-1] + ("1" if code[-1] != "1" else "2"),
        XK_JDRQ="2024-02-30",
        XK_XKLB="",
        XK_YXQZI="2023-01-01",
    )
    response = client.post(f"/ingestion/entry/{rich_resource.pk}/", data)
    assert response.status_code == 200
    assert Submission.objects.count() == 0
    errors = response.context["form"].errors
    assert "不是有效的统一社会信用代码" in errors["XK_XDR_SHXYM"][0]
    assert "不是有效日期" in errors["XK_JDRQ"][0]
    assert errors["XK_XKLB"]  # required
    body = response.content.decode()
    assert 'id="id_XK_JDRQ-errors"' in body


def test_cross_field_rules_apply_to_the_form_too(login, clerk, rich_resource, enterprise):
    client = login(clerk)
    response = client.post(
        f"/ingestion/entry/{rich_resource.pk}/", _form_data(enterprise, XK_YXQZI="2023-01-01")
    )
    assert "早于“有效期自”" in response.context["form"].errors["XK_YXQZI"][0]
    assert Submission.objects.count() == 0


def test_another_departments_resource_is_not_offered(login, other_clerk, rich_resource):
    client = login(other_clerk)
    assert client.get(f"/ingestion/entry/{rich_resource.pk}/").status_code == 404


# -- progress ---------------------------------------------------------------------


def test_progress_is_stored_per_chunk_and_served_as_json(
    login, clerk, dept, rich_resource, enterprise, monkeypatch
):
    from apps.ingestion import services

    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    seen: list[tuple[int, int, int]] = []

    def record_progress(submission_id, checkpoint):
        s = Submission.objects.get(pk=submission_id)
        seen.append((checkpoint, s.progress, s.created_count))

    monkeypatch.setattr(services, "chunk_committed", record_progress)
    rows = [
        f"海南{n}有限公司,{enterprise.uscc},琼许字〔2024〕{n}号,2024-03-01,普通,,,"
        for n in range(5)
    ]
    content = ("\n".join([RICH_HEADER, *rows]) + "\n").encode()
    submission = create_submission(
        department=dept,
        resource=rich_resource,
        content=content,
        filename="d.csv",
        channel="file",
        actor=clerk,
        dry_run=True,
    )
    client = login(clerk)
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.RECEIVED)
    running = client.get(f"/ingestion/submissions/{submission.pk}/status/").json()
    assert running["running"] is True and running["percent"] == 0
    page = client.get(f"/ingestion/submissions/{submission.pk}/").content.decode()
    assert 'data-running="true"' in page and 'http-equiv="refresh"' in page
    assert "ingestion/progress.js" in page

    services.process_submission(submission.pk)
    assert seen == [(2, 2, 2), (4, 4, 4), (5, 5, 5)]
    done = client.get(f"/ingestion/submissions/{submission.pk}/status/").json()
    assert done["status"] == "completed" and done["percent"] == 100
    assert (done["progress"], done["total"], done["created"]) == (5, 5, 5)
    page = client.get(f"/ingestion/submissions/{submission.pk}/").content.decode()
    assert 'data-running="false"' in page and 'http-equiv="refresh"' not in page


def test_the_status_of_another_departments_submission_is_not_found(
    login, other_clerk, rich_resource, dept, clerk
):
    submission = create_submission(
        department=dept,
        resource=rich_resource,
        content=b"x",
        filename="d.csv",
        channel="file",
        actor=clerk,
        dry_run=True,
    )
    client = login(other_clerk)
    assert client.get(f"/ingestion/submissions/{submission.pk}/status/").status_code == 404


# -- problem-data queue: download, re-upload, panel --------------------------------


def test_neutralise_prefixes_formula_starts_and_round_trips():
    for text in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)"):
        assert neutralise(text) == "'" + text
        assert unneutralise(neutralise(text)) == text
    assert neutralise("海南") == "海南" and neutralise(None) is None


def _with_problems(rich_resource, dept, clerk, enterprise, capture):
    rows = [
        f"海南好有限公司,{enterprise.uscc},琼许字〔2024〕1号,2024-03-01,普通,,,正常",
        f'=HYPERLINK("http://x"),{enterprise.uscc},琼许字〔2024〕2号,2024-02-30,普通,,,+恶意',
        f"@坏类别,{enterprise.uscc},琼许字〔2024〕3号,2024-03-01,临时,,,-x",
    ]
    content = ("\n".join([RICH_HEADER, *rows]) + "\n").encode()
    with capture(execute=True):
        return create_submission(
            department=dept,
            resource=rich_resource,
            content=content,
            filename="d.csv",
            channel="file",
            actor=clerk,
        )


def test_problem_rows_download_as_excel_with_an_error_column_and_neutralised_cells(
    login, clerk, dept, rich_resource, enterprise, django_capture_on_commit_callbacks
):
    _with_problems(rich_resource, dept, clerk, enterprise, django_capture_on_commit_callbacks)
    client = login(clerk)
    listing = client.get("/ingestion/problems/").content.decode()
    assert f"/ingestion/problems/export/?resource={rich_resource.pk}" in listing
    response = client.get(f"/ingestion/problems/export/?resource={rich_resource.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[-2:] == ["错误说明", "问题行编号"] and header[0] == "行政相对人名称"
    assert len(rows) == 3
    by_id = {row[-1]: row for row in rows[1:]}
    bad_date = by_id[str(RejectedRow.objects.get(row_number=2).pk)]
    assert bad_date[0] == '\'=HYPERLINK("http://x")'
    assert bad_date[header.index("许可内容")] == "'+恶意"
    assert "许可决定日期" in bad_date[-2]
    assert by_id[str(RejectedRow.objects.get(row_number=3).pk)][0] == "'@坏类别"
    # No cell of the workbook is a formula.
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_a_fixed_download_re_uploaded_loads_and_closes_the_queue_entries(
    login, clerk, dept, rich_resource, enterprise, django_capture_on_commit_callbacks
):
    _with_problems(rich_resource, dept, clerk, enterprise, django_capture_on_commit_callbacks)
    client = login(clerk)
    response = client.get(f"/ingestion/problems/export/?resource={rich_resource.pk}")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        cells["许可决定日期"].value = "2024-02-28"
        cells["许可类别"].value = "特许"
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("fixed.xlsx", buffer.getvalue())
    client.post("/ingestion/upload/", {"resource": rich_resource.pk, "file": upload})
    fixed = Submission.objects.latest("pk")
    preview = client.get(f"/ingestion/submissions/{fixed.pk}/preview/").content.decode()
    assert "错误说明" not in preview  # the extra columns are not reported as unknown
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ingestion/submissions/{fixed.pk}/preview/")
    fixed.refresh_from_db()
    assert (fixed.created_count, fixed.rejected_count) == (2, 0), fixed.error
    assert fixed.unknown_columns == []
    assert set(RejectedRow.objects.values_list("status", flat=True)) == {RowStatus.CORRECTED}
    assert set(RejectedRow.objects.values_list("corrected_in", flat=True)) == {fixed.pk}
    # The neutralising quote is gone from the loaded values.
    names = set(GenericRecord.objects.values_list("subject_name", flat=True))
    assert '=HYPERLINK("http://x")' in names and "@坏类别" in names
    assert client.get("/ingestion/problems/").context["page"].paginator.count == 0


def test_a_corrected_row_replaces_the_old_record_with_history(
    login, clerk, dept, rich_resource, enterprise, django_capture_on_commit_callbacks
):
    _with_problems(rich_resource, dept, clerk, enterprise, django_capture_on_commit_callbacks)
    rows = [f"海南好有限公司,{enterprise.uscc},琼许字〔2024〕1号,2024-03-01,特许,,,已变更"]
    content = ("\n".join([RICH_HEADER, *rows]) + "\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        again = create_submission(
            department=dept,
            resource=rich_resource,
            content=content,
            filename="d2.csv",
            channel="file",
            actor=clerk,
        )
    again.refresh_from_db()
    assert again.updated_count == 1
    record = GenericRecord.objects.get(business_key="琼许字〔2024〕1号")
    assert record.payload["XK_XKLB"] == "特许"
    revision = RecordRevision.objects.get()
    assert revision.before["payload"]["XK_XKLB"] == "普通"


def test_the_home_page_counts_problem_rows_per_department(
    login, clerk, other_clerk, dept, rich_resource, enterprise, django_capture_on_commit_callbacks
):
    _with_problems(rich_resource, dept, clerk, enterprise, django_capture_on_commit_callbacks)
    home = login(clerk).get("/").content.decode()
    assert 'id="ingestion-problems"' in home
    assert "待处理拒收行 2 条，暂存行 0 条" in home and dept.name in home
    other_home = login(other_clerk).get("/").content.decode()
    assert 'id="ingestion-problems"' not in other_home


# -- the validator's fast path agrees with the full validator -----------------------


def test_the_fast_path_gives_the_full_validators_values_or_defers_to_it(rich_resource):
    validator = validator_for(rich_resource.current_version)
    fast = FastRowValidator(validator)
    enterprise = EnterpriseFactory.build()
    base = {
        "XK_XDR_MC": " 海南ＡＢＣ有限公司 ",
        "XK_XDR_SHXYM": enterprise.uscc.lower(),
        "XK_XKWS": "琼许字〔2024〕1号",
        "XK_JDRQ": "2024年3月1日",
        "XK_XKLB": "普通",
        "XK_YXQZ": "20240301",
        "XK_YXQZI": "",
        "XK_NR": None,
    }
    for _ in range(2):  # the second pass answers from the memo
        assert fast.values(base) == validator.validate(base).values
    for broken in ({"XK_JDRQ": "2024-02-30"}, {"XK_XKLB": "临时"}, {"XK_XDR_MC": "  "}):
        row = {**base, **broken}
        assert validator.validate(row).problems
        assert fast.values(row) is None


# -- submissions list ---------------------------------------------------------------


def test_the_submissions_list_filters_by_status_and_channel_and_stays_scoped(
    login, clerk, other_clerk, dept, rich_resource
):
    def stored(channel, status):
        submission = create_submission(
            department=dept,
            resource=rich_resource,
            content=b"x",
            filename="d.csv",
            channel=channel,
            actor=clerk,
            dry_run=True,
        )
        Submission.objects.filter(pk=submission.pk).update(status=status)
        return submission

    failed = stored(RecordChannel.FILE, SubmissionStatus.FAILED)
    done = stored(RecordChannel.FORM, SubmissionStatus.COMPLETED)
    client = login(clerk)
    listed = client.get("/ingestion/?status=failed").context["page"].object_list
    assert [s.pk for s in listed] == [failed.pk]
    listed = client.get("/ingestion/?channel=form").context["page"].object_list
    assert [s.pk for s in listed] == [done.pk]
    assert len(client.get("/ingestion/").context["page"].object_list) == 2
    assert not login(other_clerk).get("/ingestion/").context["page"].object_list
