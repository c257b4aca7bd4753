"""Filters of claim tasks and notices (pages and API share them)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Department

from .choices import TaskStatus
from .models import ClaimTask, LicensingMatter, Notice


class ClaimTaskFilterSet(django_filters.FilterSet):
    """Status, department (code or id), enterprise (USCC or id), matter (code or id), deadline."""

    status = django_filters.MultipleChoiceFilter(label=_("状态"), choices=TaskStatus.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("认领部门"), queryset=Department.objects.all(), to_field_name="code"
    )
    department_id = django_filters.NumberFilter(label=_("认领部门编号"))
    enterprise = django_filters.CharFilter(
        field_name="enterprise__uscc", label=_("统一社会信用代码")
    )
    enterprise_id = django_filters.NumberFilter(label=_("市场主体编号"))
    matter = django_filters.ModelChoiceFilter(
        label=_("许可事项"), queryset=LicensingMatter.objects.all(), to_field_name="code"
    )
    matter_id = django_filters.NumberFilter(label=_("许可事项编号"))
    notice = django_filters.CharFilter(field_name="notice__number", label=_("告知书编号"))
    notice_id = django_filters.NumberFilter(label=_("告知书编号（内部）"))
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label=_("认领期限不晚于")
    )

    class Meta:
        model = ClaimTask
        fields: list[str] = []


class NoticeFilterSet(django_filters.FilterSet):
    """Enterprise (USCC or id), registration date range, trigger."""

    enterprise = django_filters.CharFilter(
        field_name="enterprise__uscc", label=_("统一社会信用代码")
    )
    enterprise_id = django_filters.NumberFilter(label=_("市场主体编号"))
    number = django_filters.CharFilter(label=_("告知书编号"))
    registered_from = django_filters.DateFilter(
        field_name="registered_on", lookup_expr="gte", label=_("登记日期起")
    )
    registered_to = django_filters.DateFilter(
        field_name="registered_on", lookup_expr="lte", label=_("登记日期止")
    )

    class Meta:
        model = Notice
        fields = ["trigger"]
