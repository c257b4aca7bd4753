"""Working days by the Chinese statutory calendar, and the table for later years."""

from __future__ import annotations

import datetime
import json

import chinese_calendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core.models import AuditEvent, CalendarDay
from apps.core.services import set_calendar_year
from apps.core.workdays import (
    CalendarYearMissing,
    add_working_days,
    deadline,
    is_working_day,
    working_days_between,
)

D = datetime.date


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
def test_every_day_of_2024_and_2025_agrees_with_chinesecalendar():
    day = D(2024, 1, 1)
    while day.year < 2026:
        assert is_working_day(day) is chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


@pytest.mark.django_db
def test_seven_working_days_across_the_2024_spring_festival():
    # 4 Feb (Sun, adjusted) 1, 5-9 Feb 2-6 (除夕 9 Feb was a working day in 2024),
    # 10-17 Feb off, 18 Feb (Sun, adjusted) 7.
    assert deadline(D(2024, 2, 2), 7) == D(2024, 2, 18)
    assert working_days_between(D(2024, 2, 2), D(2024, 2, 17)) == 6
    assert working_days_between(D(2024, 2, 2), D(2024, 2, 19)) == 8


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
def test_the_decision_day_itself_does_not_count():
    # Friday 2025-03-07: the first working day after it is Monday the 10th.
    assert add_working_days(D(2025, 3, 7), 1) == D(2025, 3, 10)
    # A decision on a holiday: counting starts with the next working day.
    assert add_working_days(D(2025, 10, 1), 1) == D(2025, 10, 9)


@pytest.mark.django_db
def test_counting_across_years_adds_every_year():
    assert working_days_between(D(2023, 12, 29), D(2026, 1, 5)) == sum(
        1
        for offset in range(1, (D(2026, 1, 5) - D(2023, 12, 29)).days + 1)
        if chinese_calendar.is_workday(D(2023, 12, 29) + datetime.timedelta(days=offset))
    )
    assert add_working_days(D(2024, 12, 31), 1) == D(2025, 1, 2)


@pytest.mark.django_db
@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 6, 30)),
    days=st.integers(min_value=0, max_value=120),
)
def test_adding_agrees_with_walking_day_by_day(start, days):
    day, remaining = start, days
    while remaining:
        day += datetime.timedelta(days=1)
        remaining -= chinese_calendar.is_workday(day)
    assert add_working_days(start, days) == day
    assert working_days_between(start, day) == days


@pytest.mark.django_db
def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 3, 3), -1)


@pytest.mark.django_db
def test_counting_backwards_is_negative_and_same_day_is_zero():
    assert working_days_between(D(2025, 10, 13), D(2025, 9, 26)) == -7
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0


@pytest.mark.django_db
def test_a_year_beyond_the_package_names_the_missing_year():
    with pytest.raises(CalendarYearMissing) as excinfo:
        add_working_days(D(2026, 12, 28), 7)
    assert excinfo.value.year == 2027
    assert "2027 年的法定节假日安排尚未录入" in excinfo.value.message
    assert "holiday table for 2027" in excinfo.value.message
    with pytest.raises(CalendarYearMissing):
        working_days_between(D(2026, 12, 1), D(2027, 1, 4))
    with pytest.raises(CalendarYearMissing):
        is_working_day(D(2003, 6, 2))


@pytest.mark.django_db
def test_a_year_entered_by_administrators_is_used(province_admin):
    # A table entered for the test only: 2027-01-01 (Fri) off, 2027-01-02 (Sat) worked.
    set_calendar_year(
        2027,
        holidays=[D(2027, 1, 1)],
        workdays=[D(2027, 1, 2)],
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


@pytest.mark.django_db
def test_load_calendar_year_command_reads_csv(tmp_path, capsys):
    path = tmp_path / "2027.csv"
    path.write_text(
        "date,kind,name\n2027-01-01,休,元旦\n2027年1月2日,班,元旦调休\n", encoding="utf-8"
    )
    call_command("load_calendar_year", str(path), "--source", "测试通知")
    assert "2027: entered 1 holidays and 1 adjusted working days" in capsys.readouterr().out
    assert is_working_day(D(2027, 1, 1)) is False
    assert AuditEvent.objects.get(event_type="calendar.changed").after["source"] == "测试通知"


@pytest.mark.django_db
def test_load_calendar_year_command_rejects_a_bad_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,kind\n2027-01-01,maybe\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("load_calendar_year", str(path))
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("date,kind\n2026-12-31,休\n2027-01-01,休\n", encoding="utf-8")
    with pytest.raises(CommandError, match="several years"):
        call_command("load_calendar_year", str(mixed))
    assert not CalendarDay.objects.exists()
