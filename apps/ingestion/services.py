"""The ingestion pipeline: store raw -> parse (streaming) -> map -> validate -> match -> load."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from typing import Any

from charset_normalizer import from_bytes
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.catalogue.validation import validator_for
from apps.core.audit import record_event
from apps.core.choices import AuditEventType
from apps.core.uscc import check_identifier, load_allow_list
from apps.enterprises.choices import SubjectKind
from apps.enterprises.models import Enterprise
from apps.ingestion.models import HeldRow, RejectedRow, RowStatus, Submission, SubmissionStatus
from apps.records.registry import LoadContext, LoadRow, RowOutcome, get_store

#: Rows validated and loaded per store call; bounds memory whatever the file size.
CHUNK_SIZE = 2000
#: Bytes sniffed for the charset of a CSV file.
SNIFF_BYTES = 64 * 1024
#: Rows parsed and validated synchronously for the dry-run preview.
PREVIEW_ROWS = 20


class SubmissionRefused(Exception):
    """The whole submission cannot be processed (e.g. required columns missing)."""


def create_submission(
    *,
    department,
    resource,
    content: bytes,
    filename: str,
    channel: str,
    actor,
    content_type: str = "",
    idempotency_key: str = "",
    token_prefix: str = "",
    dry_run: bool = False,
) -> Submission:
    """Store the raw delivery as received (with checksum) and enqueue its processing.

    With ``dry_run`` the file is stored for the preview and waits for
    :func:`confirm_submission` before anything is processed.
    """
    version = resource.current_version
    with transaction.atomic():
        submission = Submission(
            department=department,
            resource=resource,
            resource_version=version,
            channel=channel,
            submitted_by=actor if getattr(actor, "_meta", None) is not None else None,
            token_prefix=token_prefix,
            original_filename=filename[:255],
            content_type=content_type[:128],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            idempotency_key=idempotency_key,
            status=SubmissionStatus.DRY_RUN if dry_run else SubmissionStatus.RECEIVED,
        )
        submission.raw.save(filename or "submission.bin", ContentFile(content), save=False)
        submission.save()
        if not dry_run:
            _enqueue(submission.pk)
    return submission


def _enqueue(submission_id: int) -> None:
    """Run the pipeline after the commit, so the worker sees the stored submission."""
    from apps.ingestion.tasks import process_submission_task

    transaction.on_commit(lambda: process_submission_task.delay(submission_id))


def confirm_submission(submission: Submission, *, actor) -> Submission:
    """After the preview, the person confirms: the full run is enqueued."""
    with transaction.atomic():
        updated = Submission.objects.filter(
            pk=submission.pk, status=SubmissionStatus.DRY_RUN
        ).update(status=SubmissionStatus.RECEIVED)
        if updated:
            _enqueue(submission.pk)
    submission.refresh_from_db()
    return submission


def preview_submission(submission: Submission) -> dict[str, Any]:
    """Parse and validate the first PREVIEW_ROWS rows (bounded work, allowed in a request)."""
    validator = validator_for(submission.resource_version)
    allow_list = load_allow_list()
    rows = iter_table(submission)
    try:
        headers = next(rows, None) or []
        mapping = validator.map_headers([str(h) if h is not None else "" for h in headers])
        preview: list[dict[str, Any]] = []
        if not mapping.missing_required:
            for number, raw in enumerate(rows, start=1):
                if len(preview) >= PREVIEW_ROWS:
                    break
                row = {c: raw[i] if i < len(raw) else None for i, c in mapping.columns.items()}
                result = validator.validate(row, allow_list=allow_list)
                preview.append(
                    {
                        "number": number,
                        "values": [row.get(c) for c in mapping.columns.values()],
                        "problems": problems_of(result, row),
                    }
                )
    except (ValueError, UnicodeDecodeError) as exc:
        return {"error": str(exc), "columns": [], "rows": [], "unknown": [], "missing": []}
    finally:
        rows.close()
    return {
        "error": "",
        "columns": list(mapping.columns.values()),
        "unknown": mapping.unknown,
        "missing": mapping.missing_required,
        "rows": preview,
    }


def withdraw_rejected_row(row: RejectedRow, *, reason: str, actor) -> RejectedRow:
    """Withdraw a rejected row with a reason; it leaves the problem-data queue."""
    with transaction.atomic():
        row.status = RowStatus.WITHDRAWN
        row.corrected_by = actor
        row.corrected_at = timezone.now()
        row.save(update_fields=["status", "corrected_by", "corrected_at", "updated_at"])
        record_event(
            AuditEventType.INGESTION_ROW_WITHDRAWN,
            actor=actor,
            target=row,
            submission_id=row.submission_id,
            message=reason,
        )
    return row


def correct_rejected_row(row: RejectedRow, values: dict[str, Any], *, actor) -> list[dict]:
    """Re-validate corrected values and load them; returns the remaining problems (empty = loaded).

    A row whose subject is still unknown to the registry is held, like in a file.
    """
    submission = row.submission
    version = submission.resource_version
    result = validator_for(version).validate(values, allow_list=load_allow_list())
    if result.problems:
        return problems_of(result, values)
    with transaction.atomic():
        kind = _subject_kind(result.values)
        uscc = str(result.values.get(version.subject_uscc_field) or "")
        enterprise_id = None
        if kind != SubjectKind.NATURAL_PERSON and version.subject_uscc_field:
            enterprise_id = _match(uscc)
            if enterprise_id is None:
                HeldRow.objects.create(
                    submission=submission,
                    row_number=row.row_number,
                    subject_uscc=uscc,
                    raw_values=_jsonable(values),
                )
        if enterprise_id is not None or kind == SubjectKind.NATURAL_PERSON:
            get_store(submission.resource.kind, submission.resource.code).load(
                [build_load_row(version, row.row_number, result.values, enterprise_id)],
                _context(submission),
            )
        row.status = RowStatus.CORRECTED
        row.raw_values = _jsonable(values)
        row.corrected_by = actor
        row.corrected_at = timezone.now()
        row.save()
        record_event(
            AuditEventType.INGESTION_ROW_CORRECTED,
            actor=actor,
            target=row,
            submission_id=submission.pk,
            after=row.raw_values,
        )
    return []


def _context(submission: Submission) -> LoadContext:
    version = submission.resource_version
    return LoadContext(
        department_id=submission.department_id,
        resource_code=submission.resource.code,
        resource_version=version.number,
        channel=submission.channel,
        submission_id=submission.pk,
        received_at=submission.created_at,
    )


def _text_stream(handle) -> io.TextIOBase:
    """Wrap a binary file in a text stream with the detected charset (UTF-8, BOM, GBK/GB18030)."""
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if head.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        try:
            head.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the sniff boundary is still UTF-8.
            if exc.start >= len(head) - 3:
                encoding = "utf-8"
            else:
                best = from_bytes(head).best()
                encoding = best.encoding if best else "gb18030"
                if encoding.lower() in {"gbk", "gb2312", "big5", "cp936"}:
                    encoding = "gb18030"
    return io.TextIOWrapper(handle, encoding=encoding, newline="")


def iter_table(submission: Submission) -> Iterator[list[Any]]:
    """Stream the rows (header first) of a submission's raw content; never reads it whole."""
    name = (submission.original_filename or "").lower()
    handle = submission.raw.open("rb")
    try:
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            workbook = load_workbook(handle, read_only=True, data_only=True)
            try:
                for row in workbook.active.iter_rows(values_only=True):
                    yield list(row)
            finally:
                workbook.close()
        elif name.endswith(".json") or submission.content_type == "application/json":
            records = json.load(handle)
            headers: list[str] = []
            for record in records:
                for key in record:
                    if key not in headers:
                        headers.append(key)
            yield headers
            for record in records:
                yield [record.get(key) for key in headers]
        else:
            yield from csv.reader(_text_stream(handle))
    finally:
        handle.close()


