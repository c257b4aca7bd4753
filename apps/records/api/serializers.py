"""Serializers of the read-only generic record API."""

from __future__ import annotations

from rest_framework import serializers

from ..models import GenericRecord


class GenericRecordSerializer(serializers.ModelSerializer):
    """A generic record with its provenance; department and enterprise by business key."""

    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_id = serializers.IntegerField(read_only=True)
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = GenericRecord
        fields = [
            "id",
            "resource_code",
            "resource_version",
            "business_key",
            "department",
            "department_id",
            "enterprise",
            "enterprise_id",
            "subject_kind",
            "subject_uscc",
            "subject_name",
            "decision_date",
            "channel",
            "submission_id",
            "received_at",
            "payload",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
