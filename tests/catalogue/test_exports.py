"""Excel template and JSON Schema exports of a resource version."""

from __future__ import annotations

import io

import pytest
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from apps.catalogue.exports import excel_template, json_schema
from tests.catalogue.catalogue_versions import create_version, fixture_definitions


@pytest.fixture
def licences(db):
    return create_version(fixture_definitions()[0])


def open_template(version):
    return load_workbook(io.BytesIO(excel_template(version)))


def test_template_opens_with_chinese_headers_and_codes_in_comments(licences):
    book = open_template(licences)
    assert book.sheetnames == ["数据", "填报说明", "代码表"]
    sheet = book["数据"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:2] == ["行政相对人名称", "行政相对人类别"]
    assert "代码：XK_XDR_MC" in sheet["A1"].comment.text
    assert sheet["A1"].font.color.rgb.endswith("C00000")  # required in red
    assert book["代码表"].sheet_state == "hidden"


def test_every_column_is_text_so_codes_survive(licences):
    sheet = open_template(licences)["数据"]
    headers = [cell.value for cell in sheet[1]]
    uscc = headers.index("统一社会信用代码") + 1
    assert sheet.column_dimensions[get_column_letter(uscc)].number_format == "@"
    date = headers.index("许可决定日期") + 1
    assert sheet.column_dimensions[get_column_letter(date)].number_format == "@"


def test_enum_columns_have_drop_downs(licences):
    book = open_template(licences)
    sheet = book["数据"]
    headers = [cell.value for cell in sheet[1]]
    category = get_column_letter(headers.index("许可类别") + 1)
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    covered = {str(rng).split(":")[0] for dv in lists for rng in dv.sqref.ranges}
    assert f"{category}2" in covered
    target = next(dv for dv in lists if f"{category}2" in str(dv.sqref))
    sheet_name, cells = target.formula1.split("!")
    labels = [row[0].value for row in book["代码表"][cells.replace("$", "")]]
    assert labels == ["普通", "特许", "认可", "核准", "登记", "其他"]


def test_notes_sheet_describes_every_field(licences):
    notes = open_template(licences)["填报说明"]
    rows = {row[0].value: row for row in notes.iter_rows(min_row=2)}
    assert set(rows) == set(licences.fields.values_list("code", flat=True))
    headers = [cell.value for cell in notes[1]]
    wsh = rows["XK_WSH"]
    assert wsh[headers.index("必填")].value == "是"
    assert wsh[headers.index("格式标注")].value == "C..64"
    zjhm = rows["XK_XDR_ZJHM"]
    assert "XK_XDR_LB 为 自然人 时必填" in zjhm[headers.index("条件必填")].value
    assert zjhm[headers.index("公示")].value == "否"


def test_json_schema_is_a_valid_draft_2020_12_schema(db):
    for definition in fixture_definitions():
        schema = json_schema(create_version(definition))
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert set(schema["properties"]) == {spec["code"] for spec in definition.fields}
        assert schema["additionalProperties"] is False


def test_json_schema_lists_required_fields_and_conditions(licences):
    schema = json_schema(licences)
    assert "XK_WSH" in schema["required"]
    assert "XK_XDR_ZJHM" not in schema["required"]
    conditions = [c for c in schema["allOf"] if "XK_XDR_ZJHM" in c["then"]["required"]]
    assert conditions and "XK_XDR_LB" in conditions[0]["if"]["properties"]
    assert schema["properties"]["XK_XKLB"]["x-codes"][0]["code"] == "普通"
