"""Working days by the Chinese statutory calendar.

Deadlines in the regulations run in working days (工作日): Monday to Friday,
minus statutory holidays, plus the weekend days the State Council turns into
working days (调休). The calendar of a year comes from:

1. the administrators' table (:class:`apps.core.models.CalendarDay`) when the
   year is marked complete by a :class:`apps.core.models.CalendarYear` row;
2. otherwise the chinesecalendar package, which covers 2004-2026 only;
3. otherwise :class:`CalendarYearMissing` names the year: a deadline is never
   guessed.

Each year is loaded once per process into a table of cumulative working-day
counts, so :func:`working_days_between` is two look-ups and
:func:`add_working_days` a binary search, whatever the distance (quality
checks call them for millions of records). The service that changes a year
clears this process's cache (:func:`clear_cache`); other processes (web
workers, Celery workers) reload a year after :data:`CACHE_SECONDS`.
"""

from __future__ import annotations

import datetime
import time
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from .exceptions import DomainError

# A changed holiday table reaches other processes within five minutes; it is
# entered months before the year starts, so this delay never matters.
CACHE_SECONDS = 300.0


class CalendarYearMissing(DomainError):
    """No holiday table is known for a year that a computation needs."""

    code = "calendar_year_missing"

    def __init__(self, year: int) -> None:
        super().__init__(
            f"{year} 年的法定节假日安排尚未录入，无法计算工作日；请管理员在节假日表中录入该年度安排。"
            f"(The statutory holiday table for {year} has not been entered.)"
        )
        self.year = year


@dataclass(frozen=True)
class YearCalendar:
    """One year: its exceptions and the cumulative count of working days.

    ``cumulative[i]`` is the number of working days among the first ``i``
    days of the year (``cumulative[0] == 0``).
    """

    year: int
    holidays: frozenset[datetime.date]
    workdays: frozenset[datetime.date]
    source: str
    first_ordinal: int
    cumulative: tuple[int, ...]

    @classmethod
    def build(
        cls,
        year: int,
        holidays: frozenset[datetime.date],
        workdays: frozenset[datetime.date],
        source: str,
    ) -> YearCalendar:
        """Tabulate the year: weekdays work unless a holiday, weekend days rest unless a workday."""
        first = datetime.date(year, 1, 1)
        days = (datetime.date(year + 1, 1, 1) - first).days
        one = datetime.timedelta(days=1)
        flags = []
        day = first
        for _ in range(days):
            flags.append(day in workdays or (day.weekday() < 5 and day not in holidays))
            day += one
        return cls(
            year, holidays, workdays, source, first.toordinal(), tuple(accumulate(flags, initial=0))
        )

    @property
    def total(self) -> int:
        """Working days in the whole year."""
        return self.cumulative[-1]

    def through(self, day: datetime.date) -> int:
        """Working days from 1 January up to and including ``day``."""
        return self.cumulative[day.toordinal() - self.first_ordinal + 1]

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether ``day`` (in this year) is a working day."""
        index = day.toordinal() - self.first_ordinal
        return self.cumulative[index + 1] != self.cumulative[index]

    def nth_working_day(self, n: int) -> datetime.date:
        """The ``n``-th working day of the year (1-based; ``n <= total``)."""
        return datetime.date.fromordinal(self.first_ordinal + bisect_left(self.cumulative, n) - 1)


def _from_table(year: int) -> YearCalendar | None:
    from .choices import CalendarDayKind
    from .models import CalendarDay, CalendarYear

    entry = CalendarYear.objects.filter(year=year).first()
    if entry is None:
        return None
    holidays: set[datetime.date] = set()
    workdays: set[datetime.date] = set()
    for day, kind in CalendarDay.objects.filter(date__year=year).values_list("date", "kind"):
        (workdays if kind == CalendarDayKind.WORKDAY else holidays).add(day)
    return YearCalendar.build(
        year, frozenset(holidays), frozenset(workdays), entry.source or "table"
    )


def _from_package(year: int) -> YearCalendar | None:
    import chinese_calendar

    holidays: set[datetime.date] = set()
    workdays: set[datetime.date] = set()
    day = datetime.date(year, 1, 1)
    one = datetime.timedelta(days=1)
    try:
        while day.year == year:
            working = chinese_calendar.is_workday(day)
            if working and day.weekday() >= 5:
                workdays.add(day)
            elif not working and day.weekday() < 5:
                holidays.add(day)
            day += one
    except NotImplementedError:
        # The package raises for years it has no data for (2027 onwards in 1.11).
        return None
    return YearCalendar.build(year, frozenset(holidays), frozenset(workdays), "chinesecalendar")


_cache: dict[int, tuple[float, YearCalendar]] = {}


def year_calendar(year: int) -> YearCalendar:
    """The calendar of ``year``; raises :class:`CalendarYearMissing` when unknown.

    A missing year is not cached: it works as soon as administrators enter it.
    """
    now = time.monotonic()
    cached = _cache.get(year)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    calendar = _from_table(year) or _from_package(year)
    if calendar is None:
        raise CalendarYearMissing(year)
    _cache[year] = (now, calendar)
    return calendar


def clear_cache() -> None:
    """Forget cached years (after administrators change the table)."""
    _cache.clear()


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is a statutory working day."""
    return year_calendar(day.year).is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start``; ``start`` itself does not count.

    "Within 7 working days of the decision" ends on ``add_working_days(decision, 7)``,
    whether or not the decision day was a working day. ``days = 0`` returns
    ``start``; a negative ``days`` raises ``ValueError``.
    """
    if days < 0:
        raise ValueError("days must be zero or positive")
    if days == 0:
        return start
    calendar = year_calendar(start.year)
    target = calendar.through(start) + days
    while target > calendar.total:
        target -= calendar.total
        calendar = year_calendar(calendar.year + 1)
    return calendar.nth_working_day(target)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in the interval (start, end]: ``start`` excluded, ``end`` included.

    Zero when ``end == start``; negative (minus the count of (end, start])
    when ``end`` is before ``start``. A record received on ``end`` for a
    decision on ``start`` is in time for a deadline of N working days when
    the result is at most N; ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start)
    first = year_calendar(start.year)
    if end.year == start.year:
        return first.through(end) - first.through(start)
    count = first.total - first.through(start)
    for year in range(start.year + 1, end.year):
        count += year_calendar(year).total
    return count + year_calendar(end.year).through(end)


def deadline(start: datetime.date, days: int) -> datetime.date:
    """The last day of a period of ``days`` working days counted from the day after ``start``.

    The same as :func:`add_working_days`; named for readability at call sites
    such as ``deadline(decision_date, 7)``.
    """
    return add_working_days(start, days)
