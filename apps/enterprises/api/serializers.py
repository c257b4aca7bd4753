"""Serializers of the enterprise API (staff and department systems, not the portal)."""

from __future__ import annotations

from rest_framework import serializers

from apps.organizations.models import Region

from ..models import Enterprise, EnterpriseNameHistory
from ..services import EDITABLE_FIELDS


class EnterpriseNameHistorySerializer(serializers.ModelSerializer):
    """A former name and the period it was in use (read-only)."""

    class Meta:
        model = EnterpriseNameHistory
        fields = ["name", "valid_from", "valid_to"]
        read_only_fields = fields


class EnterpriseSerializer(serializers.ModelSerializer):
    """An enterprise as read: every registration field, the region by code, former names."""

    url = serializers.HyperlinkedIdentityField(
        view_name="enterprises-api:enterprise-detail", lookup_field="uscc"
    )
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_id = serializers.IntegerField(read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    name_history = EnterpriseNameHistorySerializer(many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "url",
            "uscc",
            "uscc_status",
            "registration_number",
            "organization_code",
            "name",
            "entity_type",
            "legal_representative",
            "registered_capital",
            "capital_currency",
            "established_on",
            "approved_on",
            "business_term_to",
            "deregistered_on",
            "revoked_on",
            "status",
            "registration_authority",
            "region",
            "region_id",
            "region_name",
            "address",
            "business_scope",
            "industry_code",
            "name_history",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EnterpriseWriteSerializer(serializers.ModelSerializer):
    """Input for registering (``uscc`` and ``name`` required) and updating an enterprise.

    Only shapes are checked here; the USCC rules (valid, legacy, invalid) and
    scope live in :mod:`apps.enterprises.services`. On update the USCC is
    ignored if unchanged and refused otherwise; the name changes through the
    ``rename`` action.
    """

    uscc = serializers.CharField(max_length=64)
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False
    )

    class Meta:
        model = Enterprise
        fields = ["uscc", "name", *EDITABLE_FIELDS]
        extra_kwargs = {"name": {"required": False}}

    def validate(self, attrs: dict) -> dict:
        if self.instance is None:
            missing = [f for f in ("name", "region", "entity_type") if not attrs.get(f)]
            if missing:
                raise serializers.ValidationError(
                    {f: [serializers.Field.default_error_messages["required"]] for f in missing}
                )
        return attrs

    def to_representation(self, instance: Enterprise) -> dict:
        return EnterpriseSerializer(instance, context=self.context).data


class RenameSerializer(serializers.Serializer):
    """Input of the ``rename`` action."""

    name = serializers.CharField(max_length=200)
    effective_on = serializers.DateField()
