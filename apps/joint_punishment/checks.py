"""The check: which lists is each entity in today, and which measures must a department apply.

One SQL statement answers a whole batch (up to :data:`MAX_BATCH` codes):
the codes are unnested with their position, joined to the registry by the
unique USCC index, to the entries in force through ``jp_entry_check_idx``
(enterprise, INCLUDE list type and dates), and to the department line's
measures aggregated per list type as JSON. A data-modifying CTE of the same
statement logs every item of the batch (one ``INSERT ... SELECT``). Codes that
are not well-formed USCCs get a per-item error from
:func:`apps.core.uscc.check_identifier`, well-formed codes that match no
entity an "unknown" error: never a failed batch. See bench/bench_checks.py for the figures.
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.uscc import USCC_ALPHABET, check_identifier, normalize_code, uscc_check_char

_USCC_CHARS = re.compile(f"[{USCC_ALPHABET}]{{18}}")

MAX_BATCH = 1000

CHECK_SQL = """
WITH cfg AS (
    -- Local to this statement's transaction: see run_check.
    SELECT set_config('synchronous_commit', 'off', true) AS value
),
q AS (
    SELECT u.code, u.pre_error, u.ord
    FROM unnest(%(codes)s::varchar[], %(pre_errors)s::varchar[]) WITH ORDINALITY
        AS u(code, pre_error, ord)
),
m AS (
    SELECT mlt.listtype_id AS list_type_id,
           jsonb_agg(jsonb_build_object(
               'code', m.code, 'category', m.category, 'content', m.content,
               'legal_basis', m.legal_basis, 'memorandum', m.memorandum,
               'implementing_lines', m.implementing_lines
           ) ORDER BY m.code) AS measures
    FROM joint_punishment_measure m
    JOIN joint_punishment_measure_list_types mlt ON mlt.measure_id = m.id
    WHERE m.is_active
      AND (%(line)s::varchar IS NULL OR m.implementing_lines @> ARRAY[%(line)s::varchar])
    GROUP BY mlt.listtype_id
),
r AS (
    SELECT q.ord, q.code, q.pre_error, e.id AS enterprise_id, e.name, le.id AS entry_id,
           le.list_type_id, lt.code AS list_code, lt.name AS list_name, lt.sort_order,
           le.listed_on, le.listing_authority, le.listing_document, le.listing_reason
    FROM q
    LEFT JOIN enterprises_enterprise e ON e.uscc = q.code
    LEFT JOIN joint_punishment_listentry le
           ON le.enterprise_id = e.id AND le.listed_on <= %(on)s
          AND (le.removed_on IS NULL OR le.removed_on > %(on)s)
    LEFT JOIN joint_punishment_listtype lt ON lt.id = le.list_type_id
),
log AS (
    INSERT INTO joint_punishment_checklog
        (checked_at, batch, department_id, user_id, actor_name, channel, purpose,
         uscc, enterprise_id, lists, error_code)
    SELECT %(now)s, %(batch)s, %(department)s, %(user)s, %(actor)s, %(channel)s, %(purpose)s,
           left(r.code, 64), min(r.enterprise_id),
           coalesce(array_agg(r.list_code ORDER BY r.sort_order, r.listed_on)
                    FILTER (WHERE r.list_code IS NOT NULL), '{}'),
           CASE WHEN min(r.enterprise_id) IS NULL
                THEN coalesce(nullif(min(r.pre_error), ''), 'unknown_uscc') ELSE '' END
    FROM r
    GROUP BY r.ord, r.code
    ORDER BY r.ord
)
SELECT r.ord, r.enterprise_id, r.name, r.entry_id, r.list_code, r.list_name, r.listed_on,
       r.listing_authority, r.listing_document, r.listing_reason, m.measures
