"""Read-only serializers of the public search and profile (public projections only).

Never the staff serializers (STYLE.md): these read the dataclasses of
:mod:`apps.disclosure.search` and :mod:`apps.disclosure.profile`, which hold
only public facts, catalogue-public fields and masked values.
"""

from __future__ import annotations

from rest_framework import serializers


class PortalSearchQuerySerializer(serializers.Serializer):
    """Query parameters of the public search (validated again by the search itself)."""

    q = serializers.CharField(
        help_text="企业名称（任意连续的字）、统一社会信用代码、注册号或法定代表人姓名",
        allow_blank=True,
        required=False,
        trim_whitespace=False,
    )
    page = serializers.CharField(required=False, help_text="页码，从 1 开始；超过末页时返回末页")


class PortalSearchHitSerializer(serializers.Serializer):
    """One enterprise in the results."""

    uscc = serializers.CharField()
    name = serializers.CharField()
    legal_representative = serializers.CharField()
    status = serializers.CharField(help_text="登记状态代码")
    status_label = serializers.CharField(help_text="登记状态名称")
    established_on = serializers.DateField(allow_null=True)
    region = serializers.CharField()
    badges = serializers.ListField(child=serializers.CharField(), help_text="现列入的名单")
    profile_url = serializers.CharField(help_text="公示页地址")
    api_url = serializers.CharField(help_text="公示信息接口地址")


class PortalSearchResultSerializer(serializers.Serializer):
    """One page of results."""

    query = serializers.CharField()
    match = serializers.CharField(
        help_text="匹配方式：name、uscc、registration_number、organization_code"
    )
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    total = serializers.IntegerField(help_text="结果数（最多 max_results 条）")
    max_results = serializers.IntegerField()
    more_than_max = serializers.BooleanField(help_text="结果超过 max_results 条，请缩小范围")
    results = PortalSearchHitSerializer(many=True)


class PortalFieldSerializer(serializers.Serializer):
    """A public field: catalogue code, label, display value (masked where the catalogue says)."""

    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()


class PortalRecordSerializer(serializers.Serializer):
    """One public record with its source department and date."""

    record_id = serializers.IntegerField()
    department = serializers.CharField(help_text="来源部门")
    decision_date = serializers.DateField()
    public_until = serializers.DateField(allow_null=True, help_text="公示截止日（不含）")
    fields = PortalFieldSerializer(many=True)


class PortalSectionSerializer(serializers.Serializer):
    """One catalogue resource on the profile."""

    code = serializers.CharField(help_text="信息资源代码")
    kind = serializers.CharField()
    name = serializers.CharField()
    records = PortalRecordSerializer(many=True)


class PortalProfileSerializer(serializers.Serializer):
    """The public credit profile of one entity."""

    uscc = serializers.CharField(source="enterprise.uscc")
    name = serializers.CharField(source="enterprise.name")
    on = serializers.DateField(help_text="公示信息截至日期")
    badges = serializers.ListField(
        child=serializers.CharField(), help_text="现列入的名单（含个体工商户经营异常状态）"
    )
    registration = PortalFieldSerializer(many=True)
    sections = PortalSectionSerializer(many=True)
