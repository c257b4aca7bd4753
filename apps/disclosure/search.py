"""The portal's enterprise search: one box, names, codes and legal representatives.

What a term is decides how it is matched (BRIEF.md 8):

- the shape of a USCC (18), 注册号 (15) or 组织机构代码 (9), in any case,
  full-width or with spaces and hyphens: an exact match on the normalised,
  indexed column (:func:`apps.enterprises.selectors.identifier_column`);
- anything else is a name, former name or legal representative: a phrase of
  character bigrams over ``Enterprise.search_vector`` (GIN), so any substring
  of two or more Chinese characters matches; a single character matches the
  single-character tokens stored after the bigrams (apps.core.text).

Ranking: an exact code or exact name first, then names starting with the
term, then an exact legal representative, then shorter names (the term is a
larger part of them), then name order. A term that the table statistics say
may match more than :data:`RANKED_MATCHES` names ("海南", "有限责任公司") is
too common to rank every match within the time budget (the GIN bitmap and a
sort over hundreds of thousands of rows): exact names still come first, the
rest follow in name order, found by walking the (name, id) index and
stopping at the first page (:func:`find_rows`). At most :data:`MAX_RESULTS`
hits are shown, as on the national system; the page says when there are more.
"""

from __future__ import annotations

import datetime
import re
import time
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils.translation import gettext

from apps.core.text import normalize_for_search, normalize_text, search_query
from apps.enterprises.models import Enterprise
from apps.enterprises.selectors import identifier_column
from apps.records.registry import list_badges

# BRIEF.md 8: the national system shows at most 50 hits per query.
MAX_RESULTS = 50
PAGE_SIZE = 10
MAX_PAGES = MAX_RESULTS // PAGE_SIZE
# Longest accepted term (a full name is under 100 characters).
MAX_TERM_LENGTH = 100
# Up to this many (estimated) name matches are ranked by a sort; beyond,
# exact names then name order (see estimated_matches).
RANKED_MATCHES = 5_000
# The name-order walk of a common term reads at most this many names.
WALK_ROWS = 30_000

# Runs of Chinese characters, as apps.core.text splits them into bigrams.
_CJK_RUN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

_RESULT_COLUMNS = (
    "pk",
    "uscc",
    "registration_number",
    "name",
    "legal_representative",
    "status",
    "established_on",
    "entity_type",
    "region__name",
    "region__code",
)


