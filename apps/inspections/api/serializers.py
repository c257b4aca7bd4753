"""Serializers of the inspections API; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.enterprises.choices import EnterpriseStatus, EntityType
from apps.organizations.models import Department, Region

from ..choices import CheckType, ResultOutcome, RiskGrade
from ..models import (
    Draw,
    FollowUp,
    InspectionResult,
    Officer,
    OfficerConflict,
    Plan,
    TargetPool,
    Task,
    TaskOfficer,
)


# Described without "enum": drf-spectacular names every enum after its property, and joint
# punishment's feedback also has an "outcome" enum; the serializer still validates the choices.
@extend_schema_field(
    {
        "type": "string",
        "description": "检查结果代码：" + ", ".join(ResultOutcome.values),
        "example": ResultOutcome.NORMAL.value,
    }
)
class OutcomeField(serializers.ChoiceField):
    """The result outcome (a ResultOutcome code)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ResultOutcome.choices, **kwargs)


class OfficerSerializer(serializers.ModelSerializer):
    """An officer; department and areas by code."""

    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    areas = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Region.objects.all(), required=False
    )

    class Meta:
        model = Officer
        fields = ["id", "department", "name", "certificate_number", "areas", "is_active"]


class ConflictSerializer(serializers.ModelSerializer):
    """A declared conflict; the entity by USCC."""

    officer = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all())
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    uscc = serializers.CharField(write_only=True, max_length=18)

    class Meta:
        model = OfficerConflict
        fields = ["id", "officer", "enterprise", "uscc", "reason", "created_at"]
        read_only_fields = ["created_at"]


class PoolSerializer(serializers.ModelSerializer):
    """A pool snapshot (members at /members/)."""

    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TargetPool
        fields = ["id", "name", "department", "filters", "member_count", "snapshot_at"]
        read_only_fields = fields


class PoolCreateSerializer(serializers.Serializer):
    """Filters selecting a pool's entities from the registry (all optional)."""

    name = serializers.CharField(max_length=200)
    region_codes = serializers.ListField(child=serializers.CharField(max_length=6), required=False)
    # Plain strings checked below: a ChoiceField here would name the enterprises'
    # choice sets a second time in the OpenAPI schema.
    entity_types = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, help_text="EntityType 取值"
    )
    statuses = serializers.ListField(
        child=serializers.CharField(max_length=16),
        required=False,
        help_text="EnterpriseStatus 取值",
    )
    industry_prefixes = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False
    )
    lists = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    risk_grades = serializers.ListField(
        child=serializers.ChoiceField(choices=RiskGrade.choices), required=False
    )
    not_drawn_since = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="排除该日起已被任何部门抽中的主体（重新抽取作废的任务不计）",
    )

    def validate_entity_types(self, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(EntityType.values))
        if unknown:
            raise serializers.ValidationError(
                gettext("未知的主体类型：%(values)s") % {"values": "、".join(unknown)}
            )
        return value

    def validate_statuses(self, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(EnterpriseStatus.values))
        if unknown:
            raise serializers.ValidationError(
                gettext("未知的登记状态：%(values)s") % {"values": "、".join(unknown)}
            )
        return value


class PoolMemberSerializer(serializers.Serializer):
    """One frozen member of a pool."""

    enterprise_id = serializers.IntegerField()
    uscc = serializers.CharField(source="enterprise.uscc")
    name = serializers.CharField(source="enterprise.name")
    region_id_at_snapshot = serializers.IntegerField()


class PlanSerializer(serializers.ModelSerializer):
    """A plan with its participating departments (codes; the lead first)."""

    lead_department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    departments = serializers.SerializerMethodField()
    is_joint = serializers.BooleanField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "code",
            "name",
            "lead_department",
            "departments",
            "is_joint",
            "pool",
            "check_type",
            "matters",
            "sample_count",
            "sample_ratio",
            "officers_per_target",
            "avoid_own_area",
            "starts_on",
            "ends_on",
            "status",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_departments(self, plan: Plan) -> list[str]:
        return [p.department.code for p in plan.participants.all()]


class PlanCreateSerializer(serializers.Serializer):
    """A new plan of the principal's department; ``other_departments`` make it joint."""

    name = serializers.CharField(max_length=200)
    pool = serializers.IntegerField()
    other_departments = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False
    )
    check_type = serializers.ChoiceField(choices=CheckType.choices, default=CheckType.DIRECTED)
    matters = serializers.CharField()
    sample_count = serializers.IntegerField(required=False, allow_null=True)
    sample_ratio = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    officers_per_target = serializers.IntegerField(default=2)
    avoid_own_area = serializers.BooleanField(default=False)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class DrawRequestSerializer(serializers.Serializer):
    """Draw or redraw: an optional seed; a reason is required for a redraw."""

    seed = serializers.CharField(max_length=40, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class DrawSerializer(serializers.ModelSerializer):
    """A draw with its seed, inputs and outcome (enough to recompute it)."""

    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Draw
        fields = [
            "id",
            "plan",
            "round",
            "seed",
            "algorithm",
            "inputs",
            "outcome",
            "reason",
            "is_current",
            "created_at",
        ]
        read_only_fields = fields


class VerificationSerializer(serializers.Serializer):
    """The outcome of recomputing a draw."""

    ok = serializers.BooleanField()
    reproduced = serializers.BooleanField()
    pool_matches = serializers.BooleanField()
    tasks_match = serializers.BooleanField()
    seed = serializers.CharField()
    recomputed = serializers.JSONField()
    error = serializers.CharField()


class TaskOfficerSerializer(serializers.ModelSerializer):
    officer_id = serializers.IntegerField()
    name = serializers.CharField(source="officer.name")
    certificate_number = serializers.CharField(source="officer.certificate_number")
    department = serializers.CharField(source="officer.department.code")

    class Meta:
        model = TaskOfficer
        fields = ["officer_id", "name", "certificate_number", "department", "position"]


class ResultSerializer(serializers.ModelSerializer):
    """A result with its publication deadline and record."""

    task = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    outcome = OutcomeField(read_only=True)

    class Meta:
        model = InspectionResult
        fields = [
            "id",
            "task",
            "outcome",
            "details",
            "completed_on",
            "department",
            "publish_by",
            "published_at",
            "record_id",
        ]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    """A task with its officers and (once entered) its result."""

    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    officers = TaskOfficerSerializer(source="assignments", many=True, read_only=True)
    result = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "code",
            "plan",
            "draw",
            "position",
            "enterprise",
            "enterprise_id",
            "enterprise_name",
            "officers",
            "status",
            "result",
        ]
        read_only_fields = fields

    @extend_schema_field(ResultSerializer(allow_null=True))
    def get_result(self, task: Task) -> dict | None:
        result = getattr(task, "result", None) if hasattr(task, "result") else None
        return ResultSerializer(result).data if result is not None else None


class ResultEntrySerializer(serializers.Serializer):
    """A task's result as the officers' department enters it."""

    outcome = OutcomeField()
    details = serializers.CharField(required=False, allow_blank=True)
    completed_on = serializers.DateField()


class FollowUpSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    task = serializers.CharField(source="result.task.code", read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "kind",
            "state",
            "enterprise",
            "department",
            "task",
            "proposal_id",
            "note",
            "created_at",
        ]
        read_only_fields = fields
