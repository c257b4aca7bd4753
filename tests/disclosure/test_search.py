"""Public search: substrings, code forms, ranking, caps, bad input, no leaks (page and API)."""
# ruff: noqa: F811  (fixtures are imported from portal_support and then requested)

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.core.api.throttling import PublicAnonThrottle
from apps.disclosure.search import MAX_RESULTS, SearchError, clean_term, search_page
from apps.enterprises.choices import EnterpriseStatus
from apps.records import registry
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.records import make_context, make_row

from .portal_support import _fresh_caches  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
SEARCH = reverse("disclosure:search")
API = reverse("disclosure-api:portal-search")


def names(term, page=1):
    return [hit.name for hit in search_page(term, page, on=TODAY).hits]


@pytest.fixture
def companies(hainan):
    return {
        "yefeng": EnterpriseFactory(name="海南椰风贸易有限公司", legal_representative="符海生"),
        "yefeng_tech": EnterpriseFactory(name="海口椰风科技有限公司", legal_representative="陈静"),
        "airline": EnterpriseFactory(name="海南航空控股股份有限公司", legal_representative="王伟"),
        "sanya": EnterpriseFactory(name="三亚湾旅游开发有限公司", legal_representative="李娜"),
    }


def test_two_character_substring_from_the_middle_of_a_name_matches(companies):
    assert sorted(names("椰风")) == ["海南椰风贸易有限公司", "海口椰风科技有限公司"]


def test_longer_substrings_match_exactly_the_names_containing_them(companies):
    assert names("航空控股") == ["海南航空控股股份有限公司"]
    assert names("椰风科技") == ["海口椰风科技有限公司"]
    # Characters present but not adjacent in this order match nothing.
    assert names("椰科") == []


def test_a_single_character_finds_names_containing_it(companies):
    assert names("湾") == ["三亚湾旅游开发有限公司"]
    assert sorted(names("椰")) == ["海南椰风贸易有限公司", "海口椰风科技有限公司"]


def test_uscc_in_any_case_full_width_or_with_spaces_finds_the_entity(companies):
    code = companies["airline"].uscc
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    spaced = " ".join([code[:6], code[6:12], code[12:]])
    for form in (code, code.lower(), full_width, spaced):
        result = search_page(form, on=TODAY)
        assert result.kind == "uscc", form
        assert [hit.uscc for hit in result.hits] == [code], form


def test_a_code_with_a_wrong_character_finds_nothing_rather_than_names(companies):
    code = companies["airline"].uscc
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert search_page(wrong, on=TODAY).hits == []


def test_legacy_registration_number_finds_the_entity(hainan):
    entity = EnterpriseFactory(name="琼海老字号商行", registration_number="460000000012345")
    result = search_page("4600 0000 0012 345", on=TODAY)
    assert result.kind == "registration_number"
    assert [hit.uscc for hit in result.hits] == [entity.uscc]


def test_legal_representative_name_finds_the_entity(companies):
    assert names("符海生") == ["海南椰风贸易有限公司"]


def test_exact_name_ranks_first_then_names_starting_with_the_term(hainan):
    EnterpriseFactory(name="海南椰风贸易有限公司三亚分公司")
    EnterpriseFactory(name="三亚海南椰风贸易有限公司")
    EnterpriseFactory(name="海南椰风贸易有限公司")
    assert names("海南椰风贸易有限公司") == [
        "海南椰风贸易有限公司",
        "海南椰风贸易有限公司三亚分公司",
        "三亚海南椰风贸易有限公司",
    ]


def test_shorter_names_rank_before_longer_ones_among_other_matches(hainan):
    EnterpriseFactory(name="海口美兰椰林度假酒店管理有限公司")
    EnterpriseFactory(name="三亚椰林酒店")
    assert names("椰林") == ["三亚椰林酒店", "海口美兰椰林度假酒店管理有限公司"]


