"""Penalty fixtures: the real XZCF/XZXK catalogue entries (with their regimes) and a loader."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from apps.catalogue import services as catalogue_services
from apps.catalogue.models import Resource
from apps.enterprises.choices import SubjectKind
from apps.organizations.choices import DepartmentLevel
from apps.penalties.models import Penalty
from apps.penalties.stores import PenaltyStore
from apps.records.registry import LoadContext, LoadRow
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.organizations import DepartmentFactory

CATALOGUE = Path(__file__).resolve().parents[2] / "fixtures" / "catalogue" / "hainan_catalogue.json"


@pytest.fixture
def catalogue(province_admin, dept):
    """XZCF and XZXK exactly as in fixtures/catalogue/hainan_catalogue.json, published."""
    document = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    document["resources"] = [r for r in document["resources"] if r["code"] in ("XZCF", "XZXK")]
    catalogue_services.import_catalogue(document, actor=province_admin, publish=True)
    return {r.code: r for r in Resource.objects.filter(code__in=["XZCF", "XZXK"])}


@pytest.fixture
def health_dept(hainan):
    """A Haikou health commission: not market regulation, so the NDRC 2019 rules apply."""
    return DepartmentFactory(
        code="460100-WJW",
        name="海口市卫生健康委员会",
        line="WJW",
        level=DepartmentLevel.CITY,
        region=hainan["haikou"],
    )


@pytest.fixture
def enterprise(hainan):
    return EnterpriseFactory()


_counter = iter(range(1, 1_000_000))


@pytest.fixture
def load_penalty(catalogue, enterprise):
    """Load one XZCF row through the PenaltyStore; returns the Penalty."""

    def _load(
        department,
        *,
        decided: datetime.date,
        category: str = "罚款",
        content: str = "",
        fine: str | None = None,
        violation: str = "虚假宣传",
        document_number: str | None = None,
        subject_kind: str = SubjectKind.ORGANIZATION,
        target=None,
        run_memo: dict | None = None,
        **extra,
    ) -> Penalty:
        target = target or enterprise
        document_number = document_number or f"琼测罚〔{decided.year}〕{next(_counter)}号"
        values = {
            "CF_XDR_MC": target.name,
            "CF_XDR_LB": "自然人"
            if subject_kind == SubjectKind.NATURAL_PERSON
            else "法人及非法人组织",
            "CF_XDR_SHXYM": "" if subject_kind == SubjectKind.NATURAL_PERSON else target.uscc,
            "CF_WSH": document_number,
            "CF_WFXW": violation,
            "CF_SY": "经查，当事人" + violation,
            "CF_YJ": "《中华人民共和国反不正当竞争法》第二十条",
            "CF_CFLB": category,
            "CF_NR": content or category,
            "CF_NR_FK": Decimal(fine) if fine is not None else None,
            "CF_JDRQ": decided,
            "CF_CFJG": department.name,
            "CF_CFJGDM": "11460100008088868X",
            "CF_ZT": "0",
            "CF_SJLY": department.name,
            "CF_SJLYDM": "11460100008088868X",
            "BZ": "测试",
            **extra,
        }
        row = LoadRow(
            row_number=1,
            business_key=document_number,
            decision_date=decided,
            subject_kind=subject_kind,
            subject_uscc=values["CF_XDR_SHXYM"],
            subject_name=target.name,
            enterprise_id=None if subject_kind == SubjectKind.NATURAL_PERSON else target.pk,
            values=values,
        )
        context = LoadContext(
            department_id=department.pk,
            resource_code="XZCF",
            resource_version=catalogue["XZCF"].current_version.number,
            channel="file",
            submission_id=None,
            received_at=timezone.now(),
            run_memo=run_memo,
        )
        result = PenaltyStore().load([row], context)
        return Penalty.objects.select_related("department", "regime").get(pk=result.record_ids[1])

    return _load


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Evidence files go to a per-test directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name: str = "proof.pdf", size: int = 100):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"%PDF-1.4\n" + b"0" * max(size - 9, 0)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def repairable(load_penalty, dept):
    """A Haikou market-regulation fine of 2026-01-05: repairable from 2026-07-05."""
    return load_penalty(dept, decided=datetime.date(2026, 1, 5), fine="5")
