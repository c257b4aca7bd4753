"""Enter one year's statutory holiday table from a JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.core.choices import Channel
from apps.core.context import channel_context
from apps.core.exceptions import DomainError
from apps.core.services import set_calendar_year
from apps.core.text import parse_date


class Command(BaseCommand):
    """Load a year's holidays and adjusted working days (JSON: year, source, holidays, workdays)."""

    help = "Enter one year's statutory holiday table from a JSON file (see docs/working-days.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )

    def handle(self, *args: Any, path: Path, dry_run: bool, **options: Any) -> None:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            year = int(document["year"])
            holidays = {
                parse_date(item["date"]): item.get("name", "")
                for item in document.get("holidays", [])
            }
            workdays = {
                parse_date(item["date"]): item.get("name", "")
                for item in document.get("workdays", [])
            }
            source = str(document.get("source", ""))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        names = {**holidays, **workdays}
        try:
            with channel_context(Channel.COMMAND), transaction.atomic():
                set_calendar_year(
                    year,
                    holidays=holidays,
                    workdays_=workdays,
                    names=names,
                    source=source,
                    actor=None,
                )
                if dry_run:
                    transaction.set_rollback(True)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        verb = "would enter" if dry_run else "entered"
        self.stdout.write(
            f"{year}: {verb} {len(holidays)} holidays and {len(workdays)} adjusted working days"
        )
