"""The set-based loader every record store shares: COPY, one upsert per chunk, history.

A store describes its table with a :class:`LoadSpec` (natural key columns,
compared content columns, provenance columns) and hands rows to
:func:`load_rows`, or in two halves to :func:`stage_rows` (pure Python:
duplicate keys resolved, COPY text rendered) and :func:`write_staged` (the
database work), so that ingestion stages one chunk while the previous one is
written. The loader

1. COPYs the rows (PostgreSQL text format, escaped here) into a TEMP staging
   table shaped like the target table;
2. per chunk of :data:`CHUNK_SIZE` rows runs **one** statement: a CTE reads the
   current content of the matching records, ``INSERT ... ON CONFLICT (key) DO
   UPDATE ... WHERE (content) IS DISTINCT FROM (EXCLUDED content)`` writes,
   a second data-modifying CTE appends a :class:`~apps.records.models.RecordRevision`
   holding the old and new content of every updated record, and the final
   SELECT reports created / updated / unchanged for every staged row;
3. drops the staging table.

Everything runs inside the caller's transaction (a savepoint when one is open),
so ingestion publishes a whole submission or nothing.

Duplicate natural keys inside one batch: **the last row wins** (spreadsheets
are corrected by appending the fixed line); earlier rows with the same key are
not written and report the winning row's outcome and record id.
"""

from __future__ import annotations

import datetime
import io
import json
import operator
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from .models import RecordRevision
from .registry import LoadContext, LoadResult, RowOutcome, StagedLoad

CHUNK_SIZE = 5_000
"""Rows per upsert statement: large enough to amortise planning, small enough
to keep each statement's memory and lock footprint modest."""


#: Characters psycopg2 reads from the COPY buffer at a time: a chunk in about ten reads (each
#: read re-takes the GIL), each read's text and its UTF-8 copy small beside peak memory.
COPY_READ_SIZE = 1024 * 1024


@dataclass(frozen=True)
class LoadSpec:
    """How one target table is loaded (all names are database column names).

    - ``key_columns``: the natural key the table has a unique constraint on;
    - ``content_columns``: compared with ``IS DISTINCT FROM``; a difference
      updates the record and writes a revision with their old and new values;
    - ``provenance_columns``: written on insert and on a real update, never
      compared (e.g. ``submission_id``, ``received_at``), so re-sending an
      identical row leaves the record untouched;
    - ``json_columns``: columns whose values are serialised as JSON text;
    - ``memo_json``: the JSON values repeat from row to row (a typed store's
      ``extra`` of a few code fields), so their text is memoised per buffer;
      not for whole-row payloads, which never repeat.
    """

    model: type[models.Model]
    key_columns: tuple[str, ...]
    content_columns: tuple[str, ...]
    provenance_columns: tuple[str, ...] = ()
    json_columns: tuple[str, ...] = ()
    memo_json: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.key_columns, *self.content_columns, *self.provenance_columns)


@dataclass(frozen=True)
class RevisionMeta:
    """Provenance written on every revision a load produces."""

    channel: str
    submission_id: int | None
    changed_at: datetime.datetime


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _escape(text: str) -> str:
    """COPY text escaping, skipped for the (usual) text without a special character.

    ``str.translate`` with a mapping walks every character in Python-level
    lookups: it was ~1.5 µs per value and the largest single cost of a 1M-row
    load; four ``in`` scans in C are ~10x cheaper.
    """
    if "\\" in text or "\n" in text or "\r" in text or "\t" in text:
        return text.translate(_TEXT_ESCAPES)
    return text


