"""Masking of personal data for public display (BRIEF.md 2.1: identity numbers, phones, names, addresses).

The portal shows a public field through :func:`mask_value` with the field's
``masking`` rule. Masks keep the visible parts the rules name and replace the
rest with ``*``; the full mask hides the length too.
"""

from __future__ import annotations

import re
from typing import Any

from .choices import MaskingRule

__all__ = ["mask_value"]

FULL_MASK = "******"

# Common two-character surnames: the whole surname stays visible (欧阳**).
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
        "宇文", "司徒", "令狐", "夏侯", "轩辕", "端木", "南宫", "西门", "独孤", "申屠",
    }
)  # fmt: skip

# Province (or autonomous region / municipality), then prefecture, then county level.
_PROVINCE = re.compile(r"^.{2,7}?(?:省|自治区|特别行政区)")
_PREFECTURE = re.compile(r"^.{1,9}?(?:自治州|地区|盟|市)")
_COUNTY = re.compile(r"^[^\d\s]{1,9}?(?:区|县|旗|市)")


def _keep_ends(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail:
        # Too short to keep both ends without revealing it all: keep only the last character.
        return "*" * (len(text) - 1) + text[-1:] if len(text) > 1 else "*"
    return text[:head] + "*" * (len(text) - head - tail) + text[-tail:]


def _mask_name(text: str) -> str:
    surname = 2 if len(text) > 2 and text[:2] in COMPOUND_SURNAMES else 1
    if len(text) <= surname:
        return text[:1] + "*"
    return text[:surname] + "*" * (len(text) - surname)


def _mask_address(text: str) -> str:
    position = 0
    for pattern in (_PROVINCE, _PREFECTURE, _COUNTY):
        match = pattern.match(text[position:])
        if match:
            position += match.end()
    if position == 0 or position >= len(text):
        # No division found, or nothing beyond it: nothing may be shown safely.
        return FULL_MASK if position == 0 else text
    return text[:position] + "****"


def mask_value(value: Any, rule: str) -> str:
    """The display form of ``value`` under a masking rule (MaskingRule value)."""
    if value is None:
        return ""
    text = str(value).strip()
    if not text:
        return ""
    if rule == MaskingRule.NONE:
        return text
    if rule == MaskingRule.ID_NUMBER:
        return _keep_ends(text, 6, 4)
    if rule == MaskingRule.PHONE:
        return _keep_ends(text, 3, 4)
    if rule == MaskingRule.PERSON_NAME:
        return _mask_name(text)
    if rule == MaskingRule.ADDRESS:
        return _mask_address(text)
    if rule == MaskingRule.FULL:
        return FULL_MASK
    raise ValueError(f"Unknown masking rule {rule!r}")
