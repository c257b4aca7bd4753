"""List inclusions and removals from the real list-entry store (read through the registry)."""

# ruff: noqa: F811  (fixtures are imported from objection_support and then requested)

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.catalogue.choices import FieldType, MaskingRule, ResourceKind
from apps.disclosure import services
from apps.disclosure.models import ChangeEvent, ChangeEventKind
from apps.records import registry
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.records import make_context, make_row

from .objection_support import _clean_cache, publish  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def jyyc(dept):
    """The abnormal-operation list with three entries: in force, removed, in force (formula)."""
    publish(
        "JYYC",
        ResourceKind.LIST_ENTRY,
        [
            {"code": "JYYC_QYMC", "name": "企业名称"},
            {"code": "JYYC_LRYY", "name": "列入经营异常名录原因"},
            {"code": "JYYC_LRRQ", "name": "列入日期", "data_type": FieldType.DATE},
            {"code": "JYYC_LRJG", "name": "作出决定机关（列入）"},
            {"code": "JYYC_YCRQ", "name": "移出日期", "data_type": FieldType.DATE},
            {"code": "JYYC_YCYY", "name": "移出原因"},
            {"code": "JYYC_LXDH", "name": "联系电话", "masking": MaskingRule.PHONE},
            {"code": "JYYC_NBBZ", "name": "内部备注", "is_public": False},
        ],
        name="经营异常名录信息",
    )
    store = registry.get_store(ResourceKind.LIST_ENTRY, "JYYC")
    if not services.is_dated_list_store(store):
        pytest.skip("the list-entry store of joint_punishment is not registered")
    rows = []
    for n, (name, reason, removed_on) in enumerate(
        [
            ("海南甲商贸有限公司", "未按规定报送年度报告", None),
            ("海南乙商贸有限公司", "通过登记的住所无法联系", "2026-03-01"),
            ("海南丙商贸有限公司", "=cmd|' /C calc'!A0", None),
        ],
        start=1,
    ):
        entity = EnterpriseFactory(name=name)
        values = {
            "JYYC_QYMC": name,
            "JYYC_LRYY": reason,
            "JYYC_LRRQ": "2026-01-10",
            "JYYC_LRJG": "海口市市场监督管理局",
            "JYYC_LXDH": "13812345678",
            "JYYC_NBBZ": "内部核查意见",
        }
        if removed_on:
            values.update({"JYYC_YCRQ": removed_on, "JYYC_YCYY": "已补报年度报告"})
        rows.append(
            make_row(n, enterprise_id=entity.pk, subject_uscc=entity.uscc, subject_name=name,
                     decision_date=datetime.date(2026, 1, 10), values=values)
        )  # fmt: skip
    store.load(rows, make_context(dept, resource_code="JYYC"))
    return store


def test_inclusions_and_removals_reach_the_feed(jyyc):
    assert services.sync_change_events() == 4
    titles = set(ChangeEvent.objects.values_list("kind", "title"))
    assert (ChangeEventKind.LIST_REMOVED, "海南乙商贸有限公司 被移出经营异常名录信息") in titles
    assert (ChangeEventKind.LIST_INCLUDED, "海南甲商贸有限公司 被列入经营异常名录信息") in titles
    assert services.sync_change_events() == 0


def test_the_csv_has_entries_in_force_only_masked_and_neutralised(client, jyyc):
    response = client.get(reverse("disclosure:list-csv", args=["JYYC"]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert "内部备注" not in header
    by_name = {row[header.index("企业名称")]: row for row in rows[1:]}
    assert set(by_name) == {"海南甲商贸有限公司", "海南丙商贸有限公司"}
    assert {row[header.index("联系电话")] for row in rows[1:]} == {"138****5678"}
    assert by_name["海南丙商贸有限公司"][header.index("列入经营异常名录原因")].startswith("'=")
    assert "内部核查意见" not in text and "13812345678" not in text


def test_a_removal_dated_in_advance_is_announced_on_its_day(dept, jyyc):
    from freezegun import freeze_time

    entity = EnterpriseFactory(name="海南丁商贸有限公司")
    values = {
        "JYYC_QYMC": entity.name,
        "JYYC_LRYY": "未按规定报送年度报告",
        "JYYC_LRRQ": "2026-01-10",
        "JYYC_LRJG": "海口市市场监督管理局",
        "JYYC_YCRQ": "2030-03-01",
        "JYYC_YCYY": "已补报",
    }
    with freeze_time("2030-02-20 10:00:00"):
        jyyc.load(
            [make_row(9, enterprise_id=entity.pk, subject_uscc=entity.uscc,
                      subject_name=entity.name, values=values)],
            make_context(dept, resource_code="JYYC"),
        )  # fmt: skip
        services.sync_change_events()
        assert not ChangeEvent.objects.filter(
            kind=ChangeEventKind.LIST_REMOVED, enterprise_uscc=entity.uscc
        ).exists()
    with freeze_time("2030-03-01 09:00:00"):
        assert services.sync_change_events() == 1
        event = ChangeEvent.objects.get(
            kind=ChangeEventKind.LIST_REMOVED, enterprise_uscc=entity.uscc
        )
        assert timezone.localtime(event.occurred_at).date() == datetime.date(2030, 3, 1)
