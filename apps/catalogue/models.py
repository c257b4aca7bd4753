"""The resource catalogue: resources, versions, field specs, publicity regimes,
obliged suppliers, liaisons, supplement proposals and change announcements.

A resource's *identity* (code, kind) lives on :class:`Resource`; everything a
supplier must follow lives on a :class:`ResourceVersion` and its
:class:`FieldSpec` rows. Published versions are immutable (services refuse to
change them and ``save()`` guards it); records keep the version number they
were validated against. Publicity *periods* change with the law on dates, not
with catalogue versions, so they live in dated :class:`PublicityRegime` rows.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ConflictError
from apps.core.models import TimeStampedModel
from apps.organizations.choices import DepartmentLevel, Role
from apps.organizations.scoping import ScopeRule

from .choices import (
    FieldType,
    MaskingRule,
    ProposalStatus,
    PublicityClass,
    ResourceKind,
    Severity,
    SharingClass,
    UpdateFrequency,
    VersionStatus,
)

PROVINCE_ONLY = frozenset({Role.PROVINCE_ADMIN})


class Resource(TimeStampedModel):
    """An information resource (信息资源) that departments must deliver.

    - ``code``: stable catalogue code (e.g. ``XZXK`` for administrative licences).
    - ``kind``: which record store keeps its records.
    - ``current_version``: the latest published version (None until the first
      publication); the draft, if any, is the version with status draft.
    """

    code = models.CharField(_("资源代码"), max_length=32, unique=True)
    kind = models.CharField(_("类别"), max_length=24, choices=ResourceKind.choices)
    current_version = models.ForeignKey(
        "ResourceVersion",
        verbose_name=_("现行版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("启用"), default=True)

    # The catalogue is readable by every signed-in person; only the province edits it.
    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("信息资源")
        verbose_name_plural = _("信息资源")
        ordering = ("code", "pk")

    def __str__(self) -> str:
        version = self.current_version
        return f"{self.code} {version.name if version else ''}".strip()


class ResourceVersion(TimeStampedModel):
    """One version of a resource's specification.

    - ``number``: 1, 2, 3 … per resource, assigned when the draft is created.
    - ``status``: draft (editable, at most one per resource), published
      (immutable), superseded (an older published version, still immutable:
      records validated against it keep pointing at it).
    - ``deadline_working_days``: delivery deadline counted in statutory working
      days from the decision date (7 for double publicity, 20 under the
      publicity regulation).
    - ``publicity_class``/``sharing_class``: public or not; sharing class.
    - ``change_note``: what this version changes, shown in the announcement.
    """

    resource = models.ForeignKey(
        Resource, verbose_name=_("信息资源"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    name = models.CharField(_("名称"), max_length=128)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    description = models.TextField(_("说明"), blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    update_frequency = models.CharField(
        _("更新频率"),
        max_length=16,
        choices=UpdateFrequency.choices,
        default=UpdateFrequency.ON_EVENT,
    )
    deadline_working_days = models.PositiveSmallIntegerField(_("报送时限（工作日）"), default=20)
    publicity_class = models.CharField(
        _("公示属性"), max_length=16, choices=PublicityClass.choices, default=PublicityClass.PUBLIC
    )
    sharing_class = models.CharField(
        _("共享属性"),
        max_length=16,
        choices=SharingClass.choices,
        default=SharingClass.UNCONDITIONAL,
    )
    business_key_fields = ArrayField(
        models.CharField(max_length=64),
        verbose_name=_("业务主键字段"),
        default=list,
        blank=True,
        help_text=_("在部门和资源内唯一标识一条记录的字段，如决定文书号。"),
    )
    decision_date_field = models.CharField(_("决定日期字段"), max_length=64, blank=True)
    subject_uscc_field = models.CharField(_("相对人代码字段"), max_length=64, blank=True)
    subject_name_field = models.CharField(_("相对人名称字段"), max_length=64, blank=True)
    change_note = models.TextField(_("变更说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("资源版本")
        verbose_name_plural = _("资源版本")
        ordering = ("resource", "-number", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="catalogue_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["resource"],
                condition=models.Q(status="draft"),
                name="catalogue_one_draft_per_resource",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource.code} v{self.number}（{self.get_status_display()}）"

    @property
    def is_editable(self) -> bool:
        """Only drafts may change."""
        return self.status == VersionStatus.DRAFT

    def save(self, *args, **kwargs) -> None:
        # Guard immutability even against code that bypasses the services:
        # a stored published version may only move to superseded.
        if self.pk and not kwargs.get("force_insert"):
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED) and not getattr(
                self, "_allow_status_change", False
            ):
                raise ConflictError(f"{self} 已发布，不能修改。", code="version_immutable")
        super().save(*args, **kwargs)


class FieldSpec(models.Model):
    """One data item (数据项) of a resource version.

    - ``code``: canonical field code (newer double-publicity dialect where one
      exists, e.g. ``XK_XDR_MC``); ``aliases``: other names the same field
      arrives under (the 2016 dialect, Chinese headers), matched case- and
      width-insensitively by the validator.
    - ``data_type`` with its limits: ``max_length``/``min_length``,
      ``max_digits``/``decimal_places``, ``min_value``/``max_value``,
      ``pattern`` (a regular expression), ``enum_values`` (a list of
      ``{"code", "label", "label_en", "aliases"}``).
    - ``unit``: e.g. 万元 for penalty amounts.
    - ``required``; ``required_when``: ``{"field": "XK_XDR_LB", "in": [...]}``
      makes the field required only for those values of another field.
    - ``is_public``/``masking``: whether the portal may show it and how.
    """

    version = models.ForeignKey(
        ResourceVersion, verbose_name=_("资源版本"), on_delete=models.CASCADE, related_name="fields"
    )
    code = models.CharField(_("数据项代码"), max_length=64)
    name = models.CharField(_("中文名称"), max_length=128)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    data_type = models.CharField(_("数据类型"), max_length=16, choices=FieldType.choices)
    required = models.BooleanField(_("必填"), default=False)
    required_when = models.JSONField(_("条件必填"), null=True, blank=True)
    max_length = models.PositiveIntegerField(_("最大长度"), null=True, blank=True)
    min_length = models.PositiveIntegerField(_("最小长度"), null=True, blank=True)
    max_digits = models.PositiveSmallIntegerField(_("总位数"), null=True, blank=True)
    decimal_places = models.PositiveSmallIntegerField(_("小数位数"), null=True, blank=True)
    min_value = models.DecimalField(
        _("最小值"), max_digits=30, decimal_places=6, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("最大值"), max_digits=30, decimal_places=6, null=True, blank=True
    )
    pattern = models.CharField(_("格式（正则表达式）"), max_length=255, blank=True)
    enum_values = models.JSONField(_("代码值"), default=list, blank=True)
    unit = models.CharField(_("计量单位"), max_length=16, blank=True)
    is_public = models.BooleanField(_("公示"), default=True)
    masking = models.CharField(
        _("遮蔽规则"), max_length=16, choices=MaskingRule.choices, default=MaskingRule.NONE
    )
    aliases = ArrayField(
        models.CharField(max_length=128), verbose_name=_("别名"), default=list, blank=True
    )
    notation = models.CharField(
        _("原始格式标注"), max_length=32, blank=True, help_text=_("如 C..64、N..18,2、YYYYMMDD")
    )
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("数据项")
        verbose_name_plural = _("数据项")
        ordering = ("version", "order", "pk")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalogue_field_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs) -> None:
        # A published version's fields are as immutable as the version itself.
        self._guard_version()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard_version()
        return super().delete(*args, **kwargs)

    def _guard_version(self) -> None:
        status = (
            ResourceVersion.objects.filter(pk=self.version_id)
            .values_list("status", flat=True)
            .first()
        )
        if status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED):
            raise ConflictError(
                f"{self.code}：所属版本已发布，不能修改。", code="version_immutable"
            )


class ObligedSupplier(models.Model):
    """Who must supply a resource version: a department line at some levels, or one department.

    ``line`` + ``levels`` (e.g. SCJG at provincial, city, county) covers every
    department of that line at those levels; ``department`` names a single one.
    Coverage targets count departments selected this way.
    """

    version = models.ForeignKey(
        ResourceVersion,
        verbose_name=_("资源版本"),
        on_delete=models.CASCADE,
        related_name="suppliers",
    )
    line = models.CharField(_("条线"), max_length=16, blank=True)
    levels = ArrayField(
        models.CharField(max_length=16, choices=DepartmentLevel.choices),
        verbose_name=_("层级"),
        default=list,
        blank=True,
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("报送义务部门")
        verbose_name_plural = _("报送义务部门")
        ordering = ("version", "line", "pk")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(line="") | models.Q(department__isnull=False),
                name="catalogue_supplier_line_or_department",
            ),
        ]

    def __str__(self) -> str:
        return (
            str(self.department) if self.department_id else f"{self.line} {'/'.join(self.levels)}"
        )


class PublicityRegime(TimeStampedModel):
    """A dated publicity-period rule for a resource (BRIEF.md 2.3).

    Applies to records of ``resource`` decided on or after ``valid_from`` (and
    before ``valid_to`` when set), from departments of ``line`` (blank = every
    department: market-regulation rules such as SAMR Order 45 bind only the
    SCJG line), for the given ``category`` (blank = any, e.g.
    a penalty type such as 警告) and ``severity``. ``min_months``/``max_months``
    bound the publicity period from the decision date; ``max_months = 0`` means
    "not published" (market-regulation warnings). ``repair_after_months`` is
    when credit repair may be requested (None = not repairable). A new regime is
    a new row: no code changes.
    """

    resource = models.ForeignKey(
        Resource, verbose_name=_("信息资源"), on_delete=models.CASCADE, related_name="regimes"
    )
    name = models.CharField(_("规则名称"), max_length=128)
    legal_basis = models.CharField(_("依据"), max_length=255)
    valid_from = models.DateField(_("适用起始日（决定日期）"))
    valid_to = models.DateField(_("适用截止日"), null=True, blank=True)
    line = models.CharField(
        _("适用条线"),
        max_length=16,
        blank=True,
        help_text=_("留空表示适用于所有部门；如 SCJG 仅适用于市场监管部门。"),
    )
    category = models.CharField(_("类别"), max_length=64, blank=True)
    severity = models.CharField(
        _("严重程度"), max_length=16, choices=Severity.choices, default=Severity.ANY
    )
    min_months = models.PositiveSmallIntegerField(_("最短公示期（月）"), default=0)
    max_months = models.PositiveSmallIntegerField(_("最长公示期（月）"))
    repair_after_months = models.PositiveSmallIntegerField(
        _("可申请修复（月）"), null=True, blank=True
    )
    priority = models.SmallIntegerField(
        _("优先级"), default=0, help_text=_("同时适用多条规则时取优先级高者。")
    )
    note = models.TextField(_("说明"), blank=True)

    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("公示期规则")
        verbose_name_plural = _("公示期规则")
        ordering = ("resource", "-valid_from", "-priority", "pk")

    def __str__(self) -> str:
        return f"{self.resource.code} {self.name}（{self.valid_from} 起）"


class ResourceLiaison(TimeStampedModel):
    """The person an obliged department names for one resource (联络员)."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("信息资源"), on_delete=models.CASCADE, related_name="liaisons"
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("部门"),
        on_delete=models.CASCADE,
        related_name="resource_liaisons",
    )
    name = models.CharField(_("姓名"), max_length=64)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("资源联络员")
        verbose_name_plural = _("资源联络员")
        ordering = ("resource", "department", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "department"], name="catalogue_liaison_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource.code} {self.department} {self.name}"


