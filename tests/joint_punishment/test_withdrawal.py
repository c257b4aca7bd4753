"""Withdrawn proposals (issue 8): the service, its audit, the pages and the API show the status."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.core.exceptions import ConflictError
from apps.core.models import AuditEvent
from apps.joint_punishment import services
from apps.joint_punishment.choices import JointEvent, ProposalStatus
from apps.joint_punishment.models import ListEntry, Proposal

pytestmark = pytest.mark.django_db

D = datetime.date
REASON = "抽查任务 T-1 的检查结果已更正为“未发现问题”。"


@pytest.fixture
def proposal(company, dept):
    services.run_rules(D(2025, 7, 1))
    return Proposal.objects.get()


def test_withdrawing_a_pending_proposal_records_who_when_and_why(proposal, clerk):
    withdrawn = services.withdraw_proposal(proposal, reason=REASON, actor=clerk)
    assert withdrawn.status == ProposalStatus.WITHDRAWN
    assert withdrawn.withdrawal_reason == REASON
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.withdrawn_by == clerk and withdrawn.withdrawn_by_name
    event = AuditEvent.objects.get(event_type=JointEvent.PROPOSAL_WITHDRAWN)
    assert event.after["status"] == "withdrawn" and event.after["withdrawal_reason"] == REASON
    assert event.before["status"] == "pending"


def test_withdrawing_twice_changes_nothing(proposal, clerk):
    first = services.withdraw_proposal(proposal, reason=REASON, actor=clerk)
    second = services.withdraw_proposal(proposal, reason="另一个原因", actor=clerk)
    assert second.withdrawal_reason == REASON and second.withdrawn_at == first.withdrawn_at
    assert AuditEvent.objects.filter(event_type=JointEvent.PROPOSAL_WITHDRAWN).count() == 1


def test_withdrawn_proposal_cannot_be_confirmed_or_rejected(proposal, clerk, company):
    services.withdraw_proposal(proposal, reason=REASON, actor=clerk)
    with pytest.raises(ConflictError, match="已撤回"):
        services.confirm_proposal(proposal, actor=clerk, decided_on=D(2025, 7, 8), document="X")
    with pytest.raises(ConflictError):
        services.reject_proposal(proposal, actor=clerk, note="不应列入")
    assert not ListEntry.objects.filter(enterprise=company).exists()


def test_a_decided_proposal_cannot_be_withdrawn(proposal, clerk):
    services.reject_proposal(proposal, actor=clerk, note="已补报")
    with pytest.raises(ConflictError):
        services.withdraw_proposal(proposal, reason=REASON, actor=clerk)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REJECTED


def test_a_confirmed_proposal_is_flagged_and_the_listing_stays(proposal, clerk, company):
    services.confirm_proposal(proposal, actor=clerk, decided_on=D(2025, 7, 8), document="X")
    flagged = services.flag_basis_corrected(
        proposal, note="依据已更正，需作出移出决定。", actor=clerk
    )
    assert flagged.status == ProposalStatus.CONFIRMED and flagged.basis_corrected_at is not None
    assert ListEntry.objects.get(enterprise=company).removed_on is None
    services.flag_basis_corrected(proposal, note="依据已更正，需作出移出决定。", actor=clerk)
    assert AuditEvent.objects.filter(event_type=JointEvent.PROPOSAL_BASIS_CORRECTED).count() == 1
    cleared = services.flag_basis_corrected(proposal, note="", actor=clerk)
    assert cleared.basis_corrected_at is None and cleared.basis_correction_note == ""


def test_flagged_listings_are_found_by_filter_on_page_and_api(login, api_login, clerk, proposal):
    services.confirm_proposal(proposal, actor=clerk, decided_on=D(2025, 7, 8), document="X")
    services.flag_basis_corrected(proposal, note="依据已更正，需作出移出决定。", actor=clerk)
    page = login(clerk).get(reverse("joint_punishment:proposal-list") + "?basis_corrected=true")
    assert [p.pk for p in page.context["page"].object_list] == [proposal.pk]
    assert "列入依据已更正，需作出移出决定" in page.content.decode()
    rows = api_login(clerk).get("/api/v1/joint-punishment/proposals/?basis_corrected=true").json()
    assert [row["id"] for row in rows["results"]] == [proposal.pk]
    assert rows["results"][0]["basis_correction_note"] == "依据已更正，需作出移出决定。"


def test_a_pending_proposal_cannot_be_flagged(proposal, clerk):
    with pytest.raises(ConflictError):
        services.flag_basis_corrected(proposal, note="x", actor=clerk)


def test_api_shows_the_withdrawal_and_refuses_confirmation(api_login, clerk, other_clerk, proposal):
    services.withdraw_proposal(proposal, reason=REASON, actor=clerk)
    url = f"/api/v1/joint-punishment/proposals/{proposal.pk}/"
    body = api_login(clerk).get(url).json()
    assert body["status"] == "withdrawn"
    assert body["withdrawal_reason"] == REASON and body["withdrawn_at"]
    listed = api_login(clerk).get("/api/v1/joint-punishment/proposals/?status=withdrawn").json()
    assert [row["id"] for row in listed["results"]] == [proposal.pk]
    confirm = api_login(clerk).post(
        f"{url}confirm/", {"decided_on": "2025-07-08", "document": "X"}, format="json"
    )
    assert confirm.status_code == 409
    # Scoping is unchanged: another department still gets 404.
    assert api_login(other_clerk).get(url).status_code == 404


def test_proposal_page_shows_withdrawn_without_the_decision_forms(login, clerk, proposal):
    services.withdraw_proposal(proposal, reason=REASON, actor=clerk)
    response = login(clerk).get(reverse("joint_punishment:proposal-detail", args=[proposal.pk]))
    body = response.content.decode()
    assert "已撤回" in body and REASON in body
    assert reverse("joint_punishment:proposal-confirm", args=[proposal.pk]) not in body
    listed = login(clerk).get(reverse("joint_punishment:proposal-list") + "?status=withdrawn")
    assert listed.context["page"].paginator.count == 1


def test_entry_page_shows_the_corrected_basis(login, clerk, proposal, company):
    services.confirm_proposal(proposal, actor=clerk, decided_on=D(2025, 7, 8), document="X")
    services.flag_basis_corrected(proposal, note="依据已更正，需作出移出决定。", actor=clerk)
    entry = ListEntry.objects.get(enterprise=company)
    body = (
        login(clerk).get(reverse("joint_punishment:entry-detail", args=[entry.pk])).content.decode()
    )
    assert "列入依据已更正，需作出移出决定" in body and "依据已更正，需作出移出决定。" in body
