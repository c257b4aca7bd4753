"""The penalty and repair API: scoped reads, filters, revoke, correct, approve, reject."""

from __future__ import annotations

import datetime

import pytest

from apps.penalties import services

from .conftest import pdf

pytestmark = pytest.mark.django_db

D = datetime.date
BASE = "/api/v1/penalties/"


def test_list_is_scoped_to_the_department(api_login, clerk, load_penalty, dept, other_dept):
    own = load_penalty(dept, decided=D(2026, 1, 5), fine="5")
    load_penalty(other_dept, decided=D(2026, 1, 5), fine="5")
    data = api_login(clerk).get(BASE + "penalties/").json()
    assert [row["id"] for row in data["results"]] == [own.pk]
    row = data["results"][0]
    assert row["max_until"] == "2029-01-05" and row["repair_from"] == "2026-07-05"
    assert row["regime_name"] == "市场监管其他处罚" and row["categories"] == ["罚款"]


def test_other_departments_penalty_is_404(api_login, other_clerk, repairable):
    client = api_login(other_clerk)
    assert client.get(f"{BASE}penalties/{repairable.pk}/").status_code == 404
    response = client.post(f"{BASE}penalties/{repairable.pk}/revoke/", {"reason": "x"})
    assert response.status_code == 404


def test_filters_by_department_code_and_public_day(
    api_login, province_admin, load_penalty, dept, other_dept
):
    load_penalty(dept, decided=D(2026, 1, 5), fine="5")
    warning = load_penalty(other_dept, decided=D(2026, 1, 5), category="警告")
    client = api_login(province_admin)
    assert client.get(BASE + "penalties/", {"department": "460200-SCJG"}).json()["count"] == 1
    public = client.get(BASE + "penalties/", {"public_on": "2026-02-01"}).json()
    assert warning.pk not in [row["id"] for row in public["results"]]
    assert client.get(BASE + "penalties/", {"severity": "warning_only"}).json()["count"] == 1


def test_revoke_and_correct_through_the_api(api_login, clerk, repairable):
    client = api_login(clerk)
    corrected = client.post(
        f"{BASE}penalties/{repairable.pk}/correct/",
        {"fine_amount": "0.2", "reason": "金额更正"},
        format="json",
    )
    assert corrected.status_code == 200, corrected.json()
    assert corrected.json()["severity"] == "low" and corrected.json()["max_until"] == "2026-04-05"
    bad = client.post(f"{BASE}penalties/{repairable.pk}/correct/", {"fine_amount": "1"})
    assert bad.status_code == 400 and "reason" in bad.json()
    revoked = client.post(f"{BASE}penalties/{repairable.pk}/revoke/", {"reason": "复议撤销"})
    assert revoked.status_code == 200 and revoked.json()["is_revoked"] is True
    again = client.post(f"{BASE}penalties/{repairable.pk}/revoke/", {"reason": "再次"})
    assert again.status_code == 409


def test_auditor_reads_but_writes_are_403(api_login, auditor, repairable):
    client = api_login(auditor)
    assert client.get(f"{BASE}penalties/{repairable.pk}/").status_code == 200
    response = client.post(f"{BASE}penalties/{repairable.pk}/revoke/", {"reason": "x"})
    assert response.status_code == 403


def test_anonymous_gets_nothing(api_client, repairable):
    assert api_client.get(BASE + "penalties/").status_code in (401, 403)


def _application(penalty):
    return services.apply_for_repair(
        penalty,
        applicant_name=penalty.subject_name,
        contact_name="李联系",
        contact_phone="0898-66666666",
        statement="已履行",
        evidence=pdf(),
        on=D(2026, 7, 6),
    )


def test_repair_applications_are_reviewed_through_the_api(
    api_login, clerk, other_clerk, repairable
):
    application = _application(repairable)
    assert api_login(other_clerk).get(f"{BASE}repair-applications/").json()["count"] == 0
    client = api_login(clerk)
    listed = client.get(f"{BASE}repair-applications/", {"status": "pending"}).json()
    assert listed["results"][0]["id"] == application.pk
    assert "evidence" not in listed["results"][0]
    response = client.post(
        f"{BASE}repair-applications/{application.pk}/approve/", {"reason": "准予修复"}
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"
    penalty = client.get(f"{BASE}penalties/{repairable.pk}/").json()
    assert penalty["repair_status"] == "approved" and penalty["public_today"] is False
    assert (
        client.post(
            f"{BASE}repair-applications/{application.pk}/reject/", {"reason": "x"}
        ).status_code
        == 409
    )


def test_list_query_count_is_bounded(
    api_login, province_admin, load_penalty, dept, django_assert_max_num_queries
):
    for _ in range(5):
        load_penalty(dept, decided=D(2026, 1, 5), fine="5")
    client = api_login(province_admin)
    with django_assert_max_num_queries(6):
        assert client.get(BASE + "penalties/").status_code == 200
