"""Publicity windows by rule (BRIEF.md 2.3), through the real catalogue regimes."""

from __future__ import annotations

import datetime

import pytest

from apps.catalogue.choices import Severity
from apps.catalogue.models import PublicityRegime
from apps.enterprises.choices import SubjectKind
from apps.penalties.models import Penalty
from apps.penalties.rules import add_months, penalty_kinds

pytestmark = pytest.mark.django_db

D = datetime.date


def test_add_months_clamps_to_month_end_across_leap_years_and_year_ends():
    assert add_months(D(2023, 11, 30), 3) == D(2024, 2, 29)
    assert add_months(D(2024, 12, 31), 3) == D(2025, 3, 31)
    assert add_months(D(2024, 10, 31), 4) == D(2025, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2022, 12, 31), 36) == D(2025, 12, 31)


def test_kinds_come_from_category_content_and_amounts():
    from decimal import Decimal

    assert penalty_kinds("罚款") == ["罚款"]
    assert penalty_kinds("警告", content="警告，并处罚款 2 万元", fine=Decimal(2)) == [
        "警告",
        "罚款",
    ]
    assert penalty_kinds("罚款", content="没收违法所得，吊销许可证件") == [
        "罚款",
        "没收违法所得",
        "吊销许可证件",
    ]
    assert penalty_kinds("") == ["其他"]


def test_general_ndrc_window_is_three_months_to_one_year(load_penalty, health_dept):
    # Decided on the eve of the 2024 Spring Festival; calendar months ignore holidays.
    penalty = load_penalty(health_dept, decided=D(2024, 2, 9), fine="1")
    assert penalty.severity == Severity.GENERAL
    assert penalty.regime.legal_basis == "发改办财金〔2019〕527号"
    assert (penalty.min_until, penalty.max_until) == (D(2024, 5, 9), D(2025, 2, 9))
    assert penalty.repair_from == D(2024, 5, 9)


def test_serious_ndrc_window_is_six_months_to_three_years_across_year_end(
    load_penalty, health_dept
):
    penalty = load_penalty(health_dept, decided=D(2023, 12, 31), category="吊销许可证件")
    assert penalty.severity == Severity.SERIOUS
    assert (penalty.min_until, penalty.max_until) == (D(2024, 6, 30), D(2026, 12, 31))


def test_market_regulation_penalty_is_public_three_years_repairable_after_six_months(
    load_penalty, dept
):
    penalty = load_penalty(dept, decided=D(2022, 8, 31), fine="5")
    assert penalty.regime.name == "市场监管其他处罚"
    assert (penalty.min_until, penalty.max_until) == (D(2023, 2, 28), D(2025, 8, 31))


def test_market_regulation_food_penalty_waits_one_year_for_repair(load_penalty, dept):
    penalty = load_penalty(
        dept, decided=D(2024, 1, 31), fine="5", violation="生产经营不符合食品安全标准的食品"
    )
    assert penalty.severity == Severity.SPECIAL_SECTOR
    assert penalty.repair_from == D(2025, 1, 31)
    assert penalty.max_until == D(2027, 1, 31)


def test_serious_market_regulation_food_penalty_also_waits_one_year_for_repair(load_penalty, dept):
    """A revoked food licence is serious; the sector's one-year wait still applies."""
    penalty = load_penalty(
        dept,
        decided=D(2024, 1, 31),
        category="吊销许可证件",
        violation="生产经营不符合食品安全标准的食品",
    )
    assert penalty.severity == Severity.SERIOUS
    assert (penalty.min_until, penalty.repair_from) == (D(2025, 1, 31), D(2025, 1, 31))
    assert penalty.max_until == D(2027, 1, 31)
    # Outside a special sector a serious penalty of market regulation waits six months.
    other = load_penalty(dept, decided=D(2024, 1, 31), category="吊销许可证件")
    assert (other.severity, other.repair_from) == (Severity.SERIOUS, D(2024, 7, 31))


def test_special_sector_minimum_from_a_regime_for_every_line(load_penalty, health_dept, catalogue):
    PublicityRegime.objects.create(
        resource=catalogue["XZCF"],
        name="特种设备、安全生产、消防领域处罚",
        legal_basis="地方规定（示例）",
        valid_from=D(2020, 1, 1),
        severity=Severity.SPECIAL_SECTOR,
        min_months=12,
        max_months=36,
        repair_after_months=12,
    )
    general = load_penalty(health_dept, decided=D(2024, 3, 1), fine="2")
    special = load_penalty(
        health_dept, decided=D(2024, 3, 1), fine="2", violation="消防设施未保持完好有效"
    )
    assert general.min_until == D(2024, 6, 1)
    assert special.min_until == D(2025, 3, 1)


