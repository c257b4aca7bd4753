"""Read queries of the catalogue shared by pages, the API, coverage and penalties."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from apps.organizations.choices import Action
from apps.organizations.models import Department
from apps.organizations.scoping import scope_queryset

from .choices import Severity, VersionStatus
from .models import (
    FieldSpec,
    ObligedSupplier,
    PublicityRegime,
    Resource,
    ResourceVersion,
    SupplementProposal,
)


def obliged_departments(version: ResourceVersion) -> QuerySet[Department]:
    """Departments that must supply ``version``: its lines at its levels plus named departments.

    This is the coverage denominator (BRIEF.md 9): every active department
    selected by an :class:`ObligedSupplier` row of the version.
    """
    condition = Q()
    matched = False
    for supplier in version.suppliers.all():
        if supplier.department_id:
            condition |= Q(pk=supplier.department_id)
            matched = True
        if supplier.line:
            line_q = Q(line=supplier.line)
            if supplier.levels:
                line_q &= Q(level__in=supplier.levels)
            condition |= line_q
            matched = True
    if not matched:
        return Department.objects.none()
    return Department.objects.active().filter(condition).select_related("region")


def reference_version(resource: Resource) -> ResourceVersion | None:
    """The version that binds suppliers now: the published one, else the draft."""
    if resource.current_version_id:
        return resource.current_version
    return resource.versions.order_by("-number").first()


def department_supplies(resource: Resource, department: Department) -> bool:
    """Whether ``department`` is obliged to supply ``resource`` (current or draft version)."""
    version = reference_version(resource)
    if version is None:
        return False
    return obliged_departments(version).filter(pk=department.pk).exists()


def resources_supplied_by(department: Department) -> QuerySet[Resource]:
    """Resources whose current version obliges ``department`` (by line and level or by name)."""
    by_line = Q(
        current_version__suppliers__line=department.line,
        current_version__suppliers__levels__contains=[department.level],
    ) | Q(current_version__suppliers__line=department.line, current_version__suppliers__levels=[])
    by_name = Q(current_version__suppliers__department=department)
    condition = by_name | by_line if department.line else by_name
    ids = Resource.objects.filter(condition).values("pk")
    return Resource.objects.filter(pk__in=ids, is_active=True).order_by("code", "pk")


def draft_of(resource: Resource) -> ResourceVersion | None:
    """The resource's draft version, if one exists (there is at most one)."""
    return resource.versions.filter(status=VersionStatus.DRAFT).first()


def versions_with_details() -> QuerySet[ResourceVersion]:
    """Versions with their resource, ordered fields and suppliers fetched in bounded queries."""
    return ResourceVersion.objects.select_related("resource").prefetch_related(
        Prefetch("fields", queryset=FieldSpec.objects.order_by("order", "pk")),
        Prefetch(
            "suppliers",
            queryset=ObligedSupplier.objects.select_related("department").order_by("line", "pk"),
        ),
    )


def resources_for(
    principal: Any,
    *,
    query: str = "",
    kind: str = "",
    department: Department | None = None,
) -> QuerySet[Resource]:
    """The catalogue browser's list: search by code or name, filter by kind and obliged department."""
    qs = scope_queryset(Resource.objects.all(), principal, Action.VIEW).select_related(
        "current_version"
    )
    if query:
        qs = qs.filter(
            Q(code__icontains=query)
            | Q(current_version__name__icontains=query)
            | Q(current_version__name_en__icontains=query)
            | Q(versions__status=VersionStatus.DRAFT, versions__name__icontains=query)
        ).distinct()
    if kind:
        qs = qs.filter(kind=kind)
    if department is not None:
        qs = qs.filter(pk__in=resources_supplied_by(department).values("pk"))
    return qs.order_by("code", "pk")


def proposals_for(principal: Any) -> QuerySet[SupplementProposal]:
    """Supplement proposals the principal may see: own department, region, or all."""
    return (
        scope_queryset(SupplementProposal.objects.all(), principal, Action.VIEW)
        .select_related("department", "resource", "proposed_by", "decided_by", "applied_to")
        .order_by("-created_at", "-pk")
    )


def regime_for(
    resource: Resource | str,
    *,
    decision_date: datetime.date,
    category: str = "",
    severity: str = Severity.ANY,
    line: str = "",
) -> PublicityRegime | None:
    """The publicity regime that applies to a record decided on ``decision_date``.

    A regime applies when ``valid_from <= decision_date < valid_to`` (open end
    when ``valid_to`` is blank), its line is the deciding department's line or
    blank, its category is the record's or blank and its severity is the
    record's or ``any``. Among several: highest ``priority``, then a
    line-specific regime over a general one, then the latest ``valid_from``,
    then the more specific category and severity. Returns None when no regime applies.
    """
    qs = PublicityRegime.objects.filter(valid_from__lte=decision_date).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=decision_date)
    )
    qs = (
        qs.filter(resource__code=resource)
        if isinstance(resource, str)
        else qs.filter(resource=resource)
    )
    qs = qs.filter(Q(line="") | Q(line=line or ""))
    qs = qs.filter(Q(category="") | Q(category=category or ""))
    qs = qs.filter(Q(severity=Severity.ANY) | Q(severity=severity or Severity.ANY))
    specific_line = Case(
        When(line="", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    specific_category = Case(
        When(category="", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    specific_severity = Case(
        When(severity=Severity.ANY, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        qs.annotate(_line=specific_line, _cat=specific_category, _sev=specific_severity)
        .order_by("-priority", "-_line", "-valid_from", "-_cat", "-_sev", "-pk")
        .first()
    )
