"""Licence fixtures: the real XZXK catalogue entry and a loader through the LicenceStore."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from apps.enterprises.choices import SubjectKind
from apps.permits.models import Licence
from apps.permits.stores import LicenceStore
from apps.records.registry import LoadContext, LoadRow
from tests.factories.enterprises import EnterpriseFactory
from tests.penalties.conftest import catalogue  # noqa: F401 (shared fixture)

_numbers = itertools.count(1)


@pytest.fixture
def enterprise(hainan):
    return EnterpriseFactory()


@pytest.fixture
def load_licence(catalogue, enterprise):  # noqa: F811
    """Load one XZXK row through the LicenceStore; returns the Licence."""

    def _load(
        department,
        *,
        decided: datetime.date,
        valid_to: datetime.date | None = datetime.date(2099, 12, 31),
        document_number: str | None = None,
        subject_kind: str = SubjectKind.ORGANIZATION,
        **extra,
    ) -> Licence:
        document_number = document_number or f"琼许〔{decided.year}〕{next(_numbers)}号"
        values = {
            "XK_XDR_MC": enterprise.name,
            "XK_XDR_LB": "自然人"
            if subject_kind == SubjectKind.NATURAL_PERSON
            else "法人及非法人组织",
            "XK_XDR_SHXYM": "" if subject_kind == SubjectKind.NATURAL_PERSON else enterprise.uscc,
            "XK_WSH": document_number,
            "XK_XKWS": "食品经营许可决定书",
            "XK_XKLB": "普通",
            "XK_XKZS": "食品经营许可证",
            "XK_XKBH": "JY14601000000001",
            "XK_NR": "预包装食品销售",
            "XK_JDRQ": decided,
            "XK_YXQZ": decided,
            "XK_YXQZI": valid_to,
            "XK_XKJG": department.name,
            "XK_XKJGDM": "11460100008088868X",
            "XK_ZT": "0",
            "XK_LYDW": department.name,
            "XK_LYDWDM": "11460100008088868X",
            "DFBM": "460100",
            **extra,
        }
        row = LoadRow(
            row_number=1,
            business_key=document_number,
            decision_date=decided,
            subject_kind=subject_kind,
            subject_uscc=values["XK_XDR_SHXYM"],
            subject_name=enterprise.name,
            enterprise_id=None if subject_kind == SubjectKind.NATURAL_PERSON else enterprise.pk,
            values=values,
        )
        context = LoadContext(
            department_id=department.pk,
            resource_code="XZXK",
            resource_version=catalogue["XZXK"].current_version.number,
            channel="api",
            submission_id=None,
            received_at=timezone.now(),
        )
        result = LicenceStore().load([row], context)
        return Licence.objects.get(pk=result.record_ids[1])

    return _load
