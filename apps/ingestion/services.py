"""The ingestion pipeline: store raw -> parse (streaming) -> map -> validate -> match -> load."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import operator
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from apps.catalogue.validation import validator_for
from apps.core.audit import record_event
from apps.core.choices import AuditEventType
from apps.core.uscc import check_identifier, load_allow_list
from apps.enterprises.choices import RecordChannel, SubjectKind
from apps.enterprises.models import Enterprise
from apps.ingestion.exports import ERROR_HEADER, PROBLEM_ID_HEADER, unneutralise
from apps.ingestion.fastpath import FastRowValidator
from apps.ingestion.models import (
    IN_PROGRESS,
    HeldRow,
    RejectedRow,
    RowStatus,
    Submission,
    SubmissionStatus,
)
from apps.ingestion.parsing import SubmissionRefused, estimate_rows, file_format, iter_table
from apps.ingestion.rowchecks import RowRules, today_in_hainan
from apps.records.registry import LoadContext, LoadRow, RowOutcome, StagedLoad, get_store

__all__ = ["SubmissionRefused"]

#: Data rows per committed chunk: one store load, one transaction, one checkpoint.
CHUNK_SIZE = 5000
#: Write chunks on a second thread while the next one is judged (see _ChunkWriter).
PIPELINE_WRITES = True
#: Rows parsed and validated synchronously for the dry-run preview.
PREVIEW_ROWS = 20
#: A submission in progress without a heartbeat for this long has lost its worker.
STALE_AFTER = datetime.timedelta(minutes=10)
#: Runs after which a submission that never finishes is marked failed.
MAX_ATTEMPTS = 5
#: Subject codes whose registry match a run remembers across chunks (~200 bytes each).
MATCH_CACHE_LIMIT = 100_000
#: First key of the advisory locks taken by workers (second key: submission id).
LOCK_NAMESPACE = 4204
#: Catalogue field names of secondary subject identifiers tried when the USCC is empty.
SECONDARY_IDENTIFIER_NAMES = {"工商注册号", "注册号", "组织机构代码", "税务登记号"}


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


def submit_form_record(*, department, resource, values: dict[str, Any], actor) -> Submission:
    """The web-form channel: one record, stored as received and run through the same pipeline."""
    content = json.dumps([values], ensure_ascii=False, default=str).encode()
    return create_submission(
        department=department,
        resource=resource,
        content=content,
        filename="form.json",
        content_type="application/json",
        channel=RecordChannel.FORM,
        actor=actor,
    )


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
    """Judge the first PREVIEW_ROWS rows like the pipeline will (bounded work, fine in a request)."""
    run = _Run(submission)
    rows = iter_table(
        submission.raw, filename=submission.original_filename, content_type=submission.content_type
    )
    preview: list[dict[str, Any]] = []
    try:
        headers = next(rows, None)
        if not headers or not any(h not in (None, "") for h in headers):
            raise SubmissionRefused(gettext("文件为空：第一行没有表头。"))
        run._map(headers)
        if not run.missing:
            for number, raw in enumerate(rows, start=1):
                if len(preview) >= PREVIEW_ROWS:
                    break
                if not any(v is not None and v != "" for v in raw):
                    continue
                row, problems, _values = run.judge(number, raw)
                preview.append(
                    {
                        "number": number,
                        "values": [row.get(c) for c in run.columns.values()],
                        "problems": problems,
                    }
                )
    except SubmissionRefused as exc:
        return {"error": str(exc), "columns": [], "rows": [], "unknown": [], "missing": []}
    finally:
        rows.close()
    return {
        "error": "",
        "columns": list(run.columns.values()),
        "unknown": run.unknown,
        "missing": run.missing,
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


NATURAL_PERSON_VALUES = (SubjectKind.NATURAL_PERSON, "自然人")


def _subject_kind(values: dict[str, Any]) -> str:
    """Natural persons are recognised by a 相对人类别 value; everything else is an organisation."""
    for value in values.values():
        if value in NATURAL_PERSON_VALUES:
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


def build_load_row(
    version, row_number: int, values: dict[str, Any], enterprise_id, *, kind: str | None = None
) -> LoadRow:
    """A LoadRow from validated values, using the version's key, date and subject fields."""
    kind = kind or _subject_kind(values)
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


