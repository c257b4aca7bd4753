"""Serializers of the organizations API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.models import AuditEvent

from ..models import ApiToken, Department, Region


class RegionSerializer(serializers.ModelSerializer):
    """A region with its parent's code."""

    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Region
        fields = [
            "id",
            "code",
            "name",
            "level",
            "parent",
            "parent_id",
            "is_gb2260",
            "former_codes",
            "sort_order",
        ]


class DepartmentSerializer(serializers.ModelSerializer):
    """A department with its region and parent codes and its member count."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    member_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Department
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "level",
            "line",
            "region",
            "region_id",
            "region_name",
            "parent",
            "parent_id",
            "uscc",
            "liaison_name",
            "liaison_phone",
            "liaison_email",
            "is_active",
            "member_count",
        ]
        read_only_fields = fields


class DepartmentLiaisonSerializer(serializers.Serializer):
    """The liaison fields an administrator or the department's liaison may PATCH."""

    liaison_name = serializers.CharField(max_length=64, allow_blank=True, required=False)
    liaison_phone = serializers.RegexField(
        r"^[0-9+\-() ]*$",
        max_length=32,
        allow_blank=True,
        required=False,
        error_messages={"invalid": _("电话只能包含数字、空格和 + - ( )。")},
    )
    liaison_email = serializers.EmailField(allow_blank=True, required=False)


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as listed: never the key or its hash."""

    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    revoked_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "department",
            "department_id",
            "created_by",
            "created_at",
            "expires_at",
            "revoked_at",
            "revoked_by",
            "last_used_at",
            "is_active",
        ]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    """Input for issuing a token: the department by code or id, a name, an optional expiry."""

    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False
    )
    department_id = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False
    )
    name = serializers.CharField(max_length=100)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        department = attrs.pop("department", None) or attrs.pop("department_id", None)
        attrs.pop("department_id", None)
        if department is None:
            raise serializers.ValidationError({"department": _("请指定部门（代码或编号）。")})
        attrs["department"] = department
        return attrs


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    """The answer to a token creation: the only time the full key is returned."""

    key = serializers.CharField(read_only=True, help_text=_("完整密钥，仅此一次返回。"))

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class AuditEventSerializer(serializers.ModelSerializer):
    """One audit row with its actor and target described."""

    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    target_type = serializers.SerializerMethodField()
    event_type_display = serializers.CharField(source="get_event_type_display", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "event_type",
            "event_type_display",
            "actor",
            "actor_id",
            "actor_name",
            "department_code",
            "channel",
            "request_id",
            "target_type",
            "target_id",
            "target_repr",
            "enterprise_uscc",
            "submission_id",
            "before",
            "after",
            "message",
        ]
        read_only_fields = fields

    def get_target_type(self, obj: AuditEvent) -> str | None:
        if obj.target_type is None:
            return None
        return f"{obj.target_type.app_label}.{obj.target_type.model}"


class MeSerializer(serializers.Serializer):
    """Who the request is: a person or a department token."""

    kind = serializers.ChoiceField(choices=["user", "token"])
    username = serializers.CharField(allow_null=True)
    display_name = serializers.CharField()
    role = serializers.CharField()
    department = serializers.CharField(allow_null=True)
    department_name = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    token_prefix = serializers.CharField(allow_null=True)
