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
