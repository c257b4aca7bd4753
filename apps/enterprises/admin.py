"""Django admin for the enterprise registry.

Changes made here bypass the services (and so the audit history); the admin
is for provincial operators' inspection and emergency repair, so every field
that the services derive (USCC status, organisation code, search fields) is
read-only.
"""

from __future__ import annotations

from django.contrib import admin

from .models import Enterprise, EnterpriseNameHistory


class EnterpriseNameHistoryInline(admin.TabularInline):
    model = EnterpriseNameHistory
    extra = 0
    fields = ("name", "valid_from", "valid_to")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Registry rows, searched by exact USCC/注册号 or by name prefix."""

    list_display = ("uscc", "name", "entity_type", "status", "region", "established_on")
    list_filter = ("entity_type", "status", "uscc_status", "region")
    list_select_related = ("region",)
    # "=" lookups use the unique/btree indexes; a bare name search would scan
    # millions of rows, so names match by prefix ("^").
    search_fields = ("=uscc", "=registration_number", "=organization_code", "^name")
    readonly_fields = (
        "uscc_status",
        "organization_code",
        "search_terms",
        "created_at",
        "updated_at",
    )
    raw_id_fields = ("region",)
    show_full_result_count = False
    inlines = [EnterpriseNameHistoryInline]


@admin.register(EnterpriseNameHistory)
class EnterpriseNameHistoryAdmin(admin.ModelAdmin):
    """Former names (名称变更)."""

    list_display = ("name", "enterprise", "valid_from", "valid_to")
    list_select_related = ("enterprise",)
    search_fields = ("=enterprise__uscc", "^name")
    raw_id_fields = ("enterprise",)
