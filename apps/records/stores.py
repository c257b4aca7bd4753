"""The generic record store: every resource kind without a typed store lands here."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.db.models import Exists, OuterRef

from apps.catalogue.choices import PublicityClass
from apps.catalogue.models import PublicityRegime, ResourceVersion
from apps.catalogue.selectors import regime_for
from apps.enterprises.choices import SubjectKind

from .loading import CHUNK_SIZE, LoadSpec, staged_load
from .models import GenericRecord
from .registry import LoadContext, LoadResult, LoadRow, PublicRecord, StagedLoad, get_store

GENERIC_SPEC = LoadSpec(
    model=GenericRecord,
    key_columns=("department_id", "resource_code", "business_key"),
    content_columns=(
        "payload",
        "decision_date",
        "subject_kind",
        "subject_uscc",
        "subject_name",
        "enterprise_id",
        "resource_version",
    ),
    provenance_columns=("channel", "submission_id", "received_at"),
    json_columns=("payload",),
)


class GenericStore:
    """Keeps records as a JSON payload of canonical field codes (``GenericRecord``).

    Set-based and idempotent through :func:`apps.records.loading.load_rows`;
    an updated record's previous content is kept as a ``RecordRevision``.
    Natural persons are never attached to an enterprise.
    """

    kind = "*"
    model = GenericRecord

    def __init__(self, *, chunk_size: int = CHUNK_SIZE) -> None:
        self.chunk_size = chunk_size

    def load(self, rows: list[LoadRow], context: LoadContext) -> LoadResult:
        """Insert or update ``rows`` on (department, resource code, business key)."""
        return self.stage(rows, context).write()

    def stage(self, rows: list[LoadRow], context: LoadContext) -> StagedLoad:
        """Column values and COPY text of ``rows`` now; the writes when ``write()`` is called."""
        prepared = [
            (
                row.row_number,
                {
                    "department_id": context.department_id,
                    "resource_code": context.resource_code,
                    "business_key": row.business_key,
                    "payload": row.values,
                    "decision_date": row.decision_date,
                    "subject_kind": row.subject_kind,
                    "subject_uscc": row.subject_uscc,
                    "subject_name": row.subject_name,
                    "enterprise_id": None
                    if row.subject_kind == "natural_person"
                    else row.enterprise_id,
                    "resource_version": context.resource_version,
                    "channel": context.channel,
                    "submission_id": context.submission_id,
                    "received_at": context.received_at,
                },
            )
            for row in rows
        ]
        return staged_load(GENERIC_SPEC, prepared, context, chunk_size=self.chunk_size)

    def field_values(self, record: GenericRecord) -> dict[str, Any]:
        """The record's payload: canonical catalogue field code -> value, as loaded."""
        return dict(record.payload or {})

    def public_records(self, enterprise_id: int, *, on: datetime.date) -> list[PublicRecord]:
        """The entity's generic records the public may see on ``on``.

        A record is public when its resource is in the catalogue with publicity
        class "public" (the resource's current version decides; before the
        first publication, the version the record was validated against), no
        other store is registered for the resource, and ``on`` is inside the
        publicity window: where a catalogue regime applies
        (:func:`apps.catalogue.selectors.regime_for`, by decision date and the
        department's line) the record is public from its decision date until
        ``max_months`` later (``max_months = 0``: never); without a regime it
        stays public. Natural persons never appear (they are never attached to
        an entity, and are excluded here again). Two queries, plus one per
        distinct (resource, decision date, line) of resources that have regimes.
        """
        rows = list(
            GenericRecord.objects.filter(enterprise_id=enterprise_id)
            .exclude(subject_kind=SubjectKind.NATURAL_PERSON)
            .order_by("resource_code", "-decision_date", "-pk")
            .values_list(
                "pk",
                "resource_code",
                "resource_version",
                "department_id",
                "department__line",
                "decision_date",
                "payload",
            )
        )
        if not rows:
            return []
        codes = {row[1] for row in rows}
        publicity, with_regimes = _publicity_by_resource(codes)
        windows: dict[tuple[str, datetime.date, str], datetime.date | None | bool] = {}
        found: list[PublicRecord] = []
        for pk, code, version, department_id, line, decided, payload in rows:
            entry = publicity.get(code)
            if entry is None:
                continue  # not in the catalogue: nothing says it may be shown
            kind, current_class, by_version = entry
            owner = get_store(kind, code)
            if owner is not self and not isinstance(owner, GenericStore):
                continue  # a typed store answers for this resource
            publicity_class = current_class or by_version.get(version)
            if publicity_class != PublicityClass.PUBLIC:
                continue
            until: datetime.date | None = None
            if code in with_regimes:
                key = (code, decided, line or "")
                if key not in windows:
                    windows[key] = _window_end(code, decided, line or "")
                window = windows[key]
                if window is False:
                    continue  # the regime says: not published
                until = window or None  # type: ignore[assignment]
                if until is not None and on >= until:
                    continue
            found.append(
                PublicRecord(
                    resource_code=code,
                    resource_version=version,
                    record_id=pk,
                    department_id=department_id,
                    decision_date=decided,
                    values=dict(payload or {}),
                    public_until=until,
                )
            )
        return found


def _publicity_by_resource(
    codes: set[str],
) -> tuple[dict[str, tuple[str, str | None, dict[int, str]]], set[str]]:
    """One query: code -> (kind, current version's class or None, {version number: class}),
    and the codes that have publicity regimes."""
    result: dict[str, tuple[str, str | None, dict[int, str]]] = {}
    with_regimes: set[str] = set()
    versions = (
        ResourceVersion.objects.filter(resource__code__in=codes)
        .annotate(
            has_regime=Exists(PublicityRegime.objects.filter(resource_id=OuterRef("resource_id")))
        )
        .values_list(
            "resource__code",
            "resource__kind",
            "resource__current_version_id",
            "pk",
            "number",
            "publicity_class",
            "has_regime",
        )
    )
    for code, kind, current_id, version_id, number, publicity_class, has_regime in versions:
        entry = result.setdefault(code, (kind, None, {}))
        entry[2][number] = publicity_class
        if current_id == version_id:
            result[code] = (kind, publicity_class, entry[2])
        if has_regime:
            with_regimes.add(code)
    return result, with_regimes


def _window_end(code: str, decided: datetime.date, line: str) -> datetime.date | None | bool:
    """End of the publicity window of a record: a date, None (no regime: open), False (never)."""
    regime = regime_for(code, decision_date=decided, line=line)
    if regime is None:
        return None
    if regime.max_months == 0:
        return False
    return _add_months(decided, regime.max_months)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole months, clamped to the month's last day (1-31 + 1 month = 2-28/29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
