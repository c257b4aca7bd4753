"""FilterSets of the quality API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ..choices import Dimension, IssueStatus, PeriodKind, ScopeKind
from ..models import CoverageFigure, QualityIssue, SamplingCheck, Scorecard
from ..scoring import Period


def _filter_period(queryset: QuerySet, name: str, value: str) -> QuerySet:
    period = Period.parse(value)
    if period is None:
        return queryset.none()
    return queryset.filter(period_kind=period.kind, period_start=period.start)


class ScorecardFilterSet(django_filters.FilterSet):
    """Scorecards by period (``2026-03`` or ``2026Q1``), kind, subject."""

    period = django_filters.CharFilter(method=_filter_period, label=_("期间（2026-03 或 2026Q1）"))
    period_kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label=_("周期"))
    scope_kind = django_filters.ChoiceFilter(choices=ScopeKind.choices, label=_("对象"))
    department = django_filters.CharFilter(field_name="department__code", label=_("部门代码"))
    department_id = django_filters.NumberFilter(label=_("部门编号"))
    region = django_filters.CharFilter(field_name="region__code", label=_("市县代码"))
    region_id = django_filters.NumberFilter(label=_("市县编号"))

    class Meta:
        model = Scorecard
        fields: list[str] = []


class CoverageFilterSet(django_filters.FilterSet):
    period = django_filters.CharFilter(method=_filter_period, label=_("期间（2026-03 或 2026Q1）"))
    period_kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label=_("周期"))
    region = django_filters.CharFilter(field_name="region__code", label=_("区划代码"))
    region_id = django_filters.NumberFilter(label=_("区划编号"))
    resource_code = django_filters.CharFilter(label=_("信息资源代码（空为总体）"))
    is_province = django_filters.BooleanFilter(label=_("全省"))

    class Meta:
        model = CoverageFigure
        fields: list[str] = []


class QualityIssueFilterSet(django_filters.FilterSet):
    """Issues by rule, dimension, status, department, resource, record and receipt period."""

    rule = django_filters.CharFilter(field_name="rule__code", label=_("规则代码"))
    dimension = django_filters.ChoiceFilter(choices=Dimension.choices, label=_("质量维度"))
    status = django_filters.ChoiceFilter(choices=IssueStatus.choices, label=_("状态"))
    department = django_filters.CharFilter(field_name="department__code", label=_("部门代码"))
    department_id = django_filters.NumberFilter(label=_("部门编号"))
    region = django_filters.CharFilter(method="filter_region", label=_("区划代码（含下辖区）"))
    resource_code = django_filters.CharFilter(label=_("信息资源代码"))
    record_type = django_filters.CharFilter(
        method="filter_record_type", label=_("记录类型（如 records.genericrecord）")
    )
    object_id = django_filters.NumberFilter(label=_("记录编号"))
    received_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("接收日期起")
    )
    received_to = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("接收日期止")
    )

    class Meta:
        model = QualityIssue
        fields: list[str] = []

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(department__region__code=value) | Q(department__region__parent__code=value)
        )

    def filter_record_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        app_label, _sep, model = value.lower().partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class SamplingCheckFilterSet(django_filters.FilterSet):
    check_from = django_filters.DateFilter(
        field_name="check_date", lookup_expr="gte", label=_("抽查日期起")
    )
    check_to = django_filters.DateFilter(
        field_name="check_date", lookup_expr="lte", label=_("抽查日期止")
    )

    class Meta:
        model = SamplingCheck
        fields = ["status"]
