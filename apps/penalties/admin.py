"""Read-only admin of penalties and repair applications (changes go through services)."""

from __future__ import annotations

from django.contrib import admin

from .models import Penalty, RepairApplication


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only: revocation, correction and repair are audited services with pages."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Penalty)
class PenaltyAdmin(ReadOnlyAdmin):
    list_display = (
        "document_number",
        "subject_name",
        "department",
        "decision_date",
        "severity",
        "max_until",
        "repair_status",
    )
    list_filter = ("severity", "repair_status", "department__line")
    search_fields = ("document_number", "subject_name", "subject_uscc")
    list_select_related = ("department",)


@admin.register(RepairApplication)
class RepairApplicationAdmin(ReadOnlyAdmin):
    list_display = ("applicant_name", "penalty", "status", "submitted_on", "review_due")
    list_filter = ("status",)
    search_fields = ("applicant_name", "applicant_uscc", "penalty__document_number")
    list_select_related = ("penalty",)
