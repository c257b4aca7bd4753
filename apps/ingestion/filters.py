"""Filters of submission lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.ingestion.models import Submission


class SubmissionFilterSet(django_filters.FilterSet):
    """Filter submissions by department and resource (code and id) and status."""

    department = django_filters.CharFilter(field_name="department__code", label=_("部门代码"))
    department_id = django_filters.NumberFilter(field_name="department_id")
    resource = django_filters.CharFilter(field_name="resource__code", label=_("资源代码"))
    resource_id = django_filters.NumberFilter(field_name="resource_id")

    class Meta:
        model = Submission
        fields = ["status", "channel"]
