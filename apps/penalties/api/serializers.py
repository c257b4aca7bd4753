"""Serializers of the penalty API (staff and department systems; the portal has its own)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from apps.catalogue.choices import Severity

from ..choices import PenaltyKind
from ..models import Penalty, RepairApplication


class PenaltySerializer(serializers.ModelSerializer):
    """A penalty with provenance, publicity window, repair and revocation state."""

    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_id = serializers.IntegerField(read_only=True)
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_id = serializers.IntegerField(read_only=True)
    channel = serializers.CharField(read_only=True, help_text="form / file / api / exchange")
    regime_id = serializers.IntegerField(read_only=True, allow_null=True)
    regime_name = serializers.CharField(source="regime.name", read_only=True, default=None)
    public_today = serializers.SerializerMethodField()
    public_until = serializers.SerializerMethodField()
    is_revoked = serializers.BooleanField(read_only=True)
    severity_override = serializers.CharField(read_only=True)

    class Meta:
        model = Penalty
        fields = [
            "id",
            "resource_code",
            "resource_version",
            "business_key",
            "document_number",
            "department",
            "department_id",
            "enterprise",
            "enterprise_id",
            "subject_kind",
            "subject_uscc",
            "subject_name",
            "decision_date",
            "violation_type",
            "facts",
            "legal_basis",
            "category",
            "categories",
            "content",
            "fine_amount",
            "confiscated_amount",
            "licence_affected",
            "authority",
            "authority_code",
            "reported_status",
            "extra",
            "severity",
            "severity_override",
            "regime_id",
            "regime_name",
            "min_until",
            "max_until",
            "repair_from",
            "repair_status",
            "repaired_on",
            "public_until",
            "public_today",
            "is_revoked",
            "revoked_at",
            "revocation_reason",
            "channel",
            "submission_id",
            "received_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_public_today(self, obj: Penalty) -> bool:
        return obj.is_public_on(timezone.localdate())

    def get_public_until(self, obj: Penalty) -> str | None:
        until = obj.public_until()
        return until.isoformat() if until else None


class ReasonSerializer(serializers.Serializer):
    """A reason for revocation or a review decision."""

    reason = serializers.CharField(max_length=2000)


class CorrectionSerializer(serializers.Serializer):
    """Fields to correct (any subset) and the reason; publicity is recomputed."""

    decision_date = serializers.DateField(required=False)
    category = serializers.ChoiceField(choices=PenaltyKind.choices, required=False)
    content = serializers.CharField(max_length=4000, required=False)
    violation_type = serializers.CharField(max_length=2000, required=False)
    facts = serializers.CharField(max_length=5000, required=False)
    legal_basis = serializers.CharField(max_length=2048, required=False)
    fine_amount = serializers.DecimalField(
        max_digits=24, decimal_places=6, min_value=0, required=False, allow_null=True
    )
    confiscated_amount = serializers.DecimalField(
        max_digits=24, decimal_places=6, min_value=0, required=False, allow_null=True
    )
    licence_affected = serializers.CharField(max_length=255, required=False, allow_blank=True)
    severity_override = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        help_text="blank (derive by rule) or one of: " + ", ".join(Severity.values),
    )
    reason = serializers.CharField(max_length=2000)


class RepairApplicationSerializer(serializers.ModelSerializer):
    """A repair application; the evidence is downloaded from the staff page, not exposed here."""

    penalty_document_number = serializers.CharField(
        source="penalty.document_number", read_only=True
    )
    department = serializers.CharField(source="penalty.department.code", read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, default=None)

    class Meta:
        model = RepairApplication
        fields = [
            "id",
            "penalty",
            "penalty_document_number",
            "department",
            "applicant_name",
            "applicant_uscc",
            "contact_name",
            "contact_phone",
            "contact_email",
            "statement",
            "status",
            "submitted_at",
            "submitted_on",
            "review_due",
            "reviewed_by",
            "reviewed_at",
            "decision_reason",
        ]
        read_only_fields = fields
