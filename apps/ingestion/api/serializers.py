"""Serializers of the ingestion push API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.ingestion.models import RejectedRow, Submission


class SubmissionSerializer(serializers.ModelSerializer):
    """A submission's status and per-outcome counts."""

    resource = serializers.CharField(source="resource.code", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    # Plain text (the RecordChannel code) so the schema reuses no enum name of another app.
    channel = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="ingestion-api:submission-detail")

    class Meta:
        model = Submission
        fields = [
            "id",
            "url",
            "department",
            "resource",
            "channel",
            "original_filename",
            "size",
            "sha256",
            "status",
            "total",
            "created_count",
            "updated_count",
            "unchanged_count",
            "rejected_count",
            "held_count",
            "progress",
            "error",
            "unknown_columns",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class SubmissionCreateSerializer(serializers.Serializer):
    """A push: a resource code and either a JSON list of records or a file."""

    resource = serializers.CharField(max_length=32)
    records = serializers.ListField(child=serializers.DictField(), required=False)
    file = serializers.FileField(required=False)

    def validate(self, attrs):
        if bool(attrs.get("records")) == bool(attrs.get("file")):
            raise serializers.ValidationError(
                _("请提供 records（JSON 记录列表）或 file（文件）之一。")
            )
        return attrs


class RejectedRowSerializer(serializers.ModelSerializer):
    """One rejected row with every problem."""

    class Meta:
        model = RejectedRow
        fields = ["id", "row_number", "raw_values", "problems", "status"]
        read_only_fields = fields
