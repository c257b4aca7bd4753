"""The scheduled rules propose; the competent department confirms or rejects.

Dates cross the 2025 National Day holiday (1-8 October, with Sunday 28
September and Saturday 11 October worked) and the 2025/2026 year end
(1 January 2026 off, Sunday 4 January worked).
"""

from __future__ import annotations

import datetime

import pytest

from apps.core.models import AuditEvent
from apps.enterprises.choices import EnterpriseStatus
from apps.joint_punishment import rules, services
from apps.joint_punishment.choices import ProposalKind, ProposalStatus
from apps.joint_punishment.departments import DepartmentDirectory
from apps.joint_punishment.exceptions import ListingRefused, ProposalConflict
from apps.joint_punishment.models import ListEntry, Obligation, Proposal
from apps.joint_punishment.tasks import run_list_rules_task
from apps.records.models import GenericRecord
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _report(enterprise, dept, year, *, as_text=False):
    GenericRecord.objects.create(
        enterprise=enterprise,
        subject_uscc=enterprise.uscc,
        subject_name=enterprise.name,
        department=dept,
        channel="api",
        resource_code="QYNB",
        resource_version=1,
        business_key=f"{enterprise.uscc}|{year}",
        decision_date=D(year + 1, 3, 1),
        received_at=datetime.datetime(year + 1, 3, 1, tzinfo=datetime.UTC),
        payload={"NB_ND": str(year) if as_text else year},
    )


def _run(rule, on):
    return rule(on, directory=DepartmentDirectory())


# ----------------------------------------------------------------- annual reports


def test_no_annual_report_by_30_june_proposes_the_abnormal_list_within_10_working_days(
    company, dept
):
    drafts = _run(rules.missing_annual_reports, D(2025, 7, 1))
    assert len(drafts) == 1
    draft = drafts[0]
    assert draft.kind == ProposalKind.LIST_ABNORMAL
    assert draft.enterprise_id == company.pk and draft.department == dept
    assert draft.report_year == 2024
    assert draft.basis_date == D(2025, 6, 30)
    assert draft.decide_by == D(2025, 7, 14)
    assert draft.ground.code == "1"


def test_no_proposal_before_the_window_closes_or_when_the_report_was_filed(company, dept):
    assert _run(rules.missing_annual_reports, D(2025, 6, 30)) == []
    _report(company, dept, 2024, as_text=True)
    assert _run(rules.missing_annual_reports, D(2025, 7, 1)) == []


def test_entities_set_up_in_the_report_year_start_next_year_and_deregistered_ones_never(
    hainan, dept
):
    EnterpriseFactory(region=hainan["haikou"], established_on=D(2025, 3, 1))
    EnterpriseFactory(
        region=hainan["haikou"], established_on=D(2020, 3, 1), status=EnterpriseStatus.DEREGISTERED
    )
    assert _run(rules.missing_annual_reports, D(2025, 7, 1)) == []
    # The 2025 report of the firm set up in March 2025 is due by 30 June 2026.
    assert len(_run(rules.missing_annual_reports, D(2026, 7, 1))) == 1


def test_individual_business_gets_the_marked_abnormal_proposal(individual, dept):
    drafts = _run(rules.missing_annual_reports, D(2025, 7, 2))
    assert [(d.kind, d.list_type.code) for d in drafts] == [(ProposalKind.MARK_ABNORMAL, "GTJYYC")]


def test_rules_are_idempotent_and_proposals_are_not_changes(company, dept):
    assert services.run_rules(D(2025, 7, 1))["missing_annual_reports"] == 1
    assert services.run_rules(D(2025, 7, 2))["missing_annual_reports"] == 0
    assert Proposal.objects.count() == 1
    assert not ListEntry.objects.exists()
    assert AuditEvent.objects.filter(event_type="joint.proposal_created").count() == 1


def test_the_celery_task_runs_the_rules_for_the_given_day(company, dept):
    assert run_list_rules_task("2025-07-01")["missing_annual_reports"] == 1


