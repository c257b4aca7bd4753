"""Corrected results and the abnormal-list proposal they asked for (issue 8 feeding issue 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.inspections import services
from apps.inspections.choices import FollowUpState, InspectionEvent, ResultOutcome
from apps.joint_punishment import services as joint_services
from apps.joint_punishment.choices import JointEvent, ProposalStatus
from apps.joint_punishment.models import ListEntry, ListingGround, Proposal

pytestmark = pytest.mark.django_db

DETAILS = {ResultOutcome.FALSE_INFO: "年报公示的从业人数与社保缴费记录不符"}


@pytest.fixture
def task(make_plan, officers, clerk, ccjc):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    return plan.tasks.select_related("enterprise").first()


@pytest.fixture
def enter(task, clerk):
    def enter(outcome: str):
        return services.enter_result(
            task,
            outcome=outcome,
            details=DETAILS.get(outcome, ""),
            completed_on=timezone.localdate(),
            actor=clerk,
        )

    return enter


def _proposal(result) -> Proposal:
    return Proposal.objects.select_related("ground").get(pk=result.follow_ups.get().proposal_id)


def test_correction_away_from_the_finding_withdraws_the_pending_proposal(task, enter, clerk):
    first = _proposal(enter(ResultOutcome.NOT_FOUND))
    result = enter(ResultOutcome.NORMAL)
    proposal = Proposal.objects.get(pk=first.pk)
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.withdrawn_by == clerk and proposal.withdrawn_at is not None
    assert task.code in proposal.withdrawal_reason
    assert "通过登记的住所（经营场所）无法联系" in proposal.withdrawal_reason
    assert "未发现问题" in proposal.withdrawal_reason
    follow_up = result.follow_ups.get()
    assert follow_up.state == FollowUpState.WITHDRAWN and follow_up.proposal_id == first.pk
    assert str(first.pk) in follow_up.note
    event = AuditEvent.objects.get(event_type=InspectionEvent.FOLLOW_UP_CORRECTED)
    assert event.after["result_id"] == result.pk and event.after["proposal_status"] == "withdrawn"
    assert event.after["previous_outcome"] == "not_found" and event.after["outcome"] == "normal"
    assert AuditEvent.objects.filter(event_type=JointEvent.PROPOSAL_WITHDRAWN).count() == 1


def test_correcting_twice_does_not_fail_or_repeat_the_withdrawal(task, enter):
    enter(ResultOutcome.NOT_FOUND)
    enter(ResultOutcome.NORMAL)
    result = enter(ResultOutcome.NORMAL)
    assert result.follow_ups.get().state == FollowUpState.WITHDRAWN
    assert Proposal.objects.get().status == ProposalStatus.WITHDRAWN
    assert AuditEvent.objects.filter(event_type=JointEvent.PROPOSAL_WITHDRAWN).count() == 1
    assert AuditEvent.objects.filter(event_type=InspectionEvent.FOLLOW_UP_CORRECTED).count() == 1


def test_correction_to_the_other_ground_withdraws_and_proposes_anew(task, enter):
    old = _proposal(enter(ResultOutcome.NOT_FOUND))
    result = enter(ResultOutcome.FALSE_INFO)
    assert Proposal.objects.get(pk=old.pk).status == ProposalStatus.WITHDRAWN
    new = _proposal(result)
    assert new.pk != old.pk and new.status == ProposalStatus.PENDING
    assert new.ground.code == "3" and new.key == f"inspection:{task.code}:2"
    assert DETAILS[ResultOutcome.FALSE_INFO] in new.reason
    assert result.follow_ups.get().state == FollowUpState.PROPOSED
    # The same correction again changes nothing.
    enter(ResultOutcome.FALSE_INFO)
    assert Proposal.objects.count() == 2
    assert _proposal(result).pk == new.pk


def test_finding_restored_after_a_withdrawal_gets_a_new_proposal(task, enter):
    old = _proposal(enter(ResultOutcome.NOT_FOUND))
    enter(ResultOutcome.NORMAL)
    result = enter(ResultOutcome.NOT_FOUND)
    new = _proposal(result)
    assert new.pk != old.pk and new.status == ProposalStatus.PENDING and new.ground.code == "4"
    assert Proposal.objects.get(pk=old.pk).status == ProposalStatus.WITHDRAWN
    assert result.follow_ups.get().state == FollowUpState.PROPOSED


def test_confirmed_listing_stays_and_is_flagged_for_a_removal_decision(task, enter, clerk):
    proposal = _proposal(enter(ResultOutcome.NOT_FOUND))
    joint_services.confirm_proposal(
        proposal, actor=clerk, decided_on=timezone.localdate(), document="琼市监异〔2026〕1号"
    )
    result = enter(ResultOutcome.NORMAL)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED
    assert proposal.basis_corrected_at is not None
    assert "移出决定" in proposal.basis_correction_note
    assert task.code in proposal.basis_correction_note
    entry = ListEntry.objects.get(enterprise=task.enterprise)
    assert entry.removed_on is None
    follow_up = result.follow_ups.get()
    assert follow_up.state == FollowUpState.REMOVAL_NEEDED
    # Correcting twice keeps one flag.
    enter(ResultOutcome.NORMAL)
    assert AuditEvent.objects.filter(event_type=JointEvent.PROPOSAL_BASIS_CORRECTED).count() == 1
    # Corrected back to the finding: the flag is cleared, the listing still stands.
    result = enter(ResultOutcome.NOT_FOUND)
    proposal.refresh_from_db()
    assert proposal.basis_corrected_at is None
    assert result.follow_ups.get().state == FollowUpState.PROPOSED
    assert Proposal.objects.count() == 1


def test_confirmed_listing_corrected_to_the_other_ground_gets_a_new_proposal(task, enter, clerk):
    proposal = _proposal(enter(ResultOutcome.NOT_FOUND))
    joint_services.confirm_proposal(
        proposal, actor=clerk, decided_on=timezone.localdate(), document="琼市监异〔2026〕1号"
    )
    result = enter(ResultOutcome.FALSE_INFO)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED and proposal.basis_corrected_at
    new = _proposal(result)
    assert new.pk != proposal.pk and new.ground.code == "3"
    assert new.status == ProposalStatus.PENDING
    assert "移出决定" in result.follow_ups.get().note


def test_correction_after_a_rejection_leaves_the_proposal_alone(task, enter, clerk):
    proposal = _proposal(enter(ResultOutcome.NOT_FOUND))
    joint_services.reject_proposal(proposal, actor=clerk, note="现场复核可以联系")
    result = enter(ResultOutcome.NORMAL)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED and proposal.withdrawn_at is None
    assert result.follow_ups.get().state == FollowUpState.WITHDRAWN


def test_pending_follow_up_without_reference_data_is_closed_by_a_correction(task, enter):
    ListingGround.objects.filter(list_type__code="JYYC", code="4").delete()
    enter(ResultOutcome.NOT_FOUND)
    result = enter(ResultOutcome.NORMAL)
    assert result.follow_ups.get().state == FollowUpState.WITHDRAWN
    assert not Proposal.objects.exists()


def test_task_page_says_the_listing_needs_a_removal_decision(task, enter, clerk, login):
    proposal = _proposal(enter(ResultOutcome.NOT_FOUND))
    joint_services.confirm_proposal(
        proposal, actor=clerk, decided_on=timezone.localdate(), document="琼市监异〔2026〕1号"
    )
    enter(ResultOutcome.NORMAL)
    body = login(clerk).get(reverse("inspections:task-detail", args=[task.pk])).content.decode()
    assert "待登记机关作出移出决定" in body and "需由登记机关作出移出决定" in body


def test_api_shows_the_withdrawn_states_in_scope_only(task, enter, clerk, other_clerk, api_login):
    proposal = _proposal(enter(ResultOutcome.NOT_FOUND))
    enter(ResultOutcome.NORMAL)
    rows = api_login(clerk).get("/api/v1/inspections/follow-ups/").json()["results"]
    assert [(r["state"], r["proposal_id"]) for r in rows] == [("withdrawn", proposal.pk)]
    body = api_login(clerk).get(f"/api/v1/joint-punishment/proposals/{proposal.pk}/").json()
    assert body["status"] == "withdrawn" and task.code in body["withdrawal_reason"]
    assert api_login(other_clerk).get("/api/v1/inspections/follow-ups/").json()["results"] == []
    url = f"/api/v1/joint-punishment/proposals/{proposal.pk}/"
    assert api_login(other_clerk).get(url).status_code == 404


def test_confirmed_listing_corrected_away_and_back_is_justified_again(task, enter, clerk):
    """Ground 4 listed, corrected to ground 3, then back to 4: the listing stands again,
    its flag is cleared and no second ground-4 proposal is made."""
    proposal = _proposal(enter(ResultOutcome.NOT_FOUND))
    joint_services.confirm_proposal(
        proposal, actor=clerk, decided_on=timezone.localdate(), document="琼市监异〔2026〕1号"
    )
    ground_three = _proposal(enter(ResultOutcome.FALSE_INFO))
    result = enter(ResultOutcome.NOT_FOUND)
    proposal.refresh_from_db()
    ground_three.refresh_from_db()
    assert proposal.basis_corrected_at is None and proposal.basis_correction_note == ""
    assert ground_three.status == ProposalStatus.WITHDRAWN
    follow_up = result.follow_ups.get()
    assert follow_up.state == FollowUpState.PROPOSED and follow_up.proposal_id == proposal.pk
    assert Proposal.objects.filter(ground__code="4").count() == 1
    assert enter(ResultOutcome.NOT_FOUND).follow_ups.get().proposal_id == proposal.pk
