"""Catalogue pages: browsing, draft editing, publishing, proposals, public announcements."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.catalogue import services
from apps.catalogue.choices import ProposalStatus, VersionStatus
from apps.catalogue.models import CatalogueAnnouncement, SupplementProposal

pytestmark = pytest.mark.django_db


def test_browser_lists_and_filters_resources_for_every_signed_in_person(
    licence_v1, login, clerk, customs
):
    client = login(clerk)
    url = reverse("catalogue:resource-list")
    page = client.get(url)
    assert page.status_code == 200
    assert "行政许可信息" in page.content.decode()
    assert "XZXK" in client.get(url, {"q": "许可"}).content.decode()
    assert "XZXK" not in client.get(url, {"q": "处罚"}).content.decode()
    assert "XZXK" not in client.get(url, {"kind": "penalty"}).content.decode()
    assert "XZXK" in client.get(url, {"department": clerk.department.code}).content.decode()
    assert "XZXK" not in client.get(url, {"department": customs.code}).content.decode()


def test_browser_needs_sign_in(client, licence_v1):
    response = client.get(reverse("catalogue:resource-list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_resource_detail_shows_fields_versions_and_suppliers(licence_v1, login, clerk):
    page = login(clerk).get(reverse("catalogue:resource-detail", args=["XZXK"]))
    body = page.content.decode()
    assert page.status_code == 200
    for text in ("XK_XDR_MC", "XK_WSH", "统一社会信用代码", "v1", "SCJG"):
        assert text in body
    assert "创建新草稿" not in body


def test_unknown_resource_is_404(login, clerk):
    assert login(clerk).get(reverse("catalogue:resource-detail", args=["NOPE"])).status_code == 404


def test_province_admin_edits_a_draft_and_publishes_with_an_announcement(
    licence_v1, login, province_admin
):
    client = login(province_admin)
    response = client.post(reverse("catalogue:draft-create", args=["XZXK"]))
    assert response.status_code == 302
    for name, args in (
        ("draft-edit", ["XZXK"]),
        ("field-create", ["XZXK"]),
        ("field-edit", ["XZXK", "XK_XKWS"]),
        ("regime-create", ["XZXK"]),
        ("version-detail", ["XZXK", 2]),
        ("proposal-create", []),
    ):
        assert client.get(reverse(f"catalogue:{name}", args=args)).status_code == 200, name
    response = client.post(
        reverse("catalogue:field-create", args=["XZXK"]),
        {
            "code": "XK_BZ",
            "name": "备注",
            "data_type": "text",
            "masking": "none",
            "is_public": "on",
            "aliases": "BZ",
        },
    )
    assert response.status_code == 302, response.content.decode()
    response = client.post(
        reverse("catalogue:field-edit", args=["XZXK", "XK_XKWS"]),
        {
            "code": "XK_XKWS",
            "name": "行政许可决定文书号",
            "data_type": "string",
            "max_length": 128,
            "required": "on",
            "masking": "none",
            "is_public": "on",
            "aliases": "XK_WSH",
        },
    )
    assert response.status_code == 302, response.content.decode()
    client.post(reverse("catalogue:field-delete", args=["XZXK", "XK_JDRQ"]))

    diff = client.get(reverse("catalogue:version-diff", args=["XZXK"]))
    body = diff.content.decode()
    assert "XK_BZ" in body and "XK_JDRQ" in body and "128" in body
    assert "<ins>" in body and "<del>" in body

    response = client.post(
        reverse("catalogue:draft-publish", args=["XZXK"]), {"change_note": "增加备注"}
    )
    announcement = CatalogueAnnouncement.objects.get(version__number=2)
    assert response["Location"] == reverse("catalogue:announcement-detail", args=[announcement.pk])
    assert [f["code"] for f in announcement.changes["fields_added"]] == ["XK_BZ"]
    assert [f["code"] for f in announcement.changes["fields_removed"]] == ["XK_JDRQ"]
    assert announcement.version.status == VersionStatus.PUBLISHED


def test_publishing_without_a_change_note_is_refused(licence_v1, login, province_admin):
    client = login(province_admin)
    client.post(reverse("catalogue:draft-create", args=["XZXK"]))
    client.post(reverse("catalogue:draft-publish", args=["XZXK"]), {"change_note": ""})
    licence_v1.resource.refresh_from_db()
    assert licence_v1.resource.current_version_id == licence_v1.pk


@pytest.mark.parametrize("who", ["city_admin", "clerk", "auditor"])
def test_only_province_admins_reach_the_editing_pages(licence_v1, login, who, request):
    client = login(request.getfixturevalue(who))
    services.create_draft(licence_v1.resource, actor=None)
    assert client.post(reverse("catalogue:draft-create", args=["XZXK"])).status_code == 403
    assert client.get(reverse("catalogue:draft-edit", args=["XZXK"])).status_code == 403
    response = client.post(reverse("catalogue:draft-publish", args=["XZXK"]), {"change_note": "x"})
    assert response.status_code == 403
    assert client.get(reverse("catalogue:resource-create")).status_code == 403
    assert client.get(reverse("catalogue:regime-create", args=["XZXK"])).status_code == 403


def test_province_admin_creates_a_resource_and_adds_a_regime(hainan, login, province_admin):
    client = login(province_admin)
    response = client.post(
        reverse("catalogue:resource-create"),
        {"code": "XZCF", "kind": "penalty", "name": "行政处罚"},
    )
    assert response["Location"] == reverse("catalogue:draft-edit", args=["XZCF"])
    response = client.post(
        reverse("catalogue:regime-create", args=["XZCF"]),
        {
            "name": "市场监管警告",
            "legal_basis": "总局令第45号",
            "valid_from": "2021-09-01",
            "category": "警告",
            "severity": "any",
            "min_months": 0,
            "max_months": 0,
            "priority": 10,
        },
    )
    assert response.status_code == 302
    assert (
        "市场监管警告"
        in client.get(reverse("catalogue:resource-detail", args=["XZCF"])).content.decode()
    )


def test_department_proposes_and_province_rejects_with_reason(
    licence_v1, login, clerk, province_admin, client
):
    login(clerk)
    response = client.post(
        reverse("catalogue:proposal-create"),
        {
            "department": clerk.department.pk,
            "resource": "XZXK",
            "title": "增加许可证号",
            "reason": "实际证照编号需要报送",
        },
    )
    proposal = SupplementProposal.objects.get()
    assert response["Location"] == reverse("catalogue:proposal-detail", args=[proposal.pk])

    response = client.post(
        reverse("catalogue:proposal-detail", args=[proposal.pk]),
        {"decision": "reject", "reason": "不采纳"},
    )
    assert response.status_code == 403

    login(province_admin)
    queue = client.get(reverse("catalogue:proposal-list"), {"status": "pending"})
    assert "增加许可证号" in queue.content.decode()
    page = client.post(
        reverse("catalogue:proposal-detail", args=[proposal.pk]),
        {"decision": "reject", "reason": ""},
    )
    assert "驳回必须填写理由" in page.content.decode()
    client.post(
        reverse("catalogue:proposal-detail", args=[proposal.pk]),
        {"decision": "reject", "reason": "已有同类数据项"},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED


def test_department_cannot_propose_for_a_resource_it_does_not_supply(
    licence_v1, login, customs_clerk
):
    client = login(customs_clerk)
    response = client.post(
        reverse("catalogue:proposal-create"),
        {
            "department": customs_clerk.department.pk,
            "resource": "XZXK",
            "title": "t",
            "reason": "r",
        },
    )
    assert response.status_code == 200
    assert not SupplementProposal.objects.exists()


def test_proposal_of_another_department_is_404(licence_v1, login, clerk, other_clerk, dept):
    proposal = services.submit_proposal(
        dept, resource=licence_v1.resource, title="t", reason="r", payload={}, actor=clerk
    )
    client = login(other_clerk)
    assert client.get(reverse("catalogue:proposal-detail", args=[proposal.pk])).status_code == 404
    assert "t" not in [
        p.title for p in client.get(reverse("catalogue:proposal-list")).context["page"]
    ]


def test_department_names_its_liaison(licence_v1, login, clerk):
    client = login(clerk)
    response = client.post(
        reverse("catalogue:liaison-edit", args=["XZXK"]),
        {"department": clerk.department.pk, "name": "李四", "phone": "0898-1234567"},
    )
    assert response.status_code == 302
    assert licence_v1.resource.liaisons.get().name == "李四"


def test_liaison_page_is_refused_to_departments_not_obliged(licence_v1, login, customs_clerk):
    client = login(customs_clerk)
    assert client.get(reverse("catalogue:liaison-edit", args=["XZXK"])).status_code == 403


def test_announcements_are_public(licence_v1, client):
    listing = client.get(reverse("catalogue:announcement-list"))
    assert listing.status_code == 200
    announcement = CatalogueAnnouncement.objects.get()
    assert announcement.title in listing.content.decode()
    detail = client.get(reverse("catalogue:announcement-detail", args=[announcement.pk]))
    assert detail.status_code == 200
    assert "XK_XDR_MC" in detail.content.decode()


def test_list_pages_run_a_bounded_number_of_queries(
    licence_v1, login, province_admin, django_assert_max_num_queries
):
    for index in range(8):
        draft = services.create_resource(
            code=f"R{index:02d}",
            kind="generic",
            attributes={"name": f"资源{index}"},
            actor=province_admin,
        )
        services.add_field(
            draft, {"code": "A", "name": "甲", "data_type": "string"}, actor=province_admin
        )
        services.publish_version(draft, actor=province_admin, change_note="首次")
    client = login(province_admin)
    with django_assert_max_num_queries(12):
        client.get(reverse("catalogue:resource-list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("catalogue:announcement-list"))