def test_results_are_capped_and_paginated(hainan):
    for n in range(MAX_RESULTS + 5):
        EnterpriseFactory(name=f"儋州木棉{n:02d}号商行")
    first = search_page("木棉", on=TODAY)
    assert first.more_than_cap is True
    assert first.total == MAX_RESULTS
    assert first.pages == 5 and len(first.hits) == 10
    last = search_page("木棉", 5, on=TODAY)
    assert len(last.hits) == 10
    seen = {hit.uscc for page in range(1, 6) for hit in search_page("木棉", page, on=TODAY).hits}
    assert len(seen) == MAX_RESULTS


def test_page_past_the_end_shows_the_last_page(companies):
    result = search_page("椰风", 99, on=TODAY)
    assert result.page == 1 and len(result.hits) == 2


def test_hits_show_public_registration_facts_and_region(companies):
    [hit] = search_page("航空控股", on=TODAY).hits
    airline = companies["airline"]
    assert (hit.uscc, hit.legal_representative, hit.status) == (
        airline.uscc,
        "王伟",
        EnterpriseStatus.ACTIVE,
    )
    assert hit.established_on == airline.established_on
    assert hit.region == "海口市"


class _ListStore:
    """A list store standing in for joint_punishment (badges of lists in force)."""

    kind = "list_entry"
    model = None

    def __init__(self, listed):
        self.listed = listed

    def public_records(self, enterprise_id, *, on):
        return []

    def list_badges(self, enterprise_ids, *, on):
        return {pk: ["经营异常名录"] for pk in enterprise_ids if pk == self.listed}


def test_entities_in_a_list_in_force_carry_its_badge(companies, monkeypatch):
    monkeypatch.setitem(registry._BY_KIND, "list_entry", _ListStore(companies["yefeng"].pk))
    hits = {hit.name: hit.badges for hit in search_page("椰风", on=TODAY).hits}
    assert hits == {"海南椰风贸易有限公司": ["经营异常名录"], "海口椰风科技有限公司": []}


def test_record_subjects_outside_the_registry_are_never_found(companies, dept):
    from apps.records.stores import GenericStore

    GenericStore().load(
        [
            make_row(1, subject_kind="natural_person", subject_name="椰风张三", subject_uscc=""),
            make_row(2, subject_name="椰风未登记商户", subject_uscc="92460100MA5TXXXXXX"),
        ],
        make_context(dept, resource_code="TDY"),
    )
    assert "椰风张三" not in names("椰风") and len(names("椰风")) == 2
    assert names("张三") == []
    assert names("未登记") == []


def test_term_with_sql_or_tsquery_syntax_is_just_text(companies):
    assert names("椰风' OR 1=1 --") == []
    assert sorted(names("椰风 & | ! ( ) :*")) == ["海南椰风贸易有限公司", "海口椰风科技有限公司"]


def test_too_long_term_is_refused_with_a_message():
    with pytest.raises(SearchError) as error:
        clean_term("海" * 10_000)
    assert error.value.field == "q"


def test_control_characters_and_lone_surrogates_are_dropped():
    assert clean_term("椰\x00风\ud800") == "椰风"


# ---------------------------------------------------------------- pages


def test_search_page_lists_hits_with_links_to_profiles(client, companies):
    response = client.get(SEARCH, {"q": "椰风"})
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("disclosure:profile", args=[companies["yefeng"].uscc]) in body
    assert "符海生" in body and "海口市" in body


def test_search_page_without_a_term_shows_only_the_box(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_no_result_page_says_so(client, companies):
    response = client.get(SEARCH, {"q": "不存在的企业名称"})
    assert response.status_code == 200
    assert "没有查询到结果" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=" + "%E6%B5%B7" * 10_000, 400),  # 10,000 characters
        ("q=%FF%FE%ED%A0%80", 200),  # invalid UTF-8 and an encoded surrogate
        ("q=%00%E6%A4%B0%E9%A3%8E", 200),  # NUL before 椰风
        ("q=%3Cscript%3E", 200),
        ("q=%27%3B+DROP+TABLE+enterprises_enterprise%3B--", 200),
        ("q=%E6%A4%B0%E9%A3%8E&page=9999", 200),
        ("q=%E6%A4%B0%E9%A3%8E&page=abc", 400),
        ("q=%E6%A4%B0%E9%A3%8E&page=-1", 400),
    ],
)
def test_bad_input_gets_a_page_or_a_clear_400_never_a_500(client, companies, query, expected):
    response = client.get(f"{SEARCH}?{query}")
    assert response.status_code == expected
    if expected == 400:
        assert "portal-error" in response.content.decode()


