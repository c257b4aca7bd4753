# SQL text is built from model metadata (quoted identifiers) and fixed fragments;
# values are always parameters.
# ruff: noqa: S608
"""Running the quality rules over the record stores and keeping issues in step.

For each registered store (:func:`apps.records.registry.registered_stores`)
and each active rule, one SQL statement collects the failing records into a
temporary table; three more statements then open new issues, reopen issues of
records that fail again, and close the issues of checked records that no
longer fail. Nothing is looped over in Python per record.

- **Incremental** runs read the records whose ``updated_at`` is after the
  store's watermark (:class:`~apps.quality.models.CheckWatermark`), with a
  two-minute overlap so that a transaction committing late is not missed
  (checking a record twice changes nothing).
- **Full** runs read every record; they also close the issues of rules that
  were switched off and of records that no longer exist, and rebuild the
  working-day table so that a changed holiday table is taken into account.
"""

from __future__ import annotations

import datetime
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from apps.catalogue.models import FieldSpec
from apps.records.registry import registered_stores

from . import calendar
from .choices import CheckRunKind, CheckRunStatus
from .models import CheckRun, CheckWatermark, QualityRule
from .rules import RULES_BY_CODE, StoreShape

OVERLAP = datetime.timedelta(minutes=2)
ISSUE_TABLE = "quality_qualityissue"


@dataclass
class StoreOutcome:
    """What one store's check did."""

    label: str
    checked: int = 0
    opened: int = 0
    reopened: int = 0
    closed: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _typed_field_columns(store: Any) -> dict[str, str] | None:
    """A typed store's catalogue field code -> column map, if it publishes one.

    Typed stores declare ``FIELD_COLUMNS`` in their module (the loader's own
    mapping); ``store.quality_field_columns`` overrides it. Read through the
    store object, so quality still imports no record app by name.
    """
    explicit = getattr(store, "quality_field_columns", None)
    if explicit:
        return dict(explicit)
    module = sys.modules.get(type(store).__module__)
    found = getattr(module, "FIELD_COLUMNS", None)
    return dict(found) if isinstance(found, dict) else None


def _typed_content(store: Any, columns: set[str], field_map: dict[str, str]) -> str | None:
    """SQL building a typed record's content as JSON: mapped columns, subject fields, ``extra``."""
    from apps.catalogue.models import ResourceVersion

    pairs = {code: column for code, column in field_map.items() if column in columns}
    subject_columns = {
        "subject_name_field": "subject_name",
        "subject_uscc_field": "subject_uscc",
        "decision_date_field": "decision_date",
    }
    kind = getattr(store, "kind", "")
    for row in ResourceVersion.objects.filter(resource__kind=kind).values(*subject_columns):
        for attribute, column in subject_columns.items():
            if row[attribute]:
                pairs.setdefault(row[attribute], column)
    if not pairs:
        return None
    # jsonb_build_object takes at most 100 arguments: chain objects of 50 pairs.
    chunks = []
    items = sorted(pairs.items())
    for index in range(0, len(items), 50):
        chunk = ", ".join(f"'{code}', t.{_q(column)}" for code, column in items[index : index + 50])
        chunks.append(f"jsonb_build_object({chunk})")
    base = "COALESCE(t.extra, '{}'::jsonb)" if "extra" in columns else "'{}'::jsonb"
    return "(" + " || ".join([base, *chunks]) + ")"


def store_shape(store: Any) -> StoreShape:
    """How the rules read one store's table: its content as JSON, or only the common columns."""
    model: type[Model] = store.model
    table = _q(model._meta.db_table)
    columns = {f.column for f in model._meta.concrete_fields}
    date_range = ("valid_from", "valid_to") if {"valid_from", "valid_to"} <= columns else None
    if "payload" in columns and not getattr(store, "quality_field_columns", None):
        return StoreShape(table=table, content="t.payload")
    field_map = _typed_field_columns(store)
    content = _typed_content(store, columns, field_map) if field_map else None
    return StoreShape(table=table, content=content, range_columns=date_range)


