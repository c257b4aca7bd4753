"""Serializers of the quality API (read-only, except scheduling a sampling check)."""

from __future__ import annotations

from rest_framework import serializers

from ..models import CoverageFigure, QualityIssue, QualityRule, SamplingCheck, Scorecard


class QualityRuleSerializer(serializers.ModelSerializer):
    # Plain text: another app's "severity" enum has the same field name (schema enum naming).
    severity = serializers.CharField(read_only=True, help_text="error | warning | notice")

    class Meta:
        model = QualityRule
        fields = ["code", "name", "dimension", "severity", "message_zh", "message_en", "is_active"]
        read_only_fields = fields


class ScorecardSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    trend = serializers.DecimalField(
        max_digits=7, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "period_kind",
            "period_start",
            "period_end",
            "scope_kind",
            "department",
            "department_id",
            "region",
            "region_id",
            "records",
            "records_with_issues",
            "completeness",
            "conformity",
            "redundancy",
            "linkage",
            "accuracy",
            "timeliness",
            "comprehensiveness",
            "score",
            "previous_score",
            "trend",
            "band",
            "band_colour",
            "rank",
            "peers",
            "computed_at",
        ]
        read_only_fields = fields


class CoverageFigureSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CoverageFigure
        fields = [
            "id",
            "period_kind",
            "period_start",
            "period_end",
            "region",
            "region_id",
            "is_province",
            "resource_code",
            "obliged",
            "supplied",
            "rate",
            "target",
            "meets_target",
            "computed_at",
        ]
        read_only_fields = fields


class QualityIssueSerializer(serializers.ModelSerializer):
    rule = serializers.SlugRelatedField(slug_field="code", read_only=True)
    severity = serializers.CharField(source="rule.severity", read_only=True)
    record_type = serializers.SerializerMethodField()
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    message = serializers.CharField(read_only=True)

    class Meta:
        model = QualityIssue
        fields = [
            "id",
            "rule",
            "dimension",
            "severity",
            "record_type",
            "object_id",
            "field_code",
            "department",
            "department_id",
            "resource_code",
            "business_key",
            "decision_date",
            "received_on",
            "detail",
            "message",
            "status",
            "first_seen_at",
            "last_seen_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_record_type(self, obj: QualityIssue) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class FailingRecordsSerializer(serializers.Serializer):
    """The ids of the records failing (open issues), per record type."""

    record_type = serializers.CharField()
    object_ids = serializers.ListField(child=serializers.IntegerField())


class SamplingCheckSerializer(serializers.ModelSerializer):
    reviewers = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = SamplingCheck
        fields = [
            "id",
            "title",
            "check_date",
            "period_start",
            "sample_size",
            "seed",
            "status",
            "reviewers",
            "created_at",
            "drawn_at",
            "completed_at",
            "findings",
        ]
        read_only_fields = fields


class SamplingCheckCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=128)
    check_date = serializers.DateField()
    period_start = serializers.DateField()
    sample_size = serializers.IntegerField(min_value=1, max_value=500)
    seed = serializers.CharField(max_length=64, required=False, allow_blank=True)
    reviewers = serializers.ListField(child=serializers.CharField(), required=False)


class DepartmentResultSerializer(serializers.Serializer):
    """One department's sampling figures; null rates mean "no data"."""

    department = serializers.CharField(source="department_code")
    department_name = serializers.CharField()
    population = serializers.IntegerField()
    sampled = serializers.IntegerField()
    reviewed = serializers.IntegerField()
    correct = serializers.IntegerField()
    has_data = serializers.BooleanField()
    accuracy = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    completeness = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    timeliness = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)


class FeedStatusSerializer(serializers.Serializer):
    department = serializers.CharField(source="department_code")
    department_name = serializers.CharField()
    resource_code = serializers.CharField()
    update_frequency = serializers.CharField()
    last_received_at = serializers.DateTimeField(allow_null=True)
    state = serializers.CharField()
    age_days = serializers.IntegerField(allow_null=True)
