"""``manage.py generate_demo_enterprises N``: load N realistic Hainan market entities."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.choices import Channel
from apps.core.context import channel_context
from apps.organizations.models import Region

from ...demo import PROFILES, DemoEnterpriseGenerator
from ...loader import LoadResult
from ...selectors import table_is_empty
from ...services import bulk_load_enterprises


class Command(BaseCommand):
    """Generate N demo enterprises with valid, unique USCCs and load them with COPY.

    Needs only the Hainan regions (``manage.py load_hainan_fixtures``). The
    same ``--seed`` gives the same rows, so a re-run skips every USCC it
    already loaded; ``--if-empty`` does nothing when the registry has rows.
    Audited as one ``enterprise.bulk_loaded`` event.
    """

    help = "生成 N 个海南示范市场主体（统一社会信用代码有效且唯一），用 COPY 批量导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="number of enterprises to generate")
        parser.add_argument("--seed", type=int, default=2017, help="random seed (default 2017)")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if any enterprise exists"
        )
        parser.add_argument(
            "--batch-size", type=int, default=20_000, help="rows per COPY chunk (default 20000)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["count"]
        batch_size: int = options["batch_size"]
        if count < 0:
            raise CommandError("N must be zero or more.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["if_empty"] and not table_is_empty():
            self.stdout.write("Enterprises already present; --if-empty: nothing loaded.")
            return
        codes = [p.code for p in PROFILES]
        region_ids = dict(Region.objects.filter(code__in=codes).values_list("code", "id"))
        if not region_ids:
            raise CommandError(
                "No Hainan regions in the database: run `manage.py load_hainan_fixtures` first."
            )
        generator = DemoEnterpriseGenerator(region_ids, seed=options["seed"])
        report_every = max(batch_size, 250_000)
        next_report = [report_every]

        def progress(result: LoadResult) -> None:
            if result.offered >= next_report[0]:
                next_report[0] += report_every
                self.stdout.write(
                    f"  {result.offered:,} rows, {result.rows_per_second:,.0f} rows/s"
                )
                sys.stdout.flush()

        with channel_context(Channel.COMMAND):
            result = bulk_load_enterprises(
                generator.rows(count),
                actor=None,
                batch_size=batch_size,
                description=f"generate_demo_enterprises {count} --seed {options['seed']}",
                progress=progress,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.offered:,} enterprises, inserted {result.inserted:,} "
                f"(skipped {result.skipped:,} existing USCCs) in {result.seconds:.1f} s: "
                f"{result.rows_per_second:,.0f} rows/s."
            )
        )
