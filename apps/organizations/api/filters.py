"""FilterSets of the organizations API, reused by the list pages.

Foreign keys come in pairs: the business key (a region or department code,
a username) and ``<fk>_id``.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.choices import AuditEventType, Channel
from apps.core.models import AuditEvent

from ..choices import DepartmentLevel, RegionLevel, Role
from ..models import ApiToken, Department, Region, User


class RegionFilterSet(django_filters.FilterSet):
    """Filter regions by level and parent (code or id)."""

    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("级别"))
    parent = django_filters.CharFilter(field_name="parent__code", label=_("上级区划代码"))
    parent_id = django_filters.NumberFilter(field_name="parent_id", label=_("上级区划编号"))
    code = django_filters.CharFilter(field_name="code", label=_("区划代码"))

    class Meta:
        model = Region
        fields = ["level", "parent", "parent_id", "code", "is_gb2260"]


class DepartmentFilterSet(django_filters.FilterSet):
    """Filter departments by region (code or id), level, line and name."""

    region = django_filters.CharFilter(field_name="region__code", label=_("区划代码"))
    region_id = django_filters.NumberFilter(field_name="region_id", label=_("区划编号"))
    level = django_filters.ChoiceFilter(choices=DepartmentLevel.choices, label=_("层级"))
    line = django_filters.CharFilter(field_name="line", label=_("条线"))
    parent = django_filters.CharFilter(field_name="parent__code", label=_("上级部门代码"))
    parent_id = django_filters.NumberFilter(field_name="parent_id", label=_("上级部门编号"))
    q = django_filters.CharFilter(method="filter_q", label=_("名称或代码"))

    class Meta:
        model = Department
        fields = ["region", "region_id", "level", "line", "parent", "parent_id", "is_active"]

    def filter_q(self, queryset: QuerySet[Department], name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(short_name__icontains=value)
        )


class UserFilterSet(django_filters.FilterSet):
    """Filter people by role, department (code or id), region and name."""

    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("角色"))
    department = django_filters.CharFilter(field_name="department__code", label=_("部门代码"))
    department_id = django_filters.NumberFilter(field_name="department_id", label=_("部门编号"))
    region = django_filters.CharFilter(method="filter_region", label=_("区划代码"))
    q = django_filters.CharFilter(method="filter_q", label=_("用户名或姓名"))

    class Meta:
        model = User
        fields = ["role", "department", "department_id", "region", "is_active"]

    def filter_region(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet:
        return queryset.filter(Q(region__code=value) | Q(department__region__code=value))

    def filter_q(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))


class ApiTokenFilterSet(django_filters.FilterSet):
    """Filter tokens by department (code or id) and whether they still work."""

    department = django_filters.CharFilter(field_name="department__code", label=_("部门代码"))
    department_id = django_filters.NumberFilter(field_name="department_id", label=_("部门编号"))
    active = django_filters.BooleanFilter(method="filter_active", label=_("有效"))

    class Meta:
        model = ApiToken
        fields = ["department", "department_id", "active"]

    def filter_active(self, queryset: QuerySet[ApiToken], name: str, value: bool) -> QuerySet:
        active = ApiToken.objects.active().values("pk")
        return queryset.filter(pk__in=active) if value else queryset.exclude(pk__in=active)


class AuditEventFilterSet(django_filters.FilterSet):
    """Filter the audit history by type, department, actor, channel and date range."""

    event_type = django_filters.ChoiceFilter(choices=AuditEventType.choices, label=_("事件类型"))
    department = django_filters.CharFilter(field_name="department_code", label=_("部门代码"))
    actor = django_filters.CharFilter(field_name="actor__username", label=_("操作人用户名"))
    actor_id = django_filters.NumberFilter(field_name="actor_id", label=_("操作人编号"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("渠道"))
    date_from = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("起始日期")
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("截止日期")
    )

    class Meta:
        model = AuditEvent
        fields = ["event_type", "department", "actor", "actor_id", "channel"]
