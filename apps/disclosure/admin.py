"""Django admin of the disclosure portal: answer-deadline rules, read-only objections and keys.

Objections are answered and keys issued on the staff pages (services write
the audit history); the admin edits only the deadline rule, which is data.
"""

from __future__ import annotations

from django.contrib import admin

from . import services
from .models import ChangeEvent, Objection, ObjectionAttachment, ObjectionRule, PortalApiKey
from .views import masked_contact


@admin.register(ObjectionRule)
class ObjectionRuleAdmin(admin.ModelAdmin):
    """The answer deadline as data: saved through the service, so every change is audited."""

    list_display = ("valid_from", "answer_working_days", "basis")
    ordering = ("-valid_from",)

    def get_readonly_fields(self, request, obj=None):
        # valid_from identifies the rule; a new date is a new rule.
        return ("valid_from",) if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        saved = services.set_answer_working_days(
            valid_from=obj.valid_from,
            working_days=obj.answer_working_days,
            basis=obj.basis,
            actor=request.user,
        )
        obj.pk = saved.pk


class AttachmentInline(admin.TabularInline):
    model = ObjectionAttachment
    fields = ("original_name", "content_type", "size", "sha256")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "enterprise_name",
        "resource_code",
        "department",
        "status",
        "due_date",
        "masked_phone",
    )
    list_filter = ("status", "department")
    search_fields = ("reference", "enterprise_uscc", "enterprise_name")
    exclude = ("verification_hash",)
    inlines = [AttachmentInline]

    @admin.display(description="联系电话")
    def masked_phone(self, obj: Objection) -> str:
        return masked_contact(obj)["phone"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PortalApiKey)
class PortalApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "owner", "daily_quota", "per_minute", "revoked_at")
    exclude = ("key_hash",)
    readonly_fields = (
        "prefix",
        "created_by",
        "created_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
    )

    def has_add_permission(self, request) -> bool:
        # Keys are issued on /portal/keys/new/, which shows the secret once.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Issuing and revoking go through the services (audited) on the staff pages.
        return False


@admin.register(ChangeEvent)
class ChangeEventAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "occurred_at", "title")
    list_filter = ("kind",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
