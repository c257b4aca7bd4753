"""Admin of 双随机一公开: the publication deadline table and read-mostly views of the rest.

Officers, pools, plans, draws and results change through the pages and the
API (services with audit); the admin edits only reference data.
"""

from __future__ import annotations

from django.contrib import admin

from .models import Draw, FollowUp, InspectionResult, Officer, Plan, ResultDeadline, TargetPool


@admin.register(ResultDeadline)
class ResultDeadlineAdmin(admin.ModelAdmin):
    """Working days allowed to publish a result, by valid-from date (administrators edit)."""

    list_display = ("valid_from", "working_days", "basis")
    ordering = ("-valid_from",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only: changes go through the services so they are audited."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Officer)
class OfficerAdmin(ReadOnlyAdmin):
    list_display = ("name", "certificate_number", "department", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "certificate_number")


@admin.register(TargetPool)
class TargetPoolAdmin(ReadOnlyAdmin):
    list_display = ("name", "department", "member_count", "snapshot_at")


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "lead_department", "status", "starts_on", "ends_on")
    list_filter = ("status",)
    search_fields = ("code", "name")


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("plan", "round", "seed", "is_current", "created_at")


@admin.register(InspectionResult)
class InspectionResultAdmin(ReadOnlyAdmin):
    list_display = ("task", "outcome", "completed_on", "publish_by", "published_at")
    list_filter = ("outcome",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "kind", "state", "proposal_id", "created_at")
    list_filter = ("state",)
