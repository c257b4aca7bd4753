"""Django admin of the mapping and the deadline rule; notices and tasks read-only.

Matter changes made here are audited like the pages' (record_event in save_model).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction

from apps.core.audit import record_event, snapshot

from .choices import DualNoticeEventType
from .models import (
    ClaimDeadlineRule,
    ClaimTask,
    LicensingMatter,
    Notice,
    ScanWatermark,
    ScopeKeyword,
    TaskAssignment,
)


class ScopeKeywordInline(admin.TabularInline):
    """Keywords of a matter."""

    model = ScopeKeyword
    extra = 1


@admin.register(LicensingMatter)
class LicensingMatterAdmin(admin.ModelAdmin):
    """Licensing matters with their keywords."""

    list_display = ("code", "name", "department_line", "approval_level", "valid_from", "is_active")
    list_filter = ("department_line", "approval_level", "is_active")
    search_fields = ("code", "name", "keywords__phrase")
    inlines = [ScopeKeywordInline]

    def save_model(self, request: Any, obj: LicensingMatter, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record_event(
                DualNoticeEventType.MATTER_SAVED,
                actor=request.user,
                target=obj,
                after=snapshot(obj),
                message="admin",
            )


@admin.register(ClaimDeadlineRule)
class ClaimDeadlineRuleAdmin(admin.ModelAdmin):
    """Working days to claim, by valid-from date."""

    list_display = ("valid_from", "working_days", "note")

    def save_model(self, request: Any, obj: ClaimDeadlineRule, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record_event(
                DualNoticeEventType.DEADLINE_RULE_SAVED,
                actor=request.user,
                target=obj,
                after=snapshot(obj),
            )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Notices and tasks change only through the services (audited)."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("number", "enterprise", "trigger", "registered_on", "registrar")
    search_fields = ("number", "enterprise__uscc", "enterprise__name")


@admin.register(ClaimTask)
class ClaimTaskAdmin(ReadOnlyAdmin):
    list_display = ("pk", "enterprise", "matter", "department", "status", "due_on")
    list_filter = ("status",)


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("task", "department", "assigned_at", "due_on", "outcome")
    list_filter = ("outcome",)


@admin.register(ScanWatermark)
class ScanWatermarkAdmin(ReadOnlyAdmin):
    """How far the registration scan has read (re-read with ``scan_registrations --since``)."""

    list_display = ("source", "last_updated_at", "last_pk", "scanned_at")
