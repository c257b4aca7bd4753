"""Filters of the generic record list (pages and API share them)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Department

from .models import GenericRecord


class GenericRecordFilterSet(django_filters.FilterSet):
    """Resource code, department (by code or id), subject USCC, decision date range."""

    resource_code = django_filters.CharFilter(label=_("信息资源代码"))
    department = django_filters.ModelChoiceFilter(
        label=_("来源部门"),
        queryset=Department.objects.all(),
        to_field_name="code",
    )
    department_id = django_filters.NumberFilter(label=_("来源部门编号"))
    uscc = django_filters.CharFilter(field_name="subject_uscc", label=_("统一社会信用代码"))
    enterprise = django_filters.CharFilter(field_name="enterprise__uscc", label=_("市场主体"))
    enterprise_id = django_filters.NumberFilter(label=_("市场主体编号"))
    decided_from = django_filters.DateFilter(
        field_name="decision_date", lookup_expr="gte", label=_("决定日期起")
    )
    decided_to = django_filters.DateFilter(
        field_name="decision_date", lookup_expr="lte", label=_("决定日期止")
    )
    business_key = django_filters.CharFilter(label=_("业务主键"))

    class Meta:
        model = GenericRecord
        fields: list[str] = []
