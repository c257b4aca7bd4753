"""Sampling checks: reproducible draws from the seed, reviews, results, no-data, reports."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest

from apps.core.exceptions import ConflictError, DomainError
from apps.quality.choices import Verdict
from apps.quality.models import SampledRecord
from apps.quality.reports import excel_report, pdf_report
from apps.quality.services import (
    complete_sampling_check,
    draw_sample,
    review_sample,
    sampling_results,
    schedule_sampling_check,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def records(load):
    """30 Haikou records in March 2026, three of them late."""
    made = [load() for _ in range(27)]
    made += [load(received_on=D(2026, 3, 20)) for _ in range(3)]
    return made


def schedule(actor, *, seed="abc123", size=5, reviewers=()):
    return schedule_sampling_check(
        title="2026 年第一次数据抽查",
        check_date=D(2026, 3, 31),
        period_start=D(2026, 3, 1),
        sample_size=size,
        reviewers=list(reviewers),
        actor=actor,
        seed=seed,
    )


def sample_ids(check):
    return list(
        SampledRecord.objects.filter(check_run=check)
        .order_by("department__code", "draw_order")
        .values_list("object_id", flat=True)
    )


def test_same_seed_draws_the_same_sample_and_the_seed_is_recorded(
    records, province_admin, other_dept
):
    first = draw_sample(schedule(province_admin), actor=province_admin)
    second = draw_sample(schedule(province_admin), actor=province_admin)
    other = draw_sample(schedule(province_admin, seed="different"), actor=province_admin)
    assert first.seed == "abc123"
    assert len(sample_ids(first)) == 5
    assert sample_ids(first) == sample_ids(second)
    assert sample_ids(first) != sample_ids(other)


def test_generated_seed_is_recorded_and_reproduces(records, province_admin):
    check = schedule_sampling_check(
        title="x",
        check_date=D(2026, 3, 31),
        period_start=D(2026, 3, 1),
        sample_size=4,
        reviewers=[],
        actor=province_admin,
    )
    assert len(check.seed) == 16
    draw_sample(check, actor=province_admin)
    again = draw_sample(schedule(province_admin, seed=check.seed, size=4), actor=province_admin)
    assert sample_ids(check) == sample_ids(again)


def test_a_check_is_drawn_once(records, province_admin):
    check = draw_sample(schedule(province_admin), actor=province_admin)
    with pytest.raises(ConflictError):
        draw_sample(check, actor=province_admin)


def test_bad_window_is_refused(province_admin):
    with pytest.raises(DomainError, match="晚于"):
        schedule_sampling_check(
            title="x",
            check_date=D(2026, 3, 1),
            period_start=D(2026, 3, 31),
            sample_size=3,
            reviewers=[],
            actor=province_admin,
        )


def test_results_per_department_and_no_data_department(
    records, province_admin, clerk, dept, other_dept, full_check
):
    full_check()
    check = draw_sample(schedule(province_admin, size=30, reviewers=[clerk]), actor=province_admin)
    samples = list(SampledRecord.objects.filter(check_run=check).order_by("draw_order"))
    assert len(samples) == 30
    assert {s.reviewer_id for s in samples} == {clerk.pk}
    for sample in samples[:20]:
        review_sample(sample, verdict=Verdict.CORRECT, note="", actor=clerk)
    for sample in samples[20:24]:
        review_sample(sample, verdict=Verdict.INCORRECT, note="文书号与原件不符", actor=clerk)
    results = {r.department_code: r for r in sampling_results(check)}
    haikou = results[dept.code]
    assert (haikou.population, haikou.sampled, haikou.reviewed) == (30, 30, 24)
    assert haikou.accuracy == Decimal("83.33")  # 20 of 24 reviewed
    assert haikou.timeliness == Decimal("90.00")  # 27 of 30 on time
    assert haikou.completeness == Decimal("100.00")
    assert haikou.rank == 1
    sanya = results[other_dept.code]
    assert sanya.has_data is False
    assert sanya.accuracy is None and sanya.completeness is None and sanya.timeliness is None
    assert sanya.score is None and sanya.rank is None


def test_only_the_assigned_reviewer_may_review(records, province_admin, clerk, other_clerk):
    check = draw_sample(schedule(province_admin, reviewers=[clerk]), actor=province_admin)
    sample = SampledRecord.objects.filter(check_run=check).first()
    with pytest.raises(ConflictError):
        review_sample(sample, verdict=Verdict.CORRECT, note="", actor=other_clerk)
    with pytest.raises(DomainError):
        review_sample(sample, verdict=Verdict.INCORRECT, note=" ", actor=clerk)
    complete_sampling_check(check, findings="无", actor=province_admin)
    with pytest.raises(ConflictError):
        review_sample(sample, verdict=Verdict.CORRECT, note="", actor=clerk)


def test_reports_open_and_contain_the_figures(
    records, province_admin, dept, other_dept, full_check
):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    full_check()
    check = draw_sample(schedule(province_admin, size=30), actor=province_admin)
    for sample in SampledRecord.objects.filter(check_run=check)[:10]:
        review_sample(sample, verdict=Verdict.CORRECT, note="", actor=province_admin)
    check = complete_sampling_check(
        check, findings="海口市部分记录报送超时。", actor=province_admin
    )

    book = load_workbook(io.BytesIO(excel_report(check)))
    assert book.sheetnames == ["抽查概况", "部门结果", "主要问题"]
    table = book["部门结果"]
    rows = {row[1]: row for row in table.iter_rows(min_row=2, values_only=True)}
    assert rows[dept.code][6] == 100.0  # accuracy: 10 of 10 reviewed
    assert rows[dept.code][8] == 90.0  # timeliness
    assert rows[other_dept.code][6] == "无数据"
    assert len(table._charts) == 1
    summary = {row[0]: row[1] for row in book["抽查概况"].iter_rows(min_row=2, values_only=True)}
    assert summary["随机种子"] == "abc123"
    findings = [row[0] for row in book["主要问题"].iter_rows(min_row=2, values_only=True)]
    assert "海口市部分记录报送超时。" in findings

    pdf = pdf_report(check)
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert dept.code in text and other_dept.code in text
    assert "90.00" in text and "abc123" in text
