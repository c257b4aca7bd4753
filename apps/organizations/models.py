"""Regions, departments, people and department API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

from .choices import DepartmentLevel, RegionLevel, Role
from .scoping import ScopeRule

ADMIN_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.REGION_ADMIN})


class Region(models.Model):
    """An administrative division of Hainan.

    - ``code``: the GB/T 2260 code (6 digits). The Yangpu Economic Development
      Zone has no GB/T 2260 code; it carries the platform code ``46YP00``
      (letters make a clash with any future GB/T 2260 code impossible) and
      ``is_gb2260=False`` (docs/regions.md).
    - ``parent``: the province for cities and county-level units, the city for
      districts, Danzhou for Yangpu.
    - ``former_codes``: codes the region carried before (Danzhou 469003 until
      2015); old USCCs keep them, so they are data here, never a validation rule.
    """

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_gb2260 = models.BooleanField(_("国标区划"), default=True)
    former_codes = models.JSONField(_("曾用代码"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    # Reference data: every signed-in principal views; only the province edits.
    scope_rule = ScopeRule(
        region="pk", view_all_staff=True, change_roles=frozenset({Role.PROVINCE_ADMIN})
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ("sort_order", "code")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class DepartmentQuerySet(models.QuerySet["Department"]):
    """Queries over departments."""

    def active(self) -> DepartmentQuerySet:
        return self.filter(is_active=True)


class Department(TimeStampedModel):
    """A government department that supplies or uses enterprise records.

    - ``code``: platform code, unique (e.g. ``460000-SCJG`` for the provincial
      market regulation administration; ``460100-SCJG`` for Haikou's).
    - ``level``/``region``: provincial departments sit in 460000; city and
      county departments in their region.
    - ``line``: the vertical line (系统) shared by the same department at every
      level, e.g. ``SCJG`` for market regulation; the catalogue names obliged
      suppliers by line and level.
    - ``parent``: the department of the level above in the same line, if any.
    - ``uscc``: the department's own unified code (``11…``), used as 许可机关代码
      or 来源单位代码 in double-publicity data.
    - ``liaison_*``: the department's contact for data delivery.
    """

    code = models.CharField(_("部门代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=DepartmentLevel.choices)
    line = models.CharField(
        _("条线"),
        max_length=16,
        blank=True,
        db_index=True,
        help_text=_("同一系统各层级部门共用的条线代码，如 SCJG（市场监管）。"),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="departments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    liaison_name = models.CharField(_("联络人"), max_length=64, blank=True)
    liaison_phone = models.CharField(_("联络电话"), max_length=32, blank=True)
    liaison_email = models.EmailField(_("联络邮箱"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = DepartmentQuerySet.as_manager()

    scope_rule = ScopeRule(
        department="pk", region="region", view_all_staff=True, change_roles=ADMIN_ROLES
    )

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ("region__sort_order", "region__code", "code")
        indexes = [models.Index(fields=["region", "level"], name="department_region_idx")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: staff of a department, an administrator or an auditor.

    - ``role``: decides scope (see :mod:`apps.organizations.scoping`).
    - ``department``: required for department staff and liaisons.
    - ``region``: required for city/county administrators (their city or
      county; its districts are included).
    - ``display_name``: the Chinese full name shown in pages and the audit history.
    """

    role = models.CharField(
        _("角色"), max_length=32, choices=Role.choices, default=Role.DEPARTMENT_STAFF
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("管辖区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="administrators",
    )
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    scope_rule = ScopeRule(
        department="department", region="department__region", change_roles=ADMIN_ROLES
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ("username",)

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name()

    @property
    def audit_name(self) -> str:
        return f"{self.display_name or self.username}（{self.username}）"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    """Queries over API tokens."""

    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(TimeStampedModel):
    """A department system's credential for the push and check APIs.

    Only a SHA-256 hash of the secret is stored; the full key
    (``hc_<prefix>_<secret>``) is shown once at creation. ``prefix`` is public
    and identifies the token in lists and logs. Scoped to ``department``.
    ``last_used_at`` is updated at most once a minute to avoid a write per request.
    """

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12, unique=True)
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("吊销人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("最近使用地址"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    scope_rule = ScopeRule(
        department="department", region="department__region", change_roles=ADMIN_ROLES
    )

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}）"

    @property
    def is_active(self) -> bool:
        """True while not revoked and not expired."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