def copy_text_value(value: Any, *, as_json: bool = False) -> str:
    """One field in PostgreSQL COPY text format (``\\N`` for NULL; escapes applied)."""
    if as_json:
        return _escape(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))
    if value is None:
        return "\\N"
    cls = value.__class__
    if cls is str:
        return _escape(value)
    if cls is int or cls is Decimal:
        return str(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return _escape(value.isoformat())
    return _escape(str(value))


_PLAIN = {
    int: int.__str__,
    Decimal: Decimal.__str__,
    datetime.date: datetime.date.isoformat,
    datetime.datetime: datetime.datetime.isoformat,
}


def _plain_text(value: Any) -> str:
    """A non-text value's COPY text before escaping (same forms as :func:`copy_text_value`)."""
    render = _PLAIN.get(value.__class__)
    if render is not None:
        return render(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


_NULL = "\x01"
_SEPARATOR = "\x00"


#: Distinct JSON values (e.g. a store's ``extra`` column) remembered per COPY buffer.
JSON_MEMO_LIMIT = 10_000


def _json_text(value: Any, memo: dict[Any, str] | None) -> str:
    """``value`` as sorted-key JSON, memoised for small dicts of hashable values.

    The ``extra`` column of a file's rows holds the same few code values over
    and over; DjangoJSONEncoder with ``sort_keys`` was ~5% of a 1M-row load.
    """
    key = None
    # Only text and null values: 1, 1.0, True and Decimal("1") are equal as keys, not as JSON.
    if (
        memo is not None
        and value.__class__ is dict
        and all(v is None or v.__class__ is str for v in value.values())
    ):
        key = tuple(value.items())
        found = memo.get(key)
        if found is not None:
            return found
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    if key is not None and len(memo) < JSON_MEMO_LIMIT:
        memo[key] = text
    return text


@dataclass(frozen=True)
class _LinePlan:
    """The columns of a COPY line, compiled once per buffer for :func:`_render_line`."""

    columns: tuple[str, ...]
    json_positions: tuple[int, ...]
    getter: Any  # operator.itemgetter of the columns: one C call per row

    @classmethod
    def of(cls, plan: list[tuple[str, bool]]) -> _LinePlan:
        columns = tuple(column for column, _as_json in plan)
        getter = operator.itemgetter(*columns) if len(columns) > 1 else None
        return cls(
            columns=columns,
            json_positions=tuple(i for i, (_c, as_json) in enumerate(plan) if as_json),
            getter=getter,
        )

    def values_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        if self.getter is not None:
            try:
                return self.getter(values)
            except KeyError:  # a column the row does not give: NULL
                pass
        return tuple(values.get(column) for column in self.columns)


def _plain_or_null(value: Any) -> str:
    """A non-text value's COPY text before escaping, or the null marker."""
    if value is None:
        return _NULL
    render = _PLAIN.get(value.__class__)
    if render is not None:
        return render(value)
    if isinstance(value, str):  # a TextChoices member (subject kind, channel): its value
        return str(value)
    return _plain_text(value)


def _render_line(
    ordinal: int,
    values: dict[str, Any],
    plan: _LinePlan | list[tuple[str, bool]],
    json_memo: dict[Any, str] | None = None,
) -> str:
    """One staged row as a COPY text line (without the newline).

    Strings, the bulk of the values, are joined as they are with a NUL
    separator and a SOH null marker (PostgreSQL text never holds NUL, and a
    line holding either character takes the value-by-value path), then the
    whole line is escaped in one C-level pass only when it holds a special
    character. The row's values are fetched in one ``itemgetter`` call and
    converted in one comprehension that leaves text alone: together ~5x
    cheaper than :func:`copy_text_value` per value (~2.3 µs x 36 columns per
    penalty row before).
    """
    if plan.__class__ is not _LinePlan:
        plan = _LinePlan.of(plan)
    row = plan.values_of(values)
    given = row
    if plan.json_positions:
        # JSON text first: the comprehension below would otherwise str() each dict in vain.
        row = list(row)
        for position in plan.json_positions:
            row[position] = _json_text(row[position], json_memo)
    parts = [v if v.__class__ is str else _plain_or_null(v) for v in row]
    line = _SEPARATOR.join(parts)
    if line.count(_SEPARATOR) != len(parts) - 1 or line.count(_NULL) != parts.count(_NULL):
        # A value holds NUL or SOH itself: render value by value.
        return "\t".join(
            [str(ordinal)]
            + [
                copy_text_value(value, as_json=position in plan.json_positions)
                for position, value in enumerate(given)
            ]
        )
    if "\\" in line or "\n" in line or "\r" in line or "\t" in line:
        line = line.translate(_TEXT_ESCAPES)
    return f"{ordinal}\t" + line.replace(_SEPARATOR, "\t").replace(_NULL, "\\N")


def _copy_buffer(spec: LoadSpec, rows: Iterable[tuple[int, dict[str, Any]]]) -> io.StringIO:
    """The staged rows as one COPY text buffer (ordinal first, then ``spec.columns``)."""
    buffer = io.StringIO()
    json_columns = set(spec.json_columns)
    plan = _LinePlan.of([(column, column in json_columns) for column in spec.columns])
    write = buffer.write
    json_memo: dict[Any, str] | None = {} if spec.memo_json else None
    for ordinal, (_row_number, values) in enumerate(rows, start=1):
        write(_render_line(ordinal, values, plan, json_memo))
        write("\n")
    buffer.seek(0)
    return buffer


def _timestamp_columns(model: type[models.Model]) -> tuple[bool, bool]:
    names = {f.column for f in model._meta.concrete_fields}
    return "created_at" in names, "updated_at" in names


def _chunk_sql(spec: LoadSpec, staging: str) -> str:
    table = _q(spec.model._meta.db_table)
    revision_table = _q(RecordRevision._meta.db_table)
    keys = spec.key_columns
    content = spec.content_columns
    has_created, has_updated = _timestamp_columns(spec.model)

    insert_columns = list(spec.columns)
    select_values = [f"s.{_q(c)}" for c in spec.columns]
    if has_created:
        insert_columns.append("created_at")
        select_values.append("now()")
    if has_updated:
        insert_columns.append("updated_at")
        select_values.append("now()")
    set_columns = [*content, *spec.provenance_columns] + (["updated_at"] if has_updated else [])

    key_join = lambda left, right: " AND ".join(  # noqa: E731
        f"{left}.{_q(k)} = {right}.{_q(k)}" for k in keys
    )
    content_json = lambda alias: "jsonb_build_object({})".format(  # noqa: E731
        ", ".join(f"'{c}', to_jsonb({alias}.{_q(c)})" for c in content)
    )
    # Identifiers come from model metadata and are quoted; values are parameters.
    # ``old`` probes the natural-key index once per staged row (LATERAL ... LIMIT 1 keeps
    # the planner from flattening it): a plain join was planned as a hash join over a
    # sequential scan of the whole target table whenever its statistics lagged behind a
    # long load (73 ms per 5,000-row chunk at 25,000 records, growing with the table).
    return f"""
WITH src AS (
    SELECT * FROM {staging} WHERE _ordinal > %(low)s AND _ordinal <= %(high)s
),
old AS (
    SELECT t.*
    FROM src s
    CROSS JOIN LATERAL (
        SELECT t.id, {", ".join(f"t.{_q(c)}" for c in (*keys, *content))}
        FROM {table} t WHERE {key_join("t", "s")}
        LIMIT 1
    ) t
),
up AS (
    INSERT INTO {table} AS t ({", ".join(_q(c) for c in insert_columns)})
    SELECT {", ".join(select_values)} FROM src s ORDER BY s._ordinal
    ON CONFLICT ({", ".join(_q(k) for k in keys)}) DO UPDATE
    SET {", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in set_columns)}
    WHERE ({", ".join(f"t.{_q(c)}" for c in content)}, NULL)
        IS DISTINCT FROM ({", ".join(f"EXCLUDED.{_q(c)}" for c in content)}, NULL)
    RETURNING t.id, (t.xmax = 0) AS inserted, {", ".join(f"t.{_q(c)}" for c in (*keys, *content))}
),
rev AS (
    INSERT INTO {revision_table}
        (content_type_id, object_id, revision, before, after, submission_id, channel, changed_at)
    SELECT %(content_type)s, up.id,
        COALESCE((SELECT max(r.revision) FROM {revision_table} r
                  WHERE r.content_type_id = %(content_type)s AND r.object_id = up.id), 0) + 1,
        {content_json("old")}, {content_json("up")},
        %(submission_id)s, %(channel)s, %(changed_at)s
    FROM up JOIN old ON old.id = up.id
    WHERE NOT up.inserted
)
SELECT s._ordinal, COALESCE(up.id, old.id),
    CASE WHEN up.id IS NULL THEN 'unchanged' WHEN up.inserted THEN 'created' ELSE 'updated' END
FROM src s
LEFT JOIN up ON {key_join("up", "s")}
LEFT JOIN old ON {key_join("old", "s")}
"""  # noqa: S608


def _dedupe(
    spec: LoadSpec, rows: Sequence[tuple[int, dict[str, Any]]]
) -> tuple[list[tuple[int, dict[str, Any]]], dict[int, int]]:
    """Keep the last row per natural key (in row order); map each superseded row number
    to the row number that was kept in its place."""
    key_columns = spec.key_columns
    getter = operator.itemgetter(*key_columns) if len(key_columns) > 1 else None
    winners: dict[Any, tuple[int, dict[str, Any]]] = {}
    keys: list[Any] = []
    for row_number, values in rows:
        try:
            key = getter(values) if getter is not None else values[key_columns[0]]
        except KeyError:  # a key column the row does not give: None, as values.get
            key = (
                tuple(values.get(k) for k in key_columns)
                if getter is not None
                else values.get(key_columns[0])
            )
        keys.append(key)
        winners[key] = (row_number, values)
    kept = sorted(winners.values(), key=operator.itemgetter(0))
    superseded: dict[int, int] = {}
    if len(winners) != len(keys):  # some key given twice: rare, so only then the second pass
        for (row_number, _values), key in zip(rows, keys, strict=True):
            winner = winners[key][0]
            if winner != row_number:
                superseded[row_number] = winner
    return kept, superseded


@dataclass
class StagedRows:
    """Rows made ready for :func:`write_staged`: deduplicated and rendered as COPY text.

    :func:`stage_rows` is pure Python, no database access: ingestion builds the next chunk's
    ``StagedRows`` on its own thread while the previous chunk is written.
    """

    spec: LoadSpec
    #: Row number of each kept row, in COPY order (ordinal - 1).
    row_numbers: list[int]
    #: Superseded row number -> the row number whose values were kept.
    superseded: dict[int, int]
    text: io.StringIO


def stage_rows(spec: LoadSpec, rows: Sequence[tuple[int, dict[str, Any]]]) -> StagedRows:
    """Deduplicate ``rows`` (last row per natural key wins) and render them for COPY."""
    kept, superseded = _dedupe(spec, rows)
    return StagedRows(
        spec=spec,
        row_numbers=[row_number for row_number, _values in kept],
        superseded=superseded,
        text=_copy_buffer(spec, kept),
    )


def load_rows(
    spec: LoadSpec,
    rows: Sequence[tuple[int, dict[str, Any]]],
    *,
    revision: RevisionMeta,
    chunk_size: int = CHUNK_SIZE,
) -> LoadResult:
    """Upsert ``rows`` (row number, column -> value) into ``spec.model``'s table.

    Returns per row number whether it created, updated or left a record
    unchanged, and the record id. See the module docstring for the statement
    shape and the duplicate-key rule.
    """
    if not rows:
        return LoadResult()
    return write_staged(stage_rows(spec, rows), revision=revision, chunk_size=chunk_size)


def write_staged(
    staged: StagedRows, *, revision: RevisionMeta, chunk_size: int = CHUNK_SIZE
) -> LoadResult:
    """The database half of :func:`load_rows`: COPY the staged text, upsert per chunk."""
    result = LoadResult()
    spec = staged.spec
    row_numbers = staged.row_numbers
    if not row_numbers:
        return result
    content_type_id = ContentType.objects.get_for_model(spec.model).id
    staging = _q(f"records_stage_{uuid.uuid4().hex[:12]}")
    table = _q(spec.model._meta.db_table)
    sql = _chunk_sql(spec, staging)
    with transaction.atomic(), connection.cursor() as cursor:
        # For this transaction only: the upsert's estimated cost crosses the JIT thresholds,
        # and compiling its wide expressions took ~1.8 s per chunk for a ~0.2 s statement;
        # the in-memory sort by ordinal spilled to disk at the default 4 MB work_mem.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '32MB'")
        cursor.execute(
            f"CREATE TEMP TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {', '.join(_q(c) for c in spec.columns)} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"ALTER TABLE {staging} ADD COLUMN _ordinal integer")
        column_list = ", ".join(["_ordinal", *(_q(c) for c in spec.columns)])
        raw = cursor.cursor  # the psycopg2 cursor under Django's wrapper
        staged.text.seek(0)
        # One read of the whole buffer: psycopg2 re-takes the GIL for every block it reads
        # (8 KiB by default), and with a busy thread beside it each re-take can wait a
        # whole switch interval (5 ms).
        raw.copy_expert(
            f"COPY {staging} ({column_list}) FROM STDIN WITH (FORMAT text)",
            staged.text,
            size=COPY_READ_SIZE,
        )
        # No ANALYZE of the staging table: the statement's plan does not depend on its
        # statistics (the key probe is forced above) and it cost ~70 ms per chunk.
        for low in range(0, len(row_numbers), chunk_size):
            cursor.execute(
                sql,
                {
                    "low": low,
                    "high": low + chunk_size,
                    "content_type": content_type_id,
                    "submission_id": revision.submission_id,
                    "channel": revision.channel,
                    "changed_at": revision.changed_at,
                },
            )
            for ordinal, record_id, outcome in cursor.fetchall():
                row_number = row_numbers[ordinal - 1]
                result.outcomes[row_number] = RowOutcome(outcome)
                result.record_ids[row_number] = record_id
        cursor.execute(f"DROP TABLE {staging}")
    for row_number, winner in staged.superseded.items():
        result.outcomes[row_number] = result.outcomes[winner]
        result.record_ids[row_number] = result.record_ids[winner]
    return result


def staged_load(
    spec: LoadSpec,
    rows: Sequence[tuple[int, dict[str, Any]]],
    context: LoadContext,
    *,
    chunk_size: int = CHUNK_SIZE,
    after: Callable[[LoadResult], None] | None = None,
) -> StagedLoad:
    """A store's :class:`StagedLoad`: ``rows`` staged now; ``write()`` writes them with the
    context's provenance on every revision, then runs ``after(result)`` (a store's own
    follow-up work, in the same transaction)."""
    staged = stage_rows(spec, rows)
    revision = RevisionMeta(
        channel=context.channel,
        submission_id=context.submission_id,
        changed_at=context.received_at,
    )

    def write() -> LoadResult:
        result = write_staged(staged, revision=revision, chunk_size=chunk_size)
        if after is not None:
            after(result)
        return result

    return StagedLoad(write=write)
