"""GenericStore.public_records / field_values: what the portal may show of generic records."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from apps.catalogue.choices import PublicityClass, ResourceKind, VersionStatus
from apps.catalogue.models import Resource
from apps.records import registry
from apps.records.models import GenericRecord
from apps.records.registry import PublicRecord, public_records_for
from apps.records.stores import GenericStore
from tests.factories.catalogue import (
    PublicityRegimeFactory,
    ResourceFactory,
    ResourceVersionFactory,
)
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.records import make_context, make_row

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def _load(rows, context):
    with transaction.atomic():
        return GenericStore().load(rows, context)


def _resource(code="DCDY", *, publicity=PublicityClass.PUBLIC, kind=ResourceKind.GENERIC):
    resource = ResourceFactory(code=code, kind=kind)
    ResourceVersionFactory(
        resource=resource, number=1, publicity_class=publicity, status=VersionStatus.PUBLISHED
    )
    return resource


def _public(enterprise, on=TODAY):
    return GenericStore().public_records(enterprise.pk, on=on)


def test_public_resource_record_is_offered_with_its_values_and_provenance(dept):
    _resource()
    enterprise = EnterpriseFactory()
    _load(
        [make_row(1, enterprise_id=enterprise.pk, values={"DY_DJBH": "琼抵2026001"})],
        make_context(dept, resource_code="DCDY"),
    )
    [record] = _public(enterprise)
    assert record.resource_code == "DCDY"
    assert record.resource_version == 1
    assert record.department_id == dept.pk
    assert record.decision_date == datetime.date(2026, 3, 2)
    assert record.values == {"DY_DJBH": "琼抵2026001"}
    assert record.public_until is None


def test_field_values_is_the_payload(dept):
    enterprise = EnterpriseFactory()
    result = _load(
        [make_row(1, enterprise_id=enterprise.pk, values={"A": "1", "B": 2})],
        make_context(dept, resource_code="DCDY"),
    )
    record = GenericRecord.objects.get(pk=result.record_ids[1])
    assert GenericStore().field_values(record) == {"A": "1", "B": 2}


def test_resource_marked_not_public_is_never_offered(dept):
    _resource("SECRET", publicity=PublicityClass.NOT_PUBLIC)
    enterprise = EnterpriseFactory()
    _load([make_row(1, enterprise_id=enterprise.pk)], make_context(dept, resource_code="SECRET"))
    assert _public(enterprise) == []


def test_resource_missing_from_the_catalogue_is_never_offered(dept):
    enterprise = EnterpriseFactory()
    _load([make_row(1, enterprise_id=enterprise.pk)], make_context(dept, resource_code="NOPE"))
    assert _public(enterprise) == []


def test_current_version_publicity_overrides_the_records_version(dept):
    resource = _resource("DCDY")
    newer = ResourceVersionFactory(
        resource=resource, number=2, publicity_class=PublicityClass.NOT_PUBLIC
    )
    Resource.objects.filter(pk=resource.pk).update(current_version=newer)
    enterprise = EnterpriseFactory()
    _load([make_row(1, enterprise_id=enterprise.pk)], make_context(dept, resource_code="DCDY"))
    assert _public(enterprise) == []


def test_publicity_window_from_the_regime_is_enforced(dept):
    resource = _resource("SFXZ")
    PublicityRegimeFactory(
        resource=resource, valid_from=datetime.date(2020, 1, 1), min_months=0, max_months=12
    )
    enterprise = EnterpriseFactory()
    _load(
        [make_row(1, enterprise_id=enterprise.pk, decision_date=datetime.date(2025, 8, 31))],
        make_context(dept, resource_code="SFXZ"),
    )
    [inside] = _public(enterprise, on=datetime.date(2026, 8, 30))
    assert inside.public_until == datetime.date(2026, 8, 31)
    assert _public(enterprise, on=datetime.date(2026, 8, 31)) == []


def test_regime_with_zero_months_keeps_the_record_off_the_portal(dept):
    resource = _resource("SFXZ")
    PublicityRegimeFactory(
        resource=resource, valid_from=datetime.date(2020, 1, 1), min_months=0, max_months=0
    )
    enterprise = EnterpriseFactory()
    _load([make_row(1, enterprise_id=enterprise.pk)], make_context(dept, resource_code="SFXZ"))
    assert _public(enterprise) == []


def test_line_specific_regime_applies_only_to_that_lines_departments(dept, hainan):
    from tests.factories.organizations import DepartmentFactory

    resource = _resource("SFXZ")
    PublicityRegimeFactory(
        resource=resource,
        line="SCJG",
        valid_from=datetime.date(2020, 1, 1),
        min_months=0,
        max_months=1,
    )
    court = DepartmentFactory(code="460100-FY", line="FY", region=hainan["haikou"])
    enterprise = EnterpriseFactory()
    old = datetime.date(2024, 1, 1)
    _load(
        [make_row(1, enterprise_id=enterprise.pk, decision_date=old)],
        make_context(dept, resource_code="SFXZ"),
    )
    _load(
        [make_row(2, enterprise_id=enterprise.pk, decision_date=old)],
        make_context(court, resource_code="SFXZ"),
    )
    assert [r.department_id for r in _public(enterprise)] == [court.pk]


def test_natural_persons_are_never_offered(dept):
    _resource()
    enterprise = EnterpriseFactory()
    _load(
        [make_row(1, enterprise_id=enterprise.pk, subject_kind="natural_person")],
        make_context(dept, resource_code="DCDY"),
    )
    # Even a row wrongly attached to an entity stays off the portal.
    GenericRecord.objects.update(enterprise=enterprise)
    assert _public(enterprise) == []


def test_other_entities_records_are_not_offered(dept):
    _resource()
    enterprise, other = EnterpriseFactory(), EnterpriseFactory()
    _load([make_row(1, enterprise_id=other.pk)], make_context(dept, resource_code="DCDY"))
    assert _public(enterprise) == []


class _FakePenaltyStore:
    """A typed store standing in for another app's (registered only for one test)."""

    kind = ResourceKind.PENALTY
    model = GenericRecord

    def load(self, rows, context):  # pragma: no cover - not used
        raise NotImplementedError

    def field_values(self, record):  # pragma: no cover - not used
        return {}

    def public_records(self, enterprise_id, *, on):
        return [
            PublicRecord(
                resource_code="XZCF",
                resource_version=1,
                record_id=-1,
                department_id=0,
                decision_date=on,
                values={"CF_WSH": "琼罚1号"},
            )
        ]


def test_resource_of_a_typed_store_is_left_to_that_store(dept, monkeypatch):
    _resource("XZCF", kind=ResourceKind.PENALTY)
    fake = _FakePenaltyStore()
    monkeypatch.setitem(registry._BY_KIND, str(ResourceKind.PENALTY), fake)
    enterprise = EnterpriseFactory()
    # A stray generic row of the penalty resource must not appear twice.
    _load([make_row(1, enterprise_id=enterprise.pk)], make_context(dept, resource_code="XZCF"))
    assert _public(enterprise) == []
    combined = public_records_for(enterprise.pk, on=TODAY)
    assert [(r.resource_code, r.values) for r in combined] == [("XZCF", {"CF_WSH": "琼罚1号"})]
