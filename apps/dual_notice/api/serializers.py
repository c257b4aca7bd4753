"""Serializers of the double-notification API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.organizations.models import Department

from ..models import ClaimTask, LicensingMatter, Notice, ScopeKeyword, TaskAssignment


class ScopeKeywordSerializer(serializers.ModelSerializer):
    """A scope phrase and its exclusions."""

    class Meta:
        model = ScopeKeyword
        fields = ["phrase", "exclusions"]


class LicensingMatterSerializer(serializers.ModelSerializer):
    """A licensing matter of the mapping with its keywords."""

    keywords = ScopeKeywordSerializer(many=True, read_only=True)

    class Meta:
        model = LicensingMatter
        fields = [
            "id",
            "code",
            "name",
            "legal_basis",
            "department_line",
            "approving_department_label",
            "approval_level",
            "industry_code_prefixes",
            "valid_from",
            "valid_to",
            "is_active",
            "source_note",
            "keywords",
        ]
        read_only_fields = fields


class TaskAssignmentSerializer(serializers.ModelSerializer):
    """One department's turn with a task."""

    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TaskAssignment
        fields = ["department", "assigned_at", "due_on", "outcome", "closed_at", "reason"]
        read_only_fields = fields


class ClaimTaskSerializer(serializers.ModelSerializer):
    """A claim task with its enterprise, matter and department by business key, and its turns."""

    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_id = serializers.IntegerField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    matter = serializers.SlugRelatedField(slug_field="code", read_only=True)
    matter_id = serializers.IntegerField(read_only=True)
    matter_name = serializers.CharField(source="matter.name", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_id = serializers.IntegerField(read_only=True, allow_null=True)
    notice = serializers.SlugRelatedField(slug_field="number", read_only=True)
    notice_id = serializers.IntegerField(read_only=True)
    assignments = TaskAssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = ClaimTask
        fields = [
            "id",
            "notice",
            "notice_id",
            "enterprise",
            "enterprise_id",
            "enterprise_name",
            "matter",
            "matter_id",
            "matter_name",
            "matched_text",
            "department",
            "department_id",
            "status",
            "assigned_on",
            "due_on",
            "claimed_at",
            "queue_reason",
            "handling_note",
            "assignments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ClaimInputSerializer(serializers.Serializer):
    """Claim: an optional handling note."""

    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReturnInputSerializer(serializers.Serializer):
    """Return: the reason is required."""

    reason = serializers.CharField(
        max_length=500,
        error_messages={
            "required": _("退回原因（reason）不能为空。"),
            "blank": _("退回原因（reason）不能为空。"),
        },
    )


class ReassignInputSerializer(serializers.Serializer):
    """Reassign: the target department by code."""

    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.active()
    )


class CloseInputSerializer(serializers.Serializer):
    """Close: a note is required."""

    note = serializers.CharField(
        max_length=500,
        error_messages={
            "required": _("办结说明（note）不能为空。"),
            "blank": _("办结说明（note）不能为空。"),
        },
    )


class NoticeLineSerializer(serializers.ModelSerializer):
    """One licence the notice lists."""

    matter = serializers.SlugRelatedField(slug_field="code", read_only=True)
    matter_name = serializers.CharField(source="matter.name", read_only=True)
    legal_basis = serializers.CharField(source="matter.legal_basis", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_name = serializers.SerializerMethodField()

    class Meta:
        model = ClaimTask
        fields = [
            "matter",
            "matter_name",
            "legal_basis",
            "department",
            "department_name",
            "matched_text",
        ]
        read_only_fields = fields

    def get_department_name(self, obj: ClaimTask) -> str:
        return obj.department.name if obj.department else obj.matter.approving_department_label


class NoticeSerializer(serializers.ModelSerializer):
    """A notice to an applicant with the licences it lists."""

    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_id = serializers.IntegerField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    registrar = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lines = NoticeLineSerializer(source="tasks", many=True, read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "number",
            "enterprise",
            "enterprise_id",
            "enterprise_name",
            "trigger",
            "source",
            "business_scope",
            "industry_code",
            "registered_on",
            "registrar",
            "lines",
            "created_at",
        ]
        read_only_fields = fields


class DepartmentStatisticsSerializer(serializers.Serializer):
    """Claim statistics of one department."""

    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    assigned = serializers.IntegerField()
    open = serializers.IntegerField()
    claimed = serializers.IntegerField()
    returned = serializers.IntegerField()
    overdue = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    claim_rate = serializers.FloatField(allow_null=True)
    median_claim_hours = serializers.FloatField(allow_null=True)
