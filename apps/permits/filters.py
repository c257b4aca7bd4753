"""Filters of the licence list (pages and API share them)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Department

from .models import Licence


class LicenceFilterSet(django_filters.FilterSet):
    """Department (code or id), subject, category, publicity on a day, decision dates."""

    q = django_filters.CharFilter(method="filter_q", label=_("名称、文号或许可编号"))
    department = django_filters.ModelChoiceFilter(
        label=_("许可部门"), queryset=Department.objects.all(), to_field_name="code"
    )
    department_id = django_filters.NumberFilter(label=_("许可部门编号"))
    uscc = django_filters.CharFilter(field_name="subject_uscc", label=_("统一社会信用代码"))
    enterprise_id = django_filters.NumberFilter(label=_("市场主体编号"))
    category = django_filters.CharFilter(label=_("许可类别"))
    public_on = django_filters.DateFilter(method="filter_public_on", label=_("在此日公示"))
    decided_from = django_filters.DateFilter(
        field_name="decision_date", lookup_expr="gte", label=_("决定日期起")
    )
    decided_to = django_filters.DateFilter(
        field_name="decision_date", lookup_expr="lte", label=_("决定日期止")
    )

    class Meta:
        model = Licence
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return qs.filter(
            Q(subject_name__icontains=value)
            | Q(document_number__icontains=value)
            | Q(licence_number__icontains=value)
        )

    def filter_public_on(self, qs, name, value):
        return qs.public_on(value)
