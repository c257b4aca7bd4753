"""A worker killed mid-file, then resumed, gives exactly the rows of a clean run.

These tests run in real transactions (``transaction=True``): each chunk is
committed on its own, as in production, and the "kill" is an exception raised
between two chunks (after a commit) or inside one (before its commit).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.ingestion import services
from apps.ingestion.models import HeldRow, RejectedRow, Submission, SubmissionStatus
from apps.ingestion.services import (
    create_submission,
    process_submission,
    resume_stale_submissions,
)
from apps.records.models import GenericRecord, RecordRevision
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "行政相对人名称,统一社会信用代码,行政许可决定文书号,许可决定日期"
CHUNK = 4


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the pipeline catches it."""


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", CHUNK)


def _content() -> bytes:
    """22 data rows over 6 chunks: good, rejected, held, a duplicate key, a blank line."""
    known = [EnterpriseFactory() for _ in range(3)]
    unknown = EnterpriseFactory.build().uscc
    lines = [HEADER]
    for n in range(1, 23):
        if n % 7 == 0:
            lines.append(f"坏日期公司,{known[0].uscc},琼许字〔2024〕{n}号,2024-02-30")
        elif n % 9 == 0:
            lines.append(f"未登记公司,{unknown},琼许字〔2024〕{n}号,2024-03-01")
        elif n == 15:
            lines.append(f"重复公司,{known[1].uscc},琼许字〔2024〕3号,2024-03-05")
        elif n == 11:
            lines.append("")
        else:
            lines.append(f"海南测试{n}有限公司,{known[n % 3].uscc},琼许字〔2024〕{n}号,2024-03-01")
    return ("\n".join(lines) + "\n").encode()


def _stored(resource, dept, clerk, content: bytes) -> Submission:
    """A received submission whose task has not run (as if the broker still held it)."""
    return create_submission(
        department=dept,
        resource=resource,
        content=content,
        filename="data.csv",
        channel="file",
        actor=clerk,
        dry_run=True,
    )


def _ready(submission: Submission) -> Submission:
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.RECEIVED)
    return submission


def _snapshot(submission: Submission) -> dict:
    submission.refresh_from_db()
    return {
        "records": sorted(
            GenericRecord.objects.values_list("business_key", "enterprise_id", "payload")
        ),
        "revisions": RecordRevision.objects.count(),
        "rejected": sorted(
            (r.row_number, tuple(p["rule"] for p in r.problems))
            for r in RejectedRow.objects.filter(submission=submission)
        ),
        "held": sorted(
            HeldRow.objects.filter(submission=submission).values_list("row_number", "subject_uscc")
        ),
        "counts": (
            submission.status,
            submission.total,
            submission.progress,
            submission.created_count,
            submission.updated_count,
            submission.unchanged_count,
            submission.rejected_count,
            submission.held_count,
        ),
    }


def _clean_run(resource, dept, clerk, content: bytes) -> dict:
    """The same file processed without interruption on emptied record tables."""
    GenericRecord.objects.all().delete()
    RecordRevision.objects.all().delete()
    clean = _ready(_stored(resource, dept, clerk, content))
    process_submission(clean.pk)
    return _snapshot(clean)