class SupplementProposal(TimeStampedModel):
    """A city's, county's or department's proposed addition or change (目录补充).

    ``resource`` is blank for a proposed new resource. ``payload`` holds the
    proposed resource definition in the catalogue import format. The provincial
    administrator approves (it goes into the next draft) or rejects with a reason.
    """

    resource = models.ForeignKey(
        Resource,
        verbose_name=_("信息资源"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("提出部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=200)
    reason = models.TextField(_("理由"))
    payload = models.JSONField(_("建议内容"), default=dict)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审核意见"), blank=True)
    applied_to = models.ForeignKey(
        ResourceVersion,
        verbose_name=_("纳入版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("目录补充建议")
        verbose_name_plural = _("目录补充建议")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.title


class CatalogueAnnouncement(models.Model):
    """The public announcement of a published resource version (变更公告).

    ``changes`` is the field-by-field diff against the previous published
    version, as computed at publication; the disclosure portal lists these.
    """

    version = models.OneToOneField(
        ResourceVersion,
        verbose_name=_("资源版本"),
        on_delete=models.PROTECT,
        related_name="announcement",
    )
    title = models.CharField(_("标题"), max_length=255)
    summary = models.TextField(_("摘要"))
    changes = models.JSONField(_("变更明细"), default=dict)
    published_at = models.DateTimeField(_("发布时间"), db_index=True)

    class Meta:
        verbose_name = _("目录变更公告")
        verbose_name_plural = _("目录变更公告")
        ordering = ("-published_at", "-pk")

    def __str__(self) -> str:
        return self.title
