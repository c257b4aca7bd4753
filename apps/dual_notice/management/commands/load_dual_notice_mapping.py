"""``manage.py load_dual_notice_mapping``: load the scope -> licensing matter mapping fixture."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from apps.core.choices import Channel
from apps.core.context import channel_context

from ...services import load_mapping

DEFAULT_PATH = Path(settings.BASE_DIR) / "fixtures" / "dual_notice" / "mapping.json"


class Command(BaseCommand):
    """Upsert licensing matters and keywords by code from a JSON file (idempotent, audited)."""

    help = (
        "导入双告知许可事项目录（经营范围关键词 → 许可事项 → 审批部门条线），按事项编码幂等更新。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help="mapping JSON")
        parser.add_argument("--dry-run", action="store_true", help="validate and roll back")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))["matters"]
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"{path}: not a mapping file ({exc}).") from exc
        with channel_context(Channel.COMMAND), transaction.atomic():
            counts = load_mapping(entries)
            if options["dry_run"]:
                transaction.set_rollback(True)
        suffix = " (dry run, rolled back)" if options["dry_run"] else ""
        self.stdout.write(
            f"licensing matters: {counts['created']} created, {counts['updated']} updated{suffix}"
        )
