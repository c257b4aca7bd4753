"""Who sees and changes what in the catalogue: one table of cast members per rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.catalogue import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(licence_v1, clerk, other_clerk, dept, other_dept):
    """One proposal from Haikou's and one from Sanya's market regulator."""
    haikou = services.submit_proposal(
        dept, resource=licence_v1.resource, title="海口建议", reason="r", payload={}, actor=clerk
    )
    sanya = services.submit_proposal(
        other_dept,
        resource=licence_v1.resource,
        title="三亚建议",
        reason="r",
        payload={},
        actor=other_clerk,
    )
    return {"haikou": haikou, "sanya": sanya}


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("province_admin", {"海口建议", "三亚建议"}),
        ("auditor", {"海口建议", "三亚建议"}),
        ("city_admin", {"海口建议"}),
        ("clerk", {"海口建议"}),
        ("other_clerk", {"三亚建议"}),
        ("customs_clerk", set()),
    ],
)
def test_proposals_are_scoped_in_pages_and_api(proposals, who, visible, request, api_login, login):
    user = request.getfixturevalue(who)
    assert {p.title for p in selectors.proposals_for(user)} == visible
    api = api_login(user).get("/api/v1/catalogue/proposals/").json()["results"]
    assert {p["title"] for p in api} == visible
    page = login(user).get(reverse("catalogue:proposal-list"))
    assert {p.title for p in page.context["page"]} == visible


@pytest.mark.parametrize("who", ["clerk", "city_admin", "auditor", "other_clerk"])
def test_only_province_admins_approve(proposals, who, request, login, api_login):
    user = request.getfixturevalue(who)
    proposal = proposals["haikou"]
    page = login(user).post(
        reverse("catalogue:proposal-detail", args=[proposal.pk]), {"decision": "approve"}
    )
    api = api_login(user).post(f"/api/v1/catalogue/proposals/{proposal.pk}/approve/", {})
    expected = 404 if who == "other_clerk" else 403
    assert page.status_code == expected
    assert api.status_code == expected
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_city_admin_proposes_in_its_region_only(licence_v1, login, city_admin, dept, other_dept):
    client = login(city_admin)
    form = client.get(reverse("catalogue:proposal-create")).context["form"]
    assert list(form.fields["department"].queryset) == [dept]
    response = client.post(
        reverse("catalogue:proposal-create"),
        {"department": other_dept.pk, "resource": "XZXK", "title": "t", "reason": "r"},
    )
    assert response.status_code == 200
    assert "department" in response.context["form"].errors


def test_auditor_may_not_propose(licence_v1, login, auditor):
    assert login(auditor).get(reverse("catalogue:proposal-create")).status_code == 403


def test_liaisons_of_other_departments_are_not_shown_to_a_department(
    licence_v1, login, clerk, other_clerk, dept, other_dept, province_admin
):
    services.set_resource_liaison(licence_v1.resource, dept, name="海口联络员", actor=clerk)
    services.set_resource_liaison(
        licence_v1.resource, other_dept, name="三亚联络员", actor=other_clerk
    )
    url = reverse("catalogue:resource-detail", args=["XZXK"])
    body = login(clerk).get(url).content.decode()
    assert "海口联络员" in body and "三亚联络员" not in body
    body = login(province_admin).get(url).content.decode()
    assert "海口联络员" in body and "三亚联络员" in body


def test_drafts_are_visible_to_staff_but_editable_by_the_province_only(
    licence_v1, login, api_login, clerk, province_admin
):
    services.create_draft(licence_v1.resource, actor=province_admin)
    assert (
        login(clerk).get(reverse("catalogue:version-detail", args=["XZXK", 2])).status_code == 200
    )
    assert login(clerk).get(reverse("catalogue:draft-edit", args=["XZXK"])).status_code == 403
    assert (
        login(province_admin).get(reverse("catalogue:draft-edit", args=["XZXK"])).status_code == 200
    )
