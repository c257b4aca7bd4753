"""The enterprise FilterSet, used by the staff list page and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.uscc import normalize_code
from apps.organizations.models import Region
from apps.organizations.scoping import region_subtree_ids

from .choices import EnterpriseStatus, EntityType
from .models import Enterprise
from .selectors import search_enterprises


class EnterpriseFilterSet(django_filters.FilterSet):
    """Filter market entities.

    - ``q``: a name (substring, former names included) or any identifier
      (USCC, 注册号, 组织机构代码), see :func:`~.selectors.search_enterprises`;
    - ``uscc``: exact, normalised (case, full-width, spaces);
    - ``region`` (code) and ``region_id``: the region and the regions below it
      (Haikou includes its districts, Danzhou includes Yangpu);
    - ``entity_type``, ``status``; ``established_after``/``established_before``
      (inclusive); ``legal_representative`` (exact name).
    """

    q = django_filters.CharFilter(method="filter_q", label=_("名称或代码"))
    uscc = django_filters.CharFilter(method="filter_uscc", label=_("统一社会信用代码"))
    region = django_filters.CharFilter(method="filter_region", label=_("区划代码"))
    region_id = django_filters.NumberFilter(method="filter_region_id", label=_("区划编号"))
    entity_type = django_filters.ChoiceFilter(choices=EntityType.choices, label=_("主体类型"))
    status = django_filters.ChoiceFilter(choices=EnterpriseStatus.choices, label=_("登记状态"))
    established_after = django_filters.DateFilter(
        field_name="established_on", lookup_expr="gte", label=_("成立日期起")
    )
    established_before = django_filters.DateFilter(
        field_name="established_on", lookup_expr="lte", label=_("成立日期止")
    )
    legal_representative = django_filters.CharFilter(
        method="filter_legal_representative", label=_("法定代表人")
    )

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "uscc",
            "region",
            "region_id",
            "entity_type",
            "status",
            "established_after",
            "established_before",
            "legal_representative",
        ]

    def filter_q(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet:
        return search_enterprises(queryset, value)

    def filter_uscc(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet:
        normalized = normalize_code(value)
        return queryset.filter(uscc=normalized) if normalized else queryset

    def filter_region(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet:
        value = value.strip().upper()
        if not value:
            return queryset
        region_id = Region.objects.filter(code=value).values_list("pk", flat=True).first()
        if region_id is None:
            return queryset.none()
        return queryset.filter(region_id__in=region_subtree_ids(region_id))

    def filter_region_id(self, queryset: QuerySet[Enterprise], name: str, value: int) -> QuerySet:
        return queryset.filter(region_id__in=region_subtree_ids(int(value)))

    def filter_legal_representative(
        self, queryset: QuerySet[Enterprise], name: str, value: str
    ) -> QuerySet:
        value = value.strip()
        return queryset.filter(legal_representative=value) if value else queryset
