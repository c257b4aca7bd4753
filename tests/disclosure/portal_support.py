"""Fixtures of the portal search and profile tests (imported by those modules).

- ``mortgage``: a published public resource ``TDY`` (动产抵押-like) with a
  plain field, an identity number masked by rule, a phone masked by rule and
  a field the catalogue keeps off the portal; one record of ``enterprise``
  from the Haikou bureau (``dept``).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.catalogue.choices import FieldType, MaskingRule, ResourceKind, VersionStatus
from apps.catalogue.models import ResourceVersion
from apps.disclosure.profile import catalogue_cache
from apps.records.stores import GenericStore
from tests.factories.catalogue import FieldSpecFactory, ResourceFactory, ResourceVersionFactory
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.records import make_context, make_row

ID_NUMBER = "460100198001011234"
PHONE = "13812345678"
SECRET = "内部备注不公示"


def publish_resource(
    code: str,
    kind: str,
    fields: list[dict[str, Any]],
    *,
    name: str = "测试资源",
    publicity_class: str = "public",
):
    """A resource with a published current version carrying ``fields`` (test data only)."""
    resource = ResourceFactory(code=code, kind=kind)
    version = ResourceVersionFactory(
        resource=resource,
        number=1,
        name=name,
        name_en=f"{code} resource",
        publicity_class=publicity_class,
        published_at=timezone.now(),
    )
    for order, spec in enumerate(fields):
        FieldSpecFactory(version=version, order=order, **spec)
    # Published after its fields are in place (a published version is immutable).
    ResourceVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)
    resource.current_version = version
    resource.save(update_fields=["current_version"])
    return resource


def load(enterprise, department, code: str, values: dict[str, Any], n: int = 1, **row):
    """Load one generic record of ``code`` about ``enterprise`` from ``department``."""
    with transaction.atomic():
        result = GenericStore().load(
            [
                make_row(
                    n,
                    enterprise_id=enterprise.pk,
                    subject_uscc=enterprise.uscc,
                    values=values,
                    **row,
                )
            ],
            make_context(department, resource_code=code),
        )
    return result.record_ids[n]


@pytest.fixture(autouse=True)
def _fresh_caches():
    cache.clear()
    catalogue_cache.clear()
    yield
    cache.clear()
    catalogue_cache.clear()


@pytest.fixture
def enterprise(hainan):
    return EnterpriseFactory(name="海南椰风贸易有限公司", legal_representative="符海生")


@pytest.fixture
def mortgage(dept, enterprise):
    resource = publish_resource(
        "TDY",
        ResourceKind.GENERIC,
        [
            {"code": "DY_DJBH", "name": "登记编号"},
            {
                "code": "DY_ZJHM",
                "name": "抵押权人证件号码",
                "data_type": FieldType.ID_NUMBER,
                "masking": MaskingRule.ID_NUMBER,
            },
            {
                "code": "DY_LXDH",
                "name": "联系电话",
                "data_type": FieldType.PHONE,
                "masking": MaskingRule.PHONE,
            },
            {"code": "DY_NBBZ", "name": "内部备注", "is_public": False},
        ],
        name="测试动产抵押登记信息",
    )
    record_id = load(
        enterprise,
        dept,
        "TDY",
        {"DY_DJBH": "琼抵2026001", "DY_ZJHM": ID_NUMBER, "DY_LXDH": PHONE, "DY_NBBZ": SECRET},
        decision_date=datetime.date(2026, 3, 2),
    )
    return {"resource": resource, "record_id": record_id, "enterprise": enterprise}
