"""The field-format notation of provincial data standards (数据项格式标注).

Provincial catalogues describe each data item with a short notation:

- ``C..64``: character string of at most 64 characters; ``C18``: exactly 18
  characters; ``C2..64``: between 2 and 64 characters;
- ``N..18,2`` / ``N18,2``: decimal number of at most 18 digits of which 2 after
  the decimal point; ``N..10`` / ``N10``: integer of at most 10 digits;
- ``YYYYMMDD``, ``YYYY-MM-DD``, ``YYYY/MM/DD``: a date; ``YYYY-MM-DD hh:mm:ss``,
  ``YYYYMMDDhhmmss``, ``YYYY-MM-DDThh:mm:ss``: a date and time.

Letters are case-insensitive and full-width characters (``Ｃ．．６４``) are
accepted, because catalogues are often typed in Chinese input methods. ``N10``
is read as "at most 10 digits", the way the double-publicity standards use it
for amounts and counts (a fixed-width digit code is a string, ``C10``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Notation", "NotationError", "parse_notation"]

# Upper bounds that keep a typo (C..640000) from becoming a field limit.
MAX_STRING_LENGTH = 100_000
MAX_NUMBER_DIGITS = 30  # FieldSpec.min_value/max_value are numeric(30, 6)

_STRING = re.compile(r"C(?:(?P<min>\d+)?\.\.(?P<max>\d+)|(?P<fixed>\d+))")
_NUMBER = re.compile(r"N(?:\.\.)?(?P<digits>\d+)(?:,(?P<places>\d+))?")
_DATE_FORMS = {"YYYYMMDD", "YYYY-MM-DD", "YYYY/MM/DD"}
_DATETIME_FORMS = {
    "YYYY-MM-DD HH:MM:SS",
    "YYYY-MM-DDTHH:MM:SS",
    "YYYY/MM/DD HH:MM:SS",
    "YYYYMMDDHHMMSS",
    "YYYYMMDD HH:MM:SS",
    "YYYY-MM-DD HH:MM",
}


@dataclass(frozen=True)
class Notation:
    """What a notation says about a field: its type and limits (FieldSpec attribute names)."""

    raw: str
    data_type: str
    max_length: int | None = None
    min_length: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None

    def limits(self) -> dict[str, int | None]:
        """The limits as FieldSpec keyword arguments."""
        return {
            "max_length": self.max_length,
            "min_length": self.min_length,
            "max_digits": self.max_digits,
            "decimal_places": self.decimal_places,
        }


class NotationError(ValueError):
    """A notation that cannot be read; carries a code and both messages."""

    def __init__(self, raw: str, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.raw = raw
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


def _canonical(raw: str) -> str:
    # NFKC folds full-width letters, digits and punctuation (Ｃ．．６４ -> C..64) and
    # the ellipsis character (C…64 -> C...64, then reduced to two dots below).
    text = unicodedata.normalize("NFKC", raw).strip().upper()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\.{3,}", "..", text)
    # "C .. 64" and "N..18, 2": spaces carry no meaning outside date-time notations.
    if not text.startswith("YYYY"):
        text = text.replace(" ", "")
    return text


def parse_notation(raw: str) -> Notation:
    """Read one notation; raise :class:`NotationError` when it is broken."""
    if not isinstance(raw, str) or not raw.strip():
        raise NotationError(
            str(raw), "notation_empty", "格式标注为空。", "The format notation is empty."
        )
    text = _canonical(raw)

    match = _STRING.fullmatch(text)
    if match:
        if match["fixed"] is not None:
            low = high = int(match["fixed"])
        else:
            high = int(match["max"])
            low = int(match["min"]) if match["min"] is not None else None
        if high < 1 or high > MAX_STRING_LENGTH:
            raise NotationError(
                raw,
                "notation_length",
                f"格式标注“{raw}”的长度必须在 1 到 {MAX_STRING_LENGTH} 之间。",
                f"The length in notation '{raw}' must be between 1 and {MAX_STRING_LENGTH}.",
            )
        if low is not None and low > high:
            raise NotationError(
                raw,
                "notation_length",
                f"格式标注“{raw}”的最小长度大于最大长度。",
                f"The minimum length in notation '{raw}' exceeds its maximum.",
            )
        return Notation(
            raw=raw,
            data_type="string",
            max_length=high,
            min_length=low if low else None,
        )

    match = _NUMBER.fullmatch(text)
    if match:
        digits = int(match["digits"])
        places = int(match["places"]) if match["places"] is not None else 0
        if digits < 1 or digits > MAX_NUMBER_DIGITS:
            raise NotationError(
                raw,
                "notation_digits",
                f"格式标注“{raw}”的位数必须在 1 到 {MAX_NUMBER_DIGITS} 之间。",
                f"The number of digits in notation '{raw}' must be between 1 and "
                f"{MAX_NUMBER_DIGITS}.",
            )
        if places >= digits:
            raise NotationError(
                raw,
                "notation_digits",
                f"格式标注“{raw}”的小数位数必须小于总位数。",
                f"The decimal places in notation '{raw}' must be fewer than its digits.",
            )
        if places:
            return Notation(raw=raw, data_type="decimal", max_digits=digits, decimal_places=places)
        return Notation(raw=raw, data_type="integer", max_digits=digits)

    if text in _DATE_FORMS:
        return Notation(raw=raw, data_type="date")
    if text in _DATETIME_FORMS:
        return Notation(raw=raw, data_type="datetime")

    raise NotationError(
        raw,
        "notation_broken",
        f"无法识别格式标注“{raw}”（应为 C..n、Cn、N..p,s、N..p、YYYYMMDD、"
        "YYYY-MM-DD 或 YYYY-MM-DD hh:mm:ss 等）。",
        f"Unrecognised format notation '{raw}' (expected C..n, Cn, N..p,s, N..p, YYYYMMDD, "
        "YYYY-MM-DD, YYYY-MM-DD hh:mm:ss, ...).",
    )
