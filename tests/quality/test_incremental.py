"""Incremental checks: changed records only, issues closed on correction and reopened on relapse."""

from __future__ import annotations

import datetime

import pytest

from apps.quality.checks import run_checks
from apps.quality.choices import CheckRunKind, IssueStatus
from apps.quality.models import CheckRun, CheckWatermark, QualityIssue
from apps.records.models import GenericRecord

from .conftest import open_rules

pytestmark = pytest.mark.django_db


def incremental():
    return run_checks(CheckRunKind.INCREMENTAL)


def test_incremental_check_opens_then_closes_issue_on_correction(load):
    bad = load(business_key="琼许〔2026〕5号", values={"L_LB": "9"})
    run = incremental()
    assert run.issues_opened >= 1
    issue = QualityIssue.objects.get(object_id=bad.pk, rule__code="SPEC_VALUE")
    assert issue.status == IssueStatus.OPEN

    # The department sends the corrected record under the same business key.
    fixed = load(business_key="琼许〔2026〕5号", values={"L_LB": "1"})
    assert fixed.pk == bad.pk
    run = incremental()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED
    assert issue.closed_at is not None
    assert run.issues_closed >= 1

    # A relapse reopens the same issue row.
    load(business_key="琼许〔2026〕5号", values={"L_LB": "8"})
    incremental()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN
    assert issue.detail["value"] == "8"
    assert QualityIssue.objects.filter(object_id=bad.pk, rule__code="SPEC_VALUE").count() == 1


def test_incremental_check_reads_only_changed_records(load):
    load()
    first = incremental()
    assert first.records_checked == 1
    watermark = CheckWatermark.objects.get()
    # Move the watermark well past the record: nothing new to check.
    CheckWatermark.objects.update(updated_at=watermark.updated_at + datetime.timedelta(hours=1))
    second = incremental()
    assert second.records_checked == 0
    assert CheckRun.objects.count() == 2


def test_unchanged_record_keeps_its_issue_in_incremental_runs(load):
    bad = load(values={"L_LB": "9"})
    other = load()
    incremental()
    GenericRecord.objects.filter(pk=other.pk).update(subject_name="海南椰风贸易有限公司")
    incremental()
    assert "SPEC_VALUE" in open_rules(bad)


def test_correcting_one_duplicate_closes_the_issue_of_the_other(load):
    first = load(business_key="琼许〔2026〕90号")
    second = load(business_key="琼许[2026]90号")
    incremental()
    assert "DUPLICATE_KEY" in open_rules(second)
    # The first record is withdrawn and replaced under a different key: it is deleted here.
    GenericRecord.objects.filter(pk=first.pk).delete()
    load(business_key="琼许〔2026〕91号")
    incremental()
    assert "DUPLICATE_KEY" not in open_rules(second)


def test_full_run_closes_issues_of_deleted_records(load, full_check):
    bad = load(values={"L_LB": "9"})
    full_check()
    GenericRecord.objects.filter(pk=bad.pk).delete()
    full_check()
    assert not QualityIssue.objects.filter(object_id=bad.pk, status=IssueStatus.OPEN).exists()


def test_failing_record_ids_are_listed_per_rule(load, full_check):
    bad = [load(values={"L_LB": "9"}) for _ in range(3)]
    load()
    full_check()
    ids = set(
        QualityIssue.objects.filter(rule__code="SPEC_VALUE", status="open").values_list(
            "object_id", flat=True
        )
    )
    assert ids == {record.pk for record in bad}


def test_celery_tasks_run_the_checks_and_scorecards(load):
    from apps.quality.models import Scorecard
    from apps.quality.tasks import (
        check_all_records_task,
        check_changed_records_task,
        compute_scorecards_task,
    )

    bad = load(values={"L_LB": "9"})
    summary = check_changed_records_task()
    assert summary["checked"] == 1 and summary["opened"] >= 1
    assert "SPEC_VALUE" in open_rules(bad)
    assert check_all_records_task()["checked"] == 1
    counts = compute_scorecards_task(months=1, quarters=1)
    assert counts["scorecards"] == Scorecard.objects.count()
