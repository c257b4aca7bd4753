"""Serializers of the read-only licence API."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from ..models import Licence


class LicenceSerializer(serializers.ModelSerializer):
    """A licence with provenance and publicity."""

    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_id = serializers.IntegerField(read_only=True)
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_id = serializers.IntegerField(read_only=True)
    channel = serializers.CharField(read_only=True, help_text="form / file / api / exchange")
    public_today = serializers.SerializerMethodField()

    class Meta:
        model = Licence
        fields = [
            "id",
            "resource_code",
            "resource_version",
            "business_key",
            "document_number",
            "document_title",
            "department",
            "department_id",
            "enterprise",
            "enterprise_id",
            "subject_kind",
            "subject_uscc",
            "subject_name",
            "decision_date",
            "category",
            "certificate_name",
            "licence_number",
            "content",
            "valid_from",
            "valid_to",
            "authority",
            "authority_code",
            "reported_status",
            "extra",
            "public_until",
            "public_today",
            "revoked_at",
            "revocation_reason",
            "channel",
            "submission_id",
            "received_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_public_today(self, obj: Licence) -> bool:
        return obj.is_public_on(timezone.localdate())
