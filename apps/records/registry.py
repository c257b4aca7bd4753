"""The registry that maps a catalogue resource's kind to the store that keeps its records.

Ingestion, quality and disclosure reach every record store through here, never
by importing a record app by name (ARCHITECTURE.md). A store registers itself
in its app's ``AppConfig.ready()``::

    from apps.records.registry import register_store
    register_store(ResourceKind.PENALTY, PenaltyStore())

A more specific registration for one resource code wins over the kind's
(``register_store(kind, store, resource_code="XZCF")``); kinds without a typed
store fall back to the generic store of ``apps.records``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import models


class RowOutcome(models.TextChoices):
    """What loading did with one row."""

    CREATED = "created", "新增"
    UPDATED = "updated", "更新"
    UNCHANGED = "unchanged", "未变化"


@dataclass(frozen=True)
class LoadRow:
    """One validated, matched row ready for a store.

    - ``row_number``: position in the submission (1-based, as the person sees it);
    - ``business_key``: unique within (department, resource), e.g. the decision
      document number; the same key again updates the record;
    - ``enterprise_id``: the matched registry entity, or None for natural persons;
    - ``values``: canonical field code -> normalised Python value (the catalogue
      validator's output).
    """

    row_number: int
    business_key: str
    decision_date: datetime.date
    subject_kind: str
    subject_uscc: str
    subject_name: str
    enterprise_id: int | None
    values: dict[str, Any]


@dataclass(frozen=True)
class LoadContext:
    """Provenance shared by every row of one load (ARCHITECTURE.md)."""

    department_id: int
    resource_code: str
    resource_version: int
    channel: str
    submission_id: int | None
    received_at: datetime.datetime
    #: Memos a store may keep for the rest of one ingestion run (all its chunks), e.g. the
    #: penalty store's regimes and publicity windows; None (a single load): none are kept.
    run_memo: dict[Any, Any] | None = field(default=None, compare=False, repr=False)


@dataclass
class LoadResult:
    """Per-row outcomes of one load, keyed by row number, and the affected record ids."""

    outcomes: dict[int, RowOutcome] = field(default_factory=dict)
    record_ids: dict[int, int] = field(default_factory=dict)

    def count(self, outcome: RowOutcome) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)


@dataclass(frozen=True)
class PublicRecord:
    """One record as its store offers it to the portal, before field filtering and masking.

    The store decides *whether* a record is public on a day (the resource is
    public, the record is inside its publicity window, not revoked, not a
    natural person); ``disclosure`` then keeps only the fields the catalogue
    version marks public and masks personal data.

    - ``values``: canonical catalogue field code -> value (as loaded);
    - ``public_until``: the day the record leaves public view (None: open-ended).
    """

    resource_code: str
    resource_version: int
    record_id: int
    department_id: int
    decision_date: datetime.date
    values: dict[str, Any]
    public_until: datetime.date | None = None


@dataclass
class StagedLoad:
    """A store's load with its Python work done (column values, dedupe, COPY text).

    Staging reads reference data (and the list store may create a missing list
    type) on the staging thread's connection, but writes nothing to the record
    table: that is all in ``write()``.

    ``write()`` runs the database half inside the caller's transaction and
    returns the :class:`LoadResult`. Stores offer ``stage(rows, context)`` so
    that ingestion prepares the next chunk on its own thread while the
    previous chunk is being written (``load`` is ``stage(...).write()``).
    """

    write: Callable[[], LoadResult]


class RecordStore(Protocol):
    """What every record store offers to ingestion, quality and disclosure."""

    kind: str
    model: type[models.Model]

    def load(self, rows: list[LoadRow], context: LoadContext) -> LoadResult:
        """Insert or update ``rows`` idempotently on (department, resource, business key).

        Runs inside the caller's transaction; set-based (COPY into a staging
        table and one upsert per chunk), never one ORM save per row. An
        updated record keeps its previous content in history; a row identical
        to the stored record is ``unchanged`` and writes nothing.
        """
        ...

    def stage(self, rows: list[LoadRow], context: LoadContext) -> StagedLoad:
        """The Python half of :meth:`load`: no writes to the record table (see :class:`StagedLoad`).

        It may read reference data (the department, regimes, listing grounds) on
        the caller's connection. Ingestion calls ``stage`` whenever a store has
        it, so a store whose ``load`` does more than ``stage(...).write()`` must
        do that in ``write()`` too.
        """
        ...

    def field_values(self, record: models.Model) -> dict[str, Any]:
        """One stored record's content as canonical catalogue field code -> value."""
        ...

    def public_records(self, enterprise_id: int, *, on: datetime.date) -> list[PublicRecord]:
        """The entity's records that the public may see on ``on`` (see :class:`PublicRecord`).

        Stores of lists may also offer ``list_badges(enterprise_ids, *, on) ->
        dict[int, list[str]]``: the names of the lists each entity is in on ``on``
        (search results show them as badges); see :func:`list_badges`.
        """
        ...


_BY_KIND: dict[str, RecordStore] = {}
_BY_RESOURCE: dict[str, RecordStore] = {}


def register_store(kind: str, store: RecordStore, *, resource_code: str | None = None) -> None:
    """Register ``store`` for a resource kind (or, more specifically, one resource code)."""
    if resource_code:
        _BY_RESOURCE[resource_code] = store
    else:
        _BY_KIND[str(kind)] = store


def get_store(kind: str, resource_code: str | None = None) -> RecordStore:
    """The store for a resource: its own registration, its kind's, or the generic store."""
    if resource_code and resource_code in _BY_RESOURCE:
        return _BY_RESOURCE[resource_code]
    if str(kind) in _BY_KIND:
        return _BY_KIND[str(kind)]
    if "*" in _BY_KIND:
        return _BY_KIND["*"]
    raise LookupError(f"no record store registered for kind {kind!r}")


def registered_stores() -> list[RecordStore]:
    """Every distinct registered store (for quality checks and the portal)."""
    seen: dict[int, RecordStore] = {}
    for store in [*_BY_KIND.values(), *_BY_RESOURCE.values()]:
        seen.setdefault(id(store), store)
    return list(seen.values())


def public_records_for(enterprise_id: int, *, on: datetime.date) -> list[PublicRecord]:
    """Every store's public records of one entity (the portal's profile reads this)."""
    found: list[PublicRecord] = []
    for store in registered_stores():
        found.extend(store.public_records(enterprise_id, on=on))
    return found


def list_badges(enterprise_ids: list[int], *, on: datetime.date) -> dict[int, list[str]]:
    """Names of the lists in force on ``on`` for each entity, from every store that keeps lists."""
    badges: dict[int, list[str]] = {}
    for store in registered_stores():
        provider = getattr(store, "list_badges", None)
        if provider is None:
            continue
        for enterprise_id, names in provider(enterprise_ids, on=on).items():
            badges.setdefault(enterprise_id, []).extend(names)
    return badges
