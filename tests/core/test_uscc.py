"""USCC, registration number and organisation code checks (BRIEF.md section 1)."""

from __future__ import annotations

import random

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from apps.core.uscc import (
    AUTHORITIES,
    USCC_ALPHABET,
    IdentifierKind,
    IdentifierStatus,
    check_identifier,
    generate_registration_number,
    generate_uscc,
    normalize_code,
    orgcode_check_char,
    uscc_check_char,
)

VALID = [
    "91350100M000100Y43",  # the worked example of GB 32100
    "91110108551385082Q",
    "91110000600037341L",
    "91230184MA1BUFLT44",
    "92371000MA3MXH0E3W",
]
FUJIAN_PILOT = [
    "91350100M0001TGQXM",
    "91350211M0000XUF46",
    "91350203M0001FUE2P",
    "91350203M0001QAY9B",
]


def codes(result):
    return [problem.code for problem in result.errors]


@pytest.mark.parametrize("code", VALID)
def test_published_examples_are_valid(code):
    result = check_identifier(code)
    assert result.status == IdentifierStatus.VALID
    assert result.kind == IdentifierKind.USCC
    assert result.errors == ()


def test_the_standard_example_check_character_is_3():
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert check_identifier("91350100M000100Y4Z").status == IdentifierStatus.INVALID


@pytest.mark.parametrize("code", FUJIAN_PILOT)
def test_early_pilot_codes_are_legacy_with_a_warning(code):
    result = check_identifier(code)
    assert result.status == IdentifierStatus.LEGACY
    assert result.errors == ()
    assert [w.code for w in result.warnings] == ["legacy_check_digit"]


def test_a_web_example_failing_both_checks_is_invalid_with_both_reasons():
    result = check_identifier("91310115MA1G4L1WXK")
    assert result.status == IdentifierStatus.INVALID
    assert codes(result) == ["check_digit", "inner_check_digit"]


def test_a_failing_code_outside_the_pilot_pattern_is_not_legacy():
    code = "91460100MA5T0000X1"
    assert check_identifier(code).status == IdentifierStatus.INVALID


def test_the_allow_list_makes_a_failing_code_legacy():
    code = "91310115MA1G4L1WXK"
    result = check_identifier(code, allow_list={code})
    assert result.status == IdentifierStatus.LEGACY
    assert [w.code for w in result.warnings] == ["allow_listed"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 9135 0100-M000 100Y43 ", "91350100M000100Y43"),
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),
        ("91350100m000100y43", "91350100M000100Y43"),
        ("9135\u30000100M000100Y43", "91350100M000100Y43"),
    ],
)
def test_spaces_hyphens_fullwidth_and_lower_case_are_normalised(raw, expected):
    assert normalize_code(raw) == expected
    assert check_identifier(raw).status == IdentifierStatus.VALID


@pytest.mark.parametrize(
    ("authority", "category"), [("N", "2"), ("A", "1"), ("Y", "1"), ("5", "1")]
)
def test_letters_and_other_authorities_in_position_one_are_valid(authority, category):
    code = generate_uscc(random.Random(7), authority=authority, category=category)
    result = check_identifier(code)
    assert result.status == IdentifierStatus.VALID
    assert result.parts["authority_code"] == authority
    assert result.parts["category"]


def test_parts_name_authority_category_and_region():
    parts = check_identifier("92371000MA3MXH0E3W").parts
    assert parts["authority"] == "市场监管（原工商）"
    assert parts["category"] == "个体工商户"
    assert parts["region_code"] == "371000"
    assert parts["organization_code"] == "MA3MXH0E3"


def test_danzhou_codes_issued_before_2015_keep_469003():
    code = generate_uscc(random.Random(3), region="469003")
    result = check_identifier(code)
    assert result.status == IdentifierStatus.VALID
    assert result.parts["region_code"] == "469003"


def test_wrong_length_is_invalid_with_a_length_reason():
    result = check_identifier("9135010")
    assert codes(result) == ["length"]
    assert "18" in result.errors[0].message_zh


def test_empty_code_is_invalid():
    assert codes(check_identifier("")) == ["empty"]


def test_forbidden_letters_are_named():
    result = check_identifier("91350100M000100I43")
    assert result.status == IdentifierStatus.INVALID
    assert "charset" in codes(result)
    assert "I、O、S、V、Z" in result.errors[0].message_zh


def test_letters_in_the_region_positions_are_invalid():
    result = check_identifier("9135A100M000100Y43")
    assert "region" in codes(result)


def test_unknown_authority_is_invalid():
    assert "authority" in codes(check_identifier("B1350100M000100Y43"))


def test_excel_scientific_notation_is_explained():
    result = check_identifier("9.13101127033980E+17")
    assert result.status == IdentifierStatus.INVALID
    assert codes(result) == ["excel_scientific"]
    assert "Excel" in result.errors[0].message_zh


