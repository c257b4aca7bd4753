"""Serializers of the kernel API."""

from __future__ import annotations

from rest_framework import serializers


class ProblemSerializer(serializers.Serializer):
    """An error or warning: stable code, message in the request's language, English text."""

    code = serializers.CharField()
    message = serializers.CharField()
    message_en = serializers.CharField()


class IdentifierPartsSerializer(serializers.Serializer):
    """The parsed parts of an identifier (which keys appear depends on its kind)."""

    authority_code = serializers.CharField(required=False, help_text="第 1 位登记管理部门代码")
    authority = serializers.CharField(required=False)
    category_code = serializers.CharField(required=False, help_text="第 2 位机构类别代码")
    category = serializers.CharField(required=False)
    region_code = serializers.CharField(
        required=False, help_text="登记管理机关行政区划码（发码时）"
    )
    organization_code = serializers.CharField(required=False)
    check_char = serializers.CharField(required=False)
    kind_digit = serializers.CharField(required=False, help_text="注册号第 7 位")
    kind = serializers.CharField(required=False)


class IdentifierCheckSerializer(serializers.Serializer):
    """The outcome of checking a USCC, registration number or organisation code."""

    input = serializers.CharField(source="raw")
    normalized = serializers.CharField()
    status = serializers.ChoiceField(choices=["valid", "legacy", "invalid"])
    kind = serializers.ChoiceField(
        choices=["uscc", "registration_number", "organization_code"], allow_null=True
    )
    errors = ProblemSerializer(many=True)
    warnings = ProblemSerializer(many=True)
    parts = IdentifierPartsSerializer()
