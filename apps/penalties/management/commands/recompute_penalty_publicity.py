"""``manage.py recompute_penalty_publicity``: apply changed publicity regimes to stored penalties."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.core.choices import Channel
from apps.core.context import channel_context


class Command(BaseCommand):
    """Recompute severity, regime and publicity dates of penalties from the current regimes."""

    help = "按资源目录中现行的公示期规则重新计算行政处罚的严重程度、适用规则和公示期。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--department", help="only this department code, e.g. 460100-SCJG")
        parser.add_argument("--dry-run", action="store_true", help="count changes, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        from apps.penalties.models import Penalty
        from apps.penalties.services import recompute_publicity_all

        qs = Penalty.objects.all()
        if options["department"]:
            qs = qs.filter(department__code=options["department"])
        with channel_context(Channel.COMMAND):
            if options["dry_run"]:
                with transaction.atomic():
                    changed = recompute_publicity_all(queryset=qs)
                    transaction.set_rollback(True)
                self.stdout.write(f"（试运行，未写入）将变化 {changed} 条行政处罚。")
                return
            changed = recompute_publicity_all(queryset=qs)
        self.stdout.write(f"已重新计算：{changed} 条行政处罚的公示期发生变化。")