def test_confirming_creates_the_entry_and_its_obligations(company, dept, province_admin):
    services.run_rules(D(2025, 7, 1))
    proposal = Proposal.objects.get()
    services.confirm_proposal(
        proposal, actor=province_admin, decided_on=D(2025, 7, 8), document="琼市监异〔2025〕8号"
    )
    proposal.refresh_from_db()
    entry = proposal.result_entry
    assert proposal.status == ProposalStatus.CONFIRMED
    assert (entry.list_type.code, entry.listed_on, entry.ground.code) == (
        "JYYC",
        D(2025, 7, 8),
        "1",
    )
    assert entry.listing_document == "琼市监异〔2025〕8号"
    assert Obligation.objects.filter(entry=entry, department=dept).exists()
    with pytest.raises(ProposalConflict):
        services.confirm_proposal(
            proposal, actor=province_admin, decided_on=D(2025, 7, 9), document="x"
        )


def test_a_report_filed_after_the_proposal_blocks_confirmation(company, dept, clerk):
    services.run_rules(D(2025, 7, 1))
    proposal = Proposal.objects.get()
    _report(company, dept, 2024)
    with pytest.raises(ProposalConflict):
        services.confirm_proposal(proposal, actor=clerk, decided_on=D(2025, 7, 8), document="x")
    with pytest.raises(ListingRefused):
        services.reject_proposal(proposal, actor=clerk, note=" ")
    services.reject_proposal(proposal, actor=clerk, note="已于 7 月 3 日补报")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED and not ListEntry.objects.exists()


# ----------------------------------------------------------- three-year warning


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2025, 7, 30), False),  # 61 days before the anniversary
        (D(2025, 7, 31), True),  # 60 days before
        (D(2025, 9, 28), True),  # the day before
        (D(2025, 9, 29), False),  # the anniversary itself: escalation, not warning
    ],
)
def test_warning_notice_within_60_days_before_the_third_anniversary(
    company, make_entry, on, expected
):
    make_entry(company, listed_on=D(2022, 9, 29))
    drafts = _run(rules.warning_notices, on)
    assert bool(drafts) is expected
    if expected:
        assert drafts[0].basis_date == D(2025, 9, 29)
        assert drafts[0].decide_by == D(2025, 9, 28)


def test_confirmed_warning_is_recorded_on_the_entry_and_not_proposed_again(
    company, make_entry, clerk
):
    entry = make_entry(company, listed_on=D(2022, 9, 29))
    services.run_rules(D(2025, 8, 15))
    proposal = Proposal.objects.get(kind=ProposalKind.WARNING_NOTICE)
    services.confirm_proposal(proposal, actor=clerk, decided_on=D(2025, 8, 18), document="公告1号")
    entry.refresh_from_db()
    assert entry.warning_notice_on == D(2025, 8, 18)
    assert _run(rules.warning_notices, D(2025, 8, 20)) == []


# ------------------------------------------------------ three years -> serious list


def test_three_years_in_the_abnormal_list_proposes_the_serious_list(
    company, make_entry, province_scjg
):
    entry = make_entry(company, listed_on=D(2022, 9, 28))
    assert _run(rules.escalations, D(2025, 9, 27)) == []
    drafts = _run(rules.escalations, D(2025, 9, 28))
    assert len(drafts) == 1
    draft = drafts[0]
    assert (draft.kind, draft.list_type.code, draft.entry) == (
        ProposalKind.ESCALATE_SERIOUS,
        "YZWF",
        entry,
    )
    # Ground (1) is decided at provincial level; 10 working days across National Day.
    assert draft.department == province_scjg
    assert draft.decide_by == D(2025, 10, 17)


def test_an_entity_removed_just_before_three_years_gets_no_serious_list_proposal(
    company, make_entry, province_scjg
):
    entry = make_entry(company, listed_on=D(2022, 9, 28))
    services.remove_entry(
        entry,
        removed_on=D(2025, 9, 27),
        authority="海口市市场监督管理局",
        document="琼移1号",
        reason="已补报",
        actor=None,
    )
    assert _run(rules.escalations, D(2025, 10, 9)) == []
    assert _run(rules.warning_notices, D(2025, 9, 27)) == []