def _subject_kind(values: dict[str, Any]) -> str:
    """Natural persons are recognised by a 相对人类别 value; everything else is an organisation."""
    for value in values.values():
        if value in (SubjectKind.NATURAL_PERSON, "自然人"):
            return SubjectKind.NATURAL_PERSON
    return SubjectKind.ORGANIZATION


def _match(uscc: str) -> int | None:
    """The enterprise a subject code names: by USCC, else registration number or organisation code."""
    if not uscc:
        return None
    found = Enterprise.objects.filter(uscc=uscc).values_list("pk", flat=True).first()
    if found is None:
        found = (
            Enterprise.objects.filter(registration_number=uscc).values_list("pk", flat=True).first()
            or Enterprise.objects.filter(organization_code=uscc)
            .values_list("pk", flat=True)
            .first()
        )
    return found


def problems_of(result, row: dict[str, Any]) -> list[dict[str, Any]]:
    """Every problem of a row, with the Excel reason added to a code Excel turned into a number.

    The catalogue's format rule already rejects ``9.13E+17``; the person also
    needs to know why it happened, which the core identifier check explains.
    """
    problems = [problem.as_dict() for problem in result.problems]
    for field_code in dict.fromkeys(problem["field"] for problem in problems):
        raw = row.get(field_code)
        if raw is not None:
            check = check_identifier(raw)
            if check.errors and check.errors[0].code.startswith("excel"):
                error = check.errors[0]
                problems.append(
                    {
                        "field": field_code,
                        "rule": error.code,
                        "message_zh": error.message_zh,
                        "message_en": error.message_en,
                        "value": str(raw),
                    }
                )
    return problems


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if v is None else str(v)) for k, v in values.items()}


