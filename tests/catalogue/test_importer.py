"""The catalogue import parser: the Hainan fixture parses cleanly; bad documents list every problem."""

from __future__ import annotations

import copy
import json

import pytest

from apps.catalogue.importer import CatalogueImportError, parse_catalogue
from apps.catalogue.models import FieldSpec, PublicityRegime, ResourceVersion
from tests.catalogue.catalogue_versions import FIXTURE, fixture_document


def problems_of(document) -> list[tuple[str, str]]:
    with pytest.raises(CatalogueImportError) as caught:
        parse_catalogue(document)
    for problem in caught.value.problems:
        assert problem.message_zh and problem.message_en
    return [(p.path, p.code) for p in caught.value.problems]


def minimal(**field_overrides) -> dict:
    field = {"code": "A_MC", "name": "名称", "notation": "C..10", "required": True}
    field.update(field_overrides)
    return {
        "format": "hainan-catalogue/1",
        "resources": [{"code": "TEST", "kind": "generic", "name": "测试", "fields": [field]}],
    }


def test_fixture_parses_with_no_problem():
    definitions = parse_catalogue(FIXTURE.read_bytes())
    codes = [d.resource["code"] for d in definitions]
    assert codes == [
        "XZXK", "XZCF", "JYYC", "YZWF", "SXBZXR", "DCDY", "GQCZ",
        "ZSCQCZ", "SBZC", "CCJC", "SFXZ", "XWQYFC", "QYDJ", "QYNB",
    ]  # fmt: skip
    assert all(d.fields for d in definitions)


def test_definitions_have_exactly_the_model_field_keys():
    definition = parse_catalogue(fixture_document())[1]
    version_fields = {
        f.name for f in ResourceVersion._meta.concrete_fields
    } - {"id", "resource", "number", "status", "created_by", "published_at", "published_by",
         "created_at", "updated_at"}  # fmt: skip
    assert set(definition.version) == version_fields
    spec_fields = {f.name for f in FieldSpec._meta.concrete_fields} - {"id", "version"}
    assert all(set(spec) == spec_fields for spec in definition.fields)
    regime_fields = {f.name for f in PublicityRegime._meta.concrete_fields} - {
        "id", "resource", "created_at", "updated_at"
    }  # fmt: skip
    assert all(set(regime) == regime_fields for regime in definition.regimes)
    assert set(definition.resource) == {"code", "kind"}
    assert all(set(s) == {"line", "levels", "department_code"} for s in definition.suppliers)


def test_notation_fills_type_and_limits():
    (definition,) = parse_catalogue(minimal(notation="N..18,2"))
    spec = definition.fields[0]
    assert (spec["data_type"], spec["max_digits"], spec["decimal_places"]) == ("decimal", 18, 2)
    assert spec["notation"] == "N..18,2"


def test_penalty_fine_is_a_decimal_in_ten_thousand_yuan():
    xzcf = parse_catalogue(fixture_document())[1]
    fine = next(spec for spec in xzcf.fields if spec["code"] == "CF_NR_FK")
    assert fine["data_type"] == "decimal"
    assert fine["unit"] == "万元"
    assert fine["min_value"] == 0


def test_both_dialects_are_aliases_of_one_field():
    xzxk = parse_catalogue(fixture_document())[0]
    aliases = {spec["code"]: spec["aliases"] for spec in xzxk.fields}
    assert "XK_SPLB" in aliases["XK_XKLB"]
    assert "XK_JZQ" in aliases["XK_YXQZI"]
    assert "XK_XZJG" in aliases["XK_XKJG"]
    assert "XK_XDR" in aliases["XK_XDR_MC"]


