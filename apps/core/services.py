"""Kernel services: the holiday table and the USCC allow-list (audited)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from .audit import record_event
from .choices import AuditEventType, CalendarDayKind
from .exceptions import DomainError
from .models import CalendarDay, CalendarYear, UsccAllowListEntry
from .uscc import IdentifierKind, IdentifierStatus, check_identifier
from .workdays import clear_cache as clear_workday_cache


def set_calendar_year(
    year: int,
    *,
    holidays: Iterable[datetime.date],
    workdays: Iterable[datetime.date] = (),
    names: dict[datetime.date, str] | None = None,
    source: str,
    actor: Any,
) -> CalendarYear:
    """Replace the statutory holiday table of ``year`` and mark the year complete.

    ``holidays`` are days off (weekdays in practice), ``workdays`` the
    adjusted working weekend days (调休上班). Every date must lie in ``year``
    and none may be in both lists. The table then takes precedence over the
    chinesecalendar package for that year.
    """
    if not 2000 <= year <= 2100:
        raise DomainError(f"年份 {year} 不在 2000-2100 之间。")
    holiday_set, workday_set = set(holidays), set(workdays)
    outside = sorted(d for d in holiday_set | workday_set if d.year != year)
    if outside:
        raise DomainError(f"日期 {', '.join(map(str, outside))} 不在 {year} 年内。")
    both = sorted(holiday_set & workday_set)
    if both:
        raise DomainError(f"日期 {', '.join(map(str, both))} 不能既是节假日又是调休上班日。")
    names = names or {}
    with transaction.atomic():
        before = {
            "holidays": sorted(
                str(d)
                for d in CalendarDay.objects.filter(
                    date__year=year, kind=CalendarDayKind.HOLIDAY
                ).values_list("date", flat=True)
            ),
            "workdays": sorted(
                str(d)
                for d in CalendarDay.objects.filter(
                    date__year=year, kind=CalendarDayKind.WORKDAY
                ).values_list("date", flat=True)
            ),
        }
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(date=d, kind=CalendarDayKind.HOLIDAY, name=names.get(d, ""))
                for d in sorted(holiday_set)
            ]
            + [
                CalendarDay(date=d, kind=CalendarDayKind.WORKDAY, name=names.get(d, ""))
                for d in sorted(workday_set)
            ]
        )
        entry, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source}
        )
        record_event(
            AuditEventType.HOLIDAY_CHANGED,
            actor=actor,
            target=entry,
            before=before,
            after={
                "holidays": sorted(map(str, holiday_set)),
                "workdays": sorted(map(str, workday_set)),
                "source": source,
            },
        )
        # Clear now (the caller's transaction sees the new table) and after commit
        # (a reader may have cached the old table in between).
        clear_workday_cache()
        transaction.on_commit(clear_workday_cache)
    return entry


def clean_allow_list_code(code: str) -> str:
    """The normalised code if it may go on the allow-list, else ``DomainError``.

    Only well-formed 18-character USCCs that fail a check character qualify: a
    malformed code (characters, authority, region) is never a legitimate
    issue, and a valid code needs no exception.
    """
    result = check_identifier(code)
    if result.kind != IdentifierKind.USCC:
        raise DomainError("只能把 18 位统一社会信用代码加入白名单。", code="allow_list_kind")
    if result.status == IdentifierStatus.VALID:
        raise DomainError("该代码校验通过，无需加入白名单。", code="allow_list_valid")
    structural = {"charset", "authority", "region"}
    if any(e.code in structural for e in result.errors):
        raise DomainError(
            "代码格式错误（字符、登记管理部门或区划码），不能加入白名单。",
            code="allow_list_malformed",
        )
    return result.normalized


def add_allow_list_entry(code: str, *, note: str, actor: Any) -> UsccAllowListEntry:
    """Allow a USCC that fails its check character after confirming it in the registry.

    Idempotent: adding a code already on the list changes nothing and writes
    no audit event.
    """
    normalized = clean_allow_list_code(code)
    with transaction.atomic():
        entry, created = UsccAllowListEntry.objects.get_or_create(
            code=normalized, defaults={"note": note}
        )
        if created:
            record_event(
                AuditEventType.USCC_ALLOWLIST_CHANGED,
                actor=actor,
                target=entry,
                after={"code": entry.code, "note": note},
                enterprise_uscc=entry.code,
            )
    return entry


def remove_allow_list_entry(entry: UsccAllowListEntry, *, actor: Any) -> None:
    """Remove a code from the allow-list."""
    with transaction.atomic():
        record_event(
            AuditEventType.USCC_ALLOWLIST_CHANGED,
            actor=actor,
            target=entry,
            before={"code": entry.code, "note": entry.note},
            enterprise_uscc=entry.code,
        )
        entry.delete()
