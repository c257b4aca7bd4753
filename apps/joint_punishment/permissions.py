"""Who may act for a department on lists, proposals and feedback (built on organizations.scoping)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.organizations.choices import Action, Role
from apps.organizations.models import Department
from apps.organizations.scoping import principal_role, region_subtree_ids, scope_filter

from .models import ListEntry


def may_act_for(principal: Any, department: Department) -> bool:
    """Whether ``principal`` may record decisions or feedback in ``department``'s name."""
    condition = scope_filter(ListEntry, principal, Action.CHANGE)
    if condition is None:
        return False
    if not condition:
        return True
    if principal_role(principal) == Role.REGION_ADMIN:
        return department.region_id in region_subtree_ids(getattr(principal, "region_id", None))
    return getattr(principal, "department_id", None) == department.pk


def acting_department(principal: Any, code: str | None = None) -> Department:
    """The department a write is made for: the principal's own, or ``code`` for administrators.

    Raises ``PermissionDenied`` (403) when the principal may not act for it.
    """
    own = getattr(principal, "department", None)
    if code:
        department = Department.objects.filter(code=code).first()
        if department is None:
            raise PermissionDenied(_("部门 %(code)s 不存在。") % {"code": code})
    elif own is not None:
        department = own
    else:
        raise PermissionDenied(_("请指定以哪个部门的名义操作（字段 department）。"))
    if not may_act_for(principal, department):
        raise PermissionDenied(_("您不能以 %(name)s 的名义操作。") % {"name": department.name})
    return department
