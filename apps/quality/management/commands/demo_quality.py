"""``manage.py demo_quality``: quality demo data (idempotent for a given day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.core.choices import Channel
from apps.core.context import channel_context


class Command(BaseCommand):
    """Check the demo records, score recent periods, one sampling check with its report."""

    help = (
        "载入数据质量演示数据（幂等）：检查演示记录、计算近期评分、一次数据抽查及其报告、一份通报。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from apps.organizations.models import User
        from apps.quality.demo import load_demo

        actor = User.objects.filter(username="admin").first()
        with channel_context(Channel.COMMAND):
            summary = load_demo(actor=actor)
        check = summary.sampling_check
        self.stdout.write(
            f"数据质量演示：发送记录 {summary.records} 条，检查 {summary.checked} 条，"
            f"新发现问题 {summary.open_issues} 个，评分 {summary.scorecards} 张；"
            f"数据抽查“{check.title if check else '—'}”（种子 {check.seed if check else '—'}），"
            f"报告 /quality/sampling/{check.pk if check else 0}/report.pdf；"
            f"通报“{summary.notice.title if summary.notice else '—'}”。"
        )
