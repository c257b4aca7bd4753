"""Read-only serializers of the public API (never the staff serializers, STYLE.md)."""

from __future__ import annotations

from rest_framework import serializers

from ..models import ChangeEvent, ChangeEventKind, ObjectionStatus


class ChangeEventSerializer(serializers.ModelSerializer):
    """One public announcement at its feed position ``id``."""

    kind = serializers.ChoiceField(choices=ChangeEventKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = ChangeEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "occurred_at",
            "recorded_at",
            "title",
            "summary",
            "resource_code",
            "enterprise_uscc",
            "enterprise_name",
            "department_name",
            "link",
        ]
        read_only_fields = fields


class ChangeFeedPageSerializer(serializers.Serializer):
    """A page of the change feed: resume with ``?after=<next_after>``."""

    results = ChangeEventSerializer(many=True)
    next_after = serializers.IntegerField(help_text="下次请求的 after 参数（本页最后一条的 id）")
    has_more = serializers.BooleanField(help_text="是否还有更多事件（立即再次请求）")


class ChangeFeedQuerySerializer(serializers.Serializer):
    """Query parameters of the change feed."""

    after = serializers.IntegerField(min_value=0, default=0, help_text="从该位置之后开始（不含）")
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=100)
    kind = serializers.MultipleChoiceField(
        choices=ChangeEventKind.choices, required=False, help_text="只要某些类别，可重复"
    )


class ObjectionStatusQuerySerializer(serializers.Serializer):
    """Looking up an objection: its reference and the verification code or phone number."""

    reference = serializers.CharField(max_length=32)
    code = serializers.CharField(max_length=32, help_text="查询码或提交时填写的联系电话")


class ObjectionStatusSerializer(serializers.Serializer):
    """The objector's view of their objection (no contact data, no staff names)."""

    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=ObjectionStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    enterprise_name = serializers.CharField()
    record_label = serializers.CharField()
    department = serializers.CharField(source="department.name")
    submitted_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    answered_at = serializers.DateTimeField(allow_null=True)
    outcome_note = serializers.CharField()