def build_load_row(version, row_number: int, values: dict[str, Any], enterprise_id) -> LoadRow:
    """A LoadRow from validated values, using the version's key, date and subject fields."""
    kind = _subject_kind(values)
    uscc = str(values.get(version.subject_uscc_field) or "")
    if kind == SubjectKind.NATURAL_PERSON:
        # The ID number is protected: only the last four characters are kept on the record.
        uscc = ("*" * max(len(uscc) - 4, 0)) + uscc[-4:] if uscc else ""
        enterprise_id = None
    decision = values.get(version.decision_date_field) or timezone.localdate()
    return LoadRow(
        row_number=row_number,
        business_key="|".join(str(values.get(f) or "") for f in version.business_key_fields),
        decision_date=decision,
        subject_kind=kind,
        subject_uscc=uscc,
        subject_name=str(values.get(version.subject_name_field) or ""),
        enterprise_id=enterprise_id,
        values=values,
    )


def process_submission(submission_id: int) -> Submission:
    """Run the whole pipeline for one submission in one transaction (all or nothing).

    Idempotent: a completed or failed submission is returned untouched.
    """
    submission = Submission.objects.select_related("resource", "resource_version").get(
        pk=submission_id
    )
    if submission.status in (
        SubmissionStatus.COMPLETED,
        SubmissionStatus.FAILED,
        SubmissionStatus.DRY_RUN,
    ):
        return submission
    version = submission.resource_version
    validator = validator_for(version)
    allow_list = load_allow_list()
    store = get_store(submission.resource.kind, submission.resource.code)
    context = LoadContext(
        department_id=submission.department_id,
        resource_code=submission.resource.code,
        resource_version=version.number,
        channel=submission.channel,
        submission_id=submission.pk,
        received_at=submission.created_at,
    )
    counts = dict.fromkeys(["total", "created", "updated", "unchanged", "rejected", "held"], 0)
    try:
        with transaction.atomic():
            Submission.objects.filter(pk=submission.pk).update(
                status=SubmissionStatus.PARSING, started_at=timezone.now()
            )
            rows = iter_table(submission)
            headers = next(rows, None)
            if not headers:
                raise SubmissionRefused("文件为空，没有表头。")
            mapping = validator.map_headers([str(h) if h is not None else "" for h in headers])
            if mapping.missing_required:
                raise SubmissionRefused("缺少必填列：" + "、".join(mapping.missing_required))
            submission.unknown_columns = mapping.unknown
            chunk: list[LoadRow] = []
            # Problem rows are written in batches too: memory stays bounded by CHUNK_SIZE.
            rejected: list[RejectedRow] = []
            held: list[HeldRow] = []
            for number, raw in enumerate(rows, start=1):
                if not any(v not in (None, "") for v in raw):
                    continue
                counts["total"] += 1
                row = {
                    code: raw[i] if i < len(raw) else None for i, code in mapping.columns.items()
                }
                result = validator.validate(row, allow_list=allow_list)
                if result.problems:
                    counts["rejected"] += 1
                    rejected.append(
                        RejectedRow(
                            submission=submission,
                            row_number=number,
                            raw_values=_jsonable(row),
                            problems=problems_of(result, row),
                        )
                    )
                    continue
                values = result.values
                kind = _subject_kind(values)
                uscc = str(values.get(version.subject_uscc_field) or "")
                enterprise_id = None
                if kind != SubjectKind.NATURAL_PERSON and version.subject_uscc_field:
                    enterprise_id = _match(uscc)
                    if enterprise_id is None:
                        counts["held"] += 1
                        held.append(
                            HeldRow(
                                submission=submission,
                                row_number=number,
                                subject_uscc=uscc,
                                raw_values=_jsonable(row),
                            )
                        )
                        continue
                chunk.append(build_load_row(version, number, values, enterprise_id))
                if len(chunk) >= CHUNK_SIZE:
                    _load_chunk(store, chunk, context, counts)
                    chunk = []
                if len(rejected) + len(held) >= CHUNK_SIZE:
                    RejectedRow.objects.bulk_create(rejected)
                    HeldRow.objects.bulk_create(held)
                    rejected, held = [], []
            if chunk:
                _load_chunk(store, chunk, context, counts)
            RejectedRow.objects.bulk_create(rejected)
            HeldRow.objects.bulk_create(held)
            _finish(submission, counts, SubmissionStatus.COMPLETED, "")
            record_event(
                AuditEventType.INGESTION_SUBMISSION_PROCESSED,
                actor=submission.submitted_by,
                target=submission,
                submission_id=submission.pk,
                after=counts,
                channel="ingestion",
            )
    except (SubmissionRefused, ValueError, UnicodeDecodeError, KeyError) as exc:
        with transaction.atomic():
            _finish(submission, dict.fromkeys(counts, 0), SubmissionStatus.FAILED, str(exc))
    submission.refresh_from_db()
    return submission


