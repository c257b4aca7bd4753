"""In force is derived from the dates; regimes follow the listing date."""

from __future__ import annotations

import datetime

import pytest

from apps.joint_punishment.models import ListEntry, add_months
from apps.joint_punishment.services import regime_for

pytestmark = pytest.mark.django_db

D = datetime.date


def test_entry_is_in_force_from_listing_day_until_the_day_before_removal(company, make_entry):
    entry = make_entry(company, listed_on=D(2024, 3, 1))
    entry.removed_on = D(2025, 1, 10)
    entry.save()
    qs = ListEntry.objects.filter(pk=entry.pk)
    assert not qs.in_force(D(2024, 2, 29)).exists()
    assert qs.in_force(D(2024, 3, 1)).exists()
    assert qs.in_force(D(2025, 1, 9)).exists()
    assert not qs.in_force(D(2025, 1, 10)).exists()
    assert [entry.is_in_force(d) for d in (D(2024, 2, 29), D(2024, 3, 1), D(2025, 1, 10))] == [
        False,
        True,
        False,
    ]


def test_in_force_needs_no_stored_flag_an_open_entry_stays_in_force(company, make_entry):
    entry = make_entry(company, listed_on=D(2024, 3, 1))
    assert ListEntry.objects.in_force(D(2030, 1, 1)).filter(pk=entry.pk).exists()
    assert not any(f.name in ("in_force", "is_active", "active") for f in ListEntry._meta.fields)


def test_the_database_refuses_a_removal_before_the_listing(company, make_entry):
    from django.db import IntegrityError, transaction

    entry = make_entry(company, listed_on=D(2024, 3, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ListEntry.objects.filter(pk=entry.pk).update(removed_on=D(2024, 2, 1))


def test_add_months_falls_back_to_the_last_day_of_short_months():
    assert add_months(D(2024, 2, 29), 36) == D(2027, 2, 28)
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)
    assert add_months(D(2026, 1, 31), -36) == D(2023, 1, 31)


def test_serious_list_regime_follows_the_listing_date(lists):
    before = regime_for(lists["YZWF"], D(2021, 8, 31))
    after = regime_for(lists["YZWF"], D(2021, 9, 1))
    assert before.legal_basis == "原工商总局令第83号" and before.max_months == 60
    assert after.legal_basis == "市场监管总局令第44号" and after.max_months == 36
    assert after.early_removal_after_months == 12
    assert regime_for(lists["YZWF"], D(2015, 1, 1)) is None
