"""Catalogue fixtures: a published licence resource that the Haikou market regulator supplies."""

from __future__ import annotations

import pytest

from apps.catalogue import services
from apps.catalogue.choices import FieldType, ResourceKind
from apps.organizations.choices import DepartmentLevel, Role
from tests.factories.organizations import DepartmentFactory, UserFactory


@pytest.fixture
def scjg(dept, other_dept):
    """Put the cast's two market regulation bureaus on the SCJG line."""
    for department in (dept, other_dept):
        department.line = "SCJG"
        department.save(update_fields=["line"])
    return dept


@pytest.fixture
def customs(hainan):
    """海口海关: a provincial-level department outside the SCJG line."""
    return DepartmentFactory(
        code="460000-HG",
        name="海口海关",
        level=DepartmentLevel.PROVINCIAL,
        line="HG",
        region=hainan["province"],
    )


@pytest.fixture
def customs_clerk(customs):
    return UserFactory(
        username="customs_clerk",
        display_name="海关办事员",
        role=Role.DEPARTMENT_STAFF,
        department=customs,
    )


LICENCE_FIELDS = [
    {
        "code": "XK_XDR_MC",
        "name": "行政相对人名称",
        "data_type": FieldType.STRING,
        "max_length": 200,
        "required": True,
        "aliases": ["XK_XDR", "行政相对人名称"],
    },
    {
        "code": "XK_XDR_SHXYM",
        "name": "统一社会信用代码",
        "data_type": FieldType.USCC,
        "required": True,
    },
    {
        "code": "XK_XKWS",
        "name": "行政许可决定文书号",
        "data_type": FieldType.STRING,
        "max_length": 64,
        "required": True,
        "aliases": ["XK_WSH"],
    },
    {"code": "XK_JDRQ", "name": "许可决定日期", "data_type": FieldType.DATE, "required": True},
]


@pytest.fixture
def licence_v1(province_admin, scjg):
    """Resource XZXK published as v1 with four fields, supplied by SCJG at every level."""
    draft = services.create_resource(
        code="XZXK",
        kind=ResourceKind.LICENCE,
        attributes={
            "name": "行政许可信息",
            "deadline_working_days": 7,
            "business_key_fields": ["XK_XKWS"],
        },
        actor=province_admin,
    )
    for spec in LICENCE_FIELDS:
        services.add_field(draft, dict(spec), actor=province_admin)
    services.set_suppliers(
        draft,
        [{"line": "SCJG", "levels": ["provincial", "city", "county"]}],
        actor=province_admin,
    )
    services.publish_version(draft, actor=province_admin, change_note="首次发布")
    draft.refresh_from_db()
    return draft


def catalogue_document(**overrides):
    """A small valid import document: licences supplied by SCJG and customs, with one regime."""
    resource = {
        "code": "XZXK",
        "kind": "licence",
        "name": "行政许可信息",
        "name_en": "Administrative licences",
        "deadline_working_days": 7,
        "business_key_fields": ["XK_XKWS"],
        "decision_date_field": "XK_JDRQ",
        "subject_uscc_field": "XK_XDR_SHXYM",
        "subject_name_field": "XK_XDR_MC",
        "suppliers": [
            {"line": "SCJG", "levels": ["provincial", "city", "county"]},
            {"department": "460000-HG"},
        ],
        "regimes": [
            {
                "name": "双公示一般",
                "legal_basis": "发改办财金〔2019〕527号",
                "valid_from": "2019-07-01",
                "severity": "general",
                "min_months": 3,
                "max_months": 12,
            }
        ],
        "fields": [
            {
                "code": "XK_XDR_MC",
                "name": "行政相对人名称",
                "notation": "C..200",
                "required": True,
                "aliases": ["XK_XDR"],
            },
            {"code": "XK_XDR_SHXYM", "name": "统一社会信用代码", "type": "uscc", "required": True},
            {
                "code": "XK_XKWS",
                "name": "行政许可决定文书号",
                "notation": "C..64",
                "required": True,
                "aliases": ["XK_WSH"],
            },
            {"code": "XK_JDRQ", "name": "许可决定日期", "notation": "YYYY-MM-DD", "required": True},
            {
                "code": "XK_XKLB",
                "name": "许可类别",
                "type": "enum",
                "enum": [{"code": "普通", "label": "普通"}, {"code": "特许", "label": "特许"}],
            },
        ],
    }
    resource.update(overrides)
    return {"format": "hainan-catalogue/1", "resources": [resource]}