def _load_chunk(store, chunk: list[LoadRow], context: LoadContext, counts: dict[str, int]) -> None:
    result = store.load(chunk, context)
    counts["created"] += result.count(RowOutcome.CREATED)
    counts["updated"] += result.count(RowOutcome.UPDATED)
    counts["unchanged"] += result.count(RowOutcome.UNCHANGED)


def _finish(submission: Submission, counts: dict[str, int], status: str, error: str) -> None:
    Submission.objects.filter(pk=submission.pk).update(
        status=status,
        error=error,
        unknown_columns=submission.unknown_columns,
        total=counts["total"],
        created_count=counts["created"],
        updated_count=counts["updated"],
        unchanged_count=counts["unchanged"],
        rejected_count=counts["rejected"],
        held_count=counts["held"],
        progress=counts["total"],
        finished_at=timezone.now(),
    )


def release_held_rows(uscc: str, *, actor=None) -> int:
    """Load the held rows naming ``uscc`` now that the registry knows it; returns rows released."""
    enterprise_id = _match(uscc)
    if enterprise_id is None:
        return 0
    released = 0
    with transaction.atomic():
        held = (
            HeldRow.objects.select_for_update()
            .select_related("submission__resource", "submission__resource_version")
            .filter(subject_uscc=uscc, status=RowStatus.OPEN)
        )
        for row in held:
            submission = row.submission
            version = submission.resource_version
            result = validator_for(version).validate(row.raw_values, allow_list=load_allow_list())
            if result.problems:
                continue
            store = get_store(submission.resource.kind, submission.resource.code)
            store.load(
                [build_load_row(version, row.row_number, result.values, enterprise_id)],
                LoadContext(
                    department_id=submission.department_id,
                    resource_code=submission.resource.code,
                    resource_version=version.number,
                    channel=submission.channel,
                    submission_id=submission.pk,
                    received_at=submission.created_at,
                ),
            )
            row.status = RowStatus.RELEASED
            row.released_at = timezone.now()
            row.save(update_fields=["status", "released_at", "updated_at"])
            released += 1
        if released:
            record_event(
                AuditEventType.INGESTION_HELD_RELEASED,
                actor=actor,
                enterprise_uscc=uscc,
                after={"released": released},
                channel="ingestion",
            )
    return released


def release_all_held_rows() -> int:
    """Release every held row whose entity has since been registered (periodic task)."""
    codes = HeldRow.objects.filter(status=RowStatus.OPEN).values_list("subject_uscc", flat=True)
    known = Enterprise.objects.filter(uscc__in=codes).values_list("uscc", flat=True).distinct()
    return sum(release_held_rows(code) for code in known)
