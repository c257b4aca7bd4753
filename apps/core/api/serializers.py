"""Serializers of the kernel API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

STATUS_CHOICES = [
    ("valid", _("有效")),
    ("legacy", _("历史代码：接收但需与登记机关核实")),
    ("invalid", _("无效")),
]
KIND_CHOICES = [
    ("uscc", _("统一社会信用代码")),
    ("registration_number", _("注册号")),
    ("organization_code", _("组织机构代码")),
]


class ProblemSerializer(serializers.Serializer):
    """An error or warning: stable code, message in the request's language, English text."""

    code = serializers.CharField(help_text="稳定的原因代码，如 check_digit、excel_scientific")
    message = serializers.CharField(help_text="按请求语言（Accept-Language）给出的说明")
    message_en = serializers.CharField(help_text="英文说明")


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

    input = serializers.CharField(source="raw", help_text="收到的原始代码")
    normalized = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    kind = serializers.ChoiceField(choices=KIND_CHOICES, allow_null=True)
    errors = ProblemSerializer(many=True)
    warnings = ProblemSerializer(many=True)
    parts = IdentifierPartsSerializer()


class ThrottledSerializer(serializers.Serializer):
    """DRF's answer when a client is over its rate (HTTP 429, with ``Retry-After``)."""

    detail = serializers.CharField()
