"""``manage.py demo_penalties``: load the demo administrative penalties (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.core.choices import Channel
from apps.core.context import channel_context


class Command(BaseCommand):
    """Load a few hundred demo penalties across departments; one revoked, one repair pending."""

    help = (
        "载入演示行政处罚数据（幂等）：多个部门的数百条处罚，其中一条已撤销、一条修复申请待审核。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=300, help="number of penalties")

    def handle(self, *args: Any, **options: Any) -> None:
        from apps.penalties.demo import load_demo_penalties

        with channel_context(Channel.COMMAND):
            summary = load_demo_penalties(options["count"])
        for message in summary.skipped:
            self.stdout.write(f"跳过：{message}")
        outcomes = summary.outcomes
        self.stdout.write(
            f"演示行政处罚：新增 {outcomes.get('created', 0)} 条，更新 {outcomes.get('updated', 0)} 条，"
            f"未变化 {outcomes.get('unchanged', 0)} 条；已撤销 {summary.revoked or '—'}；"
            f"待审核修复申请 {summary.repair or '—'}。"
        )
