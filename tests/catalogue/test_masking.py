"""Masking of personal data for the public portal."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.catalogue.masking import FULL_MASK, mask_value


@pytest.mark.parametrize(
    ("value", "rule", "shown"),
    [
        ("11010519491231002X", "id_number", "110105********002X"),
        ("13800138000", "phone", "138****8000"),
        ("张三", "person_name", "张*"),
        ("张小明", "person_name", "张**"),
        ("欧阳娜娜", "person_name", "欧阳**"),
        ("海南省海口市龙华区滨海大道1号", "address", "海南省海口市龙华区****"),
        ("海口市美兰区海府路2号", "address", "海口市美兰区****"),
        ("海南省琼海市嘉积镇银海路8号", "address", "海南省琼海市****"),
        ("陵水黎族自治县椰林镇", "address", "陵水黎族自治县****"),
        ("滨海大道1号", "address", FULL_MASK),
        ("任何内容", "full", FULL_MASK),
        ("海南某某有限公司", "none", "海南某某有限公司"),
        (None, "id_number", ""),
        ("  ", "phone", ""),
    ],
)
def test_mask_keeps_only_the_named_parts(value, rule, shown):
    assert mask_value(value, rule) == shown


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="Unknown masking rule"):
        mask_value("x", "blur")


@settings(deadline=None, derandomize=True)
@given(st.text(alphabet="0123456789X", min_size=11, max_size=20))
def test_id_mask_keeps_first_six_and_last_four(number):
    masked = mask_value(number, "id_number")
    assert masked[:6] == number[:6]
    assert masked[-4:] == number[-4:]
    assert set(masked[6:-4]) == {"*"}
    assert len(masked) == len(number)


@settings(deadline=None, derandomize=True)
@given(st.text(alphabet="0123456789-", min_size=1, max_size=20).filter(lambda s: s.strip()))
def test_phone_mask_never_shows_the_middle(phone):
    masked = mask_value(phone, "phone")
    assert len(masked) == len(phone)
    if len(phone) > 7:
        assert masked[:3] == phone[:3] and masked[-4:] == phone[-4:]
    assert masked != phone or len(phone) == 1 and masked == "*"
