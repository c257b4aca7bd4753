"""Read queries of the quality app shared by pages, the API and the home panel.

Every queryset here goes through :mod:`apps.organizations.scoping`: department
staff see their department, city/county administrators their region (its
districts included), provincial administrators and auditors everything.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.urls import NoReverseMatch, reverse

from apps.organizations.choices import Action, Role
from apps.organizations.models import Department, Region
from apps.organizations.scoping import principal_role, region_subtree_ids, scope_queryset

from .choices import IssueStatus, PeriodKind, ScopeKind
from .models import (
    CoverageFigure,
    QualityIssue,
    RankingNotice,
    SampledRecord,
    SamplingCheck,
    SamplingDepartment,
    Scorecard,
)
from .scoring import Period


def sees_everything(principal: Any) -> bool:
    """Provincial administrators and auditors see the whole province."""
    return principal_role(principal) in (Role.PROVINCE_ADMIN, Role.AUDITOR)


def visible_department_ids(principal: Any) -> list[int] | None:
    """Departments whose quality figures ``principal`` may see (None: all)."""
    role = principal_role(principal)
    if role in (Role.PROVINCE_ADMIN, Role.AUDITOR):
        return None
    if role == Role.REGION_ADMIN:
        regions = region_subtree_ids(getattr(principal, "region_id", None))
        return list(Department.objects.filter(region_id__in=regions).values_list("pk", flat=True))
    department_id = getattr(principal, "department_id", None)
    if role in (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LIAISON) and department_id:
        return [department_id]
    return []


def may_see_department(principal: Any, department: Department) -> bool:
    ids = visible_department_ids(principal)
    return ids is None or department.pk in ids


def may_see_region(principal: Any, region: Region) -> bool:
    if sees_everything(principal):
        return True
    if principal_role(principal) == Role.REGION_ADMIN:
        return region.pk in region_subtree_ids(getattr(principal, "region_id", None))
    return False


def visible_issues(principal: Any) -> QuerySet[QualityIssue]:
    qs = QualityIssue.objects.select_related("rule", "department", "content_type")
    return scope_queryset(qs, principal, Action.VIEW)


def visible_scorecards(principal: Any) -> QuerySet[Scorecard]:
    qs = Scorecard.objects.select_related("department", "region")
    return scope_queryset(qs, principal, Action.VIEW)


def latest_period(kind: str = PeriodKind.MONTH) -> Period | None:
    """The most recent period with computed scorecards."""
    start = (
        Scorecard.objects.filter(period_kind=kind)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    return Period.containing(kind, start) if start else None


def computed_periods(kind: str = PeriodKind.MONTH, limit: int = 12) -> list[Period]:
    starts = (
        Scorecard.objects.filter(period_kind=kind)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .distinct()[:limit]
    )
    return [Period.containing(kind, start) for start in starts]


def period_cards(principal: Any, period: Period, scope: str, **filters: Any) -> QuerySet[Scorecard]:
    return visible_scorecards(principal).filter(
        period_kind=period.kind, period_start=period.start, scope_kind=scope, **filters
    )


def trend(principal: Any, kind: str, scope: str, *, limit: int = 12, **filters: Any) -> list[Any]:
    """Scorecards of one subject over the last ``limit`` periods, oldest first."""
    cards = (
        visible_scorecards(principal)
        .filter(period_kind=kind, scope_kind=scope, **filters)
        .order_by("-period_start")[:limit]
    )
    return list(reversed(list(cards)))


def coverage_figures(period: Period, *, region: Region | None = None) -> QuerySet[CoverageFigure]:
    qs = CoverageFigure.objects.filter(
        period_kind=period.kind, period_start=period.start
    ).select_related("region")
    if region is not None:
        qs = qs.filter(region=region)
    return qs


def issue_counts_by_rule(issues: QuerySet[QualityIssue]) -> list[dict[str, Any]]:
    """Open issues per rule (with the dimension's label), most frequent first."""
    from .choices import Dimension

    rows = list(
        issues.filter(status=IssueStatus.OPEN)
        .values("rule__code", "rule__name", "dimension")
        .annotate(n=Count("pk"))
        .order_by("-n", "rule__code")
    )
    for row in rows:
        row["dimension_label"] = Dimension(row["dimension"]).label
    return rows


def visible_sampling_checks(principal: Any) -> QuerySet[SamplingCheck]:
    return scope_queryset(SamplingCheck.objects.all(), principal, Action.VIEW)


def visible_samples(principal: Any, check: SamplingCheck) -> QuerySet[SampledRecord]:
    """Sampled records of a check that ``principal`` may see: their scope, or assigned to them."""
    qs = SampledRecord.objects.filter(check_run=check).select_related(
        "department", "reviewer", "content_type"
    )
    scoped = scope_queryset(qs, principal, Action.VIEW)
    if getattr(principal, "pk", None):
        scoped = scoped | qs.filter(reviewer_id=principal.pk)
    return scoped.order_by("department__code", "draw_order", "pk")


def visible_sampling_departments(principal: Any, check: SamplingCheck) -> set[int] | None:
    ids = visible_department_ids(principal)
    if ids is None:
        return None
    return set(
        SamplingDepartment.objects.filter(check_run=check, department_id__in=ids).values_list(
            "department_id", flat=True
        )
    )


def visible_notices(principal: Any) -> QuerySet[RankingNotice]:
    """Published notices for staff; drafts too for provincial administrators and auditors."""
    qs = scope_queryset(RankingNotice.objects.all(), principal, Action.VIEW)
    if not sees_everything(principal):
        qs = qs.filter(is_published=True)
    return qs


def record_url(content_type: ContentType, object_id: int) -> str | None:
    """The staff page of a record in any store: ``<app>:<model>-detail`` when it exists."""
    for name in (
        f"{content_type.app_label}:{content_type.model}-detail",
        f"{content_type.app_label}:record-detail",
    ):
        try:
            return reverse(name, args=[object_id])
        except NoReverseMatch:
            continue
    return None


def records_url(department_id: int | None = None, resource_code: str = "") -> str:
    """The generic records list narrowed to a department and resource."""
    params = []
    if department_id:
        params.append(f"department_id={department_id}")
    if resource_code:
        params.append(f"resource_code={resource_code}")
    return reverse("records:record-list") + ("?" + "&".join(params) if params else "")


SCOPE_KINDS = ScopeKind
