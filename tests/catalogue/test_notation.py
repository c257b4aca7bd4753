"""The provincial format notation (C..64, N..18,2, YYYYMMDD ...) is read into types and limits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.catalogue.notation import NotationError, parse_notation


@pytest.mark.parametrize(
    ("raw", "data_type", "limits"),
    [
        ("C..64", "string", {"max_length": 64, "min_length": None}),
        ("c..64", "string", {"max_length": 64, "min_length": None}),
        ("Ｃ．．６４", "string", {"max_length": 64, "min_length": None}),
        ("C…64", "string", {"max_length": 64, "min_length": None}),
        (" C .. 64 ", "string", {"max_length": 64, "min_length": None}),
        ("C18", "string", {"max_length": 18, "min_length": 18}),
        ("C2..10", "string", {"max_length": 10, "min_length": 2}),
        ("N..18,2", "decimal", {"max_digits": 18, "decimal_places": 2}),
        ("N18,2", "decimal", {"max_digits": 18, "decimal_places": 2}),
        ("N．．１８，２", "decimal", {"max_digits": 18, "decimal_places": 2}),
        ("N..10", "integer", {"max_digits": 10, "decimal_places": None}),
        ("N10", "integer", {"max_digits": 10, "decimal_places": None}),
        ("YYYYMMDD", "date", {}),
        ("yyyy-mm-dd", "date", {}),
        ("YYYY/MM/DD", "date", {}),
        ("YYYY-MM-DD hh:mm:ss", "datetime", {}),
        ("YYYY-MM-DD  HH:MM:SS", "datetime", {}),
        ("YYYYMMDDhhmmss", "datetime", {}),
        ("YYYY-MM-DDThh:mm:ss", "datetime", {}),
    ],
)
def test_notation_gives_type_and_limits(raw, data_type, limits):
    notation = parse_notation(raw)
    assert notation.data_type == data_type
    for key, value in limits.items():
        assert notation.limits()[key] == value
    assert notation.raw == raw


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "notation_empty"),
        ("   ", "notation_empty"),
        ("C..", "notation_broken"),
        ("C..abc", "notation_broken"),
        ("X..12", "notation_broken"),
        ("N..", "notation_broken"),
        ("N..18.2", "notation_broken"),
        ("YYYY-MM", "notation_broken"),
        ("DD-MM-YYYY", "notation_broken"),
        ("C..0", "notation_length"),
        ("C..1000000", "notation_length"),
        ("C10..5", "notation_length"),
        ("N..2,2", "notation_digits"),
        ("N..5,7", "notation_digits"),
        ("N..0", "notation_digits"),
        ("N..99", "notation_digits"),
    ],
)
def test_broken_notation_is_refused_with_a_code(raw, code):
    with pytest.raises(NotationError) as caught:
        parse_notation(raw)
    assert caught.value.code == code
    assert caught.value.message_zh
    assert caught.value.message_en
    assert "格式标注" in caught.value.message_zh


@settings(deadline=None, derandomize=True)
@given(st.integers(min_value=1, max_value=100_000))
def test_any_string_length_round_trips(length):
    assert parse_notation(f"C..{length}").max_length == length
    assert parse_notation(f"C{length}").min_length == length


@settings(deadline=None, derandomize=True)
@given(st.integers(min_value=2, max_value=30), st.data())
def test_any_decimal_precision_round_trips(digits, data):
    places = data.draw(st.integers(min_value=1, max_value=digits - 1))
    notation = parse_notation(f"N..{digits},{places}")
    assert (notation.data_type, notation.max_digits, notation.decimal_places) == (
        "decimal",
        digits,
        places,
    )
