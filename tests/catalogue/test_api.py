"""Catalogue API: read-only catalogue for every principal, public announcements, proposals."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from apps.catalogue import services
from apps.catalogue.choices import ProposalStatus
from apps.catalogue.models import SupplementProposal
from apps.organizations.services import create_api_token

pytestmark = pytest.mark.django_db

BASE = "/api/v1/catalogue"


@pytest.fixture
def token_client(dept, province_admin):
    _token, key = create_api_token(dept, name="海口许可系统", actor=province_admin)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_resources_are_readable_by_a_department_token(licence_v1, token_client):
    response = token_client.get(f"{BASE}/resources/")
    assert response.status_code == 200
    (resource,) = response.json()["results"]
    assert resource["code"] == "XZXK"
    assert resource["current_version"]["number"] == 1
    assert [f["code"] for f in resource["current_version"]["fields"]][:2] == [
        "XK_XDR_MC",
        "XK_XDR_SHXYM",
    ]
    detail = token_client.get(f"{BASE}/resources/XZXK/")
    assert detail.json()["current_version"]["fields"][2]["aliases"] == ["XK_WSH"]


def test_catalogue_is_read_only(licence_v1, token_client, api_login, province_admin):
    assert token_client.post(f"{BASE}/resources/", {"code": "X"}).status_code == 405
    client = api_login(province_admin)
    assert client.delete(f"{BASE}/resources/XZXK/").status_code == 405


def test_anonymous_reads_no_catalogue_but_reads_announcements(licence_v1, api_client):
    assert api_client.get(f"{BASE}/resources/").status_code in (401, 403)
    response = api_client.get(f"{BASE}/announcements/")
    assert response.status_code == 200
    (announcement,) = response.json()["results"]
    assert announcement["resource"] == "XZXK" and announcement["version"] == 1
    assert len(announcement["changes"]["fields_added"]) == 4


def test_versions_filter_by_resource_code(licence_v1, api_login, clerk, province_admin):
    services.create_draft(licence_v1.resource, actor=province_admin)
    client = api_login(clerk)
    numbers = [v["number"] for v in client.get(f"{BASE}/versions/?resource=XZXK").json()["results"]]
    assert numbers == [2, 1]
    assert client.get(f"{BASE}/versions/?resource=NOPE").json()["results"] == []


def test_regimes_are_listed_read_only(licence_v1, api_login, clerk, province_admin):
    services.add_regime(
        licence_v1.resource,
        {"name": "一般", "legal_basis": "527号", "valid_from": "2019-07-01", "max_months": 12},
        actor=province_admin,
    )
    client = api_login(clerk)
    (regime,) = client.get(f"{BASE}/regimes/?resource=XZXK").json()["results"]
    assert regime["max_months"] == 12
    assert client.post(f"{BASE}/regimes/", {}).status_code == 405


def test_department_token_proposes_for_its_resource(licence_v1, token_client, dept):
    response = token_client.post(
        f"{BASE}/proposals/",
        {"resource": "XZXK", "title": "增加备注", "reason": "需要"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["department"] == dept.code
    assert token_client.get(f"{BASE}/proposals/").json()["count"] == 1


def test_proposal_for_a_resource_not_supplied_is_refused(licence_v1, api_login, customs_clerk):
    response = api_login(customs_clerk).post(
        f"{BASE}/proposals/", {"resource": "XZXK", "title": "t", "reason": "r"}, format="json"
    )
    assert response.status_code == 403
    assert not SupplementProposal.objects.exists()


def test_only_province_admins_decide_proposals(
    licence_v1, api_login, clerk, city_admin, other_clerk, province_admin, dept
):
    proposal = services.submit_proposal(
        dept, resource=licence_v1.resource, title="t", reason="r", payload={}, actor=clerk
    )
    url = f"{BASE}/proposals/{proposal.pk}"
    assert api_login(clerk).post(f"{url}/approve/", {}).status_code == 403
    assert api_login(city_admin).post(f"{url}/reject/", {"reason": "x"}).status_code == 403
    assert api_login(other_clerk).post(f"{url}/reject/", {"reason": "x"}).status_code == 404
    assert api_login(other_clerk).get(f"{url}/").status_code == 404
    admin = api_login(province_admin)
    assert admin.post(f"{url}/reject/", {"reason": ""}).status_code == 400
    response = admin.post(f"{url}/approve/", {"reason": "采纳"})
    assert response.status_code == 200
    assert response.json()["status"] == ProposalStatus.APPROVED
    assert response.json()["applied_to"] == 2
    assert admin.post(f"{url}/approve/", {}).status_code == 409


def test_resource_list_query_count_is_bounded(
    licence_v1, api_login, province_admin, django_assert_max_num_queries
):
    for index in range(6):
        draft = services.create_resource(
            code=f"R{index:02d}",
            kind="generic",
            attributes={"name": f"资源{index}"},
            actor=province_admin,
        )
        services.add_field(
            draft, {"code": "A", "name": "甲", "data_type": "string"}, actor=province_admin
        )
        services.publish_version(draft, actor=province_admin)
    client = api_login(province_admin)
    with django_assert_max_num_queries(8):
        response = client.get(f"{BASE}/resources/")
    assert response.json()["count"] == 7
    with django_assert_max_num_queries(8):
        client.get(f"{BASE}/versions/")


def test_openapi_schema_has_no_warnings(db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_schema_and_template_downloads_follow_the_asked_version(
    licence_v1, token_client, province_admin, login, clerk
):
    pytest.importorskip("apps.core.text")  # the exports compile the validator, which needs it
    pytest.importorskip("apps.catalogue.exports")
    draft = services.create_draft(licence_v1.resource, actor=province_admin)
    services.add_field(
        draft, {"code": "XK_BZ", "name": "备注", "data_type": "text"}, actor=province_admin
    )
    services.publish_version(draft, actor=province_admin, change_note="增加备注")

    current = token_client.get(f"{BASE}/resources/XZXK/schema/").json()
    first = token_client.get(f"{BASE}/resources/XZXK/schema/?version=1").json()
    assert "XK_BZ" in str(current) and "XK_BZ" not in str(first)
    assert token_client.get(f"{BASE}/resources/XZXK/schema/?version=9").status_code == 404

    template = token_client.get(f"{BASE}/resources/XZXK/template/?version=1")
    assert template.status_code == 200
    assert template.content[:2] == b"PK"
    assert "XZXK-v1.xlsx" in template["Content-Disposition"]

    page = login(clerk).get("/catalogue/r/XZXK/v2/template.xlsx")
    assert page.status_code == 200 and page.content[:2] == b"PK"
    assert login(clerk).get("/catalogue/r/XZXK/v1/schema.json").status_code == 200


def test_proposal_with_a_broken_payload_answers_400_with_every_problem(licence_v1, token_client):
    response = token_client.post(
        f"{BASE}/proposals/",
        {
            "resource": "XZXK",
            "title": "t",
            "reason": "r",
            "payload": {"fields": [{"code": "X", "name": "x", "type": "blob"}, {"code": "y"}]},
        },
        format="json",
    )
    assert response.status_code == 400
    paths = {p["path"] for p in response.json()["payload"]}
    assert len(paths) >= 2
    assert not SupplementProposal.objects.exists()
