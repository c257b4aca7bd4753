"""Working days by the Chinese statutory calendar.

Deadlines in the regulations run in working days (工作日): Monday to Friday,
minus statutory holidays, plus the weekend days the State Council turns into
working days (调休). The calendar of a year comes from:

1. the administrators' table (:class:`apps.core.models.CalendarDay`) when the
   year is marked complete by a :class:`apps.core.models.CalendarYear` row;
2. otherwise the chinesecalendar package, which covers 2004-2026 only;
3. otherwise :class:`CalendarYearMissing` names the year: a deadline is never
   guessed.

Each year's exceptions are loaded once per process and cached; the service
that changes a year clears the cache (:func:`clear_cache`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from .exceptions import DomainError


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
    """The exceptions of one year: weekday holidays and weekend working days."""

    year: int
    holidays: frozenset[datetime.date]
    workdays: frozenset[datetime.date]
    source: str

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


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
    return YearCalendar(year, frozenset(holidays), frozenset(workdays), entry.source or "table")


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
        return None
    return YearCalendar(year, frozenset(holidays), frozenset(workdays), "chinesecalendar")


@lru_cache(maxsize=64)
def year_calendar(year: int) -> YearCalendar:
    """The calendar of ``year``; raises :class:`CalendarYearMissing` when unknown."""
    calendar = _from_table(year) or _from_package(year)
    if calendar is None:
        raise CalendarYearMissing(year)
    return calendar


def clear_cache() -> None:
    """Forget cached years (after administrators change the table)."""
    year_calendar.cache_clear()


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is a statutory working day."""
    return year_calendar(day.year).is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start``; ``start`` itself does not count.

    "Within 7 working days of the decision" ends on ``add_working_days(decision, 7)``.
    ``days = 0`` returns ``start``.
    """
    if days < 0:
        raise ValueError("days must be zero or positive")
    day = start
    one = datetime.timedelta(days=1)
    remaining = days
    while remaining:
        day += one
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in the interval (start, end]; negative when ``end`` is before ``start``.

    A record received on ``end`` for a decision on ``start`` is in time for a
    deadline of N working days when the result is at most N.
    """
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    one = datetime.timedelta(days=1)
    while day < end:
        day += one
        if is_working_day(day):
            count += 1
    return count