def test_bad_document_is_refused_with_every_problem():
    document = {
        "format": "hainan-catalogue/1",
        "resources": [
            {
                "code": "XZXK",
                "kind": "licence",
                "name": "行政许可",
                "business_key_fields": ["XK_NOPE"],
                "decision_date_field": "XK_GK",
                "fields": [
                    {"code": "XK_MC", "name": "名称", "type": "strnig"},
                    {"code": "XK_WSH", "name": "文书号", "notation": "C..x"},
                    {"code": "XK_NR", "name": "内容", "notation": "N..18,2", "type": "date"},
                    {"code": "xk_wsh", "name": "文书号2", "notation": "C..10"},
                    {"code": "XK_LB", "name": "类别", "type": "enum", "aliases": ["ｘｋ_ｍｃ"]},
                    {"code": "XK_JE", "name": "金额", "notation": "N..10", "max_digits": 12},
                    {"code": "XK_JE2", "name": "金额2", "type": "integer",
                     "min_value": 10, "max_value": 5},
                    {"code": "XK_GK", "name": "公开", "notation": "C..10", "masking": "blur",
                     "required_when": {"field": "XK_NONE", "in": ["1"]}},
                ],
            },
            {
                "code": "XZXK",
                "kind": "permit",
                "name": "重复",
                "update_frequency": "hourly",
                "publicity_class": "secret",
                "sharing_class": "maybe",
                "regimes": [
                    {"name": "r", "legal_basis": "b", "valid_from": "2019-02-30", "max_months": 3,
                     "min_months": 6, "severity": "terrible"}
                ],
                "fields": [{"code": "X_A", "name": "甲"}],
            },
            {"kind": "generic", "fields": []},
        ],
    }  # fmt: skip
    found = problems_of(document)
    expected = {
        ("resources[0].business_key_fields[0]", "unknown_field"),
        ("resources[0].decision_date_field", "wrong_field_type"),
        ("resources[0].fields[0].type", "unknown_value"),
        ("resources[0].fields[1].notation", "notation_broken"),
        ("resources[0].fields[2].type", "notation_conflict"),
        ("resources[0].fields[3].code", "bad_code"),
        ("resources[0].fields[3].code", "duplicate_field"),
        ("resources[0].fields[4].enum", "enum_empty"),
        ("resources[0].fields[4].aliases[0]", "alias_clash"),
        ("resources[0].fields[5].max_digits", "notation_conflict"),
        ("resources[0].fields[6].min_value", "min_max"),
        ("resources[0].fields[7].masking", "unknown_value"),
        ("resources[0].fields[7].required_when", "unknown_field"),
        ("resources[1].code", "duplicate_resource"),
        ("resources[1].kind", "unknown_value"),
        ("resources[1].update_frequency", "unknown_value"),
        ("resources[1].publicity_class", "unknown_value"),
        ("resources[1].sharing_class", "unknown_value"),
        ("resources[1].regimes[0].valid_from", "bad_date"),
        ("resources[1].regimes[0].min_months", "min_max"),
        ("resources[1].regimes[0].severity", "unknown_value"),
        ("resources[1].fields[0].type", "required"),
        ("resources[2].code", "required"),
        ("resources[2].name", "required"),
        ("resources[2].fields", "wrong_type"),
    }
    assert expected <= set(found), expected - set(found)


def test_problem_paths_point_into_the_document():
    document = minimal(type="uscc", enum=[{"code": "1"}], min_value=-1)
    found = problems_of(document)
    assert ("resources[0].fields[0].enum", "not_applicable") in found
    assert ("resources[0].fields[0].min_value", "bound_unsupported") in found


def test_alias_equal_to_another_field_code_is_a_clash():
    document = minimal()
    document["resources"][0]["fields"].append(
        {"code": "A_B", "name": "乙", "notation": "C..5", "aliases": ["a_mc"]}
    )
    assert ("resources[0].fields[1].aliases[0]", "alias_clash") in problems_of(document)


def test_chinese_name_clash_ignores_width_and_spaces():
    document = minimal()
    document["resources"][0]["fields"].append(
        {"code": "A_B", "name": " 名 称 ", "notation": "C..5"}
    )
    assert ("resources[0].fields[1].name", "alias_clash") in problems_of(document)


def test_enum_value_clash_is_reported():
    document = minimal(
        type="enum",
        notation=None,
        enum=[{"code": "1", "label": "正常"}, {"code": "2", "label": "正常"}],
    )
    document["resources"][0]["fields"][0].pop("notation")
    assert ("resources[0].fields[0].enum[1]", "duplicate_enum_value") in problems_of(document)


def test_required_when_value_must_be_a_code_of_the_enum():
    document = copy.deepcopy(fixture_document())
    field = next(f for f in document["resources"][0]["fields"] if f["code"] == "XK_XDR_ZJHM")
    field["required_when"]["in"] = ["法人"]
    assert ("resources[0].fields[12].required_when", "unknown_value") in problems_of(document)


def test_unknown_keys_are_reported_as_typos():
    document = minimal(requird=True)
    assert ("resources[0].fields[0].requird", "unknown_key") in problems_of(document)


@pytest.mark.parametrize(
    ("document", "code"),
    [
        (b"\xff\xfe", "not_utf8"),
        ("{not json", "not_json"),
        (json.dumps([]), "wrong_type"),
        (json.dumps({"format": "other", "resources": []}), "bad_format"),
    ],
)
def test_unreadable_documents_are_refused(document, code):
    assert code in {c for _, c in problems_of(document)}


def test_supplier_needs_a_line_or_a_department():
    document = minimal()
    document["resources"][0]["suppliers"] = [
        {"line": "SCJG", "levels": ["provincial", "township"]},
        {"line": "SCJG", "department": "460000-HG"},
        {"department": "460000-HG"},
    ]
    found = problems_of(document)
    assert ("resources[0].suppliers[0].levels[1]", "unknown_value") in found
    assert ("resources[0].suppliers[1]", "bad_supplier") in found
    assert not any(path.startswith("resources[0].suppliers[2]") for path, _ in found)


@pytest.mark.django_db
def test_parser_writes_nothing():
    with pytest.raises(CatalogueImportError):
        parse_catalogue(minimal(type="nope"))
    parse_catalogue(fixture_document())
    assert not ResourceVersion.objects.exists()