def _validity_pairs() -> list[tuple[str, int, str, str]]:
    """(resource, version, from-field, to-field) for fields named …自 / …至 in one version."""
    specs: dict[tuple[str, int], dict[str, str]] = {}
    for code, number, field_code, name in FieldSpec.objects.values_list(
        "version__resource__code", "version__number", "code", "name"
    ):
        specs.setdefault((code, number), {})[name.strip()] = field_code
    pairs = []
    for (code, number), by_name in specs.items():
        for name, from_code in by_name.items():
            if name.endswith(("自", "起")):
                to_code = by_name.get(name[:-1] + "至")
                if to_code:
                    pairs.append((code, number, from_code, to_code))
    return pairs


def prepare_catalogue_tables(cursor: Any) -> None:
    """Temporary tables of field specs, deadlines and validity ranges for this transaction."""
    cursor.execute(
        """
CREATE TEMP TABLE _q_spec ON COMMIT DROP AS
SELECT r.code AS resource_code, v.number AS version_number, f.code, f.name, f.data_type,
       f.required, f.required_when, f.max_length, f.min_length,
       CASE WHEN f.pattern <> '' THEN '^(?:' || f.pattern || ')$' END AS pattern,
       false AS pattern_ok, f.min_value, f.max_value,
       CASE WHEN jsonb_typeof(f.enum_values) = 'array' AND jsonb_array_length(f.enum_values) > 0
            THEN ARRAY(
                SELECT COALESCE(e ->> 'code', e #>> '{}') FROM jsonb_array_elements(f.enum_values) e
                UNION SELECT e ->> 'label' FROM jsonb_array_elements(f.enum_values) e
                    WHERE jsonb_typeof(e) = 'object' AND e ? 'label')
       END AS enum_codes
FROM catalogue_fieldspec f
JOIN catalogue_resourceversion v ON v.id = f.version_id
JOIN catalogue_resource r ON r.id = v.resource_id
"""
    )
    cursor.execute("SELECT DISTINCT pattern FROM _q_spec WHERE pattern IS NOT NULL")
    good = []
    for (pattern,) in cursor.fetchall():
        # Python and PostgreSQL regular expressions differ in corners; a pattern
        # PostgreSQL cannot compile is skipped here rather than failing the run.
        try:
            with transaction.atomic():
                cursor.execute("SELECT '' ~ %s", [pattern])
            good.append(pattern)
        except DatabaseError:
            continue
    if good:
        cursor.execute("UPDATE _q_spec SET pattern_ok = true WHERE pattern = ANY(%s)", [good])
    cursor.execute(
        """
CREATE TEMP TABLE _q_deadline ON COMMIT DROP AS
SELECT r.code AS resource_code, v.number AS version_number, v.deadline_working_days AS days
FROM catalogue_resourceversion v JOIN catalogue_resource r ON r.id = v.resource_id
"""
    )
    cursor.execute(
        "CREATE TEMP TABLE _q_pairs (resource_code text, version_number int, "
        "from_code text, to_code text) ON COMMIT DROP"
    )
    pairs = _validity_pairs()
    if pairs:
        cursor.executemany("INSERT INTO _q_pairs VALUES (%s, %s, %s, %s)", pairs)
    cursor.execute("ANALYZE _q_spec")


def _ensure_calendar(cursor: Any, table: str, *, force: bool) -> None:
    cursor.execute(f"SELECT min(decision_date), max(received_at) FROM {table}")
    low, high = cursor.fetchone()
    if low is None:
        return
    today = timezone.localdate()
    first = max(min(low.year, high.year), 2004)
    last = min(max(low.year, timezone.localtime(high).year), today.year + 1)
    calendar.ensure_years(first, last, force=force)


