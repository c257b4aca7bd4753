"""The compiled row validator: every field type and rule, valid and invalid, all problems at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.catalogue.choices import VersionStatus
from apps.catalogue.validation import compile_validator, validator_for
from apps.core.uscc import make_uscc
from tests.catalogue.catalogue_versions import create_version, fixture_definitions
from tests.catalogue.row_strategies import ric_with_check, valid_rows, valid_uscc

GOOD_USCC = valid_uscc("91460100MA5T0000")  # 91460100MA5T00002P
# Right mod-31 character over a wrong inner organisation-code check character.
WRONG_INNER = make_uscc("91460100MA5T00001")
GOOD_ID = ric_with_check("46010019900101123")

SPECS = [
    {"code": "S", "name": "名称", "name_en": "Name", "data_type": "string", "max_length": 5,
     "min_length": 2, "required": True, "aliases": ["OLD_S"]},
    {"code": "P", "name": "邮编", "data_type": "string", "pattern": "[0-9]{6}"},
    {"code": "T", "name": "内容", "data_type": "text"},
    {"code": "I", "name": "人数", "data_type": "integer", "max_digits": 3, "min_value": 1,
     "max_value": 500},
    {"code": "M", "name": "罚款金额", "data_type": "decimal", "max_digits": 8, "decimal_places": 2,
     "min_value": 0, "unit": "万元"},
    {"code": "D", "name": "决定日期", "data_type": "date"},
    {"code": "DT", "name": "时间戳", "data_type": "datetime", "aliases": ["SJC"]},
    {"code": "B", "name": "是否", "data_type": "boolean"},
    {"code": "E", "name": "类别", "data_type": "enum", "enum_values": [
        {"code": "自然人", "label": "自然人", "aliases": ["ZRR"]},
        {"code": "法人及非法人组织", "label": "法人及非法人组织", "aliases": []}]},
    {"code": "U", "name": "统一社会信用代码", "data_type": "uscc",
     "required_when": {"field": "E", "in": ["法人及非法人组织"]}},
    {"code": "ID", "name": "证件号码", "data_type": "id_number",
     "required_when": {"field": "E", "in": ["自然人"]}},
    {"code": "TEL", "name": "电话", "data_type": "phone"},
    {"code": "MAIL", "name": "邮箱", "data_type": "email"},
    {"code": "R", "name": "地方编码", "data_type": "region_code", "aliases": ["DFBM"]},
    {"code": "K", "name": "主体标识", "data_type": "identifier"},
]  # fmt: skip


# Reproducible on every machine (no example database) and without deadlines.
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def validator():
    return compile_validator(SPECS)


def base(**changes):
    row = {"S": "海南公司", "E": "自然人", "ID": GOOD_ID}
    row.update(changes)
    return {k: v for k, v in row.items() if v is not ...}


def rules_of(validator, row):
    return {(p.field, p.rule) for p in validator.validate(row).problems}


def test_base_row_is_valid(validator):
    result = validator.validate(base())
    assert result.is_valid, result.problems
    assert result.values["S"] == "海南公司"
    assert result.values["M"] is None


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("S", "  ＡＢ ", "AB"),
        ("P", "570100", "570100"),
        ("T", "很长的说明" * 50, "很长的说明" * 50),
        ("I", "１２", 12),
        ("I", 500, 500),
        ("I", 3.0, 3),
        ("M", "12.5", Decimal("12.5")),
        ("M", "12.50万元", Decimal("12.50")),
        ("M", 0, Decimal("0")),
        ("D", "2017-06-19", dt.date(2017, 6, 19)),
        ("D", "20170619", dt.date(2017, 6, 19)),
        ("D", "2017/06/19", dt.date(2017, 6, 19)),
        ("D", "2017/6/19", dt.date(2017, 6, 19)),
        ("D", "2017年6月19日", dt.date(2017, 6, 19)),
        ("D", "２０１６－０２－２９", dt.date(2016, 2, 29)),
        ("D", "2000-02-29", dt.date(2000, 2, 29)),
        ("D", dt.date(2020, 1, 2), dt.date(2020, 1, 2)),
        ("DT", "2017-06-19 08:30:00", dt.datetime(2017, 6, 19, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))),
        ("DT", "20170619083000", dt.datetime(2017, 6, 19, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))),
        ("DT", "2017-06-19T08:30", dt.datetime(2017, 6, 19, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))),
        ("B", "是", True),
        ("B", False, False),
        ("B", "Y", True),
        ("E", "zrr", "自然人"),
        ("E", "ＺＲＲ", "自然人"),
        ("U", GOOD_USCC.lower(), GOOD_USCC),
        ("U", "91350100M000100Y43", "91350100M000100Y43"),
        ("U", "９１２３０１８４ＭＡ１ＢＵＦＬＴ４４", "91230184MA1BUFLT44"),
        ("ID", GOOD_ID, GOOD_ID),
        ("ID", "E12345678", "E12345678"),
        ("TEL", "13800138000", "13800138000"),
        ("TEL", "0898-66668888", "0898-66668888"),
        ("MAIL", "Credit@Hainan.gov.cn", "credit@hainan.gov.cn"),
        ("R", "460100", "460100"),
        ("K", "510100400024413", "510100400024413"),
        ("K", "ma5t0000-2", "MA5T00002"),
        ("K", "91350100M000100Y43", "91350100M000100Y43"),
    ],
)  # fmt: skip
def test_valid_values_are_converted(validator, field, value, expected):
    result = validator.validate(base(**{field: value}))
    assert result.is_valid, result.problems
    assert result.values[field] == expected


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("S", "太长的名称啊", "max_length"),
        ("S", "短", "min_length"),
        ("P", "57010", "pattern"),
        ("I", "abc", "type"),
        ("I", "1.5", "type"),
        ("I", "0", "min_value"),
        ("I", "501", "max_value"),
        ("I", "1000", "max_digits"),
        ("I", True, "type"),
        ("M", "1.234", "decimal_places"),
        ("M", "1234567", "max_digits"),
        ("M", "-1", "min_value"),
        ("M", "12.5元", "unit"),
        ("M", 1.5, "type"),
        ("M", "007", "type"),
        ("D", "2019-02-29", "date"),
        ("D", "1900-02-29", "date"),
        ("D", "2017-13-01", "date"),
        ("D", "19/06/2017", "date"),
        ("D", 20170619, "type"),
        ("DT", "2017-06-19 24:00:00", "datetime"),
        ("B", "也许", "boolean"),
        ("E", "法人", "enum"),
        ("U", "00000000000000000X", "placeholder_uscc"),
        ("U", "111111111111111111", "placeholder_uscc"),
        ("U", "91460100000000000X", "placeholder_uscc"),
        ("U", "9146010MA5T0000", "uscc_invalid"),
        ("U", GOOD_USCC[:17] + ("0" if GOOD_USCC[17] != "0" else "1"), "uscc_invalid"),
        ("U", WRONG_INNER, "uscc_invalid"),
        ("K", "510100400024414", "uscc_invalid"),
        ("K", "MA5T0000-3", "uscc_invalid"),
        ("ID", GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1"), "id_number"),
        ("ID", "460100199902301234", "id_number"),
        ("TEL", "123", "phone"),
        ("MAIL", "not-an-email", "email"),
        ("R", "4601", "region_code"),
    ],
)
def test_invalid_values_name_the_rule(validator, field, value, rule):
    result = validator.validate(base(**{field: value}))
    assert (field, rule) in {(p.field, p.rule) for p in result.problems}
    problem = next(p for p in result.problems if p.field == field)
    assert problem.value == value
    assert problem.message_zh and problem.message_en
    assert result.values[field] is None


def test_legacy_uscc_is_a_warning_not_a_problem(validator):
    result = validator.validate(base(U="91350100M0001TGQXM"))
    assert result.is_valid, result.problems
    assert [(w.field, w.rule) for w in result.warnings] == [("U", "uscc_legacy")]


def test_allow_listed_uscc_is_a_warning_only_when_the_list_is_given(validator):
    wrong = GOOD_USCC[:17] + ("0" if GOOD_USCC[17] != "0" else "1")
    assert rules_of(validator, base(U=wrong)) == {("U", "uscc_invalid")}
    result = validator.validate(base(U=wrong.lower()), allow_list=frozenset({wrong}))
    assert result.is_valid, result.problems
    assert result.values["U"] == wrong
    assert [(w.field, w.rule) for w in result.warnings] == [("U", "uscc_legacy")]
    assert "白名单" in result.warnings[0].message_zh


def test_uscc_problem_gives_the_core_check_reasons(validator):
    """The reasons of apps.core.uscc.check_identifier reach the supplier, both languages."""
    (problem,) = validator.validate(base(U=WRONG_INNER)).problems
    assert problem.rule == "uscc_invalid"
    assert "第 9-17 位组织机构代码的校验位应为" in problem.message_zh
    assert "organisation code inside (positions 9-17)" in problem.message_en
    wrong_both = WRONG_INNER[:17] + ("0" if WRONG_INNER[17] != "0" else "1")
    (problem,) = validator.validate(base(U=wrong_both)).problems
    assert "第 18 位校验码应为" in problem.message_zh
    assert "第 9-17 位" in problem.message_zh


def test_every_problem_of_a_row_at_once(validator):
    row = {"OLD_S": "太长的名称啊", "I": "x", "M": "1.234", "D": "2019-02-29", "E": "法人及非法人组织",
           "TEL": "1", "EXTRA": "?"}  # fmt: skip
    assert rules_of(validator, row) == {
        ("S", "max_length"), ("I", "type"), ("M", "decimal_places"), ("D", "date"),
        ("U", "required_when"), ("TEL", "phone"), ("EXTRA", "unknown_field"),
    }  # fmt: skip


def test_required_and_conditional_requirements(validator):
    assert rules_of(validator, {"E": "自然人"}) == {("S", "required"), ("ID", "required_when")}
    assert ("ID", "required_when") not in rules_of(
        validator, base(E="法人及非法人组织", U=GOOD_USCC)
    )
    assert rules_of(validator, base(S="   ")) == {("S", "required")}


def test_messages_are_chinese_with_english_available(validator):
    problem = validator.validate(base(S="太长的名称啊")).problems[0]
    assert problem.message_zh == "“名称”不能超过 5 个字符（现为 6 个）。"
    assert problem.message_en == "Name must be at most 5 characters (has 6)."
    assert problem.as_dict()["rule"] == "max_length"


def test_aliases_and_headers_match_ignoring_case_width_and_spaces(validator):
    for key in ("OLD_S", "old_s", "ＯＬＤ＿Ｓ", " 名 称 "):
        result = validator.validate({key: "海南公司", "E": "自然人", "ID": GOOD_ID})
        assert result.is_valid, (key, result.problems)
    assert validator.resolve("sjc") == "DT"
    assert validator.resolve("dfbm") == "R"


def test_same_field_twice_is_a_problem(validator):
    assert ("S", "duplicate_field") in rules_of(validator, base(OLD_S="海南公司"))


def test_map_headers(validator):
    mapping = validator.map_headers(["名称", "sjc", "未知列", "OLD_S", "", "类别"])
    assert mapping.columns == {0: "S", 1: "DT", 5: "E"}
    assert mapping.unknown == ["未知列"]
    assert mapping.duplicates == ["OLD_S"]
    assert mapping.missing_required == []
    assert validator.map_headers(["类别"]).missing_required == ["S"]


def test_both_dialects_map_onto_one_licence_spec():
    definition = fixture_definitions()[0]
    validator = compile_validator(definition.fields)
    new = {"XK_XDR_MC": "张三", "XK_XKLB": "普通", "XK_YXQZI": "2099-12-31", "XK_XKJG": "海口市"}
    old = {"XK_XDR": "张三", "XK_SPLB": "普通", "XK_JZQ": "2099/12/31", "XK_XZJG": "海口市"}
    assert validator.validate(new).values == validator.validate(old).values


def test_penalty_amount_keeps_its_unit():
    validator = compile_validator(fixture_definitions()[1].fields)
    assert validator.rules["CF_NR_FK"].unit == "万元"
    assert validator.validate({"CF_NR_FK": "0.5万元"}).values["CF_NR_FK"] == Decimal("0.5")


@pytest.mark.django_db
def test_published_validator_is_compiled_once_and_drafts_are_not_cached():
    definition = fixture_definitions()[2]
    published = create_version(definition)
    assert validator_for(published) is validator_for(published)
    draft = create_version(definition, status=VersionStatus.DRAFT, number=2)
    first = validator_for(draft)
    draft.fields.filter(code="JYYC_QYMC").update(max_length=3)
    assert validator_for(draft) is not first
    assert ("JYYC_QYMC", "max_length") in rules_of(validator_for(draft), {"JYYC_QYMC": "海南公司"})


# -- properties --------------------------------------------------------------


@settings(PROPERTY, max_examples=200)
@given(data=st.data())
def test_generated_valid_rows_always_pass(validator, data):
    row = data.draw(valid_rows(validator))
    result = validator.validate(row)
    assert result.is_valid, (row, result.problems)


@settings(PROPERTY, max_examples=200)
@given(data=st.data())
def test_blanking_a_required_field_yields_exactly_required(validator, data):
    row = data.draw(valid_rows(validator))
    del row["S"]
    key = data.draw(st.sampled_from(["S", "OLD_S", "名称", None]))
    if key is not None:
        row[key] = data.draw(st.sampled_from([None, "", " \u3000"]))
    result = validator.validate(row)
    assert [(p.field, p.rule) for p in result.problems] == [("S", "required")]


@PROPERTY
@given(data=st.data())
def test_a_too_long_value_yields_exactly_max_length(validator, data):
    row = data.draw(valid_rows(validator))
    row["S"] = data.draw(st.text(alphabet="海南abc", min_size=6, max_size=20))
    assert [(p.field, p.rule) for p in validator.validate(row).problems] == [("S", "max_length")]


@PROPERTY
@given(st.text(max_size=25))
def test_diagnosis_always_explains_a_rejection(validator, text):
    for code, rule in validator.rules.items():
        value, problems, _ = rule.check(text) if text.strip() else (None, [], [])
        accepted = bool(text.strip()) and rule.compiled.fullmatch(text.strip()) is not None
        if not accepted and text.strip():
            assert problems, (code, text)
