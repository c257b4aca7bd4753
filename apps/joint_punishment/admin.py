"""Django admin: reference data (lists, grounds, regimes, measures) is edited here."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    CheckLog,
    Feedback,
    ListEntry,
    ListingGround,
    ListRegime,
    ListType,
    Measure,
    Obligation,
    Proposal,
)


class ListingGroundInline(admin.TabularInline):
    model = ListingGround
    extra = 0


class ListRegimeInline(admin.StackedInline):
    model = ListRegime
    fk_name = "list_type"
    extra = 0


@admin.register(ListType)
class ListTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "nature", "resource_code", "feedback_working_days", "is_public")
    inlines = [ListingGroundInline, ListRegimeInline]


@admin.register(ListRegime)
class ListRegimeAdmin(admin.ModelAdmin):
    list_display = (
        "list_type",
        "name",
        "valid_from",
        "valid_to",
        "max_months",
        "early_removal_after_months",
    )
    list_filter = ("list_type",)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("code", "category", "memorandum", "is_active")
    list_filter = ("memorandum", "is_active", "list_types")
    search_fields = ("code", "content")
    filter_horizontal = ("list_types",)


@admin.register(ListEntry)
class ListEntryAdmin(admin.ModelAdmin):
    """Read-only: entries change through the services (audit) or ingestion."""

    list_display = (
        "subject_name",
        "subject_uscc",
        "list_type",
        "listed_on",
        "removed_on",
        "department",
    )
    list_filter = ("list_type",)
    search_fields = ("subject_uscc", "subject_name", "listing_document")
    raw_id_fields = ("enterprise",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("kind", "enterprise", "status", "basis_date", "decide_by", "department")
    list_filter = ("kind", "status")
    raw_id_fields = ("enterprise", "entry", "result_entry")

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CheckLog)
class CheckLogAdmin(admin.ModelAdmin):
    list_display = ("checked_at", "department", "actor_name", "purpose", "uscc", "error_code")
    raw_id_fields = ("enterprise",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ("entry", "department", "due_on", "fulfilled_at")
    raw_id_fields = ("entry",)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("applied_on", "department", "enterprise", "measure", "outcome")
    raw_id_fields = ("enterprise", "entry", "obligation")