class SearchError(ValueError):
    """A term or page the search refuses, with a message for the person (400)."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class SearchHit:
    """One enterprise in the results: only public registration facts and list badges."""

    uscc: str
    name: str
    legal_representative: str
    status: str
    status_label: str
    established_on: datetime.date | None
    region: str
    badges: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    """One page of results: the hits, the kind of match and the capped total."""

    term: str
    kind: str
    hits: list[SearchHit]
    page: int
    pages: int
    total: int
    more_than_cap: bool

    @property
    def start(self) -> int:
        """Position of the page's first hit (for an ordered list's ``start``)."""
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def public_enterprises() -> QuerySet[Enterprise]:
    """The entities the public may find: market entities in the registry.

    Registration information of every registered market entity is public
    (企业信息公示暂行条例 art. 6), whatever its status. Record subjects that
    are not in the registry (natural persons, unmatched names) are never
    searchable: the search reads only this table.
    """
    return Enterprise.objects.all()


def clean_term(raw: object) -> str:
    """The term as searched: control characters and lone surrogates removed, spaces collapsed.

    Raises :class:`SearchError` for a term longer than :data:`MAX_TERM_LENGTH`.
    """
    text = str(raw or "")
    if len(text) > MAX_TERM_LENGTH * 4:
        # Refuse before normalising a huge input.
        raise SearchError(
            gettext("检索词过长：最多 %(max)d 个字符。") % {"max": MAX_TERM_LENGTH}, field="q"
        )
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cs", "Cf"))
    text = normalize_text(text)
    if len(text) > MAX_TERM_LENGTH:
        raise SearchError(
            gettext("检索词过长：最多 %(max)d 个字符。") % {"max": MAX_TERM_LENGTH}, field="q"
        )
    return text


def clean_page(raw: object) -> int:
    """A page number from 1; anything else is a :class:`SearchError`."""
    if raw in (None, ""):
        return 1
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6 or int(text) < 1:
        raise SearchError(gettext("页码必须是正整数。"), field="page")
    return int(text)


def estimated_matches(term: str) -> int:
    """An upper bound of how many entities match a name term, from the planner's statistics.

    A phrase matches no more names than its rarest bigram; PostgreSQL's
    ``ANALYZE`` keeps the frequencies of the most common tokens of
    ``search_vector`` (``pg_stats.most_common_elems``), and a token missing
    from that list is rarer than the least common one listed. 0 when the
    table has no statistics (a small or fresh table: ranking all is cheap).
    """
    stats = _token_statistics()
    if stats is None:
        return 0
    rows, frequencies, floor = stats
    tokens = [
        token
        for run in _CJK_RUN.findall(normalize_for_search(term))
        for token in ([run] if len(run) <= 2 else [run[i : i + 2] for i in range(len(run) - 1)])
    ]
    if not tokens:
        return 0
    return int(rows * min(frequencies.get(token, floor) for token in tokens))


_STATS_TTL = 600.0
_stats_cache: dict[str, tuple[float, tuple[float, dict[str, float], float] | None]] = {}


def _token_statistics() -> tuple[float, dict[str, float], float] | None:
    """(estimated rows, token -> frequency, frequency bound of unlisted tokens), cached 10 min."""
    now = time.monotonic()
    cached = _stats_cache.get(connection.alias)
    if cached is not None and now - cached[0] < _STATS_TTL:
        return cached[1]
    table = Enterprise._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = c.relname "
            "AND s.attname = 'search_vector' AND s.schemaname = current_schema() "
            "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace",
            [table],
        )
        row = cursor.fetchone()
    stats = None
    if row and row[0] and row[1] and row[2] and row[2] > 0:
        elements, freqs, rows = row
        frequencies = dict(zip(elements, freqs[: len(elements)], strict=True))
        stats = (float(rows), frequencies, float(min(frequencies.values())))
    _stats_cache[connection.alias] = (now, stats)
    return stats


def _walk_in_name_order(tsquery: str, limit: int) -> list[int] | None:
    """Ids of the first ``limit`` matches in name order, walking at most WALK_ROWS names.

    The inner ``ORDER BY name, id LIMIT`` reads the (name, id) index, so the
    outer filter stops as soon as ``limit`` matches are found: for a term in
    1 of 600 names or more, well under WALK_ROWS rows. None when the walk
    ends first (the term is rarer than its statistics suggested).
    """
    table = Enterprise._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w.id FROM (SELECT e.id, e.name, e.search_vector "  # noqa: S608
            f"FROM {table} e ORDER BY e.name, e.id LIMIT %s) AS w "
            "WHERE w.search_vector @@ to_tsquery('simple', %s) ORDER BY w.name, w.id LIMIT %s",
            [WALK_ROWS, tsquery, limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) >= limit else None


def _matches(term: str, tsquery: str) -> QuerySet[Enterprise]:
    """Every entity matching a name term.

    A long Chinese term ("海南绣阳旅游农民专业合作社") is a phrase of many
    bigrams, and the GIN index would intersect the long posting lists of its
    common ones (有限, 公司, 合作). When statistics exist, the index is asked
    only for the two rarest bigrams; the phrase itself is then checked on
    ``search_terms`` as the substring "b1 b2 … bn" (bigrams are whole tokens
    separated by single spaces, so the substring is exactly the phrase).
    """
    runs = _CJK_RUN.findall(normalize_for_search(term))
    stats = _token_statistics()
    if stats is not None and len(runs) == 1 and len(runs[0]) >= 4 and tsquery.startswith("("):
        _, frequencies, floor = stats
        run = runs[0]
        bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
        rarest = sorted(dict.fromkeys(bigrams), key=lambda b: frequencies.get(b, floor))[:2]
        return public_enterprises().filter(
            search_vector=SearchQuery(" & ".join(rarest), config="simple", search_type="raw"),
            search_terms__contains=" ".join(bigrams),
        )
    return public_enterprises().filter(
        search_vector=SearchQuery(tsquery, config="simple", search_type="raw")
    )


def ranked_matches(term: str, tsquery: str) -> QuerySet[Enterprise]:
    """Every match ranked: exact name, name starting with the term, exact legal
    representative, shorter name, then name order."""
    matches = _matches(term, tsquery)
    return matches.annotate(
        _exact=Case(When(name=term, then=Value(0)), default=Value(1), output_field=IntegerField()),
        _starts=Case(
            When(Q(name__startswith=term), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        _person=Case(
            When(legal_representative=term, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        _length=Length("name"),
    ).order_by("_exact", "_starts", "_person", "_length", "name", "pk")


def _common_rows(term: str, tsquery: str, limit: int) -> list[dict]:
    """Rows for a term too common to rank every match (module docstring).

    Exact names, then names starting with the term (a range of the (name, id)
    index, in name order), then other matches in name order from a bounded
    walk of that index; when the walk does not fill the page, any further
    matches (the GIN index, in name order among themselves).
    """
    exact = list(
        public_enterprises().filter(name=term).order_by("pk").values(*_RESULT_COLUMNS)[:limit]
    )
    seen = {row["pk"] for row in exact}
    rows = exact
    if len(rows) < limit:
        prefix = list(
            public_enterprises()
            .filter(name__gt=term, name__lt=term + "\U0010ffff", name__startswith=term)
            .order_by("name", "pk")
            .values(*_RESULT_COLUMNS)[: limit - len(rows) + len(seen)]
        )
        rows = rows + [row for row in prefix if row["pk"] not in seen][: limit - len(rows)]
        seen = {row["pk"] for row in rows}
    if len(rows) < limit:
        walked = _walk_in_name_order(tsquery, limit + len(seen))
        if walked is None:
            # The matches are not spread over the name order: take any of them.
            extra = (
                _matches(term, tsquery)
                .exclude(pk__in=seen)
                .order_by()
                .values(*_RESULT_COLUMNS)[: limit - len(rows)]
            )
            return rows + sorted(extra, key=lambda row: (row["name"], row["pk"]))
        wanted = [pk for pk in walked if pk not in seen][: limit - len(rows)]
        by_pk = {
            row["pk"]: row
            for row in public_enterprises().filter(pk__in=wanted).values(*_RESULT_COLUMNS)
        }
        rows = rows + [by_pk[pk] for pk in wanted if pk in by_pk]
    return rows


def find_rows(term: str) -> tuple[str, list[dict]]:
    """(kind of match, up to MAX_RESULTS + 1 result rows in rank order) for a cleaned term."""
    limit = MAX_RESULTS + 1
    identifier = identifier_column(term)
    if identifier is not None:
        column, value = identifier
        qs = public_enterprises().filter(**{column: value}).order_by("pk")
        return column, list(qs.values(*_RESULT_COLUMNS)[:limit])
    tsquery = search_query(term)
    if not tsquery:
        return "name", []
    if estimated_matches(term) > RANKED_MATCHES:
        return "name", _common_rows(term, tsquery, limit)
    return "name", list(ranked_matches(term, tsquery).values(*_RESULT_COLUMNS)[:limit])


def search_page(raw_term: object, raw_page: object = 1, *, on: datetime.date) -> SearchResult:
    """One page of public search results for a raw term (see the module docstring).

    Raises :class:`SearchError` for a term that is too long or a page that is
    not a positive integer; a page past the last shows the last page.
    """
    term = clean_term(raw_term)
    page = clean_page(raw_page)
    if not term:
        return SearchResult(term, "", [], 1, 0, 0, False)
    kind, rows = find_rows(term)
    more = len(rows) > MAX_RESULTS
    rows = rows[:MAX_RESULTS]
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    badges = list_badges([row["pk"] for row in shown], on=on) if shown else {}
    status_labels = dict(Enterprise._meta.get_field("status").flatchoices)
    hits = [
        SearchHit(
            uscc=row["uscc"],
            name=row["name"],
            legal_representative=row["legal_representative"],
            status=row["status"],
            status_label=str(status_labels.get(row["status"], row["status"])),
            established_on=row["established_on"],
            region=row["region__name"] or "",
            badges=sorted(set(badges.get(row["pk"], []))),
        )
        for row in shown
    ]
    return SearchResult(
        term=term,
        kind=kind,
        hits=hits,
        page=page,
        pages=pages if rows else 0,
        total=len(rows),
        more_than_cap=more,
    )
