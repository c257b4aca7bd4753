"""State changes of the organizations app: fixtures, people, liaisons and API tokens.

Every function runs in ``transaction.atomic()`` and writes its audit row with
:func:`apps.core.audit.record_event` in the same transaction. Scope checks use
:mod:`apps.organizations.scoping`: a change outside the actor's scope raises
``PermissionDenied`` (403); a broken business rule raises ``DomainError`` (400).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import diff, record_event, snapshot
from apps.core.choices import AuditEventType
from apps.core.exceptions import DomainError

from .choices import Action, RegionLevel, Role
from .models import ApiToken, Department, Region, User
from .scoping import (
    DEPARTMENT_ROLES,
    can,
    is_administrator,
    may_edit_liaison,
    principal_role,
    region_subtree_ids,
)
from .tokens import generate_key, hash_key

REGION_FIELDS = ("name", "level", "parent_id", "is_gb2260", "former_codes", "sort_order")
DEPARTMENT_FIELDS = ("name", "short_name", "level", "line", "region_id", "parent_id")
LIAISON_FIELDS = ("liaison_name", "liaison_phone", "liaison_email")
USER_FIELDS = (
    "username",
    "display_name",
    "email",
    "phone",
    "role",
    "department_id",
    "region_id",
    "is_active",
    "is_staff",
    "is_superuser",
)
# Roles only a provincial administrator may grant: they reach beyond one region.
PROVINCE_ONLY_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.REGION_ADMIN, Role.AUDITOR})


def fixtures_dir() -> Path:
    """The folder holding ``hainan_regions.json`` and ``hainan_departments.json``."""
    return Path(settings.BASE_DIR) / "fixtures"


# --------------------------------------------------------------------------- fixtures


@dataclass
class LoadSummary:
    """Counts of what :func:`load_hainan_fixtures` created, changed or left alone."""

    dry_run: bool = False
    regions_created: int = 0
    regions_changed: int = 0
    regions_unchanged: int = 0
    departments_created: int = 0
    departments_changed: int = 0
    departments_unchanged: int = 0
    changed_codes: list[str] = field(default_factory=list)

    @property
    def total_changes(self) -> int:
        return (
            self.regions_created
            + self.regions_changed
            + self.departments_created
            + self.departments_changed
        )


def _read_fixture(name: str, key: str, directory: Path | None) -> list[dict[str, Any]]:
    path = (directory or fixtures_dir()) / name
    with path.open(encoding="utf-8") as fh:
        return list(json.load(fh)[key])


def load_hainan_fixtures(
    *, actor: Any = None, dry_run: bool = False, directory: Path | None = None
) -> LoadSummary:
    """Upsert the Hainan regions and departments by code; a second run changes nothing.

    Regions are reference data written in the same transaction; each created or
    changed department is audited as ``department.created``/``department.changed``.
    Rows missing from the files are left alone (never deleted: records point at
    them). Liaison fields are never overwritten: departments maintain them.
    With ``dry_run`` everything is computed and then rolled back.
    """
    summary = LoadSummary(dry_run=dry_run)
    regions = _read_fixture("hainan_regions.json", "regions", directory)
    departments = _read_fixture("hainan_departments.json", "departments", directory)
    with transaction.atomic():
        by_code = {r.code: r for r in Region.objects.all()}
        for row in regions:
            parent = by_code.get(row["parent"]) if row.get("parent") else None
            if row.get("parent") and parent is None:
                raise DomainError(_("区划 %(code)s 的上级不存在。") % {"code": row["code"]})
            wanted = {
                "name": row["name"],
                "level": row["level"],
                "parent_id": parent.pk if parent else None,
                "is_gb2260": row.get("is_gb2260", True),
                "former_codes": list(row.get("former_codes", [])),
                "sort_order": row.get("sort_order", 0),
            }
            region = by_code.get(row["code"])
            if region is None:
                by_code[row["code"]] = Region.objects.create(code=row["code"], **wanted)
                summary.regions_created += 1
                summary.changed_codes.append(row["code"])
                continue
            if any(getattr(region, k) != v for k, v in wanted.items()):
                for k, v in wanted.items():
                    setattr(region, k, v)
                region.save()
                summary.regions_changed += 1
                summary.changed_codes.append(row["code"])
            else:
                summary.regions_unchanged += 1

        by_dept = {d.code: d for d in Department.objects.all()}
        for row in departments:
            region = by_code.get(row["region"])
            parent = by_dept.get(row["parent"]) if row.get("parent") else None
            if region is None or (row.get("parent") and parent is None):
                raise DomainError(
                    _("部门 %(code)s 的区划或上级部门不存在。") % {"code": row["code"]}
                )
            wanted = {
                "name": row["name"],
                "short_name": row.get("short_name", ""),
                "level": row["level"],
                "line": row["line"],
                "region_id": region.pk,
                "parent_id": parent.pk if parent else None,
            }
            department = by_dept.get(row["code"])
            if department is None:
                department = Department.objects.create(code=row["code"], **wanted)
                by_dept[row["code"]] = department
                record_event(
                    AuditEventType.DEPARTMENT_CREATED,
                    actor=actor,
                    target=department,
                    after=snapshot(department, ["code", *DEPARTMENT_FIELDS]),
                    department_code=department.code,
                    message=_("由海南区划与部门基础数据导入"),
                )
                summary.departments_created += 1
                summary.changed_codes.append(row["code"])
                continue
            before = snapshot(department, list(DEPARTMENT_FIELDS))
            for k, v in wanted.items():
                setattr(department, k, v)
            old, new = diff(before, snapshot(department, list(DEPARTMENT_FIELDS)))
            if new:
                department.save(update_fields=[*wanted.keys(), "updated_at"])
                record_event(
                    AuditEventType.DEPARTMENT_CHANGED,
                    actor=actor,
                    target=department,
                    before=old,
                    after=new,
                    department_code=department.code,
                    message=_("由海南区划与部门基础数据导入"),
                )
                summary.departments_changed += 1
                summary.changed_codes.append(row["code"])
            else:
                summary.departments_unchanged += 1
        if dry_run:
            transaction.set_rollback(True)
    return summary


# --------------------------------------------------------------------------- people


def _require_admin(actor: Any) -> str:
    if not is_administrator(actor) or getattr(actor, "pk", None) is None:
        raise PermissionDenied(_("只有管理员可以执行此操作。"))
    return str(principal_role(actor))


def _check_role_invariants(
    role: str, department: Department | None, region: Region | None
) -> tuple[Department | None, Region | None]:
    """Department roles need a department, region administrators a region, others neither."""
    if role not in Role.values:
        raise DomainError(_("未知角色。"), code="invalid_role")
    if role in DEPARTMENT_ROLES:
        if department is None:
            raise DomainError(
                _("部门工作人员和联络员必须指定所属部门。"), code="department_required"
            )
        if region is not None:
            raise DomainError(_("部门角色不设管辖区划。"), code="region_not_allowed")
    elif role == Role.REGION_ADMIN:
        if region is None:
            raise DomainError(_("市县管理员必须指定管辖区划。"), code="region_required")
        if region.level == RegionLevel.PROVINCE:
            raise DomainError(
                _("全省范围请使用省级管理员角色，而非市县管理员。"), code="region_is_province"
            )
        if department is not None:
            raise DomainError(_("市县管理员不属于某一部门。"), code="department_not_allowed")
    elif department is not None or region is not None:
        raise DomainError(_("省级管理员和审计员不设所属部门或管辖区划。"), code="scope_not_allowed")
    return department, region


def _check_grant(actor: Any, role: str, department: Department | None) -> None:
    """Refuse to give a person a role or department outside the actor's own scope."""
    actor_role = _require_admin(actor)
    if actor_role == Role.PROVINCE_ADMIN:
        return
    if role in PROVINCE_ONLY_ROLES:
        raise PermissionDenied(_("只有省级管理员可以授予该角色。"))
    if department is None or department.region_id not in region_subtree_ids(actor.region_id):
        raise PermissionDenied(_("该部门不在您的管辖范围内。"))


