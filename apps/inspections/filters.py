"""Filters of the inspection lists (the API and the pages share them)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Department

from .choices import FollowUpState, PlanStatus, ResultOutcome, TaskStatus
from .models import FollowUp, InspectionResult, Officer, Plan, Task


class OfficerFilterSet(django_filters.FilterSet):
    """Department (code or id), certificate number, active."""

    department = django_filters.ModelChoiceFilter(
        label=_("所属部门"), queryset=Department.objects.all(), to_field_name="code"
    )
    department_id = django_filters.NumberFilter(label=_("所属部门编号"))
    certificate_number = django_filters.CharFilter(label=_("执法证号"))
    is_active = django_filters.BooleanFilter(label=_("在岗"))

    class Meta:
        model = Officer
        fields: list[str] = []


class PlanFilterSet(django_filters.FilterSet):
    """Status, lead department (code or id), plan code."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=PlanStatus.choices)
    lead_department = django_filters.ModelChoiceFilter(
        label=_("牵头部门"), queryset=Department.objects.all(), to_field_name="code"
    )
    lead_department_id = django_filters.NumberFilter(label=_("牵头部门编号"))
    code = django_filters.CharFilter(label=_("计划编号"))

    class Meta:
        model = Plan
        fields: list[str] = []


class TaskFilterSet(django_filters.FilterSet):
    """Plan (code or id), status, entity (USCC or id), officer id, current draw only."""

    plan = django_filters.CharFilter(field_name="plan__code", label=_("计划编号"))
    plan_id = django_filters.NumberFilter(label=_("计划编号（内部）"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=TaskStatus.choices)
    enterprise = django_filters.CharFilter(
        field_name="enterprise__uscc", label=_("统一社会信用代码")
    )
    enterprise_id = django_filters.NumberFilter(label=_("市场主体编号"))
    officer_id = django_filters.NumberFilter(
        field_name="assignments__officer_id", label=_("检查人员编号"), distinct=True
    )
    current = django_filters.BooleanFilter(field_name="draw__is_current", label=_("仅现行抽取"))

    class Meta:
        model = Task
        fields: list[str] = []


class ResultFilterSet(django_filters.FilterSet):
    """Outcome, plan code, completion date range."""

    outcome = django_filters.ChoiceFilter(label=_("检查结果"), choices=ResultOutcome.choices)
    plan = django_filters.CharFilter(field_name="task__plan__code", label=_("计划编号"))
    completed_from = django_filters.DateFilter(
        field_name="completed_on", lookup_expr="gte", label=_("完成日期起")
    )
    completed_to = django_filters.DateFilter(
        field_name="completed_on", lookup_expr="lte", label=_("完成日期止")
    )

    class Meta:
        model = InspectionResult
        fields: list[str] = []


class FollowUpFilterSet(django_filters.FilterSet):
    """State of the follow-up."""

    state = django_filters.ChoiceFilter(label=_("状态"), choices=FollowUpState.choices)

    class Meta:
        model = FollowUp
        fields: list[str] = []
