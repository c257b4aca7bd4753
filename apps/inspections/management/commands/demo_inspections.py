"""Demo data of 双随机一公开: officers of two Haikou departments, a pool, a joint plan, a draw, results.

Idempotent: officers are keyed by certificate number, the pool and the plan by
name; an existing draw or result is left as it is.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.catalogue.models import Resource
from apps.core.choices import Channel
from apps.core.context import channel_context
from apps.enterprises.choices import EnterpriseStatus
from apps.enterprises.models import Enterprise
from apps.inspections import services
from apps.inspections.choices import CheckType, ResultOutcome, RiskGrade, TaskStatus
from apps.inspections.models import Officer, Plan, RiskMark, TargetPool
from apps.organizations.models import Department, Region, User

LEAD = "460100-SCJG"
PARTNER = "460100-WJW"
POOL_NAME = "海口市在营市场主体（演示）"
PLAN_NAME = "2026 年海口市市场监管与卫生健康跨部门联合抽查（演示）"
SEED = "20261128"
# (department, name, certificate number, area region codes)
OFFICERS = (
    (LEAD, "陈海峰", "HK-SCJG-0001", ["460105"]),
    (LEAD, "林晓雯", "HK-SCJG-0002", ["460106"]),
    (LEAD, "王立新", "HK-SCJG-0003", ["460107"]),
    (LEAD, "符明亮", "HK-SCJG-0004", ["460108"]),
    (PARTNER, "吴佳琪", "HK-WJW-0001", ["460105", "460106"]),
    (PARTNER, "黄志强", "HK-WJW-0002", ["460107"]),
    (PARTNER, "李春燕", "HK-WJW-0003", ["460108"]),
)
RESULTS = (
    (ResultOutcome.NORMAL, ""),
    (ResultOutcome.PROBLEMS, "未按规定公示年度报告中的从业人数，已责令限期改正"),
    (ResultOutcome.NOT_FOUND, ""),
)


class Command(BaseCommand):
    """Create the demo officers, pool, joint plan, draw and three published results."""

    help = "创建双随机一公开演示数据（执法检查人员、检查对象名录、联合抽查计划、抽取与检查结果）；幂等。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只报告将要创建的内容")

    def handle(self, *args: Any, **options: Any) -> None:
        lead = Department.objects.filter(code=LEAD).first()
        partner = Department.objects.filter(code=PARTNER).first()
        if lead is None or partner is None:
            self.stdout.write(
                "inspections demo: departments 460100-SCJG/460100-WJW missing, skipped"
            )
            return
        if not Enterprise.objects.filter(region__code__startswith="4601").exists():
            self.stdout.write("inspections demo: no Haikou enterprises yet, skipped")
            return
        if options["dry_run"]:
            self.stdout.write(
                f"inspections demo (dry run): {len(OFFICERS)} officers, pool {POOL_NAME!r}, "
                f"plan {PLAN_NAME!r}, seed {SEED}, {len(RESULTS)} results"
            )
            return
        with channel_context(Channel.COMMAND):
            summary = self._load(lead, partner)
        self.stdout.write("inspections demo: " + ", ".join(f"{k} {v}" for k, v in summary.items()))

    def _load(self, lead: Department, partner: Department) -> dict[str, Any]:
        summary: dict[str, Any] = {"officers created": 0}
        departments = {LEAD: lead, PARTNER: partner}
        for code, name, certificate, areas in OFFICERS:
            if Officer.objects.filter(certificate_number=certificate).exists():
                continue
            services.save_officer(
                department=departments[code],
                name=name,
                certificate_number=certificate,
                areas=list(Region.objects.filter(code__in=areas)),
                actor=None,
            )
            summary["officers created"] += 1
        # The demo clerk is also officer 0001, so "我的任务" shows something.
        clerk = User.objects.filter(username="hk_scjg_clerk").first()
        first = Officer.objects.get(certificate_number="HK-SCJG-0001")
        if (
            clerk is not None
            and first.user_id is None
            and not Officer.objects.filter(user=clerk).exists()
        ):
            first.user = clerk
            first.save(update_fields=["user", "updated_at"])

        haikou = list(
            Enterprise.objects.filter(
                region__code__startswith="4601", status=EnterpriseStatus.ACTIVE
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:15]
        )
        if not RiskMark.objects.filter(enterprise_id__in=haikou[:5]).exists():
            for enterprise in Enterprise.objects.filter(pk__in=haikou[:5]):
                services.mark_risk(
                    enterprise,
                    grade=RiskGrade.C,
                    assessed_on=datetime.date(2026, 10, 1),
                    department=lead,
                    note="演示：投诉举报较多",
                    actor=None,
                )

        pool = TargetPool.objects.filter(department=lead, name=POOL_NAME).first()
        if pool is None:
            pool = services.build_pool(
                department=lead,
                name=POOL_NAME,
                filters=services.PoolFilters(
                    region_codes=["460100"], statuses=[EnterpriseStatus.ACTIVE]
                ),
                actor=None,
            )
        summary["pool members"] = pool.member_count

        plan = Plan.objects.filter(name=PLAN_NAME).first()
        if plan is None:
            today = timezone.localdate()
            plan = services.create_plan(
                name=PLAN_NAME,
                lead_department=lead,
                pool=pool,
                matters="企业公示信息情况检查\n食品经营许可事项检查\n公共场所卫生许可事项检查",
                starts_on=today - datetime.timedelta(days=14),
                ends_on=today + datetime.timedelta(days=45),
                other_departments=[partner],
                check_type=CheckType.DIRECTED,
                sample_count=min(10, pool.member_count),
                avoid_own_area=True,
                actor=None,
            )
        summary["plan"] = plan.code
        if not plan.draws.exists():
            services.draw_plan(plan, actor=None, seed=SEED)
        summary["seed"] = plan.draws.get(is_current=True).seed

        if not Resource.objects.filter(code="CCJC", current_version__isnull=False).exists():
            summary["results"] = "skipped (CCJC not published; run load_catalogue --publish)"
            return summary
        tasks = list(plan.tasks.filter(draw__is_current=True).order_by("position")[: len(RESULTS)])
        entered = 0
        for task, (outcome, details) in zip(tasks, RESULTS, strict=False):
            if task.status != TaskStatus.ASSIGNED:
                continue
            services.enter_result(
                task,
                outcome=outcome,
                details=details,
                completed_on=max(plan.starts_on, timezone.localdate() - datetime.timedelta(days=2)),
                actor=None,
            )
            entered += 1
        summary["results entered"] = entered
        return summary
