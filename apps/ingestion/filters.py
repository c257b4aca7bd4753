"""Filters of submission lists."""

from __future__ import annotations

import django_filters

from apps.ingestion.models import Submission


class SubmissionFilterSet(django_filters.FilterSet):
    """Filter submissions by department and resource (code and id) and status."""

    department = django_filters.CharFilter(field_name="department__code")
    department_id = django_filters.NumberFilter(field_name="department_id")
    resource = django_filters.CharFilter(field_name="resource__code")
    resource_id = django_filters.NumberFilter(field_name="resource_id")

    class Meta:
        model = Submission
        fields = ["status", "channel"]
