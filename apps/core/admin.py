"""Admin of the kernel: audit history (read-only), holiday table, USCC allow-list."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import AuditEvent, CalendarDay, CalendarYear, UsccAllowListEntry, WorkerHeartbeat


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit history is written by services only; the admin reads it."""

    list_display = (
        "occurred_at",
        "actor_name",
        "department_code",
        "channel",
        "event_type",
        "target_repr",
    )
    list_filter = ("event_type", "channel", "occurred_at")
    search_fields = (
        "actor_name",
        "enterprise_uscc",
        "target_repr",
        "request_id",
        "department_code",
    )
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Years whose holiday table is complete (enter them with ``load_calendar_year``)."""

    list_display = ("year", "source", "entered_at")
    readonly_fields = ("year", "source", "entered_at")

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Holidays and adjusted working days; changed through ``load_calendar_year`` (audited)."""

    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(UsccAllowListEntry)
class UsccAllowListEntryAdmin(admin.ModelAdmin):
    """Confirmed legacy codes; added and removed through the audited services."""

    list_display = ("code", "note", "added_at")
    search_fields = ("code", "note")

    def save_model(self, request: Any, obj: UsccAllowListEntry, form: Any, change: bool) -> None:
        from .services import add_allow_list_entry

        if change:
            super().save_model(request, obj, form, change)
            return
        saved = add_allow_list_entry(obj.code, note=obj.note, actor=request.user)
        obj.pk = saved.pk

    def delete_model(self, request: Any, obj: UsccAllowListEntry) -> None:
        from .services import remove_allow_list_entry

        remove_allow_list_entry(obj, actor=request.user)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Live Celery workers as seen by ``/healthz``."""

    list_display = ("hostname", "last_seen", "started_at")
