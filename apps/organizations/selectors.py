"""Read queries shared by pages and the API of the organizations app."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from apps.core.models import AuditEvent

from .choices import Role
from .models import Department
from .scoping import principal_role, region_subtree_ids, scope_queryset


def visible_audit_events(principal: Any) -> QuerySet[AuditEvent]:
    """The audit history ``principal`` may read.

    - provincial administrators and auditors: every event;
    - city/county administrators: events whose ``department_code`` belongs to
      a department of their region subtree (core stores a copied code, not a FK,
      because core imports no app);
    - everyone else, department tokens included: nothing.
    """
    qs = AuditEvent.objects.select_related("actor", "target_type")
    if getattr(principal, "pk", None) is None:
        return qs.none()
    role = principal_role(principal)
    if role in (Role.PROVINCE_ADMIN, Role.AUDITOR):
        return qs
    if role == Role.REGION_ADMIN:
        region_ids = region_subtree_ids(getattr(principal, "region_id", None))
        codes = Department.objects.filter(region_id__in=region_ids).values("code")
        return qs.filter(department_code__in=codes)
    return qs.none()


def departments_for_user(principal: Any) -> QuerySet[Department]:
    """Departments ``principal`` may view, with their region and member count."""
    return scope_queryset(
        Department.objects.select_related("region", "parent").annotate(
            member_count=Count("members", distinct=True)
        ),
        principal,
    )
