"""Every quality rule with a record that passes and a record that fails it (real PostgreSQL)."""

from __future__ import annotations

import datetime

import pytest

from apps.core.models import UsccAllowListEntry
from apps.core.uscc import IdentifierStatus, check_identifier
from apps.enterprises.models import Enterprise
from apps.quality.models import QualityIssue, QualityRule
from apps.quality.rules import RULES
from tests.factories.enterprises import EnterpriseFactory, EnterpriseNameHistoryFactory

from .conftest import open_rules

pytestmark = pytest.mark.django_db

D = datetime.date


def test_every_rule_is_seeded_with_dimension_severity_and_messages():
    codes = {rule.code for rule in RULES}
    stored = {rule.code: rule for rule in QualityRule.objects.all()}
    assert codes <= set(stored)
    for code in codes:
        assert stored[code].dimension and stored[code].severity
        assert stored[code].message_zh and stored[code].message_en


def test_clean_record_passes_every_rule(load, full_check):
    record = load()
    full_check()
    assert open_rules(record) == set()


def test_required_common_fails_without_subject_code(load, full_check):
    good = load()
    bad = load(subject_uscc="", enterprise=None)
    full_check()
    assert "REQUIRED_COMMON" not in open_rules(good)
    assert "REQUIRED_COMMON" in open_rules(bad)
    issue = QualityIssue.objects.get(object_id=bad.pk, rule__code="REQUIRED_COMMON")
    assert issue.field_code == "subject_uscc"
    assert "subject_uscc" in issue.message


def test_natural_person_needs_no_subject_code(load, full_check):
    person = load(
        subject_uscc="", enterprise=None, subject_kind="natural_person", subject_name="张三"
    )
    full_check()
    assert "REQUIRED_COMMON" not in open_rules(person)
    assert "UNMATCHED_ENTITY" not in open_rules(person)


def test_required_field_of_the_catalogue(load, full_check):
    good = load()
    bad = load(values={"L_NR": "  "})
    full_check()
    assert "REQUIRED_FIELD" not in open_rules(good)
    assert "REQUIRED_FIELD" in open_rules(bad)
    issue = QualityIssue.objects.get(object_id=bad.pk, rule__code="REQUIRED_FIELD")
    assert issue.field_code == "L_NR"
    assert "许可内容" in issue.message


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        ({"L_NR": "超过十个字符的许可内容文本"}, "L_NR", "max_length"),
        ({"L_LB": "9"}, "L_LB", "enum"),
        ({"L_BH": "hk12"}, "L_BH", "pattern"),
        ({"L_YXQZ": "2026/03/02"}, "L_YXQZ", "date"),
    ],
)
def test_spec_value_names_field_and_reason(load, full_check, values, field, reason):
    good = load()
    bad = load(values=values)
    full_check()
    assert "SPEC_VALUE" not in open_rules(good)
    issue = QualityIssue.objects.get(object_id=bad.pk, rule__code="SPEC_VALUE")
    assert issue.field_code == field
    assert issue.detail["reason"] == reason


def test_enum_accepts_label_as_well_as_code(load, full_check):
    record = load(values={"L_LB": "特许"})
    full_check()
    assert "SPEC_VALUE" not in open_rules(record)


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "91460100MA5T2Y8X1H", "12100000400000624D", "N2460100MA5T2Y8X1A"],
)
def test_sql_uscc_check_agrees_with_core_validator(code):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT quality_uscc_status(%s)", [code])
        (status,) = cursor.fetchone()
    assert status == str(check_identifier(code).status)


def test_sql_uscc_check_agrees_on_generated_codes():
    import random

    from django.db import connection

    from apps.core.uscc import generate_uscc

    rng = random.Random(7)
    codes = [generate_uscc(rng) for _ in range(50)]
    # Break the check character of every other code.
    broken = [c[:17] + ("0" if c[17] != "0" else "1") for c in codes[::2]]
    with connection.cursor() as cursor:
        for code in codes + broken:
            cursor.execute("SELECT quality_uscc_status(%s)", [code])
            assert cursor.fetchone()[0] == str(check_identifier(code).status), code


def test_uscc_invalid_and_allow_list(load, full_check, company):
    bad_code = company.uscc[:17] + ("0" if company.uscc[17] != "0" else "1")
    assert check_identifier(bad_code).status == IdentifierStatus.INVALID
    good = load()
    bad = load(subject_uscc=bad_code, enterprise=None)
    full_check()
    assert "USCC_INVALID" not in open_rules(good)
    assert "USCC_INVALID" in open_rules(bad)
    UsccAllowListEntry.objects.create(code=bad_code, note="核实")
    full_check()
    assert "USCC_INVALID" not in open_rules(bad)


def test_unmatched_entity_is_a_linkage_issue(load, full_check, hainan):
    import random

    from apps.core.uscc import generate_uscc

    stranger = generate_uscc(random.Random(99), region="460200")
    good = load()
    bad = load(subject_uscc=stranger, subject_name="外地某公司", enterprise=None)
    full_check()
    assert "UNMATCHED_ENTITY" not in open_rules(good)
    issue = QualityIssue.objects.get(object_id=bad.pk, rule__code="UNMATCHED_ENTITY")
    assert issue.dimension == "linkage"
    assert issue.detail["reason"] == "not_in_registry"


