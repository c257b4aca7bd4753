"""The enterprise API: every cast role reads; administrators in scope write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.choices import AuditEventType
from apps.core.models import AuditEvent
from apps.enterprises.models import Enterprise
from tests.factories.enterprises import EnterpriseFactory, EnterpriseNameHistoryFactory

from .conftest import VALID_USCC

LIST_URL = reverse("enterprises-api:enterprise-list")
ROLES = ["province_admin", "city_admin", "clerk", "other_clerk", "auditor"]


def detail_url(uscc):
    return reverse("enterprises-api:enterprise-detail", kwargs={"uscc": uscc})


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_lists_and_reads_the_registry(
    request, api_login, role, haikou_company, sanya_company
):
    client = api_login(request.getfixturevalue(role))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert {row["uscc"] for row in response.json()["results"]} == {
        haikou_company.uscc,
        sanya_company.uscc,
    }
    detail = client.get(detail_url(sanya_company.uscc.lower()))
    assert detail.status_code == 200
    assert detail.json()["name"] == "三亚鹿回头酒店管理有限公司"
    assert detail.json()["region"] == "460200"


@pytest.mark.parametrize("role", ROLES)
def test_filters_narrow_the_list_for_every_role(
    request, api_login, role, haikou_company, sanya_company
):
    client = api_login(request.getfixturevalue(role))
    by_region = client.get(LIST_URL, {"region": "460200"}).json()["results"]
    assert [row["uscc"] for row in by_region] == [sanya_company.uscc]
    by_name = client.get(LIST_URL, {"q": "椰风"}).json()["results"]
    assert [row["uscc"] for row in by_name] == [haikou_company.uscc]


def test_region_filter_includes_districts(api_login, province_admin, hainan):
    district = EnterpriseFactory(name="海口秀英港口物流有限公司", region=hainan["xiuying"])
    client = api_login(province_admin)
    codes = [r["uscc"] for r in client.get(LIST_URL, {"region": "460100"}).json()["results"]]
    assert codes == [district.uscc]
    by_id = client.get(LIST_URL, {"region_id": hainan["haikou"].pk}).json()["results"]
    assert [r["uscc"] for r in by_id] == [district.uscc]


def test_status_type_date_and_representative_filters(
    api_login, auditor, haikou_company, sanya_company
):
    client = api_login(auditor)
    Enterprise.objects.filter(pk=sanya_company.pk).update(status="revoked")
    assert [r["uscc"] for r in client.get(LIST_URL, {"status": "revoked"}).json()["results"]] == [
        sanya_company.uscc
    ]
    assert client.get(LIST_URL, {"entity_type": "individual_business"}).json()["count"] == 0
    assert client.get(LIST_URL, {"established_after": "2018-05-01"}).json()["count"] == 2
    assert client.get(LIST_URL, {"established_before": "2018-04-30"}).json()["count"] == 0
    by_person = client.get(LIST_URL, {"legal_representative": "林三亚"}).json()["results"]
    assert [r["uscc"] for r in by_person] == [sanya_company.uscc]
    assert client.get(LIST_URL, {"uscc": haikou_company.uscc.lower()}).json()["count"] == 1


def test_name_history_is_nested_in_the_detail(api_login, clerk, haikou_company):
    EnterpriseNameHistoryFactory(enterprise=haikou_company, name="海南椰风旧名有限公司")
    data = api_login(clerk).get(detail_url(haikou_company.uscc)).json()
    assert [h["name"] for h in data["name_history"]] == ["海南椰风旧名有限公司"]


def test_anonymous_visitor_is_refused(api_client, haikou_company):
    assert api_client.get(LIST_URL).status_code in (401, 403)
    assert api_client.get(detail_url(haikou_company.uscc)).status_code in (401, 403)


def test_unknown_uscc_answers_404(api_login, clerk, hainan):
    assert api_login(clerk).get(detail_url(VALID_USCC)).status_code == 404


@pytest.mark.parametrize("role", ["clerk", "auditor"])
def test_read_only_roles_may_not_patch(request, api_login, role, haikou_company):
    response = api_login(request.getfixturevalue(role)).patch(
        detail_url(haikou_company.uscc), {"address": "改"}, format="json"
    )
    assert response.status_code == 403
    haikou_company.refresh_from_db()
    assert haikou_company.address != "改"


def test_city_admin_may_not_patch_a_sanya_enterprise(api_login, city_admin, sanya_company):
    response = api_login(city_admin).patch(
        detail_url(sanya_company.uscc), {"address": "改"}, format="json"
    )
    assert response.status_code == 403


def test_city_admin_patches_a_haikou_enterprise_through_the_service(
    api_login, city_admin, haikou_company
):
    response = api_login(city_admin).patch(
        detail_url(haikou_company.uscc), {"address": "海南省海口市美兰区国兴大道8号"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["address"] == "海南省海口市美兰区国兴大道8号"
    event = AuditEvent.objects.get(event_type=AuditEventType.ENTERPRISE_CHANGED)
    assert event.channel == "api"
    assert event.after == {"address": "海南省海口市美兰区国兴大道8号"}


def test_province_admin_registers_and_an_invalid_code_is_a_400(api_login, province_admin, hainan):
    client = api_login(province_admin)
    payload = {
        "uscc": VALID_USCC.lower(),
        "name": "海南南海明珠贸易有限公司",
        "entity_type": "company",
        "region": "460100",
        "legal_representative": "陈明珠",
    }
    created = client.post(LIST_URL, payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["uscc"] == VALID_USCC
    bad = client.post(LIST_URL, {**payload, "uscc": "91110000600037341X"}, format="json")
    assert bad.status_code == 400
    assert "统一社会信用代码无效" in bad.json()["detail"]
    again = client.post(LIST_URL, payload, format="json")
    assert again.status_code == 409


def test_rename_action_keeps_history(api_login, province_admin, haikou_company):
    response = api_login(province_admin).post(
        detail_url(haikou_company.uscc) + "rename/",
        {"name": "海南椰风海韵文旅有限公司", "effective_on": "2023-03-01"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "海南椰风海韵文旅有限公司"
    assert [h["name"] for h in response.json()["name_history"]] == ["海南椰风海韵旅游开发有限公司"]


def test_list_query_count_does_not_grow_with_rows(
    api_login, auditor, hainan, django_assert_max_num_queries
):
    for i in range(30):
        enterprise = EnterpriseFactory(name=f"海南测试第{i}号有限公司", region=hainan["sanya"])
        EnterpriseNameHistoryFactory(enterprise=enterprise)
    client = api_login(auditor)
    with django_assert_max_num_queries(6):
        response = client.get(LIST_URL, {"limit": 50})
    assert len(response.json()["results"]) == 30