def test_names_with_markup_are_escaped(client, hainan):
    EnterpriseFactory(name="海南<script>alert(1)</script>椰岛商行")
    body = client.get(SEARCH, {"q": "椰岛"}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# ---------------------------------------------------------------- API


def test_api_search_returns_public_facts_only(api_client, companies):
    response = api_client.get(API, {"q": "航空控股"})
    assert response.status_code == 200
    data = response.json()
    assert data["match"] == "name" and data["total"] == 1
    [hit] = data["results"]
    assert set(hit) == {
        "uscc",
        "name",
        "legal_representative",
        "status",
        "status_label",
        "established_on",
        "region",
        "badges",
        "profile_url",
        "api_url",
    }
    assert hit["api_url"] == reverse("disclosure-api:portal-profile", args=[hit["uscc"]])


def test_api_search_refuses_a_huge_term_with_400(api_client):
    response = api_client.get(API, {"q": "海" * 10_000})
    assert response.status_code == 400
    assert "q" in response.json()


def test_api_search_is_rate_limited_per_client_with_retry_after(api_client, monkeypatch):
    monkeypatch.setattr(PublicAnonThrottle, "THROTTLE_RATES", {"public_anon": "2/min"})
    assert api_client.get(API, {"q": "椰风"}).status_code == 200
    assert api_client.get(API, {"q": "椰风"}).status_code == 200
    response = api_client.get(API, {"q": "椰风"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


# ---------------------------------------------------------------- common terms


def test_match_estimate_is_bounded_by_the_rarest_bigram(monkeypatch):
    from apps.disclosure import search

    monkeypatch.setattr(
        search, "_token_statistics", lambda: (3_000_000.0, {"海南": 0.125, "南椰": 0.01}, 0.001)
    )
    assert search.estimated_matches("海南") == 375_000
    assert search.estimated_matches("海南椰") == 30_000
    assert search.estimated_matches("海南椰风") == 3_000
    monkeypatch.setattr(search, "_token_statistics", lambda: None)
    assert search.estimated_matches("海南") == 0


def test_common_term_puts_exact_name_first_then_walks_in_name_order(hainan, monkeypatch):
    from apps.disclosure import search

    for n in range(MAX_RESULTS + 5):
        EnterpriseFactory(name=f"木棉{n:02d}号商行")
    EnterpriseFactory(name="木棉")
    monkeypatch.setattr(search, "estimated_matches", lambda term: 10**6)
    result = search_page("木棉", on=TODAY)
    assert result.more_than_cap is True
    assert [hit.name for hit in result.hits][:3] == ["木棉", "木棉00号商行", "木棉01号商行"]
    last = search_page("木棉", 5, on=TODAY)
    assert last.hits[-1].name == "木棉48号商行"


def test_common_estimate_for_a_rare_term_falls_back_to_ranking(hainan, monkeypatch):
    from apps.disclosure import search

    EnterpriseFactory(name="三亚椰林酒店")
    EnterpriseFactory(name="椰林海景酒店有限公司")
    monkeypatch.setattr(search, "estimated_matches", lambda term: 10**6)
    # Ranked (name starting with the term first), not plain name order.
    assert names("椰林") == ["椰林海景酒店有限公司", "三亚椰林酒店"]


def test_long_terms_checked_on_the_rarest_bigrams_still_match_the_exact_phrase(hainan, monkeypatch):
    from apps.disclosure import search

    EnterpriseFactory(name="海南绣阳旅游农民专业合作社")
    EnterpriseFactory(name="海南绣阳农民旅游专业合作社")  # same bigrams but one, other order
    monkeypatch.setattr(
        search, "_token_statistics", lambda: (10.0, {"合作": 0.5, "农民": 0.5}, 0.01)
    )
    assert names("绣阳旅游农民") == ["海南绣阳旅游农民专业合作社"]
    assert names("海南绣阳旅游农民专业合作社") == ["海南绣阳旅游农民专业合作社"]
