"""Run the statutory list rules for a day (what the daily Celery task does)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from apps.joint_punishment import rules, services
from apps.joint_punishment.departments import DepartmentDirectory


class Command(BaseCommand):
    help = "运行名单定时规则（年报、届满预警、三年转严重违法失信、期满移出），只提出建议。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--on", help="规则日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只统计将提出的建议，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        day = datetime.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        if options["dry_run"]:
            directory = DepartmentDirectory()
            for name, rule in rules.RULES:
                self.stdout.write(f"{name}: {len(rule(day, directory=directory))} (dry run)")
            return
        with transaction.atomic():
            summary = services.run_rules(day)
        for name, count in summary.items():
            self.stdout.write(f"{name}: {count}")
