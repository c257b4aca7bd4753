"""The list CSV for entries decided on the platform (no delivered values).

A confirmed proposal or the listing form creates a list entry with its
decision columns only; the CSV still names the entity (the catalogue's
subject fields, from the record base) and shows the listing ground by its
label, as the profile does.
"""

# ruff: noqa: F811  (fixtures are imported from objection_support and then requested)

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.catalogue.choices import FieldType, ResourceKind
from apps.disclosure import services as disclosure_services
from apps.joint_punishment import services
from apps.joint_punishment.models import ListingGround, ListType
from apps.records import registry
from tests.factories.enterprises import EnterpriseFactory

from .objection_support import _clean_cache, publish  # noqa: F401

pytestmark = pytest.mark.django_db

GROUNDS = [
    {"code": "1", "label": "未按规定报送年度报告"},
    {"code": "4", "label": "通过登记的住所或经营场所无法联系"},
]


@pytest.fixture
def jyyc_resource(dept):
    resource = publish(
        "JYYC",
        ResourceKind.LIST_ENTRY,
        [
            {"code": "JYYC_QYMC", "name": "企业名称"},
            {"code": "JYYC_TYSHXYDM", "name": "统一社会信用代码"},
            {
                "code": "JYYC_LRYY",
                "name": "列入经营异常名录原因",
                "data_type": FieldType.ENUM,
                "enum_values": GROUNDS,
            },
            {"code": "JYYC_LRRQ", "name": "列入日期", "data_type": FieldType.DATE},
            {"code": "JYYC_LRWSH", "name": "列入决定书文号"},
        ],
        name="经营异常名录信息",
    )
    # Set directly: a published version is immutable through its model methods.
    type(resource.current_version).objects.filter(pk=resource.current_version_id).update(
        subject_name_field="JYYC_QYMC", subject_uscc_field="JYYC_TYSHXYDM"
    )
    store = registry.get_store(ResourceKind.LIST_ENTRY, "JYYC")
    if not disclosure_services.is_dated_list_store(store):
        pytest.skip("the list-entry store of joint_punishment is not registered")
    return resource


def test_platform_listing_appears_in_the_csv_with_name_code_and_ground_label(
    client, dept, hainan, jyyc_resource
):
    entity = EnterpriseFactory(region=hainan["haikou"], name="海南戊商贸有限公司")
    list_type = ListType.objects.get(code="JYYC")
    services.list_entity(
        list_type=list_type,
        enterprise=entity,
        department=dept,
        listed_on=timezone.localdate(),
        authority=dept.name,
        document="琼市监异〔2026〕8号",
        reason="",
        ground=ListingGround.objects.get(list_type=list_type, code="4"),
        actor=None,
    )
    response = client.get(reverse("disclosure:list-csv", args=["JYYC"]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")[1:]
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=False))
    assert row["企业名称"] == "海南戊商贸有限公司"
    assert row["统一社会信用代码"] == entity.uscc
    assert row["列入经营异常名录原因"] == "通过登记的住所或经营场所无法联系"
    assert row["列入决定书文号"] == "琼市监异〔2026〕8号"
