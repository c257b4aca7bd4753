"""The JSON Schema export accepts and rejects the same canonical-key rows as the compiled validator.

Over every resource of the Hainan starting catalogue, with generated valid and
invalid rows. The one allowed difference is the check characters that a
schema cannot compute (USCC, identity numbers): there the schema accepts what
the validator rejects, and nothing else.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from apps.catalogue.exports import json_schema
from apps.catalogue.validation import SCHEMA_GAPS, RowValidator, validator_for
from tests.catalogue.catalogue_versions import create_version, fixture_definitions
from tests.catalogue.row_strategies import mutated_rows, uscc_with_check, valid_rows

RESOURCES = [d.resource["code"] for d in fixture_definitions()]
GAP_RULES = {"uscc_invalid", "id_number"}
RIGHT = uscc_with_check("91460100MA5T00001")
WRONG_CHECK = RIGHT[:17] + ("0" if RIGHT[17] != "0" else "1")


def only_check_characters(validator: RowValidator, problems) -> bool:
    """True when every problem is a check-character failure of a well-formed value."""
    for problem in problems:
        rule = validator.rules.get(problem.field)
        if rule is None or rule.data_type not in SCHEMA_GAPS or problem.rule not in GAP_RULES:
            return False
        if not isinstance(problem.value, str) or not rule.compiled.fullmatch(problem.value.strip()):
            return False
    return True


@pytest.fixture
def compiled(db, request):
    definition = next(d for d in fixture_definitions() if d.resource["code"] == request.param)
    version = create_version(definition)
    schema = json_schema(version)
    Draft202012Validator.check_schema(schema)
    return validator_for(version), Draft202012Validator(schema)


def agree(validator: RowValidator, schema: Draft202012Validator, row: dict) -> None:
    result = validator.validate(row)
    schema_ok = schema.is_valid(row)
    if result.is_valid:
        assert schema_ok, (row, [e.message for e in schema.iter_errors(row)][:3])
    elif schema_ok:
        assert only_check_characters(validator, result.problems), (row, result.problems)


@pytest.mark.parametrize("compiled", RESOURCES, indirect=True)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_schema_accepts_what_the_validator_accepts(compiled, data):
    validator, schema = compiled
    row = data.draw(valid_rows(validator))
    assert validator.validate(row).is_valid, validator.validate(row).problems
    assert schema.is_valid(row), [e.message for e in schema.iter_errors(row)][:3]


@pytest.mark.parametrize("compiled", RESOURCES, indirect=True)
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_schema_rejects_what_the_validator_rejects(compiled, data):
    validator, schema = compiled
    agree(validator, schema, data.draw(mutated_rows(validator)))


@pytest.mark.parametrize("compiled", ["XZCF"], indirect=True)
def test_wrong_uscc_check_character_is_the_documented_gap(compiled):
    validator, schema = compiled
    row = {
        "CF_XDR_MC": "海南某某有限公司", "CF_XDR_LB": "法人及非法人组织",
        "CF_XDR_SHXYM": WRONG_CHECK, "CF_WSH": "琼市监罚〔2021〕1号",
        "CF_WFXW": "虚假宣传", "CF_SY": "事实", "CF_YJ": "《广告法》", "CF_CFLB": "罚款",
        "CF_NR": "罚款 1 万元", "CF_JDRQ": "2021-09-02", "CF_CFJG": "海口市市场监督管理局",
        "CF_CFJGDM": "91350100M000100Y43", "CF_ZT": "0", "CF_SJLY": "海口市市场监督管理局",
        "CF_SJLYDM": "91350100M000100Y43",
    }  # fmt: skip
    result = validator.validate(row)
    assert [p.rule for p in result.problems] == ["uscc_invalid"]
    assert schema.is_valid(row)
    assert json_schema_gaps(schema)["CF_XDR_SHXYM"] == "uscc_check_character"


def json_schema_gaps(schema: Draft202012Validator) -> dict:
    return schema.schema["x-hainan-unexpressed"]
