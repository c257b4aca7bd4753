"""Search over the registry: Chinese name substrings and identifiers in any form."""

from __future__ import annotations

from random import Random

from apps.core.uscc import generate_registration_number
from apps.enterprises.models import Enterprise
from apps.enterprises.selectors import search_enterprises
from tests.factories.enterprises import EnterpriseFactory


def _search(term):
    return list(search_enterprises(Enterprise.objects.all(), term))


def test_substring_of_a_real_chinese_name_finds_it(haikou_company, sanya_company):
    assert _search("椰风海韵") == [haikou_company]
    assert _search("鹿回头") == [sanya_company]


def test_single_character_term_finds_the_name(haikou_company, sanya_company):
    assert _search("韵") == [haikou_company]


def test_characters_out_of_order_do_not_match(haikou_company):
    assert _search("韵海风椰") == []


def test_exact_name_is_ranked_first(hainan):
    longer = EnterpriseFactory(name="海南椰岛科技有限公司三亚分公司", region=hainan["sanya"])
    exact = EnterpriseFactory(name="海南椰岛科技有限公司", region=hainan["sanya"])
    assert _search("海南椰岛科技有限公司") == [exact, longer]


def test_uscc_in_lower_case_and_full_width_finds_the_enterprise(haikou_company, sanya_company):
    code = haikou_company.uscc
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    assert _search(code.lower()) == [haikou_company]
    assert _search(full_width) == [haikou_company]
    assert _search(f"{code[:8]} {code[8:]}") == [haikou_company]


def test_registration_number_and_organization_code_match_exactly(sanya_company, haikou_company):
    number = generate_registration_number(Random(3), region="460200")
    Enterprise.objects.filter(pk=sanya_company.pk).update(registration_number=number)
    assert _search(number) == [sanya_company]
    assert _search(sanya_company.organization_code.lower()) == [sanya_company]


def test_a_code_shaped_term_never_falls_back_to_name_search(haikou_company):
    assert _search("91460100MA5T000000") == []


def test_empty_term_leaves_the_queryset_alone(haikou_company, sanya_company):
    assert len(_search("  ")) == 2