def test_killed_after_a_committed_chunk_then_resumed_equals_a_clean_run(
    resource, dept, clerk, small_chunks, monkeypatch
):
    content = _content()
    submission = _ready(_stored(resource, dept, clerk, content))
    committed: list[int] = []

    def die_after_second_chunk(submission_id, checkpoint):
        committed.append(checkpoint)
        if len(committed) == 2:
            raise WorkerKilled

    monkeypatch.setattr(services, "chunk_committed", die_after_second_chunk)
    with pytest.raises(WorkerKilled):
        process_submission(submission.pk)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.LOADING
    assert submission.checkpoint_row == committed[-1] == 8
    assert submission.progress == 8
    assert submission.total == 22  # the estimate: every line after the header
    loaded_before_kill = GenericRecord.objects.count()
    assert loaded_before_kill == submission.created_count > 0

    monkeypatch.setattr(services, "chunk_committed", lambda *args: None)
    # The periodic task finds it stale (no heartbeat for longer than STALE_AFTER) and resumes it.
    later = timezone.now() + services.STALE_AFTER + datetime.timedelta(seconds=1)
    assert resume_stale_submissions(now=later) == [submission.pk]
    resumed = _snapshot(submission)
    assert resumed["counts"][0] == SubmissionStatus.COMPLETED
    assert Submission.objects.get(pk=submission.pk).attempts == 2

    clean = _clean_run(resource, dept, clerk, content)
    assert resumed == clean
    # No duplicates: one record per business key, rejected/held rows once each.
    keys = [r[0] for r in resumed["records"]]
    assert len(keys) == len(set(keys))
    assert len(resumed["rejected"]) == len({r[0] for r in resumed["rejected"]})
    duplicate = [rules for number, rules in resumed["rejected"] if number == 15]
    assert duplicate == [("duplicate_in_file",)]


class _FlakyStore:
    """Wraps the real store; the third load fails half-way (after writing its rows)."""

    def __init__(self, real):
        self.real = real
        self.kind = real.kind
        self.model = real.model
        self.calls = 0

    def load(self, rows, context):
        self.calls += 1
        result = self.real.load(rows, context)
        if self.calls == 3:
            raise WorkerKilled
        return result


def test_killed_inside_a_chunk_publishes_nothing_of_that_chunk(
    resource, dept, clerk, small_chunks, monkeypatch
):
    content = _content()
    submission = _ready(_stored(resource, dept, clerk, content))
    real_get_store = services.get_store
    flaky = _FlakyStore(real_get_store(resource.kind, resource.code))
    monkeypatch.setattr(services, "get_store", lambda kind, code=None: flaky)
    with pytest.raises(WorkerKilled):
        process_submission(submission.pk)

    submission.refresh_from_db()
    assert submission.checkpoint_row == 8  # chunk 3 (rows 9-12) rolled back whole
    committed_keys = set(GenericRecord.objects.values_list("business_key", flat=True))
    assert "琼许字〔2024〕10号" not in committed_keys
    assert not RejectedRow.objects.filter(submission=submission, row_number__gt=8).exists()
    assert submission.created_count == len(committed_keys)

    monkeypatch.setattr(services, "get_store", real_get_store)
    assert process_submission(submission.pk).status == SubmissionStatus.COMPLETED
    resumed = _snapshot(submission)
    assert resumed == _clean_run(resource, dept, clerk, content)


def test_a_second_worker_leaves_a_locked_submission_alone(resource, dept, clerk, small_chunks):
    from django.db import connections

    submission = _ready(_stored(resource, dept, clerk, _content()))
    # Another connection (another worker) holds the submission's advisory lock.
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_lock(%s, %s)", [services.LOCK_NAMESPACE, submission.pk]
            )
        assert process_submission(submission.pk).status == SubmissionStatus.RECEIVED
        assert GenericRecord.objects.count() == 0
    finally:
        # Unlock explicitly: a closed connection's server process releases its
        # locks only when it exits, which may be after the next statement here.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")
        other.close()
    assert process_submission(submission.pk).status == SubmissionStatus.COMPLETED


def test_a_submission_that_keeps_dying_is_failed_after_max_attempts(resource, dept, clerk):
    submission = _ready(_stored(resource, dept, clerk, _content()))
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.LOADING,
        attempts=services.MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - services.STALE_AFTER * 2,
    )
    assert resume_stale_submissions() == []
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.FAILED
    assert str(services.MAX_ATTEMPTS) in submission.error


def test_fresh_submissions_are_not_resumed(resource, dept, clerk):
    submission = _ready(_stored(resource, dept, clerk, _content()))
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.LOADING, heartbeat_at=timezone.now()
    )
    assert resume_stale_submissions() == []