def _audit_department_code(user: User) -> str:
    return user.department.code if user.department_id and user.department else ""


def create_user(
    *,
    actor: Any,
    username: str,
    role: str,
    password: str | None = None,
    department: Department | None = None,
    region: Region | None = None,
    display_name: str = "",
    email: str = "",
    phone: str = "",
    is_active: bool = True,
    is_superuser: bool = False,
) -> User:
    """Create a person with a role; enforces the role invariants and the actor's scope.

    ``actor=None`` is the system (management commands). Only the system or a
    superuser may create superusers. Without a password the account cannot sign
    in until one is set.
    """
    department, region = _check_role_invariants(role, department, region)
    if actor is not None:
        _check_grant(actor, role, department)
    if is_superuser and actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("只有超级管理员可以创建超级管理员。"))
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("用户名已被使用。"), code="username_taken")
    with transaction.atomic():
        user = User(
            username=username,
            role=role,
            department=department,
            region=region,
            display_name=display_name,
            email=email,
            phone=phone,
            is_active=is_active,
            # Province admins may open the Django admin; nobody else needs it.
            is_staff=role == Role.PROVINCE_ADMIN or is_superuser,
            is_superuser=is_superuser,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        record_event(
            AuditEventType.USER_CREATED,
            actor=actor,
            target=user,
            after=snapshot(user, list(USER_FIELDS)),
            department_code=_audit_department_code(user),
        )
    return user


def update_user(
    user: User,
    *,
    actor: Any,
    password: str | None = None,
    **changes: Any,
) -> User:
    """Change a person's profile, role, department or region (and optionally password).

    Allowed keys: ``display_name``, ``email``, ``phone``, ``role``,
    ``department``, ``region``. The actor must be able to change the person now
    (scope) and must be able to grant the new role and department.
    """
    allowed = {"display_name", "email", "phone", "role", "department", "region"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if actor is not None:
        _require_admin(actor)
        if not can(actor, Action.CHANGE, user):
            raise PermissionDenied(_("该用户不在您的管辖范围内。"))
    role = changes.get("role", user.role)
    department = changes.get("department", user.department)
    region = changes.get("region", user.region)
    department, region = _check_role_invariants(role, department, region)
    if actor is not None:
        _check_grant(actor, role, department)
        if actor.pk == user.pk and role != user.role:
            raise DomainError(_("不能修改自己的角色。"), code="own_role")
    with transaction.atomic():
        before = snapshot(user, list(USER_FIELDS))
        old_department_code = _audit_department_code(user)
        for key in ("display_name", "email", "phone"):
            if key in changes:
                setattr(user, key, changes[key])
        user.role = role
        user.department = department
        user.region = region
        user.is_staff = role == Role.PROVINCE_ADMIN or user.is_superuser
        if password:
            user.set_password(password)
        old, new = diff(before, snapshot(user, list(USER_FIELDS)))
        if not new and not password:
            return user
        user.save()
        record_event(
            AuditEventType.USER_CHANGED,
            actor=actor,
            target=user,
            before=old,
            after={**new, **({"password": "（已重置）"} if password else {})},
            department_code=_audit_department_code(user) or old_department_code,
        )
    return user


def set_user_active(user: User, active: bool, *, actor: Any) -> User:
    """Enable or disable a person's sign-in; an administrator cannot disable themself."""
    if actor is not None:
        _require_admin(actor)
        if not can(actor, Action.CHANGE, user):
            raise PermissionDenied(_("该用户不在您的管辖范围内。"))
        if actor.pk == user.pk and not active:
            raise DomainError(_("不能停用自己的账号。"), code="own_account")
    if user.is_active == active:
        return user
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        record_event(
            AuditEventType.USER_CHANGED,
            actor=actor,
            target=user,
            before={"is_active": not active},
            after={"is_active": active},
            department_code=_audit_department_code(user),
        )
    return user


# --------------------------------------------------------------------------- departments


def update_department_liaison(
    department: Department,
    *,
    actor: Any,
    liaison_name: str,
    liaison_phone: str,
    liaison_email: str,
) -> Department:
    """Set a department's liaison contact; administrators in scope or its own liaison."""
    if actor is not None and not may_edit_liaison(actor, department):
        raise PermissionDenied(_("您不能修改该部门的联络人信息。"))
    with transaction.atomic():
        before = snapshot(department, list(LIAISON_FIELDS))
        department.liaison_name = liaison_name.strip()
        department.liaison_phone = liaison_phone.strip()
        department.liaison_email = liaison_email.strip()
        old, new = diff(before, snapshot(department, list(LIAISON_FIELDS)))
        if not new:
            return department
        department.save(update_fields=[*LIAISON_FIELDS, "updated_at"])
        record_event(
            AuditEventType.DEPARTMENT_CHANGED,
            actor=actor,
            target=department,
            before=old,
            after=new,
            department_code=department.code,
        )
    return department


# --------------------------------------------------------------------------- API tokens


def create_api_token(
    department: Department,
    *,
    name: str,
    expires_at: datetime.datetime | None = None,
    actor: Any,
) -> tuple[ApiToken, str]:
    """Issue a token for a department system; returns (token, full key).

    Only the SHA-256 hash is stored, so the full key exists only in the return
    value: show it once. ``actor=None`` (the system) is allowed for demo set-up.
    """
    if actor is not None:
        _require_admin(actor)
        if not can(actor, Action.CHANGE, department):
            raise PermissionDenied(_("该部门不在您的管辖范围内。"))
    if not department.is_active:
        raise DomainError(_("部门已停用，不能签发令牌。"), code="department_inactive")
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(_("到期时间必须晚于当前时间。"), code="expired")
    prefix, key = generate_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            department=department,
            name=name.strip(),
            prefix=prefix,
            key_hash=hash_key(key),
            created_by=actor if getattr(actor, "pk", None) else None,
            expires_at=expires_at,
        )
        record_event(
            AuditEventType.TOKEN_CREATED,
            actor=actor,
            target=token,
            after={
                "department": department.code,
                "name": token.name,
                "prefix": prefix,
                "expires_at": expires_at,
            },
            department_code=department.code,
        )
    return token, key


def revoke_api_token(token: ApiToken, *, actor: Any) -> ApiToken:
    """Revoke a token at once; revoking twice changes nothing."""
    if actor is not None:
        _require_admin(actor)
        if not can(actor, Action.CHANGE, token):
            raise PermissionDenied(_("该令牌不在您的管辖范围内。"))
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.revoked_by = actor if getattr(actor, "pk", None) else None
        token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        record_event(
            AuditEventType.TOKEN_REVOKED,
            actor=actor,
            target=token,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
            department_code=token.department.code,
        )
    return token
