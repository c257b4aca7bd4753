"""The JSON Schema export accepts and rejects the same canonical-key rows as the compiled validator.

Over every resource of the Hainan starting catalogue, with generated valid and
invalid rows. The one allowed difference is the check characters that a
schema cannot compute (USCC, identity numbers): there the schema accepts what
the validator rejects, and nothing else.

The property tests compile each resource once per worker from the parsed
fixture (the schema of a 30-field resource is tens of kilobytes of regular
expressions, and jsonschema's validator is reused across examples); that
these in-memory pairs are what a stored version exports is checked against
the database once, in ``test_stored_versions_export_the_schema_under_test``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from apps.catalogue.exports import json_schema, schema_for_validator
from apps.catalogue.validation import SCHEMA_GAPS, RowValidator, compile_validator, validator_for
from tests.catalogue.catalogue_versions import create_version, fixture_definitions
from tests.catalogue.row_strategies import mutated_rows, valid_rows, valid_uscc

RESOURCES = [d.resource["code"] for d in fixture_definitions()]
GAP_RULES = {"uscc_invalid", "id_number"}
RIGHT = valid_uscc("91460100MA5T0000")
WRONG_CHECK = RIGHT[:17] + ("0" if RIGHT[17] != "0" else "1")

# Modest, reproducible runs: the same examples on every machine (no example
# database), no deadline (the schemas hold very long regular expressions).
# No shrinking: shrinking a failing 30-field row costs Hypothesis up to its
# five-minute limit per test, and a systematic fault fails all 28 resource
# tests at once (that made a failing run take 14 minutes); the assertion
# messages name the row and its problems, and test_validation.py's properties
# over a small spec still shrink.
PROPERTY = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class Pair:
    """A resource's compiled validator and its JSON Schema validator (short repr for reports)."""

    code: str
    validator: RowValidator
    schema: Draft202012Validator

    def __repr__(self) -> str:
        return f"Pair({self.code})"


@cache
def pair(code: str) -> Pair:
    """Compile one fixture resource's validator and schema once per process."""
    definition = next(d for d in fixture_definitions() if d.resource["code"] == code)
    validator = compile_validator(definition.fields)
    schema = schema_for_validator(validator)
    Draft202012Validator.check_schema(schema)
    return Pair(code, validator, Draft202012Validator(schema))


def only_check_characters(validator: RowValidator, problems) -> bool:
    """True when every problem is a check-character failure of a well-formed value."""
    for problem in problems:
        rule = validator.rules.get(problem.field)
        if rule is None or rule.data_type not in SCHEMA_GAPS or problem.rule not in GAP_RULES:
            return False
        if not isinstance(problem.value, str) or not rule.compiled.fullmatch(problem.value.strip()):
            return False
    return True


def agree(validator: RowValidator, schema: Draft202012Validator, row: dict) -> bool:
    """Assert agreement on one row; True when the validator accepted it."""
    result = validator.validate(row)
    schema_ok = schema.is_valid(row)
    if result.is_valid:
        assert schema_ok, (row, [e.message[:300] for e in schema.iter_errors(row)][:3])
    elif schema_ok:
        assert only_check_characters(validator, result.problems), (row, result.problems)
    return result.is_valid


def test_stored_versions_export_the_schema_under_test(db):
    """json_schema of every stored fixture version is the schema the properties below test."""
    for definition in fixture_definitions():
        code = definition.resource["code"]
        version = create_version(definition)
        exported = json_schema(version)
        tested = pair(code).schema.schema
        assert {k: v for k, v in exported.items() if k not in ("$id", "title")} == tested, code
        assert validator_for(version).rules.keys() == pair(code).validator.rules.keys()


@pytest.mark.parametrize("code", RESOURCES)
@PROPERTY
@given(data=st.data())
def test_schema_accepts_what_the_validator_accepts(code, data):
    compiled = pair(code)
    row = data.draw(valid_rows(compiled.validator), label="row")
    result = compiled.validator.validate(row)
    assert result.is_valid, result.problems
    assert compiled.schema.is_valid(row), [
        e.message[:300] for e in compiled.schema.iter_errors(row)
    ][:3]


@pytest.mark.parametrize("code", RESOURCES)
@settings(PROPERTY, max_examples=60)
@given(data=st.data())
def test_schema_rejects_what_the_validator_rejects(code, data):
    compiled = pair(code)
    agree(compiled.validator, compiled.schema, data.draw(mutated_rows(compiled.validator)))


def test_mutated_rows_are_mostly_rejected():
    """The rejection property is not vacuous: most mutated rows break a rule."""
    rejected = []

    @settings(PROPERTY, max_examples=40)
    @given(data=st.data())
    def run(data):
        compiled = pair(data.draw(st.sampled_from(RESOURCES)))
        rejected.append(
            not agree(
                compiled.validator, compiled.schema, data.draw(mutated_rows(compiled.validator))
            )
        )

    run()
    assert sum(rejected) > len(rejected) // 2, (sum(rejected), len(rejected))


def test_wrong_uscc_check_character_is_the_documented_gap():
    compiled = pair("XZCF")
    row = {
        "CF_XDR_MC": "海南某某有限公司", "CF_XDR_LB": "法人及非法人组织",
        "CF_XDR_SHXYM": WRONG_CHECK, "CF_WSH": "琼市监罚〔2021〕1号",
        "CF_WFXW": "虚假宣传", "CF_SY": "事实", "CF_YJ": "《广告法》", "CF_CFLB": "罚款",
        "CF_NR": "罚款 1 万元", "CF_JDRQ": "2021-09-02", "CF_CFJG": "海口市市场监督管理局",
        "CF_CFJGDM": "91350100M000100Y43", "CF_ZT": "0", "CF_SJLY": "海口市市场监督管理局",
        "CF_SJLYDM": "91350100M000100Y43",
    }  # fmt: skip
    assert compiled.validator.validate(dict(row, CF_XDR_SHXYM=RIGHT)).is_valid
    result = compiled.validator.validate(row)
    assert [p.rule for p in result.problems] == ["uscc_invalid"]
    assert "第 18 位校验码" in result.problems[0].message_zh
    assert compiled.schema.is_valid(row)
    assert compiled.schema.schema["x-hainan-unexpressed"]["CF_XDR_SHXYM"] == "uscc_check_character"
