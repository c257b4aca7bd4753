"""Demo data of the quality app (``manage.py demo_quality``).

Adds a few hundred generic records (chattel mortgages, equity pledges) from
the market-regulation departments over the last six months, with the kinds of
faults the rules find (missing fields, late delivery, a name that is not the
registered one, an unknown code, a re-sent document number), then runs the
checks over every store (the other apps' demo records included), computes the
scorecards of recent months and quarters, a sampling check with reviews and
findings (its report is downloadable), and a published ranking notice.
Idempotent for a given day: the records are loaded on business keys, the check
and the notice are found by title.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.catalogue.models import Resource
from apps.core.workdays import CalendarYearMissing, add_working_days
from apps.enterprises.models import Enterprise
from apps.organizations.models import Department, User
from apps.records.registry import LoadContext, LoadRow, get_store

from .checks import run_checks
from .choices import CheckRunKind, PeriodKind, Verdict
from .models import RankingNotice, SampledRecord, SamplingCheck
from .scoring import Period, compute_scorecards, recent_periods
from .services import (
    complete_sampling_check,
    create_ranking_notice,
    draw_sample,
    publish_ranking_notice,
    review_sample,
    schedule_sampling_check,
)

DEMO_RESOURCES = ("DCDY", "GQCZ")
SAMPLING_TITLE = "演示：{year} 年第 {quarter} 季度涉企信息数据抽查"
SEED = "hainan-demo-2026"


@dataclass
class DemoSummary:
    records: int = 0
    checked: int = 0
    open_issues: int = 0
    scorecards: int = 0
    sampling_check: SamplingCheck | None = None
    notice: RankingNotice | None = None


def _value_for(spec: Any, *, decision: datetime.date, key: str, enterprise: Enterprise) -> Any:
    if spec.data_type == "date":
        return decision.isoformat()
    if spec.data_type == "uscc":
        return enterprise.uscc
    if spec.data_type in ("decimal", "integer"):
        return "100"
    if spec.data_type == "enum" and spec.enum_values:
        first = spec.enum_values[0]
        return first.get("code") if isinstance(first, dict) else first
    if spec.code.endswith("DJBH"):
        return key
    if "MC" in spec.code:
        return enterprise.name
    if "JG" in spec.code:
        return "市场监督管理局"
    return "演示数据"


def load_demo_records(*, per_department_month: int = 4, months: int = 6) -> int:
    """Load demo generic records with some faults; returns how many rows were sent."""
    rng = random.Random(2026)  # noqa: S311 (reproducible demo data, not security)
    departments = list(
        Department.objects.filter(
            line="SCJG", is_active=True, level__in=["city", "county"]
        ).order_by("code")[:12]
    )
    enterprises = list(Enterprise.objects.order_by("pk")[:400])
    if not departments or not enterprises:
        return 0
    today = timezone.localdate()
    sent = 0
    for code in DEMO_RESOURCES:
        resource = Resource.objects.filter(code=code).first()
        if resource is None:
            continue
        version = resource.current_version or resource.versions.order_by("-number").first()
        if version is None:
            continue
        specs = list(version.fields.all())
        store = get_store(resource.kind, resource.code)
        for month_back in range(months):
            year, month = divmod(today.year * 12 + today.month - 1 - month_back, 12)
            first = datetime.date(year, month + 1, 1)
            for department_index, department in enumerate(departments):
                # Weaker departments make more mistakes, so the ranking has a spread.
                fault_rate = 0.02 + 0.03 * (department_index % 5)
                if department_index % 7 == 6 and month_back % 2 == 0:
                    continue  # a department that skips months (coverage)
                batches: dict[datetime.date, list[LoadRow]] = {}
                for n in range(per_department_month):
                    decision = first + datetime.timedelta(days=rng.randrange(0, 25))
                    if decision >= today:
                        continue
                    enterprise = rng.choice(enterprises)
                    key = f"琼{department.code[:6]}{code}〔{decision.year}〕{decision:%m}{n:03d}号"
                    values = {
                        spec.code: _value_for(
                            spec, decision=decision, key=key, enterprise=enterprise
                        )
                        for spec in specs
                    }
                    name, uscc, ent_id = enterprise.name, enterprise.uscc, enterprise.pk
                    try:
                        received = add_working_days(decision, rng.randrange(1, 6))
                    except CalendarYearMissing:
                        received = decision + datetime.timedelta(days=3)
                    roll = rng.random()
                    if roll < fault_rate:
                        values[specs[1].code] = ""  # a required field left empty
                    elif roll < 2 * fault_rate:
                        received = decision + datetime.timedelta(days=rng.randrange(20, 40))
                    elif roll < 2.5 * fault_rate:
                        name = name + "（分公司）"
                    elif roll < 2.8 * fault_rate:
                        uscc, ent_id = "91460000MA5T0DEMO0", None
                    elif roll < 3 * fault_rate and n > 0:
                        # The previous document re-sent with other brackets: a duplicate.
                        key = key[:-4] + f"{n - 1:03d}号"
                        key = key.replace("〔", "[").replace("〕", "]")
                        values = {
                            k: (key if str(k).endswith("DJBH") else v) for k, v in values.items()
                        }
                    received = min(received, today)
                    batches.setdefault(received, []).append(
                        LoadRow(
                            row_number=len(batches.get(received, [])) + 1,
                            business_key=key,
                            decision_date=decision,
                            subject_kind="organization",
                            subject_uscc=uscc,
                            subject_name=name,
                            enterprise_id=ent_id,
                            values=values,
                        )
                    )
                for received, rows in batches.items():
                    context = LoadContext(
                        department_id=department.pk,
                        resource_code=resource.code,
                        resource_version=version.number,
                        channel="file",
                        submission_id=None,
                        received_at=datetime.datetime.combine(
                            received, datetime.time(10), tzinfo=timezone.get_default_timezone()
                        ),
                    )
                    with transaction.atomic():
                        store.load(rows, context)
                    sent += len(rows)
    return sent


def _demo_sampling(actor: Any) -> SamplingCheck | None:
    today = timezone.localdate()
    quarter = Period.containing(PeriodKind.QUARTER, today).previous
    title = SAMPLING_TITLE.format(
        year=quarter.start.year, quarter=(quarter.start.month - 1) // 3 + 1
    )
    existing = SamplingCheck.objects.filter(title=title).first()
    if existing is not None:
        return existing
    reviewers = list(
        User.objects.filter(username__in=["hk_scjg_clerk", "sy_scjg_clerk"]).order_by("username")
    ) or [actor]
    check = schedule_sampling_check(
        title=title,
        check_date=quarter.end,
        period_start=quarter.start,
        sample_size=5,
        reviewers=reviewers,
        actor=actor,
        seed=SEED,
    )
    check = draw_sample(check, actor=actor)
    rng = random.Random(SEED)  # noqa: S311 (reproducible demo reviews, not security)
    for sample in SampledRecord.objects.filter(check_run=check).order_by("pk"):
        if rng.random() < 0.15:
            continue  # not reviewed yet
        if rng.random() < 0.1:
            review_sample(
                sample, verdict=Verdict.INCORRECT, note="决定日期与原始文书不一致", actor=actor
            )
        else:
            review_sample(sample, verdict=Verdict.CORRECT, note="", actor=actor)
    return complete_sampling_check(
        check,
        findings=(
            "部分部门存在超期报送，需按 7/20 个工作日时限及时归集。\n"
            "个别记录的相对人名称与登记名称不一致，请核对原始文书后更正。"
        ),
        actor=actor,
    )


def load_demo(*, actor: Any) -> DemoSummary:
    """Records, checks, scorecards, a sampling check and a published notice."""
    summary = DemoSummary()
    summary.records = load_demo_records()
    run = run_checks(CheckRunKind.FULL)
    summary.checked = run.records_checked
    summary.open_issues = run.issues_opened
    periods = recent_periods(PeriodKind.MONTH, 6) + recent_periods(PeriodKind.QUARTER, 3)
    summary.scorecards = compute_scorecards(periods)["scorecards"]
    summary.sampling_check = _demo_sampling(actor)
    last_month = Period.containing(PeriodKind.MONTH, timezone.localdate()).previous
    notice = RankingNotice.objects.filter(
        period_kind=last_month.kind, period_start=last_month.start
    ).first()
    if notice is None:
        notice = create_ranking_notice(
            last_month,
            actor=actor,
            summary="现将上月各部门、各市县涉企信息归集质量评分情况通报如下，请排名靠后的单位对照问题清单及时整改。",
        )
    if not notice.is_published:
        notice = publish_ranking_notice(notice, actor=actor)
    summary.notice = notice
    return summary