def test_name_must_match_registry_or_name_in_use_on_decision_date(load, full_check, company):
    EnterpriseNameHistoryFactory(
        enterprise=company,
        name="海南椰林贸易有限公司",
        valid_from=D(2015, 1, 5),
        valid_to=D(2026, 1, 31),
    )
    current = load(subject_name="海南椰风贸易有限公司")
    bracket_variant = load(subject_name=" 海南椰风贸易有限公司 ")
    former_in_use = load(
        subject_name="海南椰林贸易有限公司",
        decision_date=D(2026, 1, 20),
        received_on=D(2026, 1, 21),
    )
    former_too_late = load(subject_name="海南椰林贸易有限公司")
    wrong = load(subject_name="海南别家贸易有限公司")
    full_check()
    assert "NAME_MISMATCH" not in open_rules(current)
    assert "NAME_MISMATCH" not in open_rules(bracket_variant)
    assert "NAME_MISMATCH" not in open_rules(former_in_use)
    assert "NAME_MISMATCH" in open_rules(former_too_late)
    assert "NAME_MISMATCH" in open_rules(wrong)


def test_duplicate_business_keys_ignore_bracket_variants(load, full_check):
    first = load(business_key="琼许〔2026〕77号")
    second = load(business_key="琼许[2026]77号")
    other = load(business_key="琼许〔2026〕78号")
    full_check()
    assert "DUPLICATE_KEY" not in open_rules(first)
    assert "DUPLICATE_KEY" in open_rules(second)
    assert "DUPLICATE_KEY" not in open_rules(other)
    issue = QualityIssue.objects.get(object_id=second.pk, rule__code="DUPLICATE_KEY")
    assert issue.detail["original"] == first.pk


def test_record_dated_after_deregistration(load, full_check, company):
    before = load(decision_date=D(2026, 3, 2))
    Enterprise.objects.filter(pk=company.pk).update(deregistered_on=D(2026, 3, 5))
    after = load(decision_date=D(2026, 3, 9), received_on=D(2026, 3, 10))
    full_check()
    assert "AFTER_DEREGISTRATION" not in open_rules(before)
    assert "AFTER_DEREGISTRATION" in open_rules(after)


def test_record_dated_before_establishment(load, full_check, hainan):
    young = EnterpriseFactory(name="海南新设有限公司", established_on=D(2026, 3, 1))
    ok = load(
        subject_uscc=young.uscc,
        subject_name=young.name,
        enterprise=young,
        decision_date=D(2026, 3, 2),
    )
    early = load(
        subject_uscc=young.uscc,
        subject_name=young.name,
        enterprise=young,
        decision_date=D(2026, 2, 27),
    )
    full_check()
    assert "BEFORE_ESTABLISHMENT" not in open_rules(ok)
    assert "BEFORE_ESTABLISHMENT" in open_rules(early)


def test_decision_after_receipt(load, full_check):
    ok = load()
    future = load(decision_date=D(2026, 3, 9), received_on=D(2026, 3, 3))
    full_check()
    assert "DECISION_AFTER_RECEIPT" not in open_rules(ok)
    assert "DECISION_AFTER_RECEIPT" in open_rules(future)


def test_licence_valid_to_before_valid_from(load, full_check):
    ok = load()
    reversed_range = load(values={"L_YXQZ": "2026-03-02", "L_YXQZI": "2025-03-01"})
    full_check()
    assert "VALID_RANGE" not in open_rules(ok)
    issue = QualityIssue.objects.get(object_id=reversed_range.pk, rule__code="VALID_RANGE")
    assert issue.field_code == "L_YXQZI"
    assert issue.detail["from_field"] == "L_YXQZ"


def test_late_delivery(load, full_check):
    on_time = load(decision_date=D(2026, 3, 2), received_on=D(2026, 3, 11))  # 7 working days
    late = load(decision_date=D(2026, 3, 2), received_on=D(2026, 3, 12))  # 8
    full_check()
    assert "LATE_DELIVERY" not in open_rules(on_time)
    issue = QualityIssue.objects.get(object_id=late.pk, rule__code="LATE_DELIVERY")
    assert issue.detail["working_days"] == 8
    assert issue.detail["deadline"] == 7


def test_switched_off_rule_closes_its_issues(load, full_check):
    bad = load(values={"L_LB": "9"})
    full_check()
    assert "SPEC_VALUE" in open_rules(bad)
    QualityRule.objects.filter(code="SPEC_VALUE").update(is_active=False)
    full_check()
    assert "SPEC_VALUE" not in open_rules(bad)


def test_typed_stores_expose_their_columns_as_catalogue_fields():
    """Stores that keep fields in columns are read through their field map, so the
    field-level rules reach them; the generic store is read from its payload."""
    from apps.quality.checks import store_shape
    from apps.records.registry import registered_stores

    shapes = {type(store).__name__: store_shape(store) for store in registered_stores()}
    assert shapes["GenericStore"].content == "t.payload"
    for name, shape in shapes.items():
        if name != "GenericStore" and shape.content is not None:
            assert shape.content.startswith("(")
            assert "jsonb_build_object(" in shape.content


def test_full_check_runs_over_every_registered_store(load, full_check):
    from apps.records.registry import registered_stores

    load()
    run = full_check()
    assert len(run.detail) == len(registered_stores())
