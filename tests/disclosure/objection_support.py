"""Fixtures for the objection, feed, key and bulk-download tests (imported by those modules).

- ``penalty``: a published public resource ``TCF`` and one record of it,
  delivered by the Haikou bureau (``dept``) about ``enterprise``;
- ``public_list``: a published list resource ``TJYYC`` with a phone field
  masked by rule, kept by a test store registered for that code (it answers
  ``public_records`` like a real list store: entries in force only).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.catalogue.choices import FieldType, MaskingRule, ResourceKind, VersionStatus
from apps.catalogue.models import ResourceVersion
from apps.records import registry
from apps.records.models import GenericRecord
from apps.records.registry import PublicRecord
from apps.records.stores import GenericStore
from tests.factories.catalogue import FieldSpecFactory, ResourceFactory, ResourceVersionFactory
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.records import make_context, make_row

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def publish(code: str, kind: str, fields: list[dict[str, Any]], name: str = "测试资源"):
    """A resource with a published current version carrying ``fields`` (test data only)."""
    resource = ResourceFactory(code=code, kind=kind)
    version = ResourceVersionFactory(resource=resource, number=1, name=name)
    for order, spec in enumerate(fields):
        FieldSpecFactory(version=version, order=order, **spec)
    # Fields are added to the draft first: a published version is immutable.
    ResourceVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    resource.current_version = version
    resource.save(update_fields=["current_version"])
    return resource


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def enterprise(hainan):
    return EnterpriseFactory(name="海南椰风贸易有限公司")


@pytest.fixture
def penalty(dept, enterprise):
    """One public penalty-like record (generic store) of ``enterprise`` from ``dept``."""
    resource = publish(
        "TCF",
        ResourceKind.GENERIC,
        [{"code": "CF_WSH", "name": "决定文书号"}, {"code": "CF_NR", "name": "处罚内容"}],
        name="测试处罚信息",
    )
    result = GenericStore().load(
        [make_row(1, enterprise_id=enterprise.pk, subject_uscc=enterprise.uscc)],
        make_context(dept, resource_code="TCF"),
    )
    record = GenericRecord.objects.get(pk=result.record_ids[1])
    return {"resource": resource, "record": record, "enterprise": enterprise}


def objection_params(penalty: dict[str, Any]) -> dict[str, Any]:
    return {
        "enterprise": penalty["enterprise"].uscc,
        "resource": penalty["resource"].code,
        "record": penalty["record"].pk,
    }


class ListTestStore(GenericStore):
    """A list store for tests: entries with ``removed`` in their payload are not in force."""

    kind = ResourceKind.LIST_ENTRY

    def public_records(self, enterprise_id: int, *, on: datetime.date) -> list[PublicRecord]:
        return [
            PublicRecord(
                resource_code=r.resource_code,
                resource_version=r.resource_version,
                record_id=r.pk,
                department_id=r.department_id,
                decision_date=r.decision_date,
                values=r.payload,
                public_until=datetime.date(2029, 12, 31),
            )
            for r in GenericRecord.objects.filter(enterprise_id=enterprise_id).order_by("pk")
            if not r.payload.get("removed")
        ]

    def announcement_events(self, since: datetime.datetime | None) -> list[dict[str, Any]]:
        events = []
        for r in GenericRecord.objects.filter(resource_code="TJYYC").select_related(
            "enterprise", "department"
        ):
            base = {
                "key": f"TJYYC:{r.pk}",
                "resource_code": "TJYYC",
                "list_name": "测试经营异常名录",
                "enterprise_uscc": r.subject_uscc,
                "enterprise_name": r.subject_name,
                "department_name": r.department.name,
            }
            events.append({**base, "kind": "included", "occurred_at": r.decision_date,
                           "reason": "未按规定报送年度报告"})  # fmt: skip
            if r.payload.get("removed"):
                events.append({**base, "kind": "removed", "occurred_at": r.decision_date
                               + datetime.timedelta(days=30), "reason": "已补报"})  # fmt: skip
        return events


@pytest.fixture
def public_list(dept, hainan):
    """A public list ``TJYYC``: two entries in force, one removed, one with formula-like text."""
    resource = publish(
        "TJYYC",
        ResourceKind.LIST_ENTRY,
        [
            {"code": "QYMC", "name": "企业名称"},
            {
                "code": "LXDH",
                "name": "联系电话",
                "data_type": FieldType.PHONE,
                "masking": MaskingRule.PHONE,
            },  # fmt: skip
            {"code": "LRYY", "name": "列入原因"},
            {"code": "NBBZ", "name": "内部备注", "is_public": False},
        ],
        name="测试经营异常名录",
    )
    store = ListTestStore()
    registry.register_store(ResourceKind.LIST_ENTRY, store, resource_code="TJYYC")
    rows = []
    for n, (name, reason, removed) in enumerate(
        [
            ("海南甲贸易有限公司", "未按规定报送年度报告", False),
            ("海南乙贸易有限公司", '=HYPERLINK("http://evil.example")', False),
            ("海南丙贸易有限公司", "通过登记的住所无法联系", True),
        ],
        start=1,
    ):
        entity = EnterpriseFactory(name=name)
        rows.append(
            make_row(
                n,
                enterprise_id=entity.pk,
                subject_uscc=entity.uscc,
                subject_name=name,
                values={
                    "QYMC": name,
                    "LXDH": "13812345678",
                    "LRYY": reason,
                    "NBBZ": "内部核查意见",
                    "removed": removed,
                },  # fmt: skip
            )
        )
    store.load(rows, make_context(dept, resource_code="TJYYC"))
    yield {"resource": resource, "store": store}
    registry._BY_RESOURCE.pop("TJYYC", None)
