"""Fixtures of the quality tests: a catalogue resource, registered entities, a record loader."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from apps.catalogue.choices import FieldType
from apps.quality.checks import run_checks
from apps.quality.choices import CheckRunKind, IssueStatus
from apps.quality.models import QualityIssue
from apps.records.models import GenericRecord
from apps.records.stores import GenericStore
from tests.factories.catalogue import (
    FieldSpecFactory,
    ObligedSupplierFactory,
    ResourceFactory,
    ResourceVersionFactory,
)
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.records import make_context, make_row

SHANGHAI = timezone.get_default_timezone()
PASSWORD_FOR_BROWSER = "pass-Word-123"


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """An instant on a local (Asia/Shanghai) day."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def licence_resource(db):
    """Resource LIC v1: 7 working days, fields with each spec rule, SCJG obliged."""
    resource = ResourceFactory(code="LIC")
    version = ResourceVersionFactory(resource=resource, number=1, deadline_working_days=7)
    FieldSpecFactory(version=version, code="L_WSH", name="许可文书号", required=True)
    FieldSpecFactory(version=version, code="L_NR", name="许可内容", required=True, max_length=10)
    FieldSpecFactory(
        version=version,
        code="L_LB",
        name="许可类别",
        data_type=FieldType.ENUM,
        enum_values=[{"code": "1", "label": "普通"}, {"code": "2", "label": "特许"}],
    )
    FieldSpecFactory(version=version, code="L_BH", name="许可编号", pattern=r"[A-Z]{2}\d{4}")
    FieldSpecFactory(version=version, code="L_YXQZ", name="有效期自", data_type=FieldType.DATE)
    FieldSpecFactory(version=version, code="L_YXQZI", name="有效期至", data_type=FieldType.DATE)
    ObligedSupplierFactory(version=version, line="SCJG", levels=["city", "county"])
    return resource


@pytest.fixture
def company(hainan):
    return EnterpriseFactory(
        name="海南椰风贸易有限公司",
        region=hainan["haikou"],
        established_on=datetime.date(2015, 1, 5),
    )


GOOD_VALUES = {
    "L_WSH": "琼许〔2026〕1号",
    "L_NR": "食品经营",
    "L_LB": "1",
    "L_BH": "HK1234",
    "L_YXQZ": "2026-03-02",
    "L_YXQZI": "2029-03-01",
}


@pytest.fixture
def load(dept, company, licence_resource):
    """Load one record into the generic store; returns the stored GenericRecord.

    Defaults make a record that passes every rule: decided Monday 2026-03-02,
    received the next day, subject = ``company``.
    """
    store = GenericStore()
    counter = {"n": 0}

    def _load(
        *,
        values: dict[str, Any] | None = None,
        department=None,
        business_key: str | None = None,
        decision_date: datetime.date = datetime.date(2026, 3, 2),
        received_on: datetime.date = datetime.date(2026, 3, 3),
        subject_name: str | None = None,
        subject_uscc: str | None = None,
        enterprise: Any = "default",
        subject_kind: str = "organization",
        resource_code: str = "LIC",
    ) -> GenericRecord:
        counter["n"] += 1
        merged = dict(GOOD_VALUES) | (values or {})
        key = business_key or f"琼许〔2026〕{counter['n']}号"
        ent = company if enterprise == "default" else enterprise
        row = make_row(
            1,
            business_key=key,
            values=merged,
            enterprise_id=ent.pk if ent is not None else None,
            subject_kind=subject_kind,
            subject_uscc=company.uscc if subject_uscc is None else subject_uscc,
            subject_name=company.name if subject_name is None else subject_name,
            decision_date=decision_date,
        )
        context = make_context(
            department or dept, resource_code=resource_code, received_at=at(received_on)
        )
        result = store.load([row], context)
        return GenericRecord.objects.get(pk=result.record_ids[1])

    return _load


def open_rules(record) -> set[str]:
    """Codes of the rules with an open issue on ``record``."""
    return set(
        QualityIssue.objects.filter(object_id=record.pk, status=IssueStatus.OPEN).values_list(
            "rule__code", flat=True
        )
    )


@pytest.fixture
def full_check():
    def _run():
        return run_checks(CheckRunKind.FULL)

    return _run
