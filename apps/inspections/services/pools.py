"""Pools: entities selected from the registry by filters, frozen as snapshots."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from apps.core.audit import record_event
from apps.core.exceptions import DomainError
from apps.enterprises.models import Enterprise
from apps.organizations.models import Department, Region
from apps.organizations.scoping import region_subtree_ids
from apps.records.registry import list_badges

from ..choices import (
    InspectionEvent,
    TaskStatus,
)
from ..models import (
    PoolMember,
    RiskMark,
    TargetPool,
    Task,
)

#: Entities per list_badges() call while building a pool.
BADGE_CHUNK = 5000


@dataclass
class PoolFilters:
    """Criteria that select a pool's entities from the registry (all optional, combined by AND).

    - ``region_codes``: the entity's region is one of them or a district below;
    - ``entity_types`` / ``statuses``: exact values;
    - ``industry_prefixes``: GB/T 4754 code prefixes (``F`` or ``F51``);
    - ``lists``: names of lists (as the list stores name them); the entity is in one of them;
    - ``risk_grades``: the entity's latest risk grade is one of them;
    - ``not_drawn_since``: leave out entities drawn by any department's plan on or after
      this day (tasks of a redrawn round do not count): SAMR Order 101 (2025 revision)
      asks that spot checks avoid inspecting the same entity again (BRIEF.md 5.1).
    """

    region_codes: list[str] = field(default_factory=list)
    entity_types: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    industry_prefixes: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    risk_grades: list[str] = field(default_factory=list)
    not_drawn_since: datetime.date | None = None

    def as_json(self) -> dict[str, list[str]]:
        """The filters as stored on the pool: every value a sorted list of strings."""
        data = {
            key: sorted(value)
            for key, value in self.__dict__.items()
            if value and key != "not_drawn_since"
        }
        if self.not_drawn_since is not None:
            data["not_drawn_since"] = [self.not_drawn_since.isoformat()]
        return data


def select_pool_entities(filters: PoolFilters, *, on: datetime.date) -> list[tuple[int, int]]:
    """(enterprise id, region id) of every registry entity matching ``filters``, sorted by id."""
    qs = Enterprise.objects.all()
    if filters.region_codes:
        roots = list(
            Region.objects.filter(code__in=filters.region_codes).values_list("pk", flat=True)
        )
        missing = set(filters.region_codes) - set(
            Region.objects.filter(pk__in=roots).values_list("code", flat=True)
        )
        if missing:
            raise DomainError(
                gettext("字段“区划”：未知的区划代码 %(codes)s。")
                % {"codes": "、".join(sorted(missing))},
                code="pool_region_unknown",
            )
        region_ids: set[int] = set()
        for root in roots:
            region_ids |= region_subtree_ids(root)
        qs = qs.filter(region_id__in=region_ids)
    if filters.entity_types:
        qs = qs.filter(entity_type__in=filters.entity_types)
    if filters.statuses:
        qs = qs.filter(status__in=filters.statuses)
    if filters.industry_prefixes:
        condition = Q()
        for prefix in filters.industry_prefixes:
            condition |= Q(industry_code__startswith=prefix.strip().upper())
        qs = qs.filter(condition)
    if filters.risk_grades:
        latest = (
            RiskMark.objects.filter(enterprise=OuterRef("pk"), assessed_on__lte=on)
            .order_by("-assessed_on", "-pk")
            .values("grade")[:1]
        )
        qs = qs.annotate(_risk=Subquery(latest)).filter(_risk__in=filters.risk_grades)
    if filters.not_drawn_since is not None:
        if filters.not_drawn_since > on:
            raise DomainError(
                gettext("字段“排除该日起已被抽中的主体”：%(day)s 晚于今天 %(today)s。")
                % {"day": filters.not_drawn_since, "today": on},
                code="pool_not_drawn_since_future",
            )
        since = timezone.make_aware(
            datetime.datetime.combine(filters.not_drawn_since, datetime.time.min)
        )
        drawn = Task.objects.filter(enterprise=OuterRef("pk"), created_at__gte=since).exclude(
            status=TaskStatus.CANCELLED
        )
        qs = qs.filter(~Exists(drawn))
    rows = list(qs.order_by("pk").values_list("pk", "region_id"))
    if filters.lists:
        wanted = set(filters.lists)
        kept: list[tuple[int, int]] = []
        for start in range(0, len(rows), BADGE_CHUNK):
            chunk = rows[start : start + BADGE_CHUNK]
            badges = list_badges([pk for pk, _region in chunk], on=on)
            kept.extend(row for row in chunk if wanted & set(badges.get(row[0], [])))
        rows = kept
    return rows


def build_pool(
    *, department: Department, name: str, filters: PoolFilters, actor: Any
) -> TargetPool:
    """Select entities by ``filters`` and freeze them as a new pool (a snapshot)."""
    name = (name or "").strip()
    if not name:
        raise DomainError(gettext("字段“名称”：必须填写。"), code="pool_name_required")
    today = timezone.localdate()
    rows = select_pool_entities(filters, on=today)
    if not rows:
        raise DomainError(
            gettext("筛选条件没有选中任何市场主体，检查对象名录不能为空；请放宽筛选条件。"),
            code="pool_empty",
        )
    with transaction.atomic():
        pool = TargetPool.objects.create(
            department=department,
            name=name[:200],
            filters=filters.as_json(),
            member_count=len(rows),
            snapshot_at=timezone.now(),
            created_by=actor if getattr(actor, "_meta", None) is not None else None,
        )
        PoolMember.objects.bulk_create(
            [
                PoolMember(pool=pool, enterprise_id=pk, region_id_at_snapshot=region)
                for pk, region in rows
            ],
            batch_size=5000,
        )
        record_event(
            InspectionEvent.POOL_CREATED,
            actor=actor,
            target=pool,
            after={"filters": pool.filters, "member_count": pool.member_count},
            department_code=department.code,
        )
    return pool
