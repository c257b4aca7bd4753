"""Serializers of the catalogue API (read-only catalogue, proposals in and out)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.organizations.models import Department

from ..models import (
    CatalogueAnnouncement,
    FieldSpec,
    ObligedSupplier,
    PublicityRegime,
    Resource,
    ResourceVersion,
    SupplementProposal,
)
from ..services import FIELD_KEYS, REGIME_KEYS


class FieldSpecSerializer(serializers.ModelSerializer):
    """One data item of a version, with its limits, aliases and public/masking flags."""

    class Meta:
        model = FieldSpec
        fields = FIELD_KEYS


class ObligedSupplierSerializer(serializers.ModelSerializer):
    """Who must supply: a line at levels, or one department (by code)."""

    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ObligedSupplier
        fields = ("line", "levels", "department")


class ResourceVersionSerializer(serializers.ModelSerializer):
    """A resource version with its ordered fields and obliged suppliers."""

    resource = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fields = FieldSpecSerializer(many=True, read_only=True)
    suppliers = ObligedSupplierSerializer(many=True, read_only=True)

    class Meta:
        model = ResourceVersion
        fields = (
            "id",
            "resource",
            "number",
            "status",
            "name",
            "name_en",
            "description",
            "legal_basis",
            "update_frequency",
            "deadline_working_days",
            "publicity_class",
            "sharing_class",
            "business_key_fields",
            "decision_date_field",
            "subject_uscc_field",
            "subject_name_field",
            "change_note",
            "published_at",
            "fields",
            "suppliers",
        )


class ResourceSerializer(serializers.ModelSerializer):
    """A resource with its current published version (null until first publication)."""

    current_version = ResourceVersionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Resource
        fields = ("code", "kind", "is_active", "current_version")


class PublicityRegimeSerializer(serializers.ModelSerializer):
    """A dated publicity-period rule of a resource."""

    resource = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PublicityRegime
        fields = ("id", "resource", *REGIME_KEYS)


class CatalogueAnnouncementSerializer(serializers.ModelSerializer):
    """A public change announcement with its field-by-field diff."""

    resource = serializers.CharField(source="version.resource.code", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = CatalogueAnnouncement
        fields = ("id", "resource", "version", "title", "summary", "changes", "published_at")


class SupplementProposalSerializer(serializers.ModelSerializer):
    """A supplement proposal as shown to its department and to the province."""

    resource = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    applied_to = serializers.IntegerField(
        source="applied_to.number", read_only=True, allow_null=True
    )

    class Meta:
        model = SupplementProposal
        fields = (
            "id",
            "resource",
            "department",
            "title",
            "reason",
            "payload",
            "status",
            "decision_reason",
            "decided_at",
            "applied_to",
            "created_at",
        )


class SupplementProposalCreateSerializer(serializers.Serializer):
    """Input of a new proposal; ``department`` defaults to the caller's own department."""

    resource = serializers.SlugRelatedField(
        slug_field="code", queryset=Resource.objects.all(), required=False, allow_null=True
    )
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False
    )
    title = serializers.CharField(max_length=200)
    reason = serializers.CharField()
    payload = serializers.JSONField(required=False, default=dict)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("department") is None:
            department = getattr(self.context["request"].user, "department", None)
            if department is None:
                raise serializers.ValidationError({"department": _("请指定提出部门。")})
            attrs["department"] = department
        if not isinstance(attrs.get("payload"), dict):
            raise serializers.ValidationError({"payload": _("建议内容必须是 JSON 对象。")})
        return attrs


class ProposalDecisionSerializer(serializers.Serializer):
    """The administrator's reason when approving (optional) or rejecting (required)."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")
