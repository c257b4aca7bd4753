"""The project's one pagination class."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from rest_framework.pagination import LimitOffsetPagination


class OrderedLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset pagination with a hard maximum that refuses unordered querysets.

    Offsets over an unordered queryset return rows twice or never (NetBox's
    rule), so a list view without a deterministic ``ordering`` is a bug.
    """

    default_limit = 50
    max_limit = 500

    def paginate_queryset(self, queryset, request, view=None):  # type: ignore[override]
        if isinstance(queryset, QuerySet) and not queryset.ordered:
            raise ImproperlyConfigured(
                f"{view.__class__.__name__ if view else 'list'}: paginating an unordered queryset"
            )
        return super().paginate_queryset(queryset, request, view)