FROM r
CROSS JOIN cfg
LEFT JOIN m ON m.list_type_id = r.list_type_id
ORDER BY r.ord, r.sort_order, r.listed_on
"""

# The statement is prepared once per database connection (CONN_MAX_AGE keeps
# connections): planning it costs more than running it for a single code.
PARAMETERS: tuple[tuple[str, str], ...] = (
    ("codes", "varchar[]"),
    ("pre_errors", "varchar[]"),
    ("line", "varchar"),
    ("on", "date"),
    ("now", "timestamptz"),
    ("batch", "uuid"),
    ("department", "bigint"),
    ("user", "bigint"),
    ("actor", "varchar"),
    ("channel", "varchar"),
    ("purpose", "varchar"),
)
PREPARED_NAME = "joint_punishment_check_v1"


def _positional(sql: str) -> str:
    for number, (name, _type) in enumerate(PARAMETERS, start=1):
        sql = sql.replace(f"%({name})s", f"${number}")
    return sql


PREPARE_SQL = "PREPARE {} ({}) AS {}".format(
    PREPARED_NAME, ", ".join(t for _n, t in PARAMETERS), _positional(CHECK_SQL)
)
EXECUTE_SQL = "EXECUTE {} ({})".format(PREPARED_NAME, ", ".join(["%s"] * len(PARAMETERS)))


def _execute_check(cursor: Any, params: dict[str, Any]) -> list[tuple]:
    """Run the prepared check statement on this connection (preparing it on first use)."""
    raw = connection.connection
    if getattr(connection, "_joint_check_prepared_on", None) is not raw:
        # PostgreSQL would otherwise keep planning a custom plan per call
        # (~1 ms, longer than running it for one code); the generic plan is
        # the same nested loop over the unique indexes for 1 or 1,000 codes.
        # Only prepared statements use this setting (psycopg2 prepares nothing else).
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        cursor.execute(PREPARE_SQL)
        connection._joint_check_prepared_on = raw
    values = [params[name] for name, _type in PARAMETERS]
    values[PARAMETERS.index(("batch", "uuid"))] = str(params["batch"])
    cursor.execute(EXECUTE_SQL, values)
    return cursor.fetchall()


@dataclass
class CheckItem:
    """The answer for one asked code."""

    index: int
    uscc: str
    enterprise_id: int | None = None
    name: str = ""
    lists: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "uscc": self.uscc,
            "ok": self.error is None,
            "name": self.name,
            "listed": bool(self.lists),
            "lists": self.lists,
            "measures": self.measures,
            "error": self.error,
        }


@dataclass
class CheckResult:
    """A whole batch: the items in the order asked, with the logged batch id."""

    batch: uuid.UUID
    checked_on: datetime.date
    department_code: str | None
    items: list[CheckItem]


def _is_wellformed_uscc(code: str) -> bool:
    """18 characters of the GB 32100 alphabet with a matching check character (cheap)."""
    if len(code) != 18 or not _USCC_CHARS.fullmatch(code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def _error_for(raw: str) -> dict[str, str] | None:
    """The error of a code that is not a well-formed USCC (None: well-formed)."""
    checked = check_identifier(raw)
    if checked.errors:
        problem = checked.errors[0]
        return {"code": "invalid_uscc", "rule": problem.code, "message": problem.message}
    if checked.kind is not None and checked.kind.value != "uscc":
        return {
            "code": "not_uscc",
            "rule": checked.kind.value,
            "message": _("核查只接受 18 位统一社会信用代码，该代码为注册号或组织机构代码。"),
        }
    return None


def _unknown(code: str) -> dict[str, str]:
    return {
        "code": "unknown_uscc",
        "rule": "registry",
        "message": _("统一社会信用代码 %(code)s 未在本平台市场主体名录中登记。") % {"code": code},
    }


def run_check(
    codes: list[str],
    *,
    on: datetime.date,
    line: str | None,
    department_id: int | None,
    user_id: int | None,
    actor_name: str,
    channel: str,
    purpose: str,
) -> CheckResult:
    """Answer and log a check of ``codes`` (at most :data:`MAX_BATCH`) in one statement.

    ``line``: the calling department's line; its measures are returned (None:
    every measure, for provincial staff looking without a department). Codes
    that are not well-formed USCCs are classified before the statement (the
    full :func:`~apps.core.uscc.check_identifier` runs only for them), so the
    log gets the same error code as the answer.
    """
    normalized = [normalize_code(code) for code in codes]
    items = [CheckItem(index=i, uscc=code) for i, code in enumerate(normalized)]
    pre_errors: list[dict[str, str] | None] = [
        None if _is_wellformed_uscc(code) else _error_for(raw)
        for code, raw in zip(normalized, codes, strict=True)
    ]
    batch = uuid.uuid4()
    params = {
        "codes": normalized,
        "pre_errors": [error["code"] if error else "" for error in pre_errors],
        "line": line,
        "on": on,
        "now": timezone.now(),
        "batch": batch,
        "department": department_id,
        "user": user_id,
        "actor": actor_name[:150],
        "channel": channel,
        "purpose": purpose[:200],
    }
    # One statement answers and logs. It turns synchronous_commit off for its
    # own transaction: the log is append-only and never read back by this
    # request, so a crash may lose the last few hundred milliseconds of log
    # rows (never corrupt them), and the check stops waiting for the WAL flush.
    with connection.cursor() as cursor:
        rows = _execute_check(cursor, params)
    seen_measures: list[dict[str, dict[str, Any]]] = [{} for _ in items]
    for row in rows:
        ordinal, eid, name, entry_id, lt_code, lt_name, listed_on = row[:7]
        authority, document, reason, measures = row[7:]
        item = items[ordinal - 1]
        if eid is None:
            continue
        item.enterprise_id, item.name = eid, name
        if entry_id is None:
            continue
        item.lists.append(
            {
                "list": lt_code,
                "list_name": lt_name,
                "entry_id": entry_id,
                "listed_on": listed_on.isoformat(),
                "listing_authority": authority,
                "listing_document": document,
                "listing_reason": reason,
            }
        )
        if isinstance(measures, str):
            measures = json.loads(measures)
        for measure in measures or []:
            found = seen_measures[ordinal - 1].get(measure["code"])
            if found is None:
                found = {**measure, "triggered_by": []}
                seen_measures[ordinal - 1][measure["code"]] = found
                item.measures.append(found)
            if lt_code not in found["triggered_by"]:
                found["triggered_by"].append(lt_code)
    for item, error in zip(items, pre_errors, strict=True):
        if item.enterprise_id is None:
            item.error = error or _unknown(item.uscc)
    return CheckResult(batch=batch, checked_on=on, department_code=None, items=items)


def check_for(
    principal: Any,
    codes: list[str],
    *,
    purpose: str,
    channel: str,
    department_code: str | None = None,
    on: datetime.date | None = None,
) -> CheckResult:
    """Run a check for ``principal``: its department's line decides the measures returned.

    Department staff and tokens always check as their own department; other
    staff (administrators, auditors) may name a department whose measures
    they want to see, or get every measure. The log records the principal's
    own department.
    """
    from apps.organizations.models import Department

    own = getattr(principal, "department", None)
    line_department = own
    if own is None and department_code:
        line_department = Department.objects.filter(code=department_code).first()
    user = principal if getattr(principal, "_meta", None) is not None and principal.pk else None
    actor = getattr(principal, "audit_name", "") or str(principal)
    result = run_check(
        codes,
        on=on or timezone.localdate(),
        line=line_department.line if line_department is not None else None,
        department_id=own.pk if own is not None else None,
        user_id=user.pk if user is not None else None,
        actor_name=actor,
        channel=channel,
        purpose=purpose,
    )
    result.department_code = line_department.code if line_department is not None else None
    return result
