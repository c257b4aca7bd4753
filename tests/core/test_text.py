"""Text normalisation, Chinese dates and bigram search terms (against PostgreSQL)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from apps.core.text import normalize_text, parse_date, search_document, search_query

NAMES = [
    "海南航空控股股份有限公司",
    "海口美兰国际机场有限责任公司",
    "三亚凤凰国际机场有限责任公司",
    "ＡＢＣ Trading 海南有限公司",
    "海南3M科技有限公司",
]


def document_matches(document, term):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)",
            [document, search_query(term)],
        )
        return cursor.fetchone()[0]


def matches(term):
    return [name for name in NAMES if document_matches(search_document(name), term)]


@pytest.mark.parametrize(
    "value",
    [
        "2017年6月19日",
        "2017年06月19日",
        "2017.6.19",
        "2017-6-19",
        "2017/06/19",
        "20170619",
        "2017-06-19 08:30:00",
        "２０１７－０６－１９",
        "2017-06-19T08:30:00+08:00",
        "2017 年 6 月 19 日",
        20170619,
        20170619.0,
        datetime.date(2017, 6, 19),
        datetime.datetime(2017, 6, 19, 23, 59),
    ],
)
def test_chinese_date_forms_parse(value):
    assert parse_date(value) == datetime.date(2017, 6, 19)


@pytest.mark.parametrize("value", ["2017年2月30日", "19/06/2017", "明天", "", "2017"])
def test_bad_dates_raise_with_the_value_named(value):
    with pytest.raises(ValueError, match=f"“{value}”"):
        parse_date(value)


@pytest.mark.parametrize("value", [42905, 42905.0, "42905"])
def test_excel_serial_numbers_are_refused_with_a_reason(value):
    with pytest.raises(ValueError, match="Excel"):
        parse_date(value)


def test_normalize_text_folds_fullwidth_and_whitespace():
    assert normalize_text("  海南\u3000ＡＢＣ  有限公司 ") == "海南 ABC 有限公司"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("海", [NAMES[0], NAMES[1], NAMES[3], NAMES[4]]),
        ("凤", [NAMES[2]]),
        ("美兰", [NAMES[1]]),
        ("国际机场", [NAMES[1], NAMES[2]]),
        ("航空控股股份", [NAMES[0]]),
        ("海航", []),  # characters present but not adjacent
        ("ａｂｃ", [NAMES[3]]),  # full-width query, half-width name
        ("trading", [NAMES[3]]),
        ("有限责任 公司", [NAMES[1], NAMES[2]]),
        ("凤凰国际", [NAMES[2]]),
        ("海南航空控股股份有限公司", [NAMES[0]]),
        ("3M", [NAMES[4]]),  # a Latin/digit run inside a Chinese name is its own token
        ("南3M科", [NAMES[4]]),
        ("海南 科技", [NAMES[4]]),
        ("海南科技", []),
    ],
)
def test_search_terms_find_substrings_of_real_names(term, expected):
    assert matches(term) == expected


def test_empty_or_punctuation_only_terms_give_no_query():
    assert search_query("") is None
    assert search_query("（）！") is None


@pytest.mark.django_db
def test_a_phrase_never_spans_two_texts():
    # "海南" + "南航空" would otherwise read as 海南 南航 航空 and match 海南航空.
    document = search_document("海南", "南航空")
    assert not document_matches(document, "海南航空")
    assert document_matches(document, "南航空")
    assert document_matches(document, "海南")


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["海南 & !航空", "'海南'", "海南:*", "a<->b|c", "(海口)", "\\"])
def test_tsquery_syntax_in_a_term_is_harmless(term):
    # Every one of these must give a query PostgreSQL accepts (or None).
    query = search_query(term)
    if query is not None:
        document_matches(search_document(NAMES[0]), term)


def test_search_document_layout():
    assert search_document("海南航空 ABC", "三亚") == (
        "海南 南航 航空 ω ABC ω 三亚 ω 海 南 航 空 三 亚"
    )
    assert search_document("", None, "（）") == ""
    assert search_query("海南航空") == "(海南 <-> 南航 <-> 航空)"
    assert search_query("海") == "海"
    assert search_query("ｔｒａｄｉｎｇ 海南") == "TRADING:* & 海南"
