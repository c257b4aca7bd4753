"""Django admin for regions, departments, people and API tokens (never raw keys)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ApiToken, Department, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Regions: reference data loaded by ``load_hainan_fixtures``."""

    list_display = ("code", "name", "level", "parent", "is_gb2260", "sort_order")
    list_filter = ("level", "is_gb2260")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    ordering = ("sort_order", "code")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """Departments with their region, line and liaison."""

    list_display = ("code", "name", "level", "line", "region", "liaison_name", "is_active")
    list_filter = ("level", "line", "is_active", "region")
    search_fields = ("code", "name", "short_name")
    list_select_related = ("region",)
    raw_id_fields = ("parent",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People with their role, department and region."""

    list_display = ("username", "display_name", "role", "department", "region", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "display_name", "email")
    list_select_related = ("department", "region")
    raw_id_fields = ("department",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("平台角色"), {"fields": ("display_name", "phone", "role", "department", "region")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("平台角色"), {"fields": ("display_name", "role", "department", "region")}),
    )


@admin.action(description=_("吊销所选令牌"))
def revoke_tokens(modeladmin: Any, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
    """Revoke through the service so that each revocation is audited."""
    count = 0
    for token in queryset.select_related("department"):
        if token.revoked_at is None:
            services.revoke_api_token(token, actor=request.user)
            count += 1
    modeladmin.message_user(request, _("已吊销 %(n)d 个令牌。") % {"n": count}, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued on the token page (key shown once); here only listed and revoked."""

    list_display = ("name", "prefix", "department", "created_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "department__code", "department__name")
    list_select_related = ("department",)
    exclude = ("key_hash",)
    readonly_fields = (
        "department",
        "name",
        "prefix",
        "created_by",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
        "last_used_ip",
    )
    actions = [revoke_tokens]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