def check_store(store: Any, *, full: bool, rules: list[QualityRule] | None = None) -> StoreOutcome:
    """Check one store (all records, or those changed since its watermark) in one transaction."""
    model: type[Model] = store.model
    content_type = ContentType.objects.get_for_model(model)
    shape = store_shape(store)
    table = shape.table
    outcome = StoreOutcome(label=model._meta.label)
    active = rules if rules is not None else list(QualityRule.objects.filter(is_active=True))
    active = [rule for rule in active if rule.code in RULES_BY_CODE]
    now = timezone.now()

    with transaction.atomic(), connection.cursor() as cursor:
        # Inside an outer transaction (tests, callers batching stores) ON COMMIT DROP
        # has not fired yet: start from a clean slate.
        _drop_temp_tables(cursor)
        watermark = (
            CheckWatermark.objects.select_for_update().filter(content_type=content_type).first()
        )
        if full or watermark is None:
            cursor.execute(
                f"CREATE TEMP TABLE _qc ON COMMIT DROP AS SELECT id, updated_at FROM {table}"
            )
        else:
            cursor.execute(
                f"CREATE TEMP TABLE _qc ON COMMIT DROP AS SELECT id, updated_at FROM {table} "
                "WHERE updated_at > %s",
                [watermark.updated_at - OVERLAP],
            )
        cursor.execute("ALTER TABLE _qc ADD PRIMARY KEY (id)")
        cursor.execute("ANALYZE _qc")
        cursor.execute("SELECT count(*), max(updated_at) FROM _qc")
        outcome.checked, high_water = cursor.fetchone()
        if outcome.checked == 0 and not full:
            return outcome

        _ensure_calendar(cursor, table, force=full)
        prepare_catalogue_tables(cursor)
        cursor.execute(
            "CREATE TEMP TABLE _q_fail (rule_id int, object_id bigint, field_code text, "
            "detail jsonb) ON COMMIT DROP"
        )
        candidates = "TRUE" if full else "t.id IN (SELECT id FROM _qc)"
        partitions = (
            "TRUE"
            if full
            else f"(i.department_id, i.resource_code) IN (SELECT t.department_id, t.resource_code "
            f"FROM {table} t WHERE t.id IN (SELECT id FROM _qc))"
        )
        checked_rules = []
        for rule in active:
            definition = RULES_BY_CODE[rule.code]
            sql = definition.sql(shape)
            if sql is None:
                continue
            checked_rules.append((rule, definition))
            cursor.execute(
                "INSERT INTO _q_fail (rule_id, object_id, field_code, detail) "
                f"SELECT %s, x.* FROM ({sql.replace('{candidates}', candidates)}) AS x",
                [rule.pk],
            )
            outcome.by_rule[rule.code] = cursor.rowcount
        cursor.execute("CREATE INDEX ON _q_fail (object_id)")
        cursor.execute("ANALYZE _q_fail")

        copied = (
            "department_id = t.department_id, resource_code = t.resource_code, "
            "business_key = t.business_key, decision_date = t.decision_date, "
            "received_on = (t.received_at AT TIME ZONE 'Asia/Shanghai')::date"
        )
        match = (
            "i.rule_id = f.rule_id AND i.content_type_id = %(ct)s AND i.object_id = f.object_id "
            "AND i.field_code = f.field_code"
        )
        params = {"ct": content_type.pk, "now": now}
        cursor.execute(
            f"""UPDATE {ISSUE_TABLE} i SET status = 'open', closed_at = NULL, last_seen_at = %(now)s,
                detail = f.detail, {copied}
            FROM _q_fail f JOIN {table} t ON t.id = f.object_id
            WHERE {match} AND i.status = 'closed'""",
            params,
        )
        outcome.reopened = cursor.rowcount
        cursor.execute(
            f"""UPDATE {ISSUE_TABLE} i SET last_seen_at = %(now)s, detail = f.detail, {copied}
            FROM _q_fail f JOIN {table} t ON t.id = f.object_id
            WHERE {match} AND i.status = 'open'
              AND (i.detail IS DISTINCT FROM f.detail OR i.business_key <> t.business_key
                   OR i.decision_date <> t.decision_date
                   OR i.department_id <> t.department_id)""",
            params,
        )
        cursor.execute(
            f"""INSERT INTO {ISSUE_TABLE} (rule_id, dimension, content_type_id, object_id,
                field_code, department_id, resource_code, business_key, decision_date,
                received_on, detail, status, first_seen_at, last_seen_at)
            SELECT f.rule_id, r.dimension, %(ct)s, f.object_id, f.field_code, t.department_id,
                t.resource_code, t.business_key, t.decision_date,
                (t.received_at AT TIME ZONE 'Asia/Shanghai')::date, f.detail, 'open',
                %(now)s, %(now)s
            FROM _q_fail f
            JOIN {table} t ON t.id = f.object_id
            JOIN quality_qualityrule r ON r.id = f.rule_id
            ON CONFLICT (rule_id, content_type_id, object_id, field_code) DO NOTHING""",
            params,
        )
        outcome.opened = cursor.rowcount

        for rule, definition in checked_rules:
            scope = (
                "TRUE"
                if full
                else (
                    partitions if definition.group_rule else "i.object_id IN (SELECT id FROM _qc)"
                )
            )
            cursor.execute(
                f"""UPDATE {ISSUE_TABLE} i SET status = 'closed', closed_at = %(now)s
                WHERE i.content_type_id = %(ct)s AND i.rule_id = %(rule)s AND i.status = 'open'
                  AND {scope}
                  AND NOT EXISTS (SELECT 1 FROM _q_fail f WHERE {match})""",
                params | {"rule": rule.pk},
            )
            outcome.closed += cursor.rowcount
        if full:
            checked_ids = [rule.pk for rule, _definition in checked_rules]
            cursor.execute(
                f"""UPDATE {ISSUE_TABLE} i SET status = 'closed', closed_at = %(now)s
                WHERE i.content_type_id = %(ct)s AND i.status = 'open'
                  AND NOT (i.rule_id = ANY(%(ids)s))""",
                params | {"ids": checked_ids},
            )
            outcome.closed += cursor.rowcount

        if high_water is not None:
            CheckWatermark.objects.update_or_create(
                content_type=content_type, defaults={"updated_at": high_water}
            )
        _drop_temp_tables(cursor)
    return outcome


