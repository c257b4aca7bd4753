"""Every state change of 双随机一公开: officers, conflicts, pools, plans, draws, results.

Each service runs in one transaction and writes its audit event inside it
(apps.core.audit.record_event). Bad input raises :class:`DomainError` with a
Chinese message naming the field and the rule; views show it as is. Split by
topic (STYLE.md); import from ``apps.inspections.services``.
"""

from __future__ import annotations

from .officers import declare_conflict, mark_risk, remove_conflict, save_officer
from .plans import create_plan, draw_inputs, draw_plan, may_manage_plan
from .pools import PoolFilters, build_pool, select_pool_entities
from .results import (
    DEFAULT_RESULT_DEADLINE,
    RESULT_RESOURCE,
    enter_result,
    may_enter_result,
    propose_abnormal_listing,
    publish_result,
    result_deadline_days,
    result_values,
    sync_abnormal_listing,
)

__all__ = [
    "DEFAULT_RESULT_DEADLINE",
    "RESULT_RESOURCE",
    "PoolFilters",
    "build_pool",
    "create_plan",
    "declare_conflict",
    "draw_inputs",
    "draw_plan",
    "enter_result",
    "mark_risk",
    "may_enter_result",
    "may_manage_plan",
    "propose_abnormal_listing",
    "publish_result",
    "remove_conflict",
    "result_deadline_days",
    "result_values",
    "save_officer",
    "select_pool_entities",
    "sync_abnormal_listing",
]
