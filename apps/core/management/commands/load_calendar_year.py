"""Enter one year's statutory holiday table from a JSON or CSV file."""

from __future__ import annotations

import csv
import datetime
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

# CSV "kind" column: English values and the characters of the State Council notices.
_HOLIDAY_KINDS = {"holiday", "休", "休息", "放假"}
_WORKDAY_KINDS = {"workday", "班", "上班", "调休上班"}


class Command(BaseCommand):
    """Replace one year's holidays and adjusted working days from a file, audited.

    JSON: ``{"year": 2027, "source": "...", "holidays": [{"date": ..., "name": ...}],
    "workdays": [...]}``. CSV: a header ``date,kind,name`` with kind ``holiday``
    (休) or ``workday`` (班); the year is that of the dates unless ``--year``.
    """

    help = (
        "Enter one year's statutory holiday table from a JSON or CSV file (docs/working-days.md)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help="a .json or .csv file")
        parser.add_argument("--year", type=int, help="the year (CSV; default: from the dates)")
        parser.add_argument("--source", help="the notice the table comes from (overrides JSON)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )

    def handle(
        self,
        *args: Any,
        path: Path,
        year: int | None,
        source: str | None,
        dry_run: bool,
        **options: Any,
    ) -> None:
        try:
            if path.suffix.lower() == ".csv":
                read_year, read_source, holidays, workdays = _read_csv(path)
            else:
                read_year, read_source, holidays, workdays = _read_json(path)
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        year = year or read_year
        if year is None:
            raise CommandError(f"{path}: no dates and no --year")
        source = source or read_source or path.name
        try:
            with channel_context(Channel.COMMAND), transaction.atomic():
                set_calendar_year(
                    year,
                    holidays=holidays,
                    workdays=workdays,
                    names={**holidays, **workdays},
                    source=source,
                    actor=None,
                )
                if dry_run:
                    transaction.set_rollback(True)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        verb = "would enter (dry run)" if dry_run else "entered"
        self.stdout.write(
            f"{year}: {verb} {len(holidays)} holidays and {len(workdays)} adjusted working days"
            f" from {source}"
        )


Days = dict[datetime.date, str]


def _read_json(path: Path) -> tuple[int | None, str, Days, Days]:
    document = json.loads(path.read_text(encoding="utf-8"))
    holidays = {
        parse_date(item["date"]): item.get("name", "") for item in document.get("holidays", [])
    }
    workdays = {
        parse_date(item["date"]): item.get("name", "") for item in document.get("workdays", [])
    }
    return int(document["year"]), str(document.get("source", "")), holidays, workdays


def _read_csv(path: Path) -> tuple[int | None, str, Days, Days]:
    holidays: Days = {}
    workdays: Days = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"date", "kind"} <= set(reader.fieldnames):
            raise ValueError("the header must be date,kind,name")
        for line, row in enumerate(reader, start=2):
            day = parse_date(row["date"])
            kind = (row["kind"] or "").strip().lower()
            if kind in _HOLIDAY_KINDS:
                holidays[day] = (row.get("name") or "").strip()
            elif kind in _WORKDAY_KINDS:
                workdays[day] = (row.get("name") or "").strip()
            else:
                raise ValueError(f"line {line}: kind must be holiday (休) or workday (班)")
    years = {day.year for day in [*holidays, *workdays]}
    if len(years) > 1:
        raise ValueError(f"dates of several years: {sorted(years)}")
    return (years.pop() if years else None), "", holidays, workdays
