"""Pagination of the enterprise list: counts stop at a cap."""

from __future__ import annotations

from typing import Any

from apps.core.api.pagination import OrderedLimitOffsetPagination

from ..selectors import capped_count

# An exact COUNT(*) over a few million enterprises takes seconds on every
# page; past this many rows ``count`` reads MAX_COUNTED_ROWS + 1 ("more") and
# offsets beyond it return no rows: callers narrow the filters instead.
MAX_COUNTED_ROWS = 10_000


class CappedCountPagination(OrderedLimitOffsetPagination):
    """The project pagination with ``count`` capped at ``MAX_COUNTED_ROWS`` + 1."""

    def get_count(self, queryset: Any) -> int:
        return capped_count(queryset, MAX_COUNTED_ROWS)
