from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from apps.records.selectors import records_for_enterprise
from apps.records.stores import GenericStore
from tests.factories.catalogue import FieldSpecFactory, ResourceVersionFactory
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.records import make_context, make_row

pytestmark = pytest.mark.django_db


def _load(rows, context):
    with transaction.atomic():
        return GenericStore().load(rows, context)


@pytest.fixture
def records(dept, other_dept):
    enterprise = EnterpriseFactory()
    mine = _load(
        [make_row(n, enterprise_id=enterprise.pk) for n in range(1, 4)], make_context(dept)
    )
    theirs = _load([make_row(9, enterprise_id=enterprise.pk)], make_context(other_dept))
    return {"mine": mine.record_ids, "theirs": theirs.record_ids[9], "enterprise": enterprise}


def test_clerk_lists_only_own_department_records(login, clerk, records):
    response = login(clerk).get(reverse("records:record-list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
    assert "琼测〔2026〕9号" not in response.content.decode()


def test_other_departments_record_detail_is_404(login, clerk, records):
    url = reverse("records:record-detail", args=[records["theirs"]])
    assert login(clerk).get(url).status_code == 404


def test_list_filters_by_decision_date_range(login, province_admin, dept):
    _load([make_row(1, decision_date=datetime.date(2026, 1, 5))], make_context(dept))
    _load([make_row(2, decision_date=datetime.date(2026, 6, 5))], make_context(dept))
    response = login(province_admin).get(
        reverse("records:record-list"), {"decided_from": "2026-05-01", "decided_to": "2026-12-31"}
    )
    assert [r.business_key for r in response.context["page"].object_list] == ["琼测〔2026〕2号"]


def test_list_page_requires_login(client):
    response = client.get(reverse("records:record-list"))
    assert response.status_code == 302


def test_detail_labels_payload_from_catalogue_and_shows_revisions(login, clerk, dept):
    version = ResourceVersionFactory()
    FieldSpecFactory(version=version, code="XK_MC", name="许可证书名称")
    context = make_context(dept, resource_code=version.resource.code, version=version.number)
    first = _load([make_row(1, values={"XK_MC": "甲", "UNKNOWN_CODE": "x"})], context)
    _load([make_row(1, values={"XK_MC": "乙", "UNKNOWN_CODE": "x"})], context)
    response = login(clerk).get(reverse("records:record-detail", args=[first.record_ids[1]]))
    body = response.content.decode()
    assert "许可证书名称" in body
    assert "UNKNOWN_CODE" in body
    assert len(response.context["revisions"]) == 1


def test_auditor_sees_everything_but_the_api_is_read_only(api_login, auditor, records):
    client = api_login(auditor)
    response = client.get("/api/v1/records/records/")
    assert response.status_code == 200
    assert response.json()["count"] == 4
    detail = f"/api/v1/records/records/{records['theirs']}/"
    assert client.get(detail).status_code == 200
    assert client.delete(detail).status_code == 405
    assert client.patch(detail, {"business_key": "X"}).status_code == 405


def test_api_is_scoped_and_filters_by_department_code(api_login, clerk, records, other_dept):
    client = api_login(clerk)
    assert client.get("/api/v1/records/records/").json()["count"] == 3
    assert client.get(f"/api/v1/records/records/{records['theirs']}/").status_code == 404
    response = client.get("/api/v1/records/records/", {"department": other_dept.code})
    assert response.json()["count"] == 0


def test_api_list_query_count_is_bounded(
    api_login, province_admin, dept, django_assert_max_num_queries
):
    enterprise = EnterpriseFactory()
    _load([make_row(n, enterprise_id=enterprise.pk) for n in range(1, 31)], make_context(dept))
    client = api_login(province_admin)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/records/records/")
    assert response.json()["count"] == 30


def test_records_for_enterprise_is_scoped(clerk, province_admin, records):
    assert len(records_for_enterprise(records["enterprise"], principal=clerk)) == 3
    assert len(records_for_enterprise(records["enterprise"], principal=province_admin)) == 4
