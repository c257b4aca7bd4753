"""The typed store of licences: catalogue field codes -> columns, public end computed on load."""

from __future__ import annotations

import datetime
from typing import Any

from apps.catalogue.choices import PublicityClass
from apps.enterprises.choices import SubjectKind
from apps.records.loading import CHUNK_SIZE, LoadSpec, staged_load
from apps.records.registry import LoadContext, LoadResult, LoadRow, PublicRecord, StagedLoad

from .models import Licence

#: Standard XZXK field code -> typed column (the subject and decision date come from LoadRow).
FIELD_COLUMNS: dict[str, str] = {
    "XK_WSH": "document_number",
    "XK_XKWS": "document_title",
    "XK_XKLB": "category",
    "XK_XKZS": "certificate_name",
    "XK_XKBH": "licence_number",
    "XK_NR": "content",
    "XK_YXQZ": "valid_from",
    "XK_YXQZI": "valid_to",
    "XK_XKJG": "authority",
    "XK_XKJGDM": "authority_code",
    "XK_LYDW": "source_unit",
    "XK_LYDWDM": "source_unit_code",
    "XK_FRDB": "legal_representative",
    "XK_ZT": "reported_status",
}
SUBJECT_FIELDS = {"XK_XDR_MC", "XK_XDR_SHXYM", "XK_JDRQ"}
NULLABLE = {"valid_from", "valid_to"}
#: 有效期至 on or after this day means "long-term" (长期有效 is sent as 2099-12-31).
OPEN_ENDED_FROM = datetime.date(2099, 1, 1)

LICENCE_SPEC = LoadSpec(
    model=Licence,
    key_columns=("department_id", "resource_code", "business_key"),
    content_columns=(
        *FIELD_COLUMNS.values(),
        "extra",
        "decision_date",
        "subject_kind",
        "subject_uscc",
        "subject_name",
        "enterprise_id",
        "resource_version",
        "public_until",
    ),
    provenance_columns=("channel", "submission_id", "received_at"),
    json_columns=("extra",),
    memo_json=True,
)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def licence_public_until(
    decision_date: datetime.date,
    valid_to: datetime.date | None,
    *,
    resource_code: str,
    line: str,
    memo: dict | None = None,
) -> datetime.date | None:
    """When a licence leaves public view: a catalogue regime's maximum, else after 有效期至."""
    from apps.catalogue.selectors import regime_for

    memo = {} if memo is None else memo
    key = (decision_date, line)
    if key not in memo:
        memo[key] = regime_for(resource_code, decision_date=decision_date, line=line)
    regime = memo[key]
    if regime is not None:
        return _add_months(decision_date, regime.max_months)
    if valid_to is None or valid_to >= OPEN_ENDED_FROM:
        return None
    return valid_to + datetime.timedelta(days=1)


class LicenceStore:
    """Keeps XZXK records as :class:`~apps.permits.models.Licence` rows.

    Set-based and idempotent through :func:`apps.records.loading.load_rows`;
    revocation on the platform lives in columns the loader never writes.
    """

    kind = "licence"
    model = Licence

    def __init__(self, *, chunk_size: int = CHUNK_SIZE) -> None:
        self.chunk_size = chunk_size

    def load(self, rows: list[LoadRow], context: LoadContext) -> LoadResult:
        """Insert or update ``rows`` on (department, resource code, business key)."""
        return self.stage(rows, context).write()

    def stage(self, rows: list[LoadRow], context: LoadContext) -> StagedLoad:
        """Column values and COPY text of ``rows`` now; the writes when ``write()`` is called."""
        from apps.organizations.models import Department

        line = (
            Department.objects.filter(pk=context.department_id)
            .values_list("line", flat=True)
            .first()
            or ""
        )
        memo: dict = {}
        prepared = []
        for row in rows:
            values = row.values
            columns: dict[str, Any] = {}
            for code, column in FIELD_COLUMNS.items():
                value = values.get(code)
                if value in (None, "") and column not in NULLABLE:
                    value = "0" if column == "reported_status" else ""
                elif value == "":
                    value = None
                columns[column] = value
            kind = row.subject_kind
            if values.get("XK_XDR_LB") == "个体工商户":
                kind = SubjectKind.INDIVIDUAL_BUSINESS
            columns.update(
                {
                    "department_id": context.department_id,
                    "resource_code": context.resource_code,
                    "business_key": row.business_key,
                    "extra": {
                        c: v
                        for c, v in values.items()
                        if c not in FIELD_COLUMNS and c not in SUBJECT_FIELDS
                    },
                    "decision_date": row.decision_date,
                    "subject_kind": kind,
                    "subject_uscc": row.subject_uscc,
                    "subject_name": row.subject_name,
                    "enterprise_id": None
                    if kind == SubjectKind.NATURAL_PERSON
                    else row.enterprise_id,
                    "resource_version": context.resource_version,
                    "channel": context.channel,
                    "submission_id": context.submission_id,
                    "received_at": context.received_at,
                    "public_until": licence_public_until(
                        row.decision_date,
                        columns["valid_to"],
                        resource_code=context.resource_code,
                        line=line,
                        memo=memo,
                    ),
                }
            )
            prepared.append((row.row_number, columns))
        return staged_load(LICENCE_SPEC, prepared, context, chunk_size=self.chunk_size)

    def field_values(self, record: Licence) -> dict[str, Any]:
        """The record as canonical XZXK field code -> value."""
        values: dict[str, Any] = dict(record.extra)
        for code, column in FIELD_COLUMNS.items():
            value = getattr(record, column)
            if value not in (None, ""):
                values[code] = value
        values["XK_XDR_MC"] = record.subject_name
        if record.subject_kind != SubjectKind.NATURAL_PERSON and record.subject_uscc:
            values["XK_XDR_SHXYM"] = record.subject_uscc
        values["XK_JDRQ"] = record.decision_date
        return values

    def public_records(self, enterprise_id: int, *, on: datetime.date) -> list[PublicRecord]:
        """The entity's licences public on ``on`` (see ``LicenceQuerySet.public_on``)."""
        from apps.catalogue.models import Resource

        public_codes = set(
            Resource.objects.filter(
                kind=self.kind, current_version__publicity_class=PublicityClass.PUBLIC
            ).values_list("code", flat=True)
        )
        qs = (
            Licence.objects.filter(enterprise_id=enterprise_id, resource_code__in=public_codes)
            .public_on(on)
            .order_by("-decision_date", "-pk")
        )
        return [
            PublicRecord(
                resource_code=r.resource_code,
                resource_version=r.resource_version,
                record_id=r.pk,
                department_id=r.department_id,
                decision_date=r.decision_date,
                values=self.field_values(r),
                public_until=r.public_until,
            )
            for r in qs
        ]
