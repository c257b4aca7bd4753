"""Push API: JSON and file pushes, Idempotency-Key, department scoping, rejected rows."""

from __future__ import annotations

import pytest

from apps.catalogue.models import ObligedSupplier
from apps.ingestion.models import Submission, SubmissionStatus
from apps.records.models import GenericRecord
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.organizations import make_api_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/ingestion/submissions/"


@pytest.fixture
def supplied(resource, dept, other_dept):
    """Make ``dept`` and ``other_dept`` obliged suppliers of the test resource."""
    for department in (dept, other_dept):
        ObligedSupplier.objects.create(
            version=resource.current_version, department=department, levels=[]
        )
    return resource


@pytest.fixture
def token_client(api_client, dept):
    _, key = make_api_token(dept, name="海口业务系统")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


def _records(enterprise, n=1, date="2024-03-01"):
    return [
        {
            "行政相对人名称": "海南测试有限公司",
            "统一社会信用代码": enterprise.uscc,
            "行政许可决定文书号": f"琼许字〔2024〕{i}号",
            "许可决定日期": date,
        }
        for i in range(1, n + 1)
    ]


def test_a_json_push_is_accepted_and_processed(
    token_client, supplied, django_capture_on_commit_callbacks
):
    enterprise = EnterpriseFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client.post(
            URL, {"resource": "TESTXK", "records": _records(enterprise, 3)}, format="json"
        )
    assert response.status_code == 202, response.content
    status = token_client.get(response.data["url"])
    assert status.data["status"] == SubmissionStatus.COMPLETED
    assert status.data["created_count"] == 3
    assert GenericRecord.objects.filter(channel="api").count() == 3


def test_rejected_rows_are_listed_with_problems(
    token_client, supplied, django_capture_on_commit_callbacks
):
    enterprise = EnterpriseFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client.post(
            URL,
            {"resource": "TESTXK", "records": _records(enterprise, 1, date="not a date")},
            format="json",
        )
    rows = token_client.get(response.data["url"] + "rejected-rows/").data["results"]
    assert rows[0]["row_number"] == 1
    assert rows[0]["problems"][0]["field"] == "XK_JDRQ"


def test_repeating_an_idempotency_key_returns_the_first_answer(
    token_client, supplied, django_capture_on_commit_callbacks
):
    enterprise = EnterpriseFactory()
    payload = {"resource": "TESTXK", "records": _records(enterprise)}
    with django_capture_on_commit_callbacks(execute=True):
        first = token_client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        second = token_client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json() == second.json()
    assert Submission.objects.count() == 1


def test_another_departments_submission_is_404_for_a_token(
    api_client, token_client, supplied, other_dept, django_capture_on_commit_callbacks
):
    enterprise = EnterpriseFactory()
    _, other_key = make_api_token(other_dept, name="三亚业务系统")
    other = type(api_client)()
    other.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")
    with django_capture_on_commit_callbacks(execute=True):
        theirs = other.post(
            URL, {"resource": "TESTXK", "records": _records(enterprise)}, format="json"
        )
    assert theirs.status_code == 202
    assert token_client.get(f"{URL}{theirs.data['id']}/").status_code == 404
    assert token_client.get(URL).data["count"] == 0


def test_a_resource_the_department_does_not_supply_is_refused(token_client, resource):
    response = token_client.post(URL, {"resource": "TESTXK", "records": [{"a": 1}]}, format="json")
    assert response.status_code == 400
    assert "resource" in response.data
