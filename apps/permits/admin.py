"""Read-only admin of licences (they change through ingestion)."""

from __future__ import annotations

from django.contrib import admin

from .models import Licence


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ("document_number", "subject_name", "department", "decision_date", "valid_to")
    search_fields = ("document_number", "subject_name", "subject_uscc", "licence_number")
    list_select_related = ("department",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