TEMP_TABLES = ("_qc", "_q_fail", "_q_spec", "_q_deadline", "_q_pairs")


def _drop_temp_tables(cursor: Any) -> None:
    for name in TEMP_TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def run_checks(kind: str = CheckRunKind.INCREMENTAL) -> CheckRun:
    """Run the active rules over every registered store; record the run and its counts."""
    full = kind == CheckRunKind.FULL
    run = CheckRun.objects.create(kind=kind, started_at=timezone.now())
    totals = {"checked": 0, "opened": 0, "closed": 0}
    detail: dict[str, Any] = {}
    try:
        for store in registered_stores():
            outcome = check_store(store, full=full)
            totals["checked"] += outcome.checked
            totals["opened"] += outcome.opened + outcome.reopened
            totals["closed"] += outcome.closed
            detail[outcome.label] = {
                "checked": outcome.checked,
                "opened": outcome.opened,
                "reopened": outcome.reopened,
                "closed": outcome.closed,
                "failing_by_rule": outcome.by_rule,
            }
    except Exception as exc:
        CheckRun.objects.filter(pk=run.pk).update(
            status=CheckRunStatus.FAILED,
            finished_at=timezone.now(),
            detail=detail | {"error": re.sub(r"\s+", " ", str(exc))[:500]},
        )
        raise
    CheckRun.objects.filter(pk=run.pk).update(
        status=CheckRunStatus.FINISHED,
        finished_at=timezone.now(),
        records_checked=totals["checked"],
        issues_opened=totals["opened"],
        issues_closed=totals["closed"],
        detail=detail,
    )
    run.refresh_from_db()
    return run
