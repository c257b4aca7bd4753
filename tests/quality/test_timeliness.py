"""Timeliness counts statutory working days: holidays, adjusted weekends, the local date."""

from __future__ import annotations

import datetime

import pytest

from apps.core.workdays import working_days_between
from apps.quality import calendar
from apps.quality.models import WorkingDay

from .conftest import SHANGHAI, open_rules

pytestmark = pytest.mark.django_db

D = datetime.date


def test_table_agrees_with_core_working_days():
    calendar.rebuild(2025, 2026)
    seq = dict(WorkingDay.objects.values_list("day", "seq"))
    pairs = [
        (D(2025, 12, 30), D(2026, 1, 6)),
        (D(2026, 2, 12), D(2026, 3, 2)),
        (D(2026, 9, 29), D(2026, 10, 15)),
        (D(2026, 4, 30), D(2026, 5, 8)),
    ]
    for start, end in pairs:
        assert seq[end] - seq[start] == working_days_between(start, end)


def test_spring_festival_2026(load, full_check):
    # Decided Thu 12 Feb; the 14th (Sat) is worked, 15-23 Feb are holidays,
    # 28 Feb (Sat) is worked: the 7th working day is 28 Feb.
    on_time = load(decision_date=D(2026, 2, 12), received_on=D(2026, 2, 28))
    late = load(decision_date=D(2026, 2, 12), received_on=D(2026, 3, 2))
    full_check()
    assert "LATE_DELIVERY" not in open_rules(on_time)
    assert "LATE_DELIVERY" in open_rules(late)


def test_national_day_2026(load, full_check):
    # Decided Tue 29 Sep; 1-7 Oct are holidays and Sat 10 Oct is worked: day 7 is 14 Oct.
    on_time = load(decision_date=D(2026, 9, 29), received_on=D(2026, 10, 14))
    late = load(decision_date=D(2026, 9, 29), received_on=D(2026, 10, 15))
    full_check()
    assert "LATE_DELIVERY" not in open_rules(on_time)
    assert "LATE_DELIVERY" in open_rules(late)


def test_receipt_day_is_the_local_day(load, full_check):
    from apps.records.models import GenericRecord

    # 00:30 on Mon 2 Mar in Hainan is still Sun 1 Mar in UTC: the local day counts (8 > 7).
    record = load(decision_date=D(2026, 2, 12), received_on=D(2026, 2, 28))
    GenericRecord.objects.filter(pk=record.pk).update(
        received_at=datetime.datetime(2026, 3, 2, 0, 30, tzinfo=SHANGHAI)
    )
    full_check()
    assert "LATE_DELIVERY" in open_rules(record)
