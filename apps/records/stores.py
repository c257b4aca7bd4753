"""The generic record store: every resource kind without a typed store lands here."""

from __future__ import annotations

from .loading import CHUNK_SIZE, LoadSpec, RevisionMeta, load_rows
from .models import GenericRecord
from .registry import LoadContext, LoadResult, LoadRow

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
        return load_rows(
            GENERIC_SPEC,
            prepared,
            revision=RevisionMeta(
                channel=context.channel,
                submission_id=context.submission_id,
                changed_at=context.received_at,
            ),
            chunk_size=self.chunk_size,
        )
