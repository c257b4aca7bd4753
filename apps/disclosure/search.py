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
larger part of them), then name order. A term with more than
:data:`RANKED_MATCHES` matches ("海南") is too common to rank every match
within the time budget: exact names still come first, the rest follow in name
order, read from the (name, id) index. At most :data:`MAX_RESULTS` hits are
shown, as on the national system; the page says when there are more.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils.translation import gettext

from apps.core.text import normalize_text, search_query
from apps.enterprises.models import Enterprise
from apps.enterprises.selectors import capped_count, identifier_column
from apps.records.registry import list_badges

# BRIEF.md 8: the national system shows at most 50 hits per query.
MAX_RESULTS = 50
PAGE_SIZE = 10
MAX_PAGES = MAX_RESULTS // PAGE_SIZE
# Longest accepted term (a full name is under 100 characters).
MAX_TERM_LENGTH = 100
# Up to this many name matches are ranked by a sort; beyond, name order.
RANKED_MATCHES = 5_000

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


def match_enterprises(term: str) -> tuple[str, QuerySet[Enterprise], bool]:
    """(kind of match, ordered queryset of matches, too common to rank) for a cleaned term."""
    identifier = identifier_column(term)
    qs = public_enterprises()
    if identifier is not None:
        column, value = identifier
        return column, qs.filter(**{column: value}).order_by("pk"), False
    tsquery = search_query(term)
    if not tsquery:
        return "name", qs.none(), False
    matches = qs.filter(search_vector=SearchQuery(tsquery, config="simple", search_type="raw"))
    if capped_count(matches, RANKED_MATCHES) > RANKED_MATCHES:
        # Too common to rank (see module docstring): the caller puts exact
        # names first; the rest in name order, walked on the (name, id) index.
        return "name", matches.order_by("name", "pk"), True
    exact_name = Case(When(name=term, then=Value(0)), default=Value(1), output_field=IntegerField())
    starts = Case(
        When(Q(name__startswith=term), then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    person = Case(
        When(legal_representative=term, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    ranked = matches.annotate(
        _exact=exact_name,
        _starts=starts,
        _person=person,
        _length=Length("name"),
    )
    return "name", ranked.order_by("_exact", "_starts", "_person", "_length", "name", "pk"), False


def search_page(raw_term: object, raw_page: object = 1, *, on: datetime.date) -> SearchResult:
    """One page of public search results for a raw term (see the module docstring).

    Raises :class:`SearchError` for a term that is too long or a page that is
    not a positive integer; a page past the last shows the last page.
    """
    term = clean_term(raw_term)
    page = clean_page(raw_page)
    if not term:
        return SearchResult(term, "", [], 1, 0, 0, False)
    kind, qs, common = match_enterprises(term)
    if common:
        # Exact names first even in the common case: one index probe.
        exact = list(
            public_enterprises()
            .filter(name=term)
            .select_related("region")
            .order_by("pk")[:MAX_RESULTS]
        )
        exact_ids = {e.pk for e in exact}
        rest = qs.exclude(pk__in=exact_ids) if exact_ids else qs
        rows = [_row(e) for e in exact] + list(
            rest.values(*_RESULT_COLUMNS)[: MAX_RESULTS + 1 - len(exact)]
        )
    else:
        rows = list(qs.values(*_RESULT_COLUMNS)[: MAX_RESULTS + 1])
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


def _row(enterprise: Enterprise) -> dict:
    return {
        "pk": enterprise.pk,
        "uscc": enterprise.uscc,
        "registration_number": enterprise.registration_number,
        "name": enterprise.name,
        "legal_representative": enterprise.legal_representative,
        "status": enterprise.status,
        "established_on": enterprise.established_on,
        "entity_type": enterprise.entity_type,
        "region__name": enterprise.region.name if enterprise.region_id else "",
        "region__code": enterprise.region.code if enterprise.region_id else "",
    }
