"""Ingestion fixtures: a published generic resource with a subject, a key and a decision date."""

from __future__ import annotations

import pytest

from apps.catalogue import services
from apps.catalogue.choices import FieldType, ResourceKind

FIELDS = [
    {
        "code": "XK_XDR_MC",
        "name": "行政相对人名称",
        "data_type": FieldType.STRING,
        "max_length": 200,
        "required": True,
        "aliases": ["XK_XDR"],
    },
    {
        "code": "XK_XDR_SHXYM",
        "name": "统一社会信用代码",
        "data_type": FieldType.USCC,
        "required": True,
        "aliases": ["行政相对人代码_1(统一社会信用代码)"],
    },
    {
        "code": "XK_XKWS",
        "name": "行政许可决定文书号",
        "data_type": FieldType.STRING,
        "max_length": 64,
        "required": True,
        "aliases": ["XK_WSH", "许可文书号"],
    },
    {
        "code": "XK_JDRQ",
        "name": "许可决定日期",
        "data_type": FieldType.DATE,
        "required": True,
        "aliases": ["决定日期"],
    },
]


@pytest.fixture
def resource(province_admin, dept):
    """Resource TESTXK (generic kind), published v1, four fields."""
    draft = services.create_resource(
        code="TESTXK",
        kind=ResourceKind.GENERIC,
        attributes={
            "name": "测试许可信息",
            "deadline_working_days": 7,
            "business_key_fields": ["XK_XKWS"],
            "decision_date_field": "XK_JDRQ",
            "subject_uscc_field": "XK_XDR_SHXYM",
            "subject_name_field": "XK_XDR_MC",
        },
        actor=province_admin,
    )
    for spec in FIELDS:
        services.add_field(draft, dict(spec), actor=province_admin)
    services.publish_version(draft, actor=province_admin, change_note="首次发布")
    draft.resource.refresh_from_db()
    return draft.resource


RICH_FIELDS = [
    *FIELDS,
    {
        "code": "XK_XKLB",
        "name": "许可类别",
        "data_type": FieldType.ENUM,
        "required": True,
        "enum_values": [
            {"code": "普通", "label": "普通"},
            {"code": "特许", "label": "特许"},
        ],
    },
    {"code": "XK_YXQZ", "name": "有效期自", "data_type": FieldType.DATE, "required": False},
    {"code": "XK_YXQZI", "name": "有效期至", "data_type": FieldType.DATE, "required": False},
    {
        "code": "XK_NR",
        "name": "许可内容",
        "data_type": FieldType.TEXT,
        "required": False,
        "max_length": 2000,
    },
]

RICH_HEADER = "行政相对人名称,统一社会信用代码,行政许可决定文书号,许可决定日期,许可类别,有效期自,有效期至,许可内容"


@pytest.fixture
def rich_resource(province_admin, dept):
    """Resource TESTXK2: the four fields plus an enumeration and a validity period."""
    from apps.catalogue.models import ObligedSupplier

    draft = services.create_resource(
        code="TESTXK2",
        kind=ResourceKind.GENERIC,
        attributes={
            "name": "测试许可信息（完整）",
            "deadline_working_days": 7,
            "business_key_fields": ["XK_XKWS"],
            "decision_date_field": "XK_JDRQ",
            "subject_uscc_field": "XK_XDR_SHXYM",
            "subject_name_field": "XK_XDR_MC",
        },
        actor=province_admin,
    )
    for spec in RICH_FIELDS:
        services.add_field(draft, dict(spec), actor=province_admin)
    services.publish_version(draft, actor=province_admin, change_note="首次发布")
    draft.resource.refresh_from_db()
    ObligedSupplier.objects.create(
        version=draft.resource.current_version, department=dept, levels=[]
    )
    return draft.resource
