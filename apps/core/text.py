"""Text normalisation, Chinese date forms and Chinese search terms.

Search without database extensions (ENVIRONMENT.md): PostgreSQL's parser does
not split Chinese words, so a name is stored as a token string of character
bigrams, in order, followed by its single characters; it is indexed as
``to_tsvector('simple', search_terms)`` with a GIN index. A query term becomes
a phrase of its bigrams (``ab <-> bc <-> cd``), which matches exactly the names
that contain the term as a substring; a one-character term matches the
single-character tokens. Both sides go through :func:`normalize_for_search`.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_WHITESPACE = re.compile(r"\s+")
# Characters kept for search: CJK ideographs, Latin letters and digits.
_SEARCH_KEEP = re.compile(r"[0-9A-Z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ALNUM = re.compile(r"^[0-9A-Z]+$")
# A gap of positions between the bigram part and the single characters, so a
# phrase query over bigrams can never straddle into the single characters.
_POSITION_GAP = "\u3000"

_CN_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_SEPARATED_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATETIME_SUFFIX = re.compile(r"^(.+?)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$")


def to_halfwidth(value: str) -> str:
    """Full-width ASCII forms and the ideographic space to their half-width forms."""
    return value.translate(_FULLWIDTH)


def normalize_whitespace(value: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return _WHITESPACE.sub(" ", value).strip()


def normalize_text(value: object) -> str:
    """Normalise text for storage: NFKC-safe half-width, single spaces, trimmed."""
    if value is None:
        return ""
    return normalize_whitespace(to_halfwidth(str(value)))


def parse_date(value: object) -> datetime.date:
    """Read a date in the forms departments send.

    Accepts ``date``/``datetime`` objects, ``2017年6月19日``, ``2017-06-19``,
    ``2017/6/19``, ``2017.6.19``, ``20170619``, optionally followed by a time.
    Raises ``ValueError`` with a message naming the value otherwise.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = normalize_text(value)
    match_time = _DATETIME_SUFFIX.match(text)
    if match_time:
        text = match_time.group(1).strip()
    for pattern in (_CN_DATE, _SEPARATED_DATE, _COMPACT_DATE):
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                raise ValueError(
                    f"“{value}”不是有效日期（{year}年{month}月{day}日不存在）"
                ) from None
    raise ValueError(f"“{value}”不是可识别的日期格式（如 2017-06-19、2017年6月19日、20170619）")


def normalize_for_search(value: object) -> str:
    """Upper-case, half-width, NFKC; punctuation and spaces become separators."""
    text = unicodedata.normalize("NFKC", to_halfwidth(str(value or ""))).upper()
    return " ".join(_SEARCH_KEEP.findall(text))


def _chunks(value: object) -> list[str]:
    return normalize_for_search(value).split()


def _bigrams(chunk: str) -> list[str]:
    if _ALNUM.match(chunk):
        return [chunk]
    if len(chunk) == 1:
        return [chunk]
    return [chunk[i : i + 2] for i in range(len(chunk) - 1)]


def search_document(*texts: object) -> str:
    """The token string to store and index with ``to_tsvector('simple', ...)``.

    Bigrams of every text in order, then a position gap, then the single
    characters (for one-character queries). Latin/digit runs stay whole tokens.
    """
    bigrams: list[str] = []
    singles: list[str] = []
    for text in texts:
        for chunk in _chunks(text):
            bigrams.extend(_bigrams(chunk))
            if not _ALNUM.match(chunk):
                singles.extend(chunk)
            bigrams.append(_POSITION_GAP)
    seen: set[str] = set()
    unique_singles = [c for c in singles if not (c in seen or seen.add(c))]
    tokens = [t for t in bigrams if t != _POSITION_GAP]
    if not tokens:
        return ""
    # 'simple' keeps each token; repeating a gap token is unnecessary because
    # to_tsvector assigns consecutive positions, and a phrase query over the
    # bigrams cannot match the single characters, which are never bigrams.
    return " ".join(tokens + unique_singles)


def search_query(term: object) -> str | None:
    """A ``to_tsquery('simple', ...)`` expression matching names containing ``term``.

    Each chunk of the term becomes a phrase of its bigrams; chunks are ANDed.
    Returns None when nothing searchable remains.
    """
    phrases: list[str] = []
    for chunk in _chunks(term):
        tokens = _bigrams(chunk)
        if _ALNUM.match(chunk):
            phrases.append(f"{chunk}:*")
        else:
            phrases.append("(" + " <-> ".join(tokens) + ")" if len(tokens) > 1 else tokens[0])
    if not phrases:
        return None
    return " & ".join(phrases)
