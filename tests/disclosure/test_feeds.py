"""Announcements: the page, the Atom feed and the resumable change feed API."""

# ruff: noqa: F811  (fixtures are imported from objection_support and then requested)

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET  # noqa: S405 (parses our own feed)

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.catalogue import services as catalogue
from apps.catalogue.models import CatalogueAnnouncement
from apps.disclosure import services
from apps.disclosure.models import ChangeEvent, ChangeEventKind

from .objection_support import _clean_cache, public_list, publish  # noqa: F401

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def announce(code: str, title: str) -> CatalogueAnnouncement:
    resource = publish(code, "generic", [{"code": "F1", "name": "字段"}])
    return CatalogueAnnouncement.objects.create(
        version=resource.current_version,
        title=title,
        summary="新增字段",
        published_at=timezone.now(),
    )


def test_a_catalogue_publication_reaches_the_feed_on_commit(
    province_admin, django_capture_on_commit_callbacks
):
    resource = publish("TPUB", "generic", [{"code": "F1", "name": "字段"}])
    draft = catalogue.create_draft(resource, actor=province_admin)
    catalogue.add_field(
        draft, {"code": "F2", "name": "新字段", "data_type": "string", "max_length": 20},
        actor=province_admin,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        announcement = catalogue.publish_version(draft, actor=province_admin, change_note="加字段")
    event = ChangeEvent.objects.get()
    assert event.kind == ChangeEventKind.CATALOGUE
    assert event.source_key == f"catalogue:{announcement.pk}"
    assert event.link == reverse("catalogue:announcement-detail", args=[announcement.pk])


def test_sync_is_idempotent(hainan):
    announce("TA1", "公告一")
    assert services.sync_change_events() == 1
    assert services.sync_change_events() == 0
    assert ChangeEvent.objects.count() == 1


def test_list_inclusions_and_removals_come_from_the_list_store(public_list):
    services.sync_change_events()
    kinds = sorted(ChangeEvent.objects.values_list("kind", flat=True))
    assert kinds == ["list_included"] * 3 + ["list_removed"]
    removed = ChangeEvent.objects.get(kind=ChangeEventKind.LIST_REMOVED)
    assert removed.title == "海南丙贸易有限公司 被移出测试经营异常名录"
    assert services.sync_change_events() == 0


def test_the_atom_feed_is_valid_xml_with_escaped_titles(client, hainan):
    announce("TA2", "公告 <script>alert(1)</script> & 更正")
    services.sync_change_events()
    response = client.get(reverse("disclosure:announcement-feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}title").text == "公告 <script>alert(1)</script> & 更正"
    assert entries[0].find(f"{ATOM}id").text.startswith("urn:hainan-credit:change:")
    assert b"<script>" not in response.content


def test_the_feed_narrows_to_one_kind(client, public_list):
    announce("TA3", "目录公告")
    services.sync_change_events()
    response = client.get(reverse("disclosure:announcement-feed"), {"kind": "list_removed"})
    root = ET.fromstring(response.content)  # noqa: S314
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert titles == ["海南丙贸易有限公司 被移出测试经营异常名录"]


def test_the_announcement_page_lists_events_and_says_when_lists_are_missing(client, hainan):
    announce("TA4", "目录变更公告甲")
    services.sync_change_events()
    body = client.get(reverse("disclosure:announcement-list")).content.decode()
    assert "目录变更公告甲" in body
    assert "名单列入、移出公告尚未接入" in body or services.list_event_sources()


def test_a_client_resumes_the_change_feed_without_gaps_or_repeats(api_client, hainan):
    for n in range(5):
        announce(f"TR{n}", f"公告{n}")
    services.sync_change_events()
    url = reverse("disclosure-api:change-feed")
    seen, after = [], 0
    while True:
        page = api_client.get(url, {"after": after, "limit": 2}).json()
        seen += [item["title"] for item in page["results"]]
        after = page["next_after"]
        if not page["has_more"]:
            break
    assert seen == [f"公告{n}" for n in range(5)]
    # Nothing new: the same position answers an empty page and keeps the position.
    empty = api_client.get(url, {"after": after}).json()
    assert empty == {"results": [], "next_after": after, "has_more": False}
    # Later announcements appear after the stored position, and only they.
    announce("TR9", "公告9")
    services.sync_change_events()
    page = api_client.get(url, {"after": after}).json()
    assert [item["title"] for item in page["results"]] == ["公告9"]
    assert page["next_after"] > after


def test_feed_positions_grow_even_when_sources_are_older(hainan):
    late = announce("TL1", "迟到的公告")
    CatalogueAnnouncement.objects.filter(pk=late.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=30)
    )
    services.sync_change_events()
    first = ChangeEvent.objects.get().id
    announce("TL2", "新公告")
    services.sync_change_events()
    assert ChangeEvent.objects.get(title="新公告").id > first


@pytest.mark.parametrize(
    "query", [{"after": "-1"}, {"after": "x"}, {"limit": "0"}, {"limit": "5000"}, {"kind": "bogus"}]
)
def test_bad_feed_parameters_answer_400(api_client, hainan, query):
    response = api_client.get(reverse("disclosure-api:change-feed"), query)
    assert response.status_code == 400


def test_feed_pages_cost_the_same_queries_for_few_or_many_events(
    client, api_client, hainan, django_assert_max_num_queries
):
    for n in range(20):
        announce(f"TQ{n}", f"公告{n}")
    services.sync_change_events()
    with django_assert_max_num_queries(3):
        api_client.get(reverse("disclosure-api:change-feed"), {"limit": 20})
    with django_assert_max_num_queries(4):
        client.get(reverse("disclosure:announcement-list"))
    with django_assert_max_num_queries(3):
        client.get(reverse("disclosure:announcement-feed"))
