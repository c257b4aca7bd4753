"""Scorecards and coverage against fixtures whose answers are known by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from apps.organizations.choices import DepartmentLevel
from apps.quality.choices import PeriodKind, ScopeKind
from apps.quality.models import CoverageFigure, QualityTarget, ScoreBand, Scorecard
from apps.quality.scoring import Period, compute_scorecards, feed_status
from tests.factories.organizations import DepartmentFactory

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH = Period.containing(PeriodKind.MONTH, D(2026, 3, 1))


def scm(n, region, level=DepartmentLevel.CITY, **kw):
    return DepartmentFactory(
        code=f"{region.code}-SCJG{n}",
        name=f"{region.name}市场监管{n}",
        line="SCJG",
        level=level,
        region=region,
        **kw,
    )


@pytest.fixture
def ten_departments(hainan, dept, other_dept):
    """10 obliged SCJG departments: Haikou 4 (one in Xiuying), Sanya 6; plus two not counted."""
    haikou = [
        dept,
        scm(2, hainan["haikou"]),
        scm(3, hainan["haikou"]),
        scm(4, hainan["xiuying"], DepartmentLevel.COUNTY),
    ]
    sanya = [other_dept] + [scm(n, hainan["sanya"]) for n in range(2, 7)]
    # Not obliged: a provincial department (levels are city/county) and an inactive one.
    scm(1, hainan["province"], DepartmentLevel.PROVINCIAL)
    scm(9, hainan["sanya"], is_active=False)
    return haikou, sanya


MARCH_3 = D(2026, 3, 3)


def supply(load, departments, day=MARCH_3):
    for department in departments:
        load(department=department, decision_date=D(2026, 3, 2), received_on=day)


def coverage(region, resource=""):
    return CoverageFigure.objects.get(
        period_kind="month", period_start=MARCH.start, region=region, resource_code=resource
    )


def test_coverage_exactly_at_the_70_percent_line(load, ten_departments, hainan):
    haikou, sanya = ten_departments
    # 7 of 10 supply in March: Haikou 2 of 4, Sanya 5 of 6.
    supply(load, haikou[:2] + sanya[:5])
    compute_scorecards([MARCH])
    province = coverage(hainan["province"])
    assert (province.obliged, province.supplied) == (10, 7)
    assert province.rate == Decimal("70.00")
    assert province.target == Decimal("70.00")
    assert province.meets_target is True
    assert province.is_province
    haikou_cov = coverage(hainan["haikou"])
    assert (haikou_cov.obliged, haikou_cov.supplied, haikou_cov.rate) == (4, 2, Decimal("50.00"))
    assert haikou_cov.meets_target is False
    sanya_cov = coverage(hainan["sanya"])
    assert (sanya_cov.obliged, sanya_cov.supplied, sanya_cov.rate) == (6, 5, Decimal("83.33"))
    assert coverage(hainan["province"], "LIC").supplied == 7


def test_coverage_just_below_the_line_and_the_target_as_data(load, ten_departments, hainan):
    haikou, sanya = ten_departments
    supply(load, haikou[:1] + sanya[:5])  # 6 of 10
    # A record received in April does not count for March.
    supply(load, haikou[1:2], day=D(2026, 4, 1))
    compute_scorecards([MARCH])
    province = coverage(hainan["province"])
    assert (province.supplied, province.rate, province.meets_target) == (6, Decimal("60.00"), False)
    QualityTarget.objects.create(key="coverage", percent=Decimal("60"), valid_from=D(2026, 1, 1))
    compute_scorecards([MARCH])
    assert coverage(hainan["province"]).meets_target is True


def test_department_scorecard_rates_score_band_and_rank(load, full_check, dept, other_dept):
    # Haikou: 4 records, one without a required field, one late.
    load()
    load()
    load(values={"L_NR": ""})
    load(decision_date=D(2026, 3, 2), received_on=D(2026, 3, 20))
    # Sanya: 1 clean record.
    load(department=other_dept)
    full_check()
    compute_scorecards([MARCH])
    card = Scorecard.objects.get(
        period_kind="month",
        period_start=MARCH.start,
        scope_kind=ScopeKind.DEPARTMENT,
        department=dept,
    )
    assert card.records == 4
    assert card.records_with_issues == 2
    assert card.completeness == Decimal("75.00")
    assert card.timeliness == Decimal("75.00")
    assert card.conformity == card.accuracy == card.linkage == card.redundancy == Decimal("100.00")
    assert card.comprehensiveness == Decimal("100.00")
    # (75 + 75 + 5 × 100) / 7
    assert card.score == Decimal("92.86")
    assert card.band == "orange"
    assert card.rank == 2 and card.peers == 2
    sanya = Scorecard.objects.get(
        period_start=MARCH.start,
        scope_kind=ScopeKind.DEPARTMENT,
        department=other_dept,
        period_kind="month",
    )
    assert sanya.score == Decimal("100.00") and sanya.band == "green" and sanya.rank == 1
    province = Scorecard.objects.get(
        period_start=MARCH.start, scope_kind=ScopeKind.PROVINCE, period_kind="month"
    )
    assert province.records == 5
    assert province.completeness == Decimal("80.00")
    regions = Scorecard.objects.filter(
        period_start=MARCH.start, scope_kind=ScopeKind.REGION, period_kind="month"
    )
    assert {r.region.code for r in regions} == {"460100", "460200"}


def test_band_edges_are_data_and_an_edge_belongs_to_the_lower_band(load, full_check, dept):
    for _ in range(9):
        load()
    load(values={"L_NR": ""})
    full_check()
    compute_scorecards([MARCH])

    def card():
        return Scorecard.objects.get(
            period_start=MARCH.start,
            scope_kind="department",
            department=dept,
            period_kind="month",
        )

    # (90 + 6 × 100) / 7 = 98.57: above 98, green.
    assert card().score == Decimal("98.57")
    assert card().band == "green"
    # Move the green edge to exactly the score: "> edge" fails, so yellow.
    ScoreBand.objects.filter(code="green").update(lower_exclusive=Decimal("98.57"))
    compute_scorecards([MARCH])
    assert card().band == "yellow"
    assert card().band_colour == ScoreBand.objects.get(code="yellow").colour


def test_trend_against_previous_period_and_quarter_rollup(load, full_check, dept):
    load(decision_date=D(2026, 2, 2), received_on=D(2026, 2, 3), values={"L_NR": ""})
    load(decision_date=D(2026, 2, 2), received_on=D(2026, 2, 3))
    load()
    full_check()
    february = Period.containing("month", D(2026, 2, 1))
    q1 = Period.containing("quarter", D(2026, 2, 1))
    compute_scorecards([february, MARCH, q1])
    feb = Scorecard.objects.get(
        period_start=february.start, scope_kind="department", period_kind="month"
    )
    mar = Scorecard.objects.get(
        period_start=MARCH.start, scope_kind="department", period_kind="month"
    )
    assert feb.completeness == Decimal("50.00")
    assert mar.previous_score == feb.score
    assert mar.trend == mar.score - feb.score
    quarter = Scorecard.objects.get(
        period_start=q1.start, scope_kind="department", period_kind="quarter"
    )
    assert quarter.records == 3
    assert quarter.completeness == Decimal("66.67")


def test_feed_status_fresh_overdue_never(load, ten_departments, dept):
    from django.utils import timezone

    load(received_on=timezone.localdate())
    haikou, _sanya = ten_departments
    load(department=haikou[1], received_on=D(2026, 1, 5), decision_date=D(2026, 1, 5))
    rows = {(r.department_code, r.resource_code): r for r in feed_status()}
    assert rows[(dept.code, "LIC")].state == "fresh"
    assert rows[(haikou[1].code, "LIC")].state == "overdue"
    assert rows[(haikou[2].code, "LIC")].state == "never"
    assert feed_status(department_ids=[dept.pk])[0].department_code == dept.code


def test_obliged_pairs_in_sql_match_the_catalogue_selector(ten_departments, licence_resource):
    from django.db import connection, transaction

    from apps.catalogue.selectors import obliged_departments
    from apps.quality.scoring import OBLIGED_SQL

    version = licence_resource.versions.get()
    expected = set(obliged_departments(version).values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(OBLIGED_SQL)
        cursor.execute("SELECT department_id FROM _q_obliged WHERE resource_code = 'LIC'")
        found = {row[0] for row in cursor.fetchall()}
        cursor.execute("DROP TABLE _q_obliged")
    assert found == expected
    assert len(found) == 10
