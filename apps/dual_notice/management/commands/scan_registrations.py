"""``manage.py scan_registrations``: run the double-notification scan once (as the beat task does)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from apps.core.choices import Channel
from apps.core.context import channel_context

from ...services import route_overdue_tasks, scan_registrations


class Command(BaseCommand):
    """Issue notices and tasks for new/changed registrations; route overdue tasks.

    ``--since`` re-reads registrations changed after a moment (unchanged
    scopes issue nothing, so a re-read is safe).
    """

    help = "扫描新设立或变更经营范围的登记信息，生成双告知书和认领任务，并退回逾期任务。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="re-read from this ISO date or datetime")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            try:
                since = datetime.datetime.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError(
                    f"--since: not an ISO date/datetime: {options['since']}"
                ) from exc
            if timezone.is_naive(since):
                since = timezone.make_aware(since)
        with channel_context(Channel.COMMAND):
            result = scan_registrations(since=since)
            routed = route_overdue_tasks()
        for source in result.read:
            started = " (watermark started now)" if source in result.started else ""
            self.stdout.write(
                f"{source}: read {result.read[source]}, notices issued "
                f"{result.issued[source]}{started}"
            )
        self.stdout.write(f"overdue tasks routed back: {routed}")
