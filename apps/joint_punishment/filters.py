"""Filters of the list pages and the API (shared)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Department

from .choices import FeedbackOutcome, ProposalKind, ProposalStatus
from .models import CheckLog, Feedback, ListEntry, ListType, Obligation, Proposal


class ListEntryFilterSet(django_filters.FilterSet):
    """List type, USCC, department, listing date range and in force on a day."""

    list_type = django_filters.ModelChoiceFilter(
        label=_("名单类型"), queryset=ListType.objects.all(), to_field_name="code"
    )
    list_type_id = django_filters.NumberFilter(label=_("名单类型编号"))
    uscc = django_filters.CharFilter(field_name="subject_uscc", label=_("统一社会信用代码"))
    enterprise_id = django_filters.NumberFilter(label=_("市场主体编号"))
    department = django_filters.ModelChoiceFilter(
        label=_("决定部门"), queryset=Department.objects.all(), to_field_name="code"
    )
    department_id = django_filters.NumberFilter(label=_("决定部门编号"))
    listed_from = django_filters.DateFilter(
        field_name="listed_on", lookup_expr="gte", label=_("列入日期起")
    )
    listed_to = django_filters.DateFilter(
        field_name="listed_on", lookup_expr="lte", label=_("列入日期止")
    )
    in_force_on = django_filters.DateFilter(method="filter_in_force", label=_("在列日期"))

    class Meta:
        model = ListEntry
        fields: list[str] = []

    def filter_in_force(self, qs: QuerySet, name: str, value) -> QuerySet:
        return qs.in_force(value) if value else qs


class ProposalFilterSet(django_filters.FilterSet):
    """Kind, status, department, USCC, overdue, basis corrected after confirmation."""

    kind = django_filters.ChoiceFilter(label=_("建议类型"), choices=ProposalKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProposalStatus.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("决定部门"), queryset=Department.objects.all(), to_field_name="code"
    )
    department_id = django_filters.NumberFilter(label=_("决定部门编号"))
    uscc = django_filters.CharFilter(field_name="enterprise__uscc", label=_("统一社会信用代码"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("已超期"))
    basis_corrected = django_filters.BooleanFilter(
        field_name="basis_corrected_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("列入依据已更正"),
    )

    class Meta:
        model = Proposal
        fields: list[str] = []

    def filter_overdue(self, qs: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return qs
        late = Q(status=ProposalStatus.PENDING, decide_by__lt=timezone.localdate())
        return qs.filter(late) if value else qs.exclude(late)


class CheckLogFilterSet(django_filters.FilterSet):
    """Checked code, checking department, purpose, time range."""

    uscc = django_filters.CharFilter(label=_("统一社会信用代码"))
    department = django_filters.ModelChoiceFilter(
        label=_("查询部门"), queryset=Department.objects.all(), to_field_name="code"
    )
    department_id = django_filters.NumberFilter(label=_("查询部门编号"))
    purpose = django_filters.CharFilter(lookup_expr="icontains", label=_("办理业务"))
    checked_from = django_filters.DateFilter(
        field_name="checked_at", lookup_expr="date__gte", label=_("查询日期起")
    )
    checked_to = django_filters.DateFilter(
        field_name="checked_at", lookup_expr="date__lte", label=_("查询日期止")
    )

    class Meta:
        model = CheckLog
        fields: list[str] = []


class ObligationFilterSet(django_filters.FilterSet):
    """Department, open/overdue state."""

    department = django_filters.ModelChoiceFilter(
        label=_("实施部门"), queryset=Department.objects.all(), to_field_name="code"
    )
    department_id = django_filters.NumberFilter(label=_("实施部门编号"))
    fulfilled = django_filters.BooleanFilter(
        field_name="fulfilled_at", lookup_expr="isnull", exclude=True, label=_("已反馈")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("已超期"))

    class Meta:
        model = Obligation
        fields: list[str] = []

    def filter_overdue(self, qs: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return qs
        late = Q(fulfilled_at__isnull=True, due_on__lt=timezone.localdate())
        return qs.filter(late) if value else qs.exclude(late)


class FeedbackFilterSet(django_filters.FilterSet):
    """Department, measure, USCC, outcome, date range."""

    department = django_filters.ModelChoiceFilter(
        label=_("实施部门"), queryset=Department.objects.all(), to_field_name="code"
    )
    department_id = django_filters.NumberFilter(label=_("实施部门编号"))
    measure = django_filters.CharFilter(field_name="measure__code", label=_("措施代码"))
    uscc = django_filters.CharFilter(field_name="enterprise__uscc", label=_("统一社会信用代码"))
    outcome = django_filters.ChoiceFilter(label=_("结果"), choices=FeedbackOutcome.choices)
    applied_from = django_filters.DateFilter(
        field_name="applied_on", lookup_expr="gte", label=_("实施日期起")
    )
    applied_to = django_filters.DateFilter(
        field_name="applied_on", lookup_expr="lte", label=_("实施日期止")
    )

    class Meta:
        model = Feedback
        fields: list[str] = []
