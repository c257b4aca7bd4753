"""Serializers of the joint-punishment API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..checks import MAX_BATCH
from ..choices import FeedbackOutcome
from ..models import (
    CheckLog,
    Feedback,
    ListEntry,
    ListingGround,
    ListRegime,
    ListType,
    Measure,
    Obligation,
    Proposal,
)


class ListingGroundSerializer(serializers.ModelSerializer):
    class Meta:
        model = ListingGround
        fields = ["id", "code", "name", "legal_basis", "decision_working_days"]


class ListRegimeSerializer(serializers.ModelSerializer):
    escalate_to = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ListRegime
        fields = [
            "id",
            "name",
            "legal_basis",
            "valid_from",
            "valid_to",
            "max_months",
            "early_removal_after_months",
            "escalate_after_months",
            "escalate_to",
            "warning_days",
            "listing_working_days",
            "removal_working_days",
            "note",
        ]


class ListTypeSerializer(serializers.ModelSerializer):
    """A list type with its statutory grounds and dated regimes."""

    grounds = ListingGroundSerializer(many=True, read_only=True)
    regimes = ListRegimeSerializer(many=True, read_only=True)

    class Meta:
        model = ListType
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "nature",
            "resource_code",
            "legal_basis",
            "description",
            "feedback_working_days",
            "is_public",
            "grounds",
            "regimes",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    list_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "code",
            "category",
            "content",
            "legal_basis",
            "memorandum",
            "list_types",
            "implementing_lines",
            "note",
            "is_active",
        ]


class ListEntrySerializer(serializers.ModelSerializer):
    """An entry with its listing and removal decisions; ``in_force`` as of today."""

    list_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    ground = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    in_force = serializers.SerializerMethodField()
    # A plain string: a second component with the records' channel enum would make
    # drf-spectacular name it by hash (and warn).
    channel = serializers.CharField(read_only=True, help_text=_("form、file、api 或 exchange"))

    class Meta:
        model = ListEntry
        fields = [
            "id",
            "list_type",
            "ground",
            "enterprise",
            "enterprise_id",
            "subject_uscc",
            "subject_name",
            "department",
            "department_id",
            "listing_authority",
            "listing_document",
            "listed_on",
            "listing_reason",
            "removal_authority",
            "removal_document",
            "removed_on",
            "removal_reason",
            "warning_notice_on",
            "in_force",
            "channel",
            "submission_id",
            "resource_code",
            "business_key",
            "values",
            "received_at",
        ]
        read_only_fields = fields

    def get_in_force(self, obj: ListEntry) -> bool:
        return obj.is_in_force(self.context["today"])


class ListingInputSerializer(serializers.Serializer):
    """A listing decision: the entity by USCC, the list by code."""

    list_type = serializers.SlugRelatedField(slug_field="code", queryset=ListType.objects.all())
    uscc = serializers.CharField(max_length=18)
    ground = serializers.CharField(max_length=8, required=False, allow_blank=True)
    listed_on = serializers.DateField()
    listing_authority = serializers.CharField(max_length=200)
    listing_document = serializers.CharField(max_length=64)
    listing_reason = serializers.CharField()
    department = serializers.CharField(max_length=32, required=False, allow_blank=True)


class RemovalInputSerializer(serializers.Serializer):
    """A removal decision of one entry."""

    removed_on = serializers.DateField()
    removal_authority = serializers.CharField(max_length=200)
    removal_document = serializers.CharField(max_length=64)
    removal_reason = serializers.CharField()


class RemovalByUsccInputSerializer(RemovalInputSerializer):
    """A removal decision naming the entity and the list; the entry in force is removed."""

    list_type = serializers.SlugRelatedField(slug_field="code", queryset=ListType.objects.all())
    uscc = serializers.CharField(max_length=18)


class EarlyRemovalInputSerializer(serializers.Serializer):
    applied_on = serializers.DateField()
    reason = serializers.CharField()


class ProposalSerializer(serializers.ModelSerializer):
    list_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    ground = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "kind",
            "status",
            "list_type",
            "ground",
            "enterprise",
            "enterprise_id",
            "enterprise_name",
            "entry",
            "department",
            "department_id",
            "reason",
            "basis_date",
            "decide_by",
            "report_year",
            "decided_at",
            "decided_by_name",
            "decision_document",
            "decision_note",
            "result_entry",
            "withdrawn_at",
            "withdrawn_by_name",
            "withdrawal_reason",
            "basis_corrected_at",
            "basis_correction_note",
            "created_at",
        ]
        read_only_fields = fields


class ConfirmInputSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    document = serializers.CharField(max_length=64)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RejectInputSerializer(serializers.Serializer):
    note = serializers.CharField()


class CodeListField(serializers.ListField):
    """A list of up to 1,000 codes, checked in one pass (a child field per item costs ~20 ms).

    Whether an item is a USCC is answered per item by the check, never by
    refusing the batch: a JSON number becomes its digits (a client that parsed
    codes as numbers gets the check's "rounded by a spreadsheet" error), any
    other non-string item an empty code, and a string is cut to 64 characters
    (the log's column), which no valid code exceeds.
    """

    def to_internal_value(self, data: Any) -> list[str]:
        if not isinstance(data, list):
            raise serializers.ValidationError(_("应为统一社会信用代码的列表。"))
        if len(data) > MAX_BATCH:
            raise serializers.ValidationError(
                _("一次最多核查 %(max)d 个代码，本次提交了 %(n)d 个。")
                % {"max": MAX_BATCH, "n": len(data)}
            )
        codes = []
        for code in data:
            if isinstance(code, int) and not isinstance(code, bool):
                code = str(code)
            elif not isinstance(code, str):
                code = ""
            codes.append(code[:64])
        return codes


class CheckInputSerializer(serializers.Serializer):
    """One USCC (``uscc``) or a batch (``usccs``, at most 1,000), and the business it is for."""

    uscc = serializers.CharField(max_length=64, required=False)
    usccs = CodeListField(
        child=serializers.CharField(max_length=64, allow_blank=True),
        required=False,
        max_length=MAX_BATCH,
    )
    purpose = serializers.CharField(max_length=200)
    department = serializers.CharField(
        max_length=32,
        required=False,
        help_text=_("省级、市县管理员和审计员：按哪个部门的条线返回惩戒措施（部门代码）。"),
    )

    def validate(self, attrs: dict) -> dict:
        has_one, has_many = "uscc" in attrs, "usccs" in attrs
        if has_one == has_many:
            raise serializers.ValidationError(_("请提供 uscc（单个）或 usccs（批量）之一。"))
        if has_many and not attrs["usccs"]:
            raise serializers.ValidationError({"usccs": _("批量核查至少包含 1 个代码。")})
        return attrs


class CheckListSerializer(serializers.Serializer):
    list = serializers.CharField()
    list_name = serializers.CharField()
    entry_id = serializers.IntegerField()
    listed_on = serializers.DateField()
    listing_authority = serializers.CharField()
    listing_document = serializers.CharField()
    listing_reason = serializers.CharField()


class CheckMeasureSerializer(serializers.Serializer):
    code = serializers.CharField()
    category = serializers.CharField()
    content = serializers.CharField()
    legal_basis = serializers.CharField()
    memorandum = serializers.CharField()
    implementing_lines = serializers.ListField(child=serializers.CharField())
    triggered_by = serializers.ListField(child=serializers.CharField())


class CheckErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    rule = serializers.CharField()
    message = serializers.CharField()


class CheckItemSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    uscc = serializers.CharField()
    ok = serializers.BooleanField()
    name = serializers.CharField()
    listed = serializers.BooleanField()
    lists = CheckListSerializer(many=True)
    measures = CheckMeasureSerializer(many=True)
    error = CheckErrorSerializer(allow_null=True)


class CheckOutputSerializer(serializers.Serializer):
    batch = serializers.UUIDField()
    checked_on = serializers.DateField()
    department = serializers.CharField(allow_null=True)
    count = serializers.IntegerField()
    errors = serializers.IntegerField()
    results = CheckItemSerializer(many=True)


class CheckLogSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # A plain string: an enum named "channel" would collide with the records' channel enum.
    channel = serializers.CharField(read_only=True, help_text=_("api 或 web"))

    class Meta:
        model = CheckLog
        fields = [
            "id",
            "checked_at",
            "batch",
            "department",
            "department_id",
            "actor_name",
            "channel",
            "purpose",
            "uscc",
            "enterprise_id",
            "lists",
            "error_code",
        ]
        read_only_fields = fields


class ObligationSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    list_type = serializers.CharField(source="entry.list_type.code", read_only=True)
    uscc = serializers.CharField(source="entry.subject_uscc", read_only=True)
    subject_name = serializers.CharField(source="entry.subject_name", read_only=True)
    listed_on = serializers.DateField(source="entry.listed_on", read_only=True)

    class Meta:
        model = Obligation
        fields = [
            "id",
            "entry",
            "list_type",
            "uscc",
            "subject_name",
            "listed_on",
            "department",
            "department_id",
            "due_on",
            "fulfilled_at",
            "created_at",
        ]
        read_only_fields = fields


class FeedbackSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    measure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # The outcome enum is described once, on the input serializer (one schema component).
    outcome = serializers.CharField(read_only=True, help_text=_("applied 或 not_applicable"))

    class Meta:
        model = Feedback
        fields = [
            "id",
            "department",
            "department_id",
            "enterprise",
            "enterprise_id",
            "measure",
            "entry",
            "obligation",
            "business_context",
            "business_reference",
            "applied_on",
            "outcome",
            "reason",
            "recorded_by_name",
            "created_at",
        ]
        read_only_fields = fields


class FeedbackInputSerializer(serializers.Serializer):
    """What the department applied: entity (USCC), measure (code), business, date, outcome."""

    uscc = serializers.CharField(max_length=18)
    measure = serializers.SlugRelatedField(
        slug_field="code", queryset=Measure.objects.filter(is_active=True)
    )
    business_context = serializers.CharField(max_length=200)
    business_reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    applied_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=FeedbackOutcome.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    department = serializers.CharField(max_length=32, required=False, allow_blank=True)


class FeedbackRateSerializer(serializers.Serializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    due = serializers.IntegerField()
    fulfilled = serializers.IntegerField()
    on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)
