"""The one place that decides who may see and change which rows.

Every page, API view and export narrows its queryset with
:func:`scope_queryset` (or a model's ``visible_to`` wrapper) and fetches single
objects with :func:`get_object_for_user`:

- an object outside the principal's view scope answers **404** (it does not
  exist for them);
- an object they may view but not change answers **403**.

A model opts in by declaring ``scope_rule = ScopeRule(...)``, naming the
lookups from the model to its department and region. The rules per role:

===================  ===========================  ===============================
role                 view                         change
===================  ===========================  ===============================
province_admin       everything                   everything
auditor              everything                   nothing
region_admin         rows of its region subtree   same
department_staff,    rows of its department       same
department_liaison,
department token
anonymous            nothing (portal only)        nothing
===================  ===========================  ===============================

``ScopeRule.view_all_staff`` widens *view* to every signed-in principal for
reference data (regions, departments, the enterprise registry);
``ScopeRule.change_roles`` narrows *change* to the named roles.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from .choices import Action, Role

M = TypeVar("M", bound=models.Model)

DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LIAISON})
ALL_WRITE_ROLES = frozenset(
    {Role.PROVINCE_ADMIN, Role.REGION_ADMIN, Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LIAISON}
)


@dataclass(frozen=True)
class ScopeRule:
    """How a model's rows relate to departments and regions.

    - ``department``: lookup to the owning ``Department`` (``"pk"`` on Department).
    - ``department_code``: lookup to a copied department code, where no FK exists.
    - ``region``: lookup to the ``Region`` the row belongs to.
    - ``view_all_staff``: every signed-in principal may view every row.
    - ``change_roles``: roles that may change rows at all (within their scope).
    """

    department: str | None = None
    department_code: str | None = None
    region: str | None = None
    view_all_staff: bool = False
    change_roles: frozenset[str] = field(default=ALL_WRITE_ROLES)


def principal_role(principal: Any) -> str | None:
    """The role of a user or token principal, or None for the anonymous public."""
    if principal is None or not getattr(principal, "is_authenticated", False):
        return None
    if getattr(principal, "is_superuser", False):
        return Role.PROVINCE_ADMIN
    return getattr(principal, "role", None)


def region_subtree_ids(region_id: int | None) -> set[int]:
    """The region and every region below it (cities have districts, Danzhou has Yangpu)."""
    from .models import Region

    if region_id is None:
        return set()
    ids = {region_id}
    frontier = {region_id}
    while frontier:
        frontier = (
            set(Region.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        )
        ids |= frontier
    return ids


def _region_ids(principal: Any) -> set[int]:
    cached = getattr(principal, "_scope_region_ids", None)
    if cached is None:
        cached = region_subtree_ids(getattr(principal, "region_id", None))
        with contextlib.suppress(AttributeError):
            principal._scope_region_ids = cached
    return cached


def _rule_for(model: type[models.Model]) -> ScopeRule:
    rule = getattr(model, "scope_rule", None)
    if not isinstance(rule, ScopeRule):
        raise TypeError(f"{model.__name__} declares no scope_rule; it cannot be scoped")
    return rule


def scope_filter(model: type[models.Model], principal: Any, action: str = Action.VIEW) -> Q | None:
    """The filter selecting the rows ``principal`` may ``action``.

    Returns ``Q()`` for everything and ``None`` for nothing.
    """
    rule = _rule_for(model)
    role = principal_role(principal)
    if role is None:
        return None
    if action == Action.VIEW:
        if role in (Role.PROVINCE_ADMIN, Role.AUDITOR) or rule.view_all_staff:
            return Q()
    else:
        if role == Role.AUDITOR or role not in rule.change_roles:
            return None
        if role == Role.PROVINCE_ADMIN:
            return Q()
    if role == Role.REGION_ADMIN:
        region_ids = _region_ids(principal)
        if rule.region and region_ids:
            return Q(**{f"{rule.region}__in": region_ids})
        return None
    if role in DEPARTMENT_ROLES:
        department = getattr(principal, "department", None)
        if department is None:
            return None
        if rule.department:
            return Q(**{rule.department: department.pk})
        if rule.department_code:
            return Q(**{rule.department_code: department.code})
    return None


def scope_queryset(
    qs: models.QuerySet[M], principal: Any, action: str = Action.VIEW
) -> models.QuerySet[M]:
    """Narrow ``qs`` to the rows ``principal`` may ``action`` (view or change)."""
    condition = scope_filter(qs.model, principal, action)
    if condition is None:
        return qs.none()
    return qs.filter(condition) if condition else qs


def can(principal: Any, action: str, obj: models.Model) -> bool:
    """Whether ``principal`` may ``action`` this object (one query unless trivially decided)."""
    condition = scope_filter(type(obj), principal, action)
    if condition is None:
        return False
    if not condition:
        return True
    return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def get_object_for_user(
    qs: models.QuerySet[M], principal: Any, *, write: bool = False, **lookup: Any
) -> M:
    """Fetch one object for ``principal``: 404 outside view scope, 403 if read-only.

    Usage: ``get_object_for_user(Enterprise.objects.all(), request.user, uscc=code)``.
    """
    try:
        obj = scope_queryset(qs, principal, Action.VIEW).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404(f"No {qs.model._meta.object_name} matches the given query.") from None
    if write and not can(principal, Action.CHANGE, obj):
        raise PermissionDenied("只读权限：您可以查看但不能修改该对象。")
    return obj


def is_administrator(principal: Any) -> bool:
    """Whether ``principal`` is a provincial or city/county administrator."""
    return principal_role(principal) in (Role.PROVINCE_ADMIN, Role.REGION_ADMIN)


def may_read_audit(principal: Any) -> bool:
    """Whether ``principal`` may open the audit history at all (administrators, auditors).

    Which rows they see is decided by
    :func:`apps.organizations.selectors.visible_audit_events`.
    """
    if getattr(principal, "pk", None) is None:
        # Token principals are department systems, never reviewers of the history.
        return False
    return principal_role(principal) in (Role.PROVINCE_ADMIN, Role.REGION_ADMIN, Role.AUDITOR)


def may_edit_liaison(principal: Any, department: models.Model) -> bool:
    """Administrators in scope, and the department's own liaison, may edit its liaison fields.

    The liaison is the person who keeps the contact data current (BRIEF.md 9),
    so this is the one change to a department a non-administrator may make.
    """
    role = principal_role(principal)
    if role == Role.DEPARTMENT_LIAISON and getattr(principal, "pk", None) is not None:
        return getattr(principal, "department_id", None) == department.pk
    return can(principal, Action.CHANGE, department)
