"""Admin of the kernel: audit history (read-only), holiday table, USCC allow-list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .choices import AuditEventType
from .exceptions import DomainError
from .models import AuditEvent, CalendarDay, CalendarYear, UsccAllowListEntry, WorkerHeartbeat
from .services import add_allow_list_entry, clean_allow_list_code, remove_allow_list_entry


class EventTypeFilter(admin.SimpleListFilter):
    """Filter by event type with its label (the column itself has no choices)."""

    title = _("事件类型")
    parameter_name = "event_type"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in AuditEventType.choices]

    def queryset(self, request: Any, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if self.value():
            return queryset.filter(event_type=self.value())
        return queryset


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
    list_filter = (EventTypeFilter, "channel", "occurred_at")
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


class UsccAllowListEntryForm(forms.ModelForm):
    """Accepts the code as typed (spaces, lower case) and refuses what may not be listed."""

    code = forms.CharField(label=_("统一社会信用代码"), max_length=40)

    class Meta:
        model = UsccAllowListEntry
        fields = ("code", "note")

    def clean_code(self) -> str:
        try:
            code = clean_allow_list_code(self.cleaned_data["code"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        if UsccAllowListEntry.objects.filter(code=code).exists():
            raise forms.ValidationError(_("该代码已在白名单中。"), code="duplicate")
        return code


@admin.register(UsccAllowListEntry)
class UsccAllowListEntryAdmin(admin.ModelAdmin):
    """Confirmed legacy codes: added and removed only through the audited services.

    Entries are never edited in place: remove and add again, so the history
    shows both.
    """

    form = UsccAllowListEntryForm
    list_display = ("code", "note", "added_at")
    search_fields = ("code", "note")

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: UsccAllowListEntry, form: Any, change: bool) -> None:
        saved = add_allow_list_entry(obj.code, note=obj.note, actor=request.user)
        obj.pk = saved.pk

    def delete_model(self, request: Any, obj: UsccAllowListEntry) -> None:
        remove_allow_list_entry(obj, actor=request.user)

    def delete_queryset(self, request: Any, queryset: QuerySet[UsccAllowListEntry]) -> None:
        # The bulk "delete selected" action must audit each entry too.
        for entry in queryset:
            remove_allow_list_entry(entry, actor=request.user)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Live Celery workers as seen by ``/healthz``."""

    list_display = ("hostname", "last_seen", "started_at")
