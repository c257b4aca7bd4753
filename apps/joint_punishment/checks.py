"""The check: which lists is each entity in today, and which measures must a department apply.

One SQL statement answers a whole batch (up to :data:`MAX_BATCH` codes):
the codes are unnested with their position, joined to the registry by the
unique USCC index, to the entries in force through ``jp_entry_check_idx``
(enterprise, INCLUDE list type and dates), and to the department line's
measures aggregated per list type as JSON. A second statement logs every
item of the batch (one ``INSERT ... SELECT FROM unnest``). Codes that match
no entity are then checked with :func:`apps.core.uscc.check_identifier` to
tell a malformed code from an unknown one: a per-item error, never a failed
batch. See bench/bench_checks.py for the figures.
"""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.uscc import check_identifier, normalize_code

MAX_BATCH = 1000

CHECK_SQL = """
WITH q AS (
    SELECT u.code, u.ord FROM unnest(%(codes)s::varchar[]) WITH ORDINALITY AS u(code, ord)
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
)
SELECT q.ord, e.id, e.name, le.id, lt.code, lt.name, le.listed_on,
       le.listing_authority, le.listing_document, le.listing_reason, m.measures
FROM q
LEFT JOIN enterprises_enterprise e ON e.uscc = q.code
LEFT JOIN joint_punishment_listentry le
       ON le.enterprise_id = e.id AND le.listed_on <= %(on)s
      AND (le.removed_on IS NULL OR le.removed_on > %(on)s)
LEFT JOIN joint_punishment_listtype lt ON lt.id = le.list_type_id
LEFT JOIN m ON m.list_type_id = lt.id
ORDER BY q.ord, lt.sort_order, le.listed_on
"""

LOG_SQL = """
INSERT INTO joint_punishment_checklog
    (checked_at, batch, department_id, user_id, actor_name, channel, purpose,
     uscc, enterprise_id, lists, error_code)
SELECT %(now)s, %(batch)s, %(department)s, %(user)s, %(actor)s, %(channel)s, %(purpose)s,
       u.uscc, u.enterprise_id, string_to_array(u.lists, ','), u.error_code
FROM unnest(%(usccs)s::varchar[], %(enterprise_ids)s::bigint[], %(lists)s::text[],
            %(errors)s::varchar[]) AS u(uscc, enterprise_id, lists, error_code)
"""


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


def _error_for(raw: str) -> dict[str, str]:
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
    return {
        "code": "unknown_uscc",
        "rule": "registry",
        "message": _("统一社会信用代码 %(code)s 未在本平台市场主体名录中登记。")
        % {"code": checked.normalized},
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
    """Answer and log a check of ``codes`` (at most :data:`MAX_BATCH`).

    ``line``: the calling department's line; its measures are returned (None:
    every measure, for provincial staff looking without a department).
    """
    normalized = [normalize_code(code) for code in codes]
    items = [CheckItem(index=i, uscc=code) for i, code in enumerate(normalized)]
    with connection.cursor() as cursor:
        cursor.execute(CHECK_SQL, {"codes": normalized, "line": line, "on": on})
        rows = cursor.fetchall()
    seen_measures: list[dict[str, dict[str, Any]]] = [{} for _ in items]
    for (
        ordinal,
        eid,
        name,
        entry_id,
        lt_code,
        lt_name,
        listed_on,
        authority,
        document,
        reason,
        measures,
    ) in rows:
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
    for item, raw in zip(items, codes, strict=True):
        if item.enterprise_id is None:
            item.error = _error_for(raw)
    batch = uuid.uuid4()
    with connection.cursor() as cursor:
        cursor.execute(
            LOG_SQL,
            {
                "now": timezone.now(),
                "batch": batch,
                "department": department_id,
                "user": user_id,
                "actor": actor_name[:150],
                "channel": channel,
                "purpose": purpose[:200],
                "usccs": [item.uscc[:64] for item in items],
                "enterprise_ids": [item.enterprise_id for item in items],
                "lists": [",".join(entry["list"] for entry in item.lists) for item in items],
                "errors": [item.error["code"] if item.error else "" for item in items],
            },
        )
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
