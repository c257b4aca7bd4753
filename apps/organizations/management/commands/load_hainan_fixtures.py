"""``manage.py load_hainan_fixtures``: upsert Hainan regions and departments."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.core.choices import Channel
from apps.core.context import channel_context
from apps.organizations.services import load_hainan_fixtures


class Command(BaseCommand):
    """Load fixtures/hainan_regions.json and hainan_departments.json; safe to re-run."""

    help = "Load the Hainan regions and departments (idempotent upsert by code)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change, then roll back."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with channel_context(Channel.COMMAND):
            summary = load_hainan_fixtures(actor=None, dry_run=options["dry_run"])
        prefix = "[dry run] " if summary.dry_run else ""
        self.stdout.write(
            f"{prefix}regions: {summary.regions_created} created, "
            f"{summary.regions_changed} changed, {summary.regions_unchanged} unchanged"
        )
        self.stdout.write(
            f"{prefix}departments: {summary.departments_created} created, "
            f"{summary.departments_changed} changed, {summary.departments_unchanged} unchanged"
        )
        if summary.dry_run and summary.total_changes:
            self.stdout.write(f"{prefix}would change: {', '.join(summary.changed_codes[:50])}")
