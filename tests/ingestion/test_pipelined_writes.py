"""Chunks written on the writer thread give exactly what the serial path gives.

``_ChunkWriter`` writes each judged chunk on a second thread (own connection)
while the next chunk is judged. These tests run in real transactions
(``transaction=True``) so that the writer thread is used, and compare the
stored outcome of randomised files with faults (bad dates, invalid and unknown
codes, duplicate keys, blank lines) against the serial path's.
"""

from __future__ import annotations

import random
import threading

import pytest

from apps.ingestion import services
from apps.ingestion.models import HeldRow, RejectedRow, Submission, SubmissionStatus
from apps.ingestion.services import create_submission, process_submission
from apps.records.models import GenericRecord, RecordRevision
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "行政相对人名称,统一社会信用代码,行政许可决定文书号,许可决定日期"


class WriterFailed(BaseException):
    """A failure on the writer thread (not an Exception: nothing may swallow it)."""


def _random_file(seed: int, rows: int = 57) -> bytes:
    chooser = random.Random(seed)
    known = [EnterpriseFactory() for _ in range(4)]
    unknown = EnterpriseFactory.build().uscc
    lines = [HEADER]
    for n in range(1, rows + 1):
        uscc = chooser.choice(known).uscc
        key = f"琼许字〔2024〕{chooser.randint(1, rows)}号"
        date = f"2024-03-{chooser.randint(1, 28):02d}"
        fault = chooser.random()
        if fault < 0.08:
            date = "2024-02-30"
        elif fault < 0.14:
            uscc = unknown
        elif fault < 0.18:
            uscc = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
        elif fault < 0.21:
            lines.append("")
            continue
        elif fault < 0.24:
            date = "2099-01-01"
        lines.append(f"海南随机{n}有限公司,{uscc},{key},{date}")
    return ("\n".join(lines) + "\n").encode()


def _run(resource, dept, clerk, content: bytes) -> dict:
    GenericRecord.objects.all().delete()
    RecordRevision.objects.all().delete()
    submission = create_submission(
        department=dept,
        resource=resource,
        content=content,
        filename="data.csv",
        channel="file",
        actor=clerk,
        dry_run=True,
    )
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.RECEIVED)
    submission = process_submission(submission.pk)
    return {
        "records": sorted(
            GenericRecord.objects.values_list("business_key", "enterprise_id", "payload")
        ),
        "rejected": sorted(
            (
                r.row_number,
                r.raw_values,
                tuple((p["field"], p["rule"], p["message_zh"]) for p in r.problems),
            )
            for r in RejectedRow.objects.filter(submission=submission)
        ),
        "held": sorted(
            HeldRow.objects.filter(submission=submission).values_list("row_number", "subject_uscc")
        ),
        "counts": (
            submission.status,
            submission.checkpoint_row,
            submission.progress,
            submission.created_count,
            submission.updated_count,
            submission.unchanged_count,
            submission.rejected_count,
            submission.held_count,
        ),
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_writer_thread_stores_what_the_serial_path_stores(
    resource, dept, clerk, monkeypatch, seed
):
    monkeypatch.setattr(services, "CHUNK_SIZE", 5)
    content = _random_file(seed)
    writers: set[str] = set()
    monkeypatch.setattr(
        services, "chunk_committed", lambda *args: writers.add(threading.current_thread().name)
    )
    monkeypatch.setattr(services, "PIPELINE_WRITES", False)
    serial = _run(resource, dept, clerk, content)
    assert writers == {threading.current_thread().name}

    writers.clear()
    monkeypatch.setattr(services, "PIPELINE_WRITES", True)
    pipelined = _run(resource, dept, clerk, content)
    assert "ingestion-writer" in writers
    assert pipelined == serial
    assert serial["counts"][0] == SubmissionStatus.COMPLETED
    assert serial["rejected"] and serial["records"]


def test_a_failure_on_the_writer_thread_stops_the_run_with_whole_chunks_only(
    resource, dept, clerk, monkeypatch
):
    monkeypatch.setattr(services, "CHUNK_SIZE", 5)
    content = _random_file(7, rows=40)
    calls: list[int] = []

    def fail_on_third_chunk(submission_id, checkpoint):
        calls.append(checkpoint)
        if len(calls) == 3:
            raise WriterFailed

    monkeypatch.setattr(services, "chunk_committed", fail_on_third_chunk)
    with pytest.raises(WriterFailed):
        _run(resource, dept, clerk, content)
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.LOADING
    # The failing chunk had committed (the seam runs after the commit); nothing after it.
    assert submission.checkpoint_row == calls[-1]
    assert len(calls) == 3
    assert GenericRecord.objects.count() == submission.created_count


def test_the_corpus_file_gives_the_same_outcome_on_the_writer_thread(
    rich_resource, dept, clerk, monkeypatch
):
    """The bad-input corpus in one file: identical stored results on both paths."""
    import datetime

    from apps.ingestion.rowchecks import today_in_hainan
    from tests.ingestion.test_corpus import csv_of, good

    enterprise = EnterpriseFactory()
    future = (today_in_hainan() + datetime.timedelta(days=3)).isoformat()
    content = csv_of(
        good(enterprise, 1),
        good(enterprise, 1),
        good(enterprise, 3).replace(enterprise.uscc, "9.14601E+17"),
        good(enterprise, 4).replace(",2024-03-01,普通", f",{future},普通"),
        good(enterprise, 5).replace("2024-03-01,2027-02-28", "2024-03-01,2020-01-01"),
        good(enterprise, 6).replace(",普通,", ",无此代码,"),
        ",".join([good(enterprise, 7)] + ["x"] * 42),
        good(enterprise, 8),
        good(enterprise, 9).replace(enterprise.uscc, EnterpriseFactory.build().uscc),
    )
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    monkeypatch.setattr(services, "PIPELINE_WRITES", False)
    serial = _run(rich_resource, dept, clerk, content)
    monkeypatch.setattr(services, "PIPELINE_WRITES", True)
    pipelined = _run(rich_resource, dept, clerk, content)
    assert pipelined == serial
    assert serial["counts"][3:] == (2, 0, 0, 6, 1)
