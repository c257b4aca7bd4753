"""Working days by the Chinese statutory calendar, and the table for later years."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command

from apps.core import workdays
from apps.core.models import AuditEvent, CalendarDay
from apps.core.services import set_calendar_year
from apps.core.workdays import (
    CalendarYearMissing,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_cache():
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 2, 4), True),  # Sunday made a working day before the 2024 Spring Festival
        (D(2024, 2, 12), False),  # Monday inside the Spring Festival holiday
        (D(2024, 2, 18), True),  # Sunday made a working day after it
        (D(2025, 1, 26), True),
        (D(2025, 1, 28), False),
        (D(2025, 2, 8), True),  # adjusted Saturday
        (D(2025, 9, 28), True),  # adjusted Sunday before National Day
        (D(2025, 10, 8), False),
        (D(2025, 10, 11), True),  # adjusted Saturday after National Day
        (D(2025, 10, 12), False),  # an ordinary Sunday
    ],
)
def test_statutory_holidays_and_adjusted_weekends(day, working):
    assert is_working_day(day) is working


@pytest.mark.django_db
def test_seven_working_days_across_the_2025_spring_festival():
    # 26 Jan (Sun, adjusted) 1, 27 Jan 2, holiday 28 Jan-4 Feb, 5-7 Feb 3-5, 8 Feb (Sat, adjusted) 6, 10 Feb 7.
    assert add_working_days(D(2025, 1, 24), 7) == D(2025, 2, 10)


@pytest.mark.django_db
def test_seven_working_days_across_national_day_2025():
    assert add_working_days(D(2025, 9, 26), 7) == D(2025, 10, 13)


@pytest.mark.django_db
def test_counting_is_the_inverse_of_adding():
    start = D(2024, 2, 1)
    for days in (0, 1, 5, 7, 20, 60):
        assert working_days_between(start, add_working_days(start, days)) == days


@pytest.mark.django_db
def test_counting_backwards_is_negative_and_same_day_is_zero():
    assert working_days_between(D(2025, 10, 13), D(2025, 9, 26)) == -7
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0


@pytest.mark.django_db
def test_a_year_beyond_the_package_names_the_missing_year():
    with pytest.raises(CalendarYearMissing) as excinfo:
        add_working_days(D(2026, 12, 28), 7)
    assert excinfo.value.year == 2027
    assert "2027" in excinfo.value.message


@pytest.mark.django_db
def test_a_year_entered_by_administrators_is_used(province_admin):
    # A table entered for the test only: 2027-01-01 (Fri) off, 2027-01-02 (Sat) worked.
    set_calendar_year(
        2027,
        holidays=[D(2027, 1, 1)],
        workdays_=[D(2027, 1, 2)],
        names={D(2027, 1, 1): "元旦"},
        source="test table",
        actor=province_admin,
    )
    assert is_working_day(D(2027, 1, 1)) is False
    assert is_working_day(D(2027, 1, 2)) is True
    # 29, 30, 31 Dec 2026 are working days, then 2 Jan 2027 (adjusted Saturday), then 4 Jan.
    assert add_working_days(D(2026, 12, 28), 5) == D(2027, 1, 4)
    event = AuditEvent.objects.get(event_type="calendar.changed")
    assert event.after["holidays"] == ["2027-01-01"]


@pytest.mark.django_db
def test_the_table_takes_precedence_over_the_package(province_admin):
    set_calendar_year(2025, holidays=[D(2025, 3, 3)], source="override", actor=province_admin)
    assert is_working_day(D(2025, 3, 3)) is False
    assert is_working_day(D(2025, 10, 1)) is True  # the table, not the package, rules this year now


@pytest.mark.django_db
def test_dates_outside_the_year_are_refused(province_admin):
    from apps.core.exceptions import DomainError

    with pytest.raises(DomainError):
        set_calendar_year(2027, holidays=[D(2026, 12, 31)], source="x", actor=province_admin)
    assert not CalendarDay.objects.exists()


@pytest.mark.django_db
def test_load_calendar_year_command(tmp_path, capsys):
    path = tmp_path / "2027.json"
    path.write_text(
        json.dumps(
            {
                "year": 2027,
                "source": "国务院办公厅关于2027年部分节假日安排的通知（测试数据）",
                "holidays": [{"date": "2027-01-01", "name": "元旦"}],
                "workdays": [{"date": "2027-01-02", "name": "元旦调休"}],
            }
        ),
        encoding="utf-8",
    )
    call_command("load_calendar_year", str(path), "--dry-run")
    assert not CalendarDay.objects.exists()
    call_command("load_calendar_year", str(path))
    out = capsys.readouterr().out
    assert "2027" in out
    assert CalendarDay.objects.filter(date__year=2027).count() == 2
    assert is_working_day(D(2027, 1, 2)) is True
