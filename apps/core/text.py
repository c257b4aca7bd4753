"""Text normalisation, Chinese date forms and Chinese search terms.

Search without database extensions (ENVIRONMENT.md): PostgreSQL's parser does
not split Chinese words, so :func:`search_document` turns a name into a token
string that is stored and indexed as ``to_tsvector('simple', search_terms)``
with a GIN index:

- each run of Chinese characters becomes its character bigrams, in order
  (``海南航空`` -> ``海南 南航 航空``); each run of Latin letters and digits
  becomes one token (``ABC``);
- a gap token (:data:`SEARCH_GAP`, a Greek letter no query can contain)
  separates runs and texts, so a phrase of bigrams never spans two of them;
- after another gap come the distinct single Chinese characters, so a
  one-character query finds its names.

:func:`search_query` makes a term into the matching ``to_tsquery('simple', ...)``
expression: a phrase of its bigrams (``海南 <-> 南航 <-> 航空``), which matches
exactly the names containing the term, a single character as itself, and a
Latin/digit run as a prefix (``TRAD:*``). Both sides go through
:func:`normalize_for_search` (NFKC, half-width, upper case; punctuation and
spaces separate runs).
"""

from __future__ import annotations

import datetime
import re
import unicodedata

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_WHITESPACE = re.compile(r"\s+")
# Characters kept for search: CJK ideographs (with 〇), Latin letters and digits.
_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SEARCH_KEEP = re.compile(f"[0-9A-Z{_CJK}]+")
_RUN = re.compile(f"[0-9A-Z]+|[{_CJK}]+")
_ALNUM = re.compile(r"[0-9A-Z]+")
# Never produced by search_query (it keeps only CJK, A-Z and 0-9), and a word
# for PostgreSQL's parser in every locale, so it occupies one position.
SEARCH_GAP = "ω"

_CN_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_SEPARATED_DATE = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$")
_EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")


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

    Accepts ``date``/``datetime`` objects, ``2017年6月19日``, ``2017年06月19日``,
    ``2017-6-19``, ``2017/06/19``, ``2017.6.19``, ``20170619`` (also as a number
    from a spreadsheet), full-width digits, optionally followed by a time.
    Excel date serial numbers (``42905``) are refused with a message saying
    so: whether 1900 or 1904 based cannot be told from the value. Raises
    ``ValueError`` naming the value for anything else.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize_text(value)
    if _EXCEL_SERIAL.match(text):
        raise ValueError(
            f"“{value}”像是 Excel 的日期序列号，不是日期：请把该列设为文本或日期格式后重新导出。"
        )
    text = _TIME_SUFFIX.sub("", text).strip()
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
    """Upper-case, half-width, NFKC; punctuation and spaces become single spaces."""
    text = unicodedata.normalize("NFKC", to_halfwidth(str(value or ""))).upper()
    return " ".join(_SEARCH_KEEP.findall(text))


def _runs(value: object) -> list[str]:
    """Maximal runs of Chinese characters or of Latin letters and digits."""
    return _RUN.findall(normalize_for_search(value))


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def search_document(*texts: object) -> str:
    """The token string to store and index with ``to_tsvector('simple', ...)``.

    Bigrams of every Chinese run and every Latin/digit run whole, in order,
    runs and texts separated by :data:`SEARCH_GAP`; then a gap and the
    distinct single Chinese characters. Empty when nothing is searchable.
    """
    tokens: list[str] = []
    singles: dict[str, None] = {}
    for text in texts:
        for run in _runs(text):
            if _ALNUM.fullmatch(run):
                tokens.append(run)
            else:
                tokens.extend(_bigrams(run))
                singles.update(dict.fromkeys(run))
            tokens.append(SEARCH_GAP)
    if not tokens:
        return ""
    return " ".join([*tokens, *singles])


def search_query(term: object) -> str | None:
    """A ``to_tsquery('simple', ...)`` expression matching documents that contain ``term``.

    A Chinese run becomes a phrase of its bigrams (one character: itself), a
    Latin/digit run a prefix match; runs are ANDed. Only CJK characters,
    letters and digits reach the expression, so tsquery syntax (``& | ! ( ) :
    <-> '``) in the term can never break it. None when nothing searchable remains.
    """
    parts: list[str] = []
    for run in _runs(term):
        if _ALNUM.fullmatch(run):
            parts.append(f"{run}:*")
        elif len(run) <= 2:
            parts.append(run)
        else:
            parts.append("(" + " <-> ".join(_bigrams(run)) + ")")
    if not parts:
        return None
    return " & ".join(parts)
