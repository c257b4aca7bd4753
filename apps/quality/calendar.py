"""The working-day table that lets SQL count statutory working days.

Timeliness over millions of records cannot call
:func:`apps.core.workdays.working_days_between` once per record, so the
calendar of :mod:`apps.core.workdays` (administrators' holiday table, else the
chinesecalendar package) is written out as :class:`~apps.quality.models.WorkingDay`
rows with a running count of working days. Two joins then give the count for
any (decision date, receipt date) pair.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction

from apps.core.workdays import CalendarYearMissing, year_calendar

from .models import WorkingDay


def _known_years(first: int, last: int) -> list[int]:
    """The contiguous run of years from ``first`` whose calendar is known, up to ``last``."""
    years = []
    for year in range(first, last + 1):
        try:
            year_calendar(year)
        except CalendarYearMissing:
            break
        years.append(year)
    return years


def covered_years() -> tuple[int, int] | None:
    """The first and last year the table holds, or None when empty."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(day), max(day) FROM quality_workingday")
        first, last = cursor.fetchone()
    if first is None:
        return None
    return first.year, last.year


def rebuild(first_year: int, last_year: int) -> tuple[int, int] | None:
    """Replace the table with the years ``first_year``..``last_year`` (as far as known).

    A year without a holiday table ends the range: records dated after it get
    no timeliness verdict until administrators enter that year (a deadline is
    never guessed).
    """
    years = _known_years(first_year, last_year)
    if not years:
        return None
    rows: list[WorkingDay] = []
    running = 0
    for year in years:
        calendar = year_calendar(year)
        day = datetime.date(year, 1, 1)
        for index in range(len(calendar.cumulative) - 1):
            working = calendar.cumulative[index + 1] != calendar.cumulative[index]
            running += int(working)
            rows.append(WorkingDay(day=day, working=working, seq=running))
            day += datetime.timedelta(days=1)
    with transaction.atomic():
        WorkingDay.objects.all().delete()
        WorkingDay.objects.bulk_create(rows, batch_size=2000)
    return years[0], years[-1]


def ensure_years(first_year: int, last_year: int, *, force: bool = False) -> None:
    """Make sure the table covers ``first_year``..``last_year`` (rebuilding it when not).

    ``force`` rebuilds even when covered: the full run does so, so a changed
    holiday table reaches the checks within a day.
    """
    covered = covered_years()
    if not force and covered and covered[0] <= first_year and covered[1] >= last_year:
        return
    if covered and not force:
        first_year = min(first_year, covered[0])
        last_year = max(last_year, covered[1])
    rebuild(first_year, last_year)
