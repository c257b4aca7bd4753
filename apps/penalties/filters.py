"""Filters of the penalty and repair lists (pages and API share them)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.catalogue.choices import Severity
from apps.organizations.models import Department

from .choices import ApplicationStatus, PenaltyKind, RepairStatus
from .models import Penalty, RepairApplication


class PenaltyFilterSet(django_filters.FilterSet):
    """Department (code or id), subject, kind, severity, repair state, publicity on a day, dates."""

    q = django_filters.CharFilter(method="filter_q", label=_("名称或文号"))
    department = django_filters.ModelChoiceFilter(
        label=_("处罚部门"), queryset=Department.objects.all(), to_field_name="code"
    )
    department_id = django_filters.NumberFilter(label=_("处罚部门编号"))
    uscc = django_filters.CharFilter(field_name="subject_uscc", label=_("统一社会信用代码"))
    enterprise_id = django_filters.NumberFilter(label=_("市场主体编号"))
    category = django_filters.ChoiceFilter(
        choices=PenaltyKind.choices, method="filter_category", label=_("处罚类别")
    )
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("严重程度"))
    repair_status = django_filters.ChoiceFilter(
        choices=RepairStatus.choices, label=_("信用修复状态")
    )
    revoked = django_filters.BooleanFilter(method="filter_revoked", label=_("已撤销"))
    public_on = django_filters.DateFilter(method="filter_public_on", label=_("在此日公示"))
    decided_from = django_filters.DateFilter(
        field_name="decision_date", lookup_expr="gte", label=_("决定日期起")
    )
    decided_to = django_filters.DateFilter(
        field_name="decision_date", lookup_expr="lte", label=_("决定日期止")
    )

    class Meta:
        model = Penalty
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return qs.filter(Q(subject_name__icontains=value) | Q(document_number__icontains=value))

    def filter_category(self, qs, name, value):
        return qs.filter(categories__contains=[value])

    def filter_revoked(self, qs, name, value):
        revoked = Q(revoked_at__isnull=False) | Q(reported_status="1")
        return qs.filter(revoked) if value else qs.exclude(revoked)

    def filter_public_on(self, qs, name, value):
        return qs.public_on(value)


class RepairApplicationFilterSet(django_filters.FilterSet):
    """Status, department of the penalty, applicant USCC."""

    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label=_("状态"))
    department = django_filters.ModelChoiceFilter(
        label=_("处罚部门"),
        queryset=Department.objects.all(),
        to_field_name="code",
        field_name="penalty__department",
    )
    uscc = django_filters.CharFilter(field_name="applicant_uscc", label=_("统一社会信用代码"))
    penalty_id = django_filters.NumberFilter(label=_("行政处罚编号"))

    class Meta:
        model = RepairApplication
        fields: list[str] = []
