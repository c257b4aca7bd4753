"""Listing and removal decisions, obligations, feedback and the audit history."""

from __future__ import annotations

import datetime

import pytest

from apps.core.models import AuditEvent
from apps.joint_punishment import services
from apps.joint_punishment.choices import FeedbackOutcome
from apps.joint_punishment.exceptions import ListingRefused, ProposalConflict
from apps.joint_punishment.models import Measure, Obligation

pytestmark = pytest.mark.django_db

D = datetime.date


def _remove(entry, day):
    return services.remove_entry(
        entry,
        removed_on=day,
        authority="海口市市场监督管理局",
        document="琼测移〔2025〕1号",
        reason="已补报年度报告",
        actor=None,
    )


def test_removal_dated_before_the_listing_is_refused_with_a_clear_message(company, make_entry):
    entry = make_entry(company, listed_on=D(2024, 3, 1))
    with pytest.raises(ListingRefused) as excinfo:
        _remove(entry, D(2024, 2, 28))
    assert "移出日期 2024-02-28 早于列入日期 2024-03-01" in excinfo.value.message
    entry.refresh_from_db()
    assert entry.removed_on is None


def test_removal_without_a_listing_is_refused(company, lists):
    with pytest.raises(ListingRefused) as excinfo:
        services.remove_listing(
            list_type=lists["JYYC"],
            enterprise=company,
            removed_on=D(2025, 5, 6),
            authority="海口市市场监督管理局",
            document="琼测移〔2025〕2号",
            reason="补报",
            actor=None,
        )
    assert "没有可以移出的列入决定" in excinfo.value.message


def test_removal_by_uscc_dated_before_a_later_listing_names_the_listing_date(
    company, lists, make_entry
):
    make_entry(company, listed_on=D(2025, 7, 10))
    with pytest.raises(ListingRefused) as excinfo:
        services.remove_listing(
            list_type=lists["JYYC"],
            enterprise=company,
            removed_on=D(2025, 7, 1),
            authority="x",
            document="y",
            reason="z",
            actor=None,
        )
    assert "早于列入日期 2025-07-10" in excinfo.value.message


def test_an_entry_cannot_be_removed_twice(company, make_entry):
    entry = make_entry(company, listed_on=D(2024, 3, 1))
    _remove(entry, D(2024, 9, 2))
    with pytest.raises(ProposalConflict):
        _remove(entry, D(2024, 9, 3))


def test_listing_twice_while_in_force_is_refused_but_relisting_after_removal_is_allowed(
    company, make_entry
):
    entry = make_entry(company, listed_on=D(2024, 3, 1))
    with pytest.raises(ListingRefused):
        make_entry(company, listed_on=D(2024, 6, 1))
    _remove(entry, D(2024, 9, 2))
    again = make_entry(company, listed_on=D(2025, 7, 10))
    assert again.pk != entry.pk


def test_individual_business_is_marked_not_listed(individual, company, make_entry):
    with pytest.raises(ListingRefused) as excinfo:
        make_entry(individual, "JYYC")
    assert "个体工商户不列入经营异常名录" in excinfo.value.message
    assert make_entry(individual, "GTJYYC").list_type.code == "GTJYYC"
    with pytest.raises(ListingRefused):
        make_entry(company, "GTJYYC")


def test_listing_and_removal_are_audited_with_before_and_after(company, make_entry):
    entry = make_entry(company, listed_on=D(2024, 3, 1))
    _remove(entry, D(2024, 9, 2))
    events = list(AuditEvent.objects.filter(target_id=str(entry.pk)).order_by("pk"))
    assert [e.event_type for e in events] == ["joint.entry_listed", "joint.entry_removed"]
    assert events[1].before["removed_on"] is None
    assert events[1].after["removed_on"] == "2024-09-02"
    assert events[1].enterprise_uscc == company.uscc


def test_serious_listing_creates_obligations_for_the_implementing_departments(
    company, make_entry, finance, statistics, dept, other_dept
):
    entry = make_entry(company, "YZWF", D(2025, 9, 26), ground="9")
    duties = {o.department.code: o for o in Obligation.objects.filter(entry=entry)}
    # SCJG implements M38-01/M38-03, CZ implements M38-04; TJ implements nothing;
    # Sanya's SCJG is outside the entity's region chain.
    assert set(duties) == {"460100-SCJG", "460100-CZ"}
    # 20 working days from Friday 26 September 2025 run across the National Day holiday.
    # (Sunday 28 September and Saturday 11 October 2025 were working days.)
    assert duties["460100-CZ"].due_on == D(2025, 10, 30)


def test_abnormal_listing_creates_no_obligation_for_finance(company, make_entry, finance):
    entry = make_entry(company, "JYYC", D(2025, 3, 3))
    assert list(
        Obligation.objects.filter(entry=entry).values_list("department__code", flat=True)
    ) == ["460100-SCJG"]


def test_feedback_for_every_measure_of_the_line_fulfils_the_obligation(company, make_entry, dept):
    entry = make_entry(company, "YZWF", D(2025, 3, 3), ground="9")
    obligation = Obligation.objects.get(entry=entry, department=dept)
    m01, m03 = Measure.objects.get(code="M38-01"), Measure.objects.get(code="M38-03")
    services.record_feedback(
        department=dept,
        enterprise=company,
        measure=m03,
        business_context="双随机抽查",
        applied_on=D(2025, 3, 10),
        outcome=FeedbackOutcome.APPLIED,
        actor=None,
    )
    obligation.refresh_from_db()
    assert obligation.fulfilled_at is None
    services.record_feedback(
        department=dept,
        enterprise=company,
        measure=m01,
        business_context="法定代表人任职审查",
        applied_on=D(2025, 3, 11),
        outcome=FeedbackOutcome.NOT_APPLICABLE,
        reason="本期无任职变更申请",
        actor=None,
    )
    obligation.refresh_from_db()
    assert obligation.fulfilled_at is not None


def test_feedback_refuses_a_measure_of_another_line_and_a_missing_reason(company, make_entry, dept):
    make_entry(company, "YZWF", D(2025, 3, 3), ground="9")
    procurement = Measure.objects.get(code="M38-04")
    with pytest.raises(ListingRefused) as excinfo:
        services.record_feedback(
            department=dept,
            enterprise=company,
            measure=procurement,
            business_context="采购",
            applied_on=D(2025, 3, 10),
            outcome=FeedbackOutcome.APPLIED,
            actor=None,
        )
    assert "M38-04" in excinfo.value.message
    with pytest.raises(ListingRefused):
        services.record_feedback(
            department=dept,
            enterprise=company,
            measure=Measure.objects.get(code="M38-03"),
            business_context="抽查",
            applied_on=D(2025, 3, 10),
            outcome=FeedbackOutcome.NOT_APPLICABLE,
            reason="",
            actor=None,
        )


def test_feedback_refuses_an_entity_not_listed_that_day(company, make_entry, dept):
    make_entry(company, "YZWF", D(2025, 3, 3), ground="9")
    with pytest.raises(ListingRefused) as excinfo:
        services.record_feedback(
            department=dept,
            enterprise=company,
            measure=Measure.objects.get(code="M38-03"),
            business_context="抽查",
            applied_on=D(2025, 3, 2),
            outcome=FeedbackOutcome.APPLIED,
            actor=None,
        )
    assert "不在触发措施 M38-03 的名单中" in excinfo.value.message
