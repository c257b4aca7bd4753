"""Lists in force on the profile: the badge on the page, print view, PDF and API.

An individual business is not put in the abnormal-operation list but marked
abnormal (SAIC Order 69, BRIEF.md 3.1); the mark has no catalogue section, so
the badge is the only place the portal shows it.
"""
# ruff: noqa: F811  (fixtures are imported from portal_support and then requested)

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.enterprises.choices import EntityType
from apps.joint_punishment import services
from apps.joint_punishment.models import ListingGround, ListType
from tests.factories.enterprises import EnterpriseFactory

from .portal_support import _fresh_caches  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

MARK = "个体工商户经营异常状态"
ABNORMAL = "经营异常名录"


def _list(enterprise, code, department, listed_on):
    list_type = ListType.objects.get(code=code)
    return services.list_entity(
        list_type=list_type,
        enterprise=enterprise,
        department=department,
        listed_on=listed_on,
        authority=department.name,
        document=f"琼测列〔{listed_on.year}〕1号",
        reason="未按规定报送年度报告",
        ground=ListingGround.objects.filter(list_type=list_type, code="1").first(),
        actor=None,
    )


@pytest.fixture
def shop(hainan, dept):
    shop = EnterpriseFactory(
        region=hainan["haikou"],
        entity_type=EntityType.INDIVIDUAL_BUSINESS,
        established_on=datetime.date(2019, 3, 1),
        name="海口乙便利店",
    )
    _list(shop, "GTJYYC", dept, timezone.localdate() - datetime.timedelta(days=30))
    return shop


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace(" ", "").replace("\n", "")


def test_a_marked_individual_business_shows_the_mark_on_every_surface(client, shop):
    page = client.get(reverse("disclosure:profile", args=[shop.uscc])).content.decode()
    assert MARK in page and 'id="profile-badges"' in page
    printed = client.get(reverse("disclosure:profile-print", args=[shop.uscc])).content.decode()
    assert MARK in printed
    pdf = client.get(reverse("disclosure:profile-pdf", args=[shop.uscc]))
    assert MARK in _pdf_text(pdf.content)
    api = client.get(reverse("disclosure-api:portal-profile", args=[shop.uscc])).json()
    assert api["badges"] == [MARK]


def test_a_company_in_the_abnormal_list_carries_its_badge_until_removed(client, hainan, dept):
    company = EnterpriseFactory(region=hainan["haikou"], name="海南甲贸易有限公司")
    today = timezone.localdate()
    entry = _list(company, "JYYC", dept, today - datetime.timedelta(days=100))
    url = reverse("disclosure-api:portal-profile", args=[company.uscc])
    assert client.get(url).json()["badges"] == [ABNORMAL]

    services.remove_entry(
        entry,
        removed_on=today,
        authority=dept.name,
        document="琼测移〔2026〕1号",
        reason="已补报年度报告",
        actor=None,
    )
    assert client.get(url).json()["badges"] == []
    page = client.get(reverse("disclosure:profile", args=[company.uscc])).content.decode()
    assert 'id="profile-badges"' not in page


def test_an_entity_in_no_list_has_no_badge(client, hainan):
    company = EnterpriseFactory(region=hainan["haikou"])
    api = client.get(reverse("disclosure-api:portal-profile", args=[company.uscc])).json()
    assert api["badges"] == []


def test_badges_are_in_english_when_english_is_asked_for(client, shop):
    url = reverse("disclosure-api:portal-profile", args=[shop.uscc])
    api = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["badges"] == ["Individual business marked abnormal"]
