"""End to end with a real Celery worker on Redis: upload -> queue -> worker -> records."""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from apps.ingestion.models import Submission, SubmissionStatus
from apps.ingestion.services import create_submission
from apps.records.models import GenericRecord
from hainan_credit.celery import app
from tests.factories.enterprises import EnterpriseFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="REDIS_URL is unset: this test needs a real Redis broker (.ci/run sets it)",
    ),
]


@pytest.fixture
def live_worker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as w:
            yield w
    finally:
        app.conf.task_always_eager = True


def _wait(submission_id: int, timeout: float = 60) -> Submission:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        submission = Submission.objects.get(pk=submission_id)
        if not submission.is_running:
            return submission
        time.sleep(0.2)
    raise AssertionError(f"submission {submission_id} still {submission.status} after {timeout}s")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_processes_a_file_and_the_status_page_follows(
    live_worker, resource, dept, clerk, client, monkeypatch
):
    from apps.ingestion import services

    monkeypatch.setattr(services, "CHUNK_SIZE", 3)
    enterprise = EnterpriseFactory()
    rows = [f"海南测试有限公司,{enterprise.uscc},琼许字〔2024〕{n}号,2024-03-01" for n in range(8)]
    rows.append(f"海南测试有限公司,{enterprise.uscc},琼许字〔2024〕99号,2024-13-01")
    text = "行政相对人名称,统一社会信用代码,行政许可决定文书号,许可决定日期\n" + "\n".join(rows)
    submission = create_submission(
        department=dept,
        resource=resource,
        content=text.encode("gb18030"),
        filename="data.csv",
        channel="file",
        actor=clerk,
    )
    done = _wait(submission.pk)
    assert done.status == SubmissionStatus.COMPLETED, done.error
    assert (done.total, done.created_count, done.rejected_count) == (9, 8, 1)
    assert done.checkpoint_row == 9
    assert GenericRecord.objects.filter(submission_id=submission.pk).count() == 8

    client.force_login(clerk)
    status = client.get(f"/ingestion/submissions/{submission.pk}/status/").json()
    assert status["status"] == "completed" and status["percent"] == 100
    assert status["running"] is False
