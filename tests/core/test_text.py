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
]


def matches(term):
    query = search_query(term)
    hits = []
    with connection.cursor() as cursor:
        for name in NAMES:
            cursor.execute(
                "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)",
                [search_document(name), query],
            )
            if cursor.fetchone()[0]:
                hits.append(name)
    return hits


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
    ],
)
def test_chinese_date_forms_parse(value):
    assert parse_date(value) == datetime.date(2017, 6, 19)


@pytest.mark.parametrize("value", ["2017年2月30日", "19/06/2017", "明天", ""])
def test_bad_dates_raise_with_the_value_named(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_normalize_text_folds_fullwidth_and_whitespace():
    assert normalize_text("  海南\u3000ＡＢＣ  有限公司 ") == "海南 ABC 有限公司"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("海", [NAMES[0], NAMES[1], NAMES[3]]),
        ("美兰", [NAMES[1]]),
        ("国际机场", [NAMES[1], NAMES[2]]),
        ("航空控股股份", [NAMES[0]]),
        ("海航", []),  # characters present but not adjacent
        ("ａｂｃ", [NAMES[3]]),  # full-width query, half-width name
        ("trading", [NAMES[3]]),
        ("有限责任 公司", [NAMES[1], NAMES[2]]),
    ],
)
def test_search_terms_find_substrings_of_real_names(term, expected):
    assert matches(term) == expected


def test_empty_or_punctuation_only_terms_give_no_query():
    assert search_query("") is None
    assert search_query("（）！") is None