def test_market_regulation_warning_only_is_never_published(load_penalty, dept):
    penalty = load_penalty(dept, decided=D(2024, 5, 6), category="警告")
    assert penalty.severity == Severity.WARNING_ONLY
    assert not penalty.is_published
    assert not Penalty.objects.public_on(D(2024, 5, 6)).filter(pk=penalty.pk).exists()
    assert not Penalty.objects.public_on(D(2024, 6, 1)).filter(pk=penalty.pk).exists()


def test_a_warning_of_another_line_follows_the_general_rule(load_penalty, health_dept):
    penalty = load_penalty(health_dept, decided=D(2024, 5, 6), category="警告")
    assert penalty.is_published
    assert penalty.max_until == D(2025, 5, 6)


def test_warning_of_market_regulation_before_order_45_was_published(load_penalty, dept):
    penalty = load_penalty(dept, decided=D(2021, 8, 31), category="警告")
    assert penalty.is_published
    assert penalty.regime.legal_basis == "发改办财金〔2019〕527号"


def test_low_fine_of_market_regulation_ends_after_three_months_without_repair(load_penalty, dept):
    penalty = load_penalty(dept, decided=D(2024, 11, 30), fine="0.2")
    assert penalty.severity == Severity.LOW
    assert penalty.max_until == D(2025, 2, 28)
    assert penalty.repair_from is None


def test_longest_applies_when_a_decision_carries_several_kinds(load_penalty, dept):
    warning_and_revocation = load_penalty(
        dept, decided=D(2024, 1, 15), category="警告", content="警告；吊销营业执照（吊销许可证件）"
    )
    assert warning_and_revocation.categories == ["警告", "吊销许可证件"]
    assert warning_and_revocation.is_published
    assert warning_and_revocation.max_until == D(2027, 1, 15)
    criticism_and_fine = load_penalty(
        dept, decided=D(2024, 1, 15), category="通报批评", content="通报批评，罚款 3 万元", fine="3"
    )
    assert criticism_and_fine.max_until == D(2027, 1, 15)
    assert criticism_and_fine.severity == Severity.GENERAL


def test_record_leaves_public_view_by_itself_after_the_maximum(load_penalty, health_dept):
    penalty = load_penalty(health_dept, decided=D(2023, 12, 29), fine="1")
    public = Penalty.objects.filter(pk=penalty.pk)
    assert not public.public_on(D(2023, 12, 28)).exists()
    assert public.public_on(D(2023, 12, 29)).exists()
    assert public.public_on(D(2024, 12, 28)).exists()
    assert not public.public_on(D(2024, 12, 29)).exists()
    assert penalty.is_public_on(D(2024, 12, 28)) and not penalty.is_public_on(D(2024, 12, 29))


def test_natural_persons_are_never_public(load_penalty, health_dept):
    penalty = load_penalty(
        health_dept, decided=D(2024, 3, 1), fine="1", subject_kind=SubjectKind.NATURAL_PERSON
    )
    assert penalty.enterprise_id is None
    assert not Penalty.objects.public_on(D(2024, 3, 2)).filter(pk=penalty.pk).exists()


def test_reported_revoked_status_keeps_the_decision_out_of_view(load_penalty, health_dept):
    penalty = load_penalty(health_dept, decided=D(2024, 3, 1), fine="1", CF_ZT="1")
    assert not Penalty.objects.public_on(D(2024, 3, 2)).filter(pk=penalty.pk).exists()


def test_no_regime_before_2019_uses_only_the_reported_publicity_end(load_penalty, health_dept):
    penalty = load_penalty(health_dept, decided=D(2018, 3, 1), fine="1", CF_GSJZQ=D(2019, 3, 1))
    assert penalty.regime is None
    assert penalty.max_until == D(2019, 3, 1)
    unreported = load_penalty(health_dept, decided=D(2018, 3, 1), fine="1")
    assert unreported.max_until is None
    assert not Penalty.objects.public_on(D(2018, 4, 1)).filter(pk=unreported.pk).exists()


def test_a_new_regime_row_changes_the_window_without_code_changes(
    load_penalty, health_dept, catalogue
):
    PublicityRegime.objects.create(
        resource=catalogue["XZCF"],
        name="新规（示例）",
        legal_basis="示例",
        valid_from=D(2025, 1, 1),
        severity=Severity.GENERAL,
        min_months=6,
        max_months=24,
        repair_after_months=6,
        priority=5,
    )
    before = load_penalty(health_dept, decided=D(2024, 12, 31), fine="1")
    after = load_penalty(health_dept, decided=D(2025, 1, 1), fine="1")
    assert before.max_until == D(2025, 12, 31)
    assert after.max_until == D(2027, 1, 1)