def chunk_committed(submission_id: int, checkpoint_row: int) -> None:
    """Called after each chunk's transaction commits (a seam: tests stop a "worker" here)."""


@contextmanager
def _worker_lock(submission_id: int) -> Iterator[bool]:
    """A PostgreSQL session advisory lock: one worker per submission at a time.

    The lock dies with the worker's connection, so a killed worker never leaves
    it behind; a second task for the same submission finds it taken and returns.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, submission_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, submission_id])


def process_submission(submission_id: int) -> Submission:
    """Run (or resume) the pipeline of one submission, one committed chunk at a time.

    Each chunk of :data:`CHUNK_SIZE` data rows is validated and matched, then
    loaded with its rejected and held rows, the outcome counts and the
    checkpoint row in **one** transaction: a worker killed at any point leaves
    whole chunks only, and the next run skips the rows up to the checkpoint.
    Idempotent: a completed, failed or dry-run submission is returned untouched;
    a submission another worker holds is left to it.
    """
    submission = Submission.objects.get(pk=submission_id)
    if submission.status not in IN_PROGRESS:
        return submission
    with _worker_lock(submission.pk) as acquired:
        if not acquired:
            return submission
        submission = Submission.objects.select_related(
            "resource", "resource_version", "submitted_by"
        ).get(pk=submission_id)
        if submission.status not in IN_PROGRESS:
            return submission
        try:
            _Run(submission).run()
        except SubmissionRefused as exc:
            Submission.objects.filter(pk=submission.pk).update(
                status=SubmissionStatus.FAILED,
                error=str(exc),
                heartbeat_at=timezone.now(),
                finished_at=timezone.now(),
            )
    submission.refresh_from_db()
    return submission


def _drop_compile_tables() -> None:
    """Free the catalogue validator's compile-time character tables (~65 MB) in a worker.

    ``validation._preimages`` maps every BMP character to its width/case
    variants; it is needed only while a field rule is compiled, and the
    compiled validators are cached. A later compile rebuilds it (about 1 s).
    """
    from apps.catalogue import validation

    tables = getattr(validation, "_preimages", None)
    if tables is not None and hasattr(tables, "cache_clear"):
        tables.cache_clear()


@dataclass
class _JudgedChunk:
    """One chunk after validation and matching, ready to be written in one transaction."""

    #: Rows to load, when the store cannot stage them (else empty: ``staged`` holds them).
    good: list[LoadRow]
    #: The good rows already staged by the store (column values, COPY text), when it can.
    staged: StagedLoad | None
    rejected: list[RejectedRow]
    held: list[HeldRow]
    fixed: list[int]
    size: int
    checkpoint: int


class _ChunkWriter:
    """Writes judged chunks in file order, on a second thread while the next chunk is judged.

    About 40% of a chunk's wall time is spent waiting for PostgreSQL (COPY, the
    upsert, deferred foreign-key checks at commit), during which psycopg2
    releases the GIL: with a writer thread that wait overlaps the parsing and
    validation of the next chunk when the worker has a free core. A chunk is
    handed over only when the previous one is written, so at most two chunks
    are in memory. Chunks still commit one by one, in order, each with its
    checkpoint, so resuming is unchanged.

    The thread has its own database connection, which cannot see uncommitted
    data of an enclosing transaction: inside an atomic block (a web request
    or a test transaction) and for a single chunk, chunks are written on the
    calling thread. An exception on the writer (``BaseException`` included)
    stops the pass and is raised again on the calling thread.
    """

    def __init__(self, write: Callable[[_JudgedChunk], None]) -> None:
        self.write = write
        self.queue: queue.Queue[_JudgedChunk | None] = queue.Queue(maxsize=1)
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def __enter__(self) -> _ChunkWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
        if exc is None and self.error is not None:
            raise self.error

    def submit(self, chunk: _JudgedChunk, *, last: bool = False) -> None:
        """Write ``chunk`` (in order after the ones submitted before it)."""
        if self.error is not None:
            raise self.error
        if self.thread is None:
            if last or not PIPELINE_WRITES or connection.in_atomic_block:
                self.write(chunk)
                return
            self.thread = threading.Thread(target=self._work, name="ingestion-writer", daemon=True)
            self.thread.start()
        # Hand over only when the previous chunk is written: one chunk being written and
        # one being judged, never a third waiting (peak memory, ~10 MB per chunk).
        self.queue.join()
        if self.error is not None:
            raise self.error
        self.queue.put(chunk)

    def _work(self) -> None:
        try:
            while (chunk := self.queue.get()) is not None:
                if self.error is None:
                    try:
                        self.write(chunk)
                    except BaseException as exc:  # noqa: BLE001  (re-raised on the caller)
                        self.error = exc
                self.queue.task_done()
        finally:
            connection.close()


class _Run:
    """One worker's pass over a submission, from its checkpoint to the end."""

    def __init__(self, submission: Submission) -> None:
        self.submission = submission
        self.version = submission.resource_version
        self.validator = validator_for(self.version)
        _drop_compile_tables()
        self.allow_list = load_allow_list()
        self.store = get_store(submission.resource.kind, submission.resource.code)
        # Stores keep their per-run memos here (one dict per run, dropped with it).
        self.context = dataclasses.replace(_context(submission), run_memo={})
        self.rules = RowRules.for_version(self.version)
        self.today = today_in_hainan()
        self.counts = {
            "created": submission.created_count,
            "updated": submission.updated_count,
            "unchanged": submission.unchanged_count,
            "rejected": submission.rejected_count,
            "held": submission.held_count,
        }
        self.done = submission.progress
        self.seen: set[int] = set()
        self.matched: dict[str, int] = {}
        self.columns: dict[int, str] = {}
        self._codes: tuple[str, ...] = ()
        self._cells: Callable[[list[Any]], tuple[Any, ...]] | None = None
        self._needed = 0
        self.width = 0
        self.fix_column: int | None = None
        self.fast = FastRowValidator(self.validator, allow_list=self.allow_list)
        self.is_xlsx = file_format(submission.original_filename, submission.content_type) == "xlsx"
        # Fields whose code table has a natural-person value (相对人类别): the subject kind.
        self.kind_fields = [
            spec.code
            for spec in self.version.fields.all()
            if any(
                str(v.get("code")) in NATURAL_PERSON_VALUES
                or str(v.get("label")) in NATURAL_PERSON_VALUES
                for v in spec.enum_values or []
                if isinstance(v, dict)
            )
        ]
        self.identifier_fields = [
            code
            for code, (name, _en) in self.rules.names.items()
            if name in SECONDARY_IDENTIFIER_NAMES
        ]

    # -- the pass ---------------------------------------------------------------

    def run(self) -> None:
        submission = self.submission
        rows = iter_table(
            submission.raw,
            filename=submission.original_filename,
            content_type=submission.content_type,
        )
        try:
            headers = next(rows, None)
            if not headers or not any(h not in (None, "") for h in headers):
                raise SubmissionRefused(gettext("文件为空：第一行没有表头。"))
            self._map(headers)
            if self.missing_message:
                raise SubmissionRefused(self.missing_message)
            self._start()
            checkpoint = submission.checkpoint_row
            batch: list[tuple[int, list[Any]]] = []
            any_row = False
            with _ChunkWriter(self._write_chunk) as writer:
                for number, raw in enumerate(rows, start=1):
                    # A blank row (every cell None or ""): two C-level counts, not a generator.
                    if raw.count("") + raw.count(None) == len(raw):
                        continue
                    any_row = True
                    if number <= checkpoint:
                        # Already committed: only the duplicate-key memory is rebuilt.
                        self._seen_before(self._row(raw))
                        continue
                    batch.append((number, raw))
                    if len(batch) >= CHUNK_SIZE:
                        writer.submit(self._judge_chunk(batch))
                        batch = []
                if batch:
                    writer.submit(self._judge_chunk(batch), last=True)
            if not any_row:
                raise SubmissionRefused(gettext("文件只有表头，没有数据行。"))
            self._finish()
        finally:
            rows.close()

    def _map(self, headers: list[Any]) -> None:
        labels = ["" if h is None else str(h).strip() for h in headers]
        reserved = {PROBLEM_ID_HEADER, ERROR_HEADER}
        mapping = self.validator.map_headers([h if h not in reserved else "" for h in labels])
        self.columns = mapping.columns
        # _row's fast path: the mapped cells of a full-width row in one itemgetter call.
        self._codes = tuple(self.columns.values())
        indices = tuple(self.columns)
        self._cells = operator.itemgetter(*indices) if len(indices) > 1 else None
        self._needed = max(indices, default=-1) + 1
        self.width = len(labels)
        while self.width and not labels[self.width - 1]:
            self.width -= 1
        if PROBLEM_ID_HEADER in labels:
            self.fix_column = labels.index(PROBLEM_ID_HEADER)
        blanks = [i for i in range(self.width) if not labels[i]]
        self.unknown = list(mapping.unknown) + [
            gettext("{column} 列（重复：{header}）").format(column=_letter(labels, h), header=h)
            for h in mapping.duplicates
        ]
        if blanks:
            self.unknown.append(
                gettext("第 1 行表头第 {columns} 列为空（可能是合并单元格，已忽略）").format(
                    columns="、".join(_column_letter(i) for i in blanks[:10])
                )
            )
        self.missing = mapping.missing_required
        self.missing_message = ""
        if mapping.missing_required:
            names = "、".join(
                f"{code}（{self.rules.names.get(code, (code,))[0]}）"
                for code in mapping.missing_required
            )
            message = gettext("缺少必填列：{names}。").format(names=names)
            if blanks:
                message += gettext(
                    "表头有空白单元格（第 {columns} 列），可能是合并单元格：请取消合并，"
                    "每列一个表头（中文名称或字段代码）。"
                ).format(columns="、".join(_column_letter(i) for i in blanks[:10]))
            self.missing_message = message

    def _start(self) -> None:
        submission = self.submission
        update: dict[str, Any] = {
            "status": SubmissionStatus.LOADING,
            "heartbeat_at": timezone.now(),
            "attempts": F("attempts") + 1,
            "unknown_columns": self.unknown,
        }
        if submission.started_at is None:
            update["started_at"] = timezone.now()
        if submission.checkpoint_row == 0:
            update["total"] = estimate_rows(
                submission.raw,
                filename=submission.original_filename,
                content_type=submission.content_type,
            )
        Submission.objects.filter(pk=submission.pk).update(**update)

    def _row(self, raw: list[Any]) -> dict[str, Any]:
        size = len(raw)
        if self.fix_column is None and self._cells is not None and size >= self._needed:
            return dict(zip(self._codes, self._cells(raw), strict=True))
        if self.fix_column is not None:
            # A re-uploaded problem-data download: undo its formula neutralisation.
            return {
                code: unneutralise(raw[i]) if i < size else None for i, code in self.columns.items()
            }
        return {code: raw[i] if i < size else None for i, code in self.columns.items()}

    def _seen_before(self, row: dict[str, Any]) -> str:
        """The row's business key if an earlier row of the file gave it already, else ''."""
        key = self.rules.key_of(row)
        if not key:
            return ""
        digest = hash(key)
        if digest in self.seen:
            return key
        self.seen.add(digest)
        return ""

    def judge(
        self, number: int, raw: list[Any]
    ) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
        """One data row: (values by field code as given, every problem, converted values)."""
        row = self._row(raw)
        rules = self.rules
        if self.is_xlsx or len(raw) > self.width:
            problems = rules.raw_problems(number, raw, self.columns, self.width)
        else:
            problems = []
        duplicate = self._seen_before(row)
        if duplicate:
            problems.append(rules.duplicate_problem(number, duplicate))
        values = self.fast.values(row)
        if values is None:
            # Something is wrong: the full validator gives every problem, in order.
            result = self.validator.validate(row, allow_list=self.allow_list)
            values = result.values
            if result.problems:
                problems = problems_of(result, row) + problems
        if not problems:
            problems = rules.value_problems(number, values, self.today)
        return row, problems, values

    # -- one chunk ----------------------------------------------------------------

    def _commit_chunk(self, batch: list[tuple[int, list[Any]]]) -> None:
        """Judge and write one chunk on this thread (the serial path)."""
        self._write_chunk(self._judge_chunk(batch))

    def _judge_chunk(self, batch: list[tuple[int, list[Any]]]) -> _JudgedChunk:
        """Validate and match one chunk's rows (no writes): what :meth:`_write_chunk` commits."""
        submission = self.submission
        version = self.version
        rejected: list[RejectedRow] = []
        candidates: list[tuple[int, dict[str, Any], dict[str, Any], str]] = []
        judge = self.judge
        for number, raw in batch:
            row, problems, values = judge(number, raw)
            if problems:
                rejected.append(
                    RejectedRow(
                        submission=submission,
                        row_number=number,
                        raw_values=_jsonable(row),
                        problems=problems,
                    )
                )
                continue
            fix = (
                raw[self.fix_column]
                if self.fix_column is not None and self.fix_column < len(raw)
                else ""
            )
            candidates.append((number, row, values, str(fix or "").strip()))

        matches = self._match_chunk([values for _n, _r, values, _f in candidates])
        good: list[LoadRow] = []
        held: list[HeldRow] = []
        fixed: list[int] = []
        for number, row, values, fix in candidates:
            kind = self._kind(values)
            enterprise_id = None
            if kind != SubjectKind.NATURAL_PERSON and version.subject_uscc_field:
                code = self._subject_code(values)
                enterprise_id = matches.get(code) if code else None
                if enterprise_id is None:
                    held.append(
                        HeldRow(
                            submission=submission,
                            row_number=number,
                            subject_uscc=code[:32],
                            raw_values=_jsonable(row),
                        )
                    )
                    if fix.isdigit():
                        fixed.append(int(fix))
                    continue
            good.append(build_load_row(version, number, values, enterprise_id, kind=kind))
            if fix.isdigit():
                fixed.append(int(fix))

        # The store's Python half (typed columns, derived publicity, COPY text) runs here,
        # on the judging thread, so the writer thread only waits for PostgreSQL: staged in
        # the writer, it made the writer the bottleneck of a large file (~40% of its time).
        staged = None
        stage = getattr(self.store, "stage", None)
        if good and stage is not None:
            staged = stage(good, self.context)
        return _JudgedChunk(
            # Staged rows are kept as COPY text only: the LoadRows go (peak memory).
            good=[] if staged is not None else good,
            staged=staged,
            rejected=rejected,
            held=held,
            fixed=fixed,
            size=len(batch),
            checkpoint=batch[-1][0],
        )

    def _write_chunk(self, chunk: _JudgedChunk) -> None:
        """Load one judged chunk with its problem rows, counts and checkpoint in one transaction."""
        submission = self.submission
        good, rejected, held, fixed = chunk.good, chunk.rejected, chunk.held, chunk.fixed
        checkpoint = chunk.checkpoint
        with transaction.atomic():
            # The chunk and its checkpoint commit together, so a commit lost in a database
            # crash is simply redone by the next run: waiting for the WAL flush (~15 µs per
            # row at 5,000-row chunks) buys nothing here.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
            if chunk.staged is not None or good:
                if chunk.staged is not None:
                    loaded = chunk.staged.write()
                else:
                    loaded = self.store.load(good, self.context)
                outcomes = Counter(loaded.outcomes.values())
                self.counts["created"] += outcomes[RowOutcome.CREATED]
                self.counts["updated"] += outcomes[RowOutcome.UPDATED]
                self.counts["unchanged"] += outcomes[RowOutcome.UNCHANGED]
            if rejected:
                RejectedRow.objects.bulk_create(rejected)
            if held:
                HeldRow.objects.bulk_create(held)
            if fixed:
                self._close_fixed(fixed)
            self.counts["rejected"] += len(rejected)
            self.counts["held"] += len(held)
            self.done += chunk.size
            Submission.objects.filter(pk=submission.pk).update(
                checkpoint_row=checkpoint,
                progress=self.done,
                created_count=self.counts["created"],
                updated_count=self.counts["updated"],
                unchanged_count=self.counts["unchanged"],
                rejected_count=self.counts["rejected"],
                held_count=self.counts["held"],
                heartbeat_at=timezone.now(),
            )
        chunk_committed(submission.pk, checkpoint)

    def _kind(self, values: dict[str, Any]) -> str:
        """Like :func:`_subject_kind`, looking only at the category fields when there are any."""
        if not self.kind_fields:
            return _subject_kind(values)
        for code in self.kind_fields:
            if values.get(code) in NATURAL_PERSON_VALUES:
                return SubjectKind.NATURAL_PERSON
        return SubjectKind.ORGANIZATION

    def _subject_code(self, values: dict[str, Any]) -> str:
        code = values.get(self.version.subject_uscc_field)
        if code:
            return str(code)
        for field_code in self.identifier_fields:
            if values.get(field_code):
                return str(values[field_code])
        return ""

    def _match_chunk(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        """Subject code -> enterprise id for a whole chunk: three queries, not three per row.

        Codes matched in an earlier chunk are remembered (up to :data:`MATCH_CACHE_LIMIT`):
        a file names the same counterparties again and again, and a registry entity
        does not go away during a run. Codes not found are asked again in every chunk,
        since the entity may be registered meanwhile.
        """
        wanted = {self._subject_code(values) for values in rows} - {""}
        if not wanted:
            return {}
        matched = self.matched
        known = {code: matched[code] for code in wanted if code in matched}
        codes = wanted - known.keys()
        if not codes:
            return known
        with connection.cursor() as cursor:
            # One array parameter: ``uscc__in`` with 5,000 codes cost ~4 µs per row in
            # Django's per-parameter handling.
            cursor.execute(
                f"SELECT uscc, id FROM {Enterprise._meta.db_table} "  # noqa: S608  (model's table)
                "WHERE uscc = ANY(%s)",
                [list(codes)],
            )
            found = dict(cursor.fetchall())
        missing = codes - found.keys()
        for field_name in ("registration_number", "organization_code"):
            if not missing:
                break
            for value, pk in Enterprise.objects.filter(
                **{f"{field_name}__in": missing}
            ).values_list(field_name, "pk"):
                found.setdefault(value, pk)
            missing = codes - found.keys()
        if len(matched) < MATCH_CACHE_LIMIT:
            matched.update(found)
        found.update(known)
        return found

    def _close_fixed(self, problem_ids: list[int]) -> None:
        """Rows of a re-uploaded problem file close the queue entries they correct."""
        submission = self.submission
        RejectedRow.objects.filter(
            pk__in=problem_ids,
            status=RowStatus.OPEN,
            submission__department_id=submission.department_id,
            submission__resource_id=submission.resource_id,
        ).update(
            status=RowStatus.CORRECTED,
            corrected_in=submission,
            corrected_by=submission.submitted_by,
            corrected_at=timezone.now(),
            updated_at=timezone.now(),
        )

    def _finish(self) -> None:
        submission = self.submission
        with transaction.atomic():
            Submission.objects.filter(pk=submission.pk).update(
                status=SubmissionStatus.COMPLETED,
                total=self.done,
                heartbeat_at=timezone.now(),
                finished_at=timezone.now(),
            )
            record_event(
                AuditEventType.INGESTION_SUBMISSION_PROCESSED,
                actor=submission.submitted_by,
                target=submission,
                submission_id=submission.pk,
                after={"total": self.done, **self.counts},
                channel="ingestion",
            )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _letter(labels: list[str], header: str) -> str:
    positions = [i for i, label in enumerate(labels) if label == header]
    return _column_letter(positions[-1]) if positions else "?"


def resume_stale_submissions(*, now=None) -> list[int]:
    """Re-enqueue submissions whose worker died (periodic); give up after MAX_ATTEMPTS.

    Stale: still in progress and no heartbeat for :data:`STALE_AFTER` (or never
    picked up for that long). The advisory lock keeps a slow but living worker's
    submission from being processed twice.
    """
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    stale = Submission.objects.filter(status__in=IN_PROGRESS).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    resumed: list[int] = []
    for submission in stale.only("pk", "attempts").order_by("pk")[:100]:
        if submission.attempts >= MAX_ATTEMPTS:
            Submission.objects.filter(pk=submission.pk, status__in=IN_PROGRESS).update(
                status=SubmissionStatus.FAILED,
                error=gettext(
                    "已尝试处理 {attempts} 次仍未完成，停止自动重试；已提交的分块保留，"
                    "请联系管理员查看工作进程日志。"
                ).format(attempts=submission.attempts),
                finished_at=now,
            )
            continue
        from apps.ingestion.tasks import process_submission_task

        process_submission_task.delay(submission.pk)
        resumed.append(submission.pk)
    return resumed


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
