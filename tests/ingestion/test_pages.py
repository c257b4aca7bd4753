"""Staff pages: upload with preview and confirm, lists, correction and withdrawal."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.catalogue.models import ObligedSupplier
from apps.ingestion.models import RejectedRow, RowStatus, Submission, SubmissionStatus
from apps.records.models import GenericRecord
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db

HEADER = "行政相对人名称,统一社会信用代码,行政许可决定文书号,许可决定日期"


@pytest.fixture
def supplied(resource, dept):
    ObligedSupplier.objects.create(version=resource.current_version, department=dept, levels=[])
    return resource


def _upload(client, resource, text, name="data.csv"):
    upload = SimpleUploadedFile(name, text.encode("gbk"), content_type="text/csv")
    return client.post("/ingestion/upload/", {"resource": resource.pk, "file": upload})


def test_upload_previews_problems_and_confirm_runs_the_file(
    login, clerk, supplied, django_capture_on_commit_callbacks
):
    client = login(clerk)
    enterprise = EnterpriseFactory()
    text = "\n".join(
        [
            HEADER + ",备注",
            f"海南测试有限公司,{enterprise.uscc},琼许字〔2024〕1号,2024-03-01,x",
            f"海南测试有限公司,{enterprise.uscc},琼许字〔2024〕2号,2024-02-30,y",
        ]
    )
    response = _upload(client, supplied, text)
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert submission.status == SubmissionStatus.DRY_RUN
    preview = client.get(f"/ingestion/submissions/{submission.pk}/preview/")
    body = preview.content.decode()
    assert "备注" in body and "XK_JDRQ" in body
    assert GenericRecord.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ingestion/submissions/{submission.pk}/preview/")
    submission.refresh_from_db()
    assert (submission.created_count, submission.rejected_count) == (1, 1)
    detail = client.get(f"/ingestion/submissions/{submission.pk}/")
    assert "XK_JDRQ" in detail.content.decode()


def test_a_rejected_row_is_corrected_and_loaded(
    login, clerk, supplied, django_capture_on_commit_callbacks
):
    client = login(clerk)
    enterprise = EnterpriseFactory()
    text = "\n".join([HEADER, f"海南测试有限公司,{enterprise.uscc},琼许字〔2024〕2号,2024-02-30"])
    _upload(client, supplied, text)
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ingestion/submissions/{submission.pk}/preview/")
    row = RejectedRow.objects.get()
    assert client.get("/ingestion/problems/").status_code == 200
    values = dict(row.raw_values, XK_JDRQ="2024-02-28")
    response = client.post(f"/ingestion/problems/{row.pk}/", values)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == RowStatus.CORRECTED
    assert GenericRecord.objects.get().business_key == "琼许字〔2024〕2号"


def test_a_rejected_row_is_withdrawn_with_a_reason_and_others_cannot_see_it(
    login, clerk, other_clerk, supplied, django_capture_on_commit_callbacks
):
    client = login(clerk)
    text = "\n".join([HEADER, "海南测试有限公司,9.13E+17,琼许字〔2024〕2号,2024-02-01"])
    _upload(client, supplied, text)
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ingestion/submissions/{submission.pk}/preview/")
    row = RejectedRow.objects.get()
    other = login(other_clerk)
    assert other.get(f"/ingestion/problems/{row.pk}/").status_code == 404
    assert other.get(f"/ingestion/submissions/{submission.pk}/").status_code == 404
    client = login(clerk)
    client.post(f"/ingestion/problems/{row.pk}/withdraw/", {"reason": "重复报送"})
    row.refresh_from_db()
    assert row.status == RowStatus.WITHDRAWN


def test_submission_list_offers_upload_and_entry_only_to_department_accounts(
    login, clerk, province_admin
):
    page = login(clerk).get(reverse("ingestion:submission-list")).content.decode()
    assert reverse("ingestion:upload") in page and reverse("ingestion:record-entry") in page
    page = login(province_admin).get(reverse("ingestion:submission-list")).content.decode()
    assert reverse("ingestion:upload") not in page
    assert reverse("ingestion:record-entry") not in page
    assert reverse("ingestion:problem-list") in page
