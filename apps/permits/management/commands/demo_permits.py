"""``manage.py demo_permits``: load the demo administrative licences (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.core.choices import Channel
from apps.core.context import channel_context


class Command(BaseCommand):
    """Load a few hundred demo licences across departments; some expired, some long-term."""

    help = "载入演示行政许可数据（幂等）：多个部门的数百条许可，部分已过有效期。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=300, help="number of licences")

    def handle(self, *args: Any, **options: Any) -> None:
        from apps.permits.demo import load_demo_licences

        with channel_context(Channel.COMMAND):
            outcomes, skipped = load_demo_licences(options["count"])
        for message in skipped:
            self.stdout.write(f"跳过：{message}")
        self.stdout.write(
            f"演示行政许可：新增 {outcomes.get('created', 0)} 条，更新 {outcomes.get('updated', 0)} 条，"
            f"未变化 {outcomes.get('unchanged', 0)} 条。"
        )