def test_confirmed_escalation_lists_the_entity_in_the_serious_list_under_the_2021_regime(
    company, make_entry, province_scjg, province_admin
):
    make_entry(company, listed_on=D(2022, 9, 28))
    services.run_rules(D(2025, 9, 29))
    proposal = Proposal.objects.get(kind=ProposalKind.ESCALATE_SERIOUS)
    services.confirm_proposal(
        proposal, actor=province_admin, decided_on=D(2025, 10, 10), document="琼市监严〔2025〕3号"
    )
    serious = ListEntry.objects.of_list("YZWF").get()
    assert serious.department == province_scjg and serious.listed_on == D(2025, 10, 10)
    assert (
        services.regime_for(serious.list_type, serious.listed_on).legal_basis
        == "市场监管总局令第44号"
    )
    # Escalated once: the rule does not propose it again.
    assert services.run_rules(D(2025, 10, 20))["escalations"] == 0


# ------------------------------------------------------------- serious list exit


def test_serious_list_period_follows_the_regime_of_the_listing_date(hainan, make_entry):
    old = EnterpriseFactory(region=hainan["haikou"])
    new = EnterpriseFactory(region=hainan["haikou"])
    make_entry(old, "YZWF", D(2021, 8, 31), ground="9")  # Order 83: 5 years
    make_entry(new, "YZWF", D(2022, 12, 30), ground="9")  # Order 44: 3 years
    drafts = _run(rules.serious_expiries, D(2025, 12, 30))
    assert [d.enterprise_id for d in drafts] == [new.pk]
    draft = drafts[0]
    assert draft.basis_date == D(2025, 12, 30)
    # 5 working days across New Year 2026 (1 January off, Sunday 4 January worked).
    assert draft.decide_by == D(2026, 1, 7)
    assert [d.enterprise_id for d in _run(rules.serious_expiries, D(2026, 8, 31))] == [
        old.pk,
        new.pk,
    ]


def test_confirmed_expiry_removes_the_entry(company, make_entry, clerk):
    entry = make_entry(company, "YZWF", D(2022, 12, 30), ground="9")
    services.run_rules(D(2025, 12, 31))
    proposal = Proposal.objects.get(kind=ProposalKind.REMOVE_EXPIRED)
    services.confirm_proposal(proposal, actor=clerk, decided_on=D(2026, 1, 5), document="琼移2号")
    entry.refresh_from_db()
    assert entry.removed_on == D(2026, 1, 5)
    assert not ListEntry.objects.in_force(D(2026, 1, 5)).exists()


def test_early_removal_application_is_accepted_only_after_the_minimum(company, make_entry, clerk):
    entry = make_entry(company, "YZWF", D(2022, 3, 15), ground="9")
    with pytest.raises(ListingRefused) as excinfo:
        services.apply_for_early_removal(
            entry, applied_on=D(2023, 3, 14), reason="已整改", actor=clerk
        )
    assert "2023-03-15 起" in excinfo.value.message
    proposal = services.apply_for_early_removal(
        entry, applied_on=D(2023, 3, 15), reason="已履行处罚并消除危害", actor=clerk
    )
    assert proposal.kind == ProposalKind.REMOVE_EARLY
    assert proposal.department == entry.department
    with pytest.raises(ProposalConflict):
        services.apply_for_early_removal(
            entry, applied_on=D(2023, 3, 16), reason="再次", actor=clerk
        )
    services.confirm_proposal(proposal, actor=clerk, decided_on=D(2023, 3, 20), document="琼移3号")
    entry.refresh_from_db()
    assert entry.removed_on == D(2023, 3, 20)


def test_court_list_takes_no_early_removal_application(company, make_entry, clerk):
    entry = make_entry(company, "SXBZXR", D(2024, 5, 6), ground=None)
    with pytest.raises(ListingRefused):
        services.apply_for_early_removal(entry, applied_on=D(2025, 5, 6), reason="x", actor=clerk)
