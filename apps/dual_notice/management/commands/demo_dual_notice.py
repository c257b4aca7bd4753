"""``manage.py demo_dual_notice``: the mapping plus notices and tasks for some demo enterprises."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from apps.core.choices import Channel
from apps.core.context import channel_context
from apps.core.exceptions import DomainError
from apps.enterprises.choices import EnterpriseStatus
from apps.enterprises.models import Enterprise
from apps.organizations.models import User

from ...choices import NoticeSource, TaskStatus
from ...models import ClaimTask
from ...routing import match_matters
from ...services import (
    claim_task,
    issue_notice,
    load_mapping,
    return_task,
    route_overdue_tasks,
    scan_registrations,
)
from .load_dual_notice_mapping import DEFAULT_PATH

# How many demo enterprises get a notice; spread over the last DAYS_SPREAD days
# so that some deadlines have passed (overdue) and some are still open.
DEMO_ENTERPRISES = 40
DAYS_SPREAD = 14
CLERK = "hk_scjg_clerk"


class Command(BaseCommand):
    """Load the mapping, start the scan watermark, and issue notices for demo enterprises.

    Idempotent: an enterprise whose latest notice has the same scope gets
    nothing new, and the claim/return actions run only on notices issued now.
    Without demo enterprises it loads only the mapping.
    """

    help = "双告知演示数据：导入许可事项目录，为部分示范市场主体生成告知书和认领任务（幂等）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=DEMO_ENTERPRISES)

    def handle(self, *args: Any, **options: Any) -> None:
        entries = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))["matters"]
        with channel_context(Channel.COMMAND):
            load_mapping(entries)
            # The demo registry is the baseline: only later changes are scanned.
            scan_registrations()
            issued = self._issue(options["count"])
            routed = route_overdue_tasks()
        self.stdout.write(
            f"dual notice demo: {len(entries)} matters, {issued} notices issued, "
            f"{routed} overdue tasks routed back"
        )

    def _issue(self, count: int) -> int:
        today = timezone.localdate()
        clerk = User.objects.filter(username=CLERK).first()
        candidates = (
            Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
            .exclude(business_scope="")
            .select_related("region")
            .order_by("uscc")
        )
        issued = chosen = 0
        for enterprise in candidates.iterator(chunk_size=200):
            if chosen >= count:
                break
            if not match_matters(enterprise.business_scope, enterprise.industry_code, on=today):
                continue
            chosen += 1
            pushed_on = today - datetime.timedelta(days=chosen % DAYS_SPREAD)
            notice = issue_notice(
                enterprise,
                scope=enterprise.business_scope,
                industry_code=enterprise.industry_code,
                registered_on=pushed_on,
                source=NoticeSource.DEMO,
                today=pushed_on,
            )
            if notice is None:
                continue
            issued += 1
            if clerk is not None:
                self._act(notice.pk, clerk, chosen, pushed_on)
        return issued

    @staticmethod
    def _act(notice_id: int, clerk: User, index: int, pushed_on: datetime.date) -> None:
        """Haikou market regulation claims two in three of its tasks and returns some."""
        for task in ClaimTask.objects.filter(
            notice_id=notice_id, department=clerk.department, status=TaskStatus.PENDING
        ):
            try:
                with transaction.atomic():
                    if index % 5 == 0:
                        return_task(
                            task, actor=clerk, reason="经核实该经营项目不属于本局审批，请改派。"
                        )
                    elif index % 3 != 1:
                        claim_task(task, actor=clerk, note="已纳入日常监管。", today=pushed_on)
            except DomainError:
                continue