@pytest.mark.parametrize(
    "raw", ["9.1310112703398e+17", 9.13101127033980e17, " 9.13101127033980E17 "]
)
def test_excel_scientific_notation_is_recognised_in_every_spelling(raw):
    assert codes(check_identifier(raw)) == ["excel_scientific"]


def test_every_failure_of_a_code_gets_its_own_reason():
    # A letter in the region, a forbidden I in the body, and a wrong inner check character.
    result = check_identifier("9135A100M000100I43")
    assert codes(result) == ["charset", "region", "inner_check_digit"]
    # Well-formed apart from the authority: the check characters are still verified.
    result = check_identifier("B1350100M000100Y4X")
    assert codes(result) == ["authority", "check_digit"]


def test_messages_follow_the_active_language():
    problem = check_identifier("91310115MA1G4L1WXK").errors[0]
    with translation.override("en"):
        assert problem.message.startswith("The check character (position 18) should be")
    with translation.override("zh-hans"):
        assert problem.message.startswith("第 18 位校验码应为")


@pytest.mark.parametrize(
    ("authority", "category"),
    [(a, c) for a, (_name, categories) in AUTHORITIES.items() for c in categories],
)
def test_every_authority_and_category_of_the_table_can_be_generated_and_named(authority, category):
    result = check_identifier(
        generate_uscc(random.Random(1), authority=authority, category=category)
    )
    assert result.status == IdentifierStatus.VALID
    assert result.parts["authority"] and result.parts["category"]


def test_generator_refuses_an_impossible_prefix():
    with pytest.raises(ValueError):
        generate_uscc(random.Random(1), authority="I")
    with pytest.raises(ValueError):
        generate_uscc(random.Random(1), region="46010")


def test_excel_rounded_digits_are_explained():
    result = check_identifier("913101127033980000")
    assert result.status == IdentifierStatus.INVALID
    assert codes(result)[0] == "excel_rounded"


def test_registration_number_with_a_good_check_digit_is_valid():
    result = check_identifier("510100400024413")
    assert result.status == IdentifierStatus.VALID
    assert result.kind == IdentifierKind.REGISTRATION_NUMBER
    assert result.parts["kind_digit"] == "4"


def test_registration_number_with_a_bad_check_digit_is_invalid():
    result = check_identifier("510100400024414")
    assert result.kind == IdentifierKind.REGISTRATION_NUMBER
    assert codes(result) == ["check_digit"]


def test_registration_number_parts_name_the_kind_of_entity():
    number = generate_registration_number(random.Random(2), region="469003", kind_digit="6")
    parts = check_identifier(number).parts
    assert (parts["region_code"], parts["kind"]) == ("469003", "个体工商户")


def test_organization_codes_use_the_full_alphabet_values():
    assert orgcode_check_char("MA1BUFLT") == "4"
    result = check_identifier("MA1BUFLT4")
    assert (result.status, result.kind) == (
        IdentifierStatus.VALID,
        IdentifierKind.ORGANIZATION_CODE,
    )
    assert check_identifier("ma1b-uflt4").status == IdentifierStatus.VALID
    assert codes(check_identifier("MA1BUFLTX")) == ["check_digit"]
    assert codes(check_identifier("MA1BUFLTY")) == ["charset"]


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    region=st.sampled_from(["460100", "469003", "460400"]),
)
def test_generated_codes_are_valid_and_agree_with_stdnum(seed, region):
    code = generate_uscc(random.Random(seed), region=region)
    assert check_identifier(code).status == IdentifierStatus.VALID
    assert stdnum_uscc.is_valid(code)
    assert stdnum_uscc.calc_check_digit(code[:17]) == code[17]


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from(USCC_ALPHABET),
)
def test_any_single_substitution_of_a_valid_code_is_not_valid(seed, position, replacement):
    code = generate_uscc(random.Random(seed))
    if code[position] == replacement:
        return
    mutated = code[:position] + replacement + code[position + 1 :]
    assert check_identifier(mutated).status != IdentifierStatus.VALID


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), kind_digit=st.sampled_from("0123456789"))
def test_generated_registration_numbers_are_valid(seed, kind_digit):
    number = generate_registration_number(random.Random(seed), kind_digit=kind_digit)
    assert len(number) == 15
    assert check_identifier(number).status == IdentifierStatus.VALID


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    position=st.integers(min_value=0, max_value=14),
    replacement=st.sampled_from("0123456789"),
)
def test_any_single_digit_error_in_a_registration_number_is_caught(seed, position, replacement):
    number = generate_registration_number(random.Random(seed))
    if number[position] == replacement:
        return
    mutated = number[:position] + replacement + number[position + 1 :]
    assert check_identifier(mutated).status == IdentifierStatus.INVALID
