"""Django admin for the catalogue; published versions and their fields are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import (
    CatalogueAnnouncement,
    FieldSpec,
    ObligedSupplier,
    PublicityRegime,
    Resource,
    ResourceLiaison,
    ResourceVersion,
    SupplementProposal,
)


def _is_frozen(version: ResourceVersion | None) -> bool:
    return version is not None and not version.is_editable


class FieldSpecInline(admin.TabularInline):
    """Field specs of a version; frozen once the version is published."""

    model = FieldSpec
    extra = 0
    fields = (
        "order",
        "code",
        "name",
        "data_type",
        "required",
        "max_length",
        "is_public",
        "masking",
    )

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return not _is_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)


class ObligedSupplierInline(FieldSpecInline):
    """Obliged suppliers of a version; frozen once the version is published."""

    model = ObligedSupplier
    fields = ("line", "levels", "department")
    autocomplete_fields = ()
    raw_id_fields = ("department",)


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    """Resources; versions are edited through the draft pages and services."""

    list_display = ("code", "kind", "current_version", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "current_version__name")
    readonly_fields = ("current_version",)
    list_select_related = ("current_version__resource",)


@admin.register(ResourceVersion)
class ResourceVersionAdmin(admin.ModelAdmin):
    """Versions: drafts editable, published and superseded versions read-only."""

    list_display = ("resource", "number", "status", "name", "published_at")
    list_filter = ("status", "resource__kind")
    search_fields = ("resource__code", "name")
    list_select_related = ("resource",)
    inlines = (FieldSpecInline, ObligedSupplierInline)
    readonly_fields = ("status", "published_at", "published_by", "created_by")

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(FieldSpec)
class FieldSpecAdmin(admin.ModelAdmin):
    """Field specs across versions (search by code or alias)."""

    list_display = ("code", "name", "data_type", "version")
    list_filter = ("data_type", "version__status")
    search_fields = ("code", "name", "version__resource__code")
    list_select_related = ("version__resource",)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return not (obj and _is_frozen(obj.version)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return not (obj and _is_frozen(obj.version)) and super().has_delete_permission(request, obj)


@admin.register(PublicityRegime)
class PublicityRegimeAdmin(admin.ModelAdmin):
    """Dated publicity-period rules."""

    list_display = (
        "resource",
        "name",
        "valid_from",
        "valid_to",
        "category",
        "severity",
        "priority",
    )
    list_filter = ("severity", "resource")
    list_select_related = ("resource",)


@admin.register(ResourceLiaison)
class ResourceLiaisonAdmin(admin.ModelAdmin):
    """Liaisons of obliged departments per resource."""

    list_display = ("resource", "department", "name", "phone", "email")
    search_fields = ("resource__code", "department__name", "name")
    list_select_related = ("resource", "department")
    raw_id_fields = ("department",)


@admin.register(SupplementProposal)
class SupplementProposalAdmin(admin.ModelAdmin):
    """Supplement proposals; decisions are made on the review page (services)."""

    list_display = ("title", "resource", "department", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("resource", "department")
    readonly_fields = ("status", "decided_by", "decided_at", "decision_reason", "applied_to")
    raw_id_fields = ("department", "proposed_by")


@admin.register(CatalogueAnnouncement)
class CatalogueAnnouncementAdmin(admin.ModelAdmin):
    """Public announcements: a record of what was published, never edited."""

    list_display = ("title", "published_at")
    list_select_related = ("version__resource",)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
