"""FilterSets of the catalogue API, reused by the catalogue pages."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ..choices import ProposalStatus, ResourceKind, Severity, VersionStatus
from ..models import (
    CatalogueAnnouncement,
    PublicityRegime,
    Resource,
    ResourceVersion,
    SupplementProposal,
)


class ResourceFilterSet(django_filters.FilterSet):
    """Filter resources by kind and search by code or name."""

    kind = django_filters.ChoiceFilter(choices=ResourceKind.choices, label=_("类别"))
    q = django_filters.CharFilter(method="filter_q", label=_("代码或名称"))

    class Meta:
        model = Resource
        fields = ["kind", "is_active", "q"]

    def filter_q(self, queryset: QuerySet[Resource], name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(current_version__name__icontains=value))


class ResourceVersionFilterSet(django_filters.FilterSet):
    """Filter versions by resource (code or id) and status."""

    resource = django_filters.CharFilter(field_name="resource__code", label=_("资源代码"))
    resource_id = django_filters.NumberFilter(field_name="resource_id", label=_("资源编号"))
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices, label=_("状态"))

    class Meta:
        model = ResourceVersion
        fields = ["resource", "resource_id", "status", "number"]


class PublicityRegimeFilterSet(django_filters.FilterSet):
    """Filter regimes by resource (code or id) and severity."""

    resource = django_filters.CharFilter(field_name="resource__code", label=_("资源代码"))
    resource_id = django_filters.NumberFilter(field_name="resource_id", label=_("资源编号"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("严重程度"))

    class Meta:
        model = PublicityRegime
        fields = ["resource", "resource_id", "severity", "category"]


class CatalogueAnnouncementFilterSet(django_filters.FilterSet):
    """Filter announcements by resource code."""

    resource = django_filters.CharFilter(field_name="version__resource__code", label=_("资源代码"))
    resource_id = django_filters.NumberFilter(
        field_name="version__resource_id", label=_("资源编号")
    )

    class Meta:
        model = CatalogueAnnouncement
        fields = ["resource", "resource_id"]


class SupplementProposalFilterSet(django_filters.FilterSet):
    """Filter proposals by status, resource and department (codes or ids)."""

    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label=_("状态"))
    resource = django_filters.CharFilter(field_name="resource__code", label=_("资源代码"))
    resource_id = django_filters.NumberFilter(field_name="resource_id", label=_("资源编号"))
    department = django_filters.CharFilter(field_name="department__code", label=_("部门代码"))
    department_id = django_filters.NumberFilter(field_name="department_id", label=_("部门编号"))

    class Meta:
        model = SupplementProposal
        fields = ["status", "resource", "resource_id", "department", "department_id"]
