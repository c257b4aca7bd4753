"""Objections, the public change feed and portal API keys of the disclosure portal.

- :class:`Objection` (异议): a member of the public disputes one record shown on
  a public profile; it waits in the source department's queue until the
  department answers (corrected or rejected with reasons). Attachments are
  :class:`ObjectionAttachment` rows.
- :class:`ObjectionRule`: the answer deadline in working days, dated
  (``valid_from``) and edited by administrators, because the period rests on
  local practice that changes over time.
- :class:`ChangeEvent`: one public announcement (catalogue change, list
  inclusion, list removal). Its ``id`` is the position of the change feed that
  clients resume from; one writer at a time appends (see
  :func:`apps.disclosure.services.sync_change_events`).
- :class:`PortalApiKey`: a heavy user's key for the public API, with a daily
  quota and a per-minute rate.

The portal's search and profile pages keep no state of their own and define
no models here.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organizations.choices import Role
from apps.organizations.scoping import ScopeRule

PROVINCE_ONLY = frozenset({Role.PROVINCE_ADMIN})
DEPARTMENT_WRITERS = frozenset(
    {Role.PROVINCE_ADMIN, Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LIAISON}
)


class ObjectionStatus(models.TextChoices):
    """Where an objection stands: waiting for the department, or answered one way or the other."""

    PENDING = "pending", _("待处理")
    CORRECTED = "corrected", _("已更正")
    REJECTED = "rejected", _("不予更正")


class ObjectionOutcome(models.TextChoices):
    """The department's answer (the two final states of :class:`ObjectionStatus`)."""

    CORRECTED = "corrected", _("已更正")
    REJECTED = "rejected", _("不予更正")


class ChangeEventKind(models.TextChoices):
    """What a public announcement is about."""

    CATALOGUE = "catalogue", _("目录变更")
    LIST_INCLUDED = "list_included", _("列入名单")
    LIST_REMOVED = "list_removed", _("移出名单")


class ObjectionRule(models.Model):
    """The answer deadline for objections, valid from a date (admin-editable data).

    - ``valid_from``: the first submission day the rule applies to; the rule
      with the latest ``valid_from`` not after the submission day wins.
    - ``answer_working_days``: working days (statutory calendar) the source
      department has to answer, counted from the day after submission.
    - ``basis``: where the figure comes from (notice, local practice).
    """

    valid_from = models.DateField(_("生效日期"), unique=True)
    answer_working_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"))
    basis = models.CharField(_("依据"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("异议处理时限")
        verbose_name_plural = _("异议处理时限")
        ordering = ("-valid_from",)

    def __str__(self) -> str:
        return f"{self.valid_from:%Y-%m-%d} 起 {self.answer_working_days} 个工作日"


class ObjectionQuerySet(models.QuerySet["Objection"]):
    """Queries over objections."""

    def open(self) -> ObjectionQuerySet:
        return self.filter(status=ObjectionStatus.PENDING)

    def overdue(self, today: datetime.date | None = None) -> ObjectionQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())


class Objection(models.Model):
    """A public objection (异议) to one record shown on an enterprise's public profile.

    - ``reference``: the number given to the objector (public, not secret);
      looking an objection up also needs the verification code or the phone
      number, so references cannot be enumerated. Only a keyed hash of the
      verification code is stored (``verification_hash``).
    - ``enterprise``/``enterprise_uscc``/``enterprise_name``: the profile the
      record was shown on (name and code copied as shown on that day).
    - ``resource_code``/``record_id``/``record_label``: the disputed record,
      found through the records registry; ``department`` is its source
      department, whose queue the objection lands in.
    - ``objector_*``: contact details; stored in full for the department,
      masked in lists.
    - ``due_date``: the answer deadline, from :class:`ObjectionRule` and the
      working-day calendar at submission.
    - ``outcome_note``: what was corrected, or the reasons for rejecting.
    """

    reference = models.CharField(_("受理编号"), max_length=32, unique=True)
    verification_hash = models.CharField(_("查询码摘要"), max_length=64)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("市场主体"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    enterprise_uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    enterprise_name = models.CharField(_("市场主体名称"), max_length=255)
    resource_code = models.CharField(_("信息资源代码"), max_length=32)
    record_id = models.BigIntegerField(_("记录编号"))
    record_label = models.CharField(_("记录"), max_length=255, blank=True)
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("来源部门"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    objector_name = models.CharField(_("异议人姓名或名称"), max_length=100)
    objector_phone = models.CharField(_("联系电话"), max_length=32)
    objector_email = models.EmailField(_("电子邮箱"), blank=True)
    content = models.TextField(_("异议内容"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.PENDING,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    due_date = models.DateField(_("答复期限"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome_note = models.TextField(_("处理说明"), blank=True)

    objects = ObjectionQuerySet.as_manager()

    # Department staff answer their own department's objections; city
    # administrators see their region's; auditors read everything.
    scope_rule = ScopeRule(
        department="department", region="department__region", change_roles=DEPARTMENT_WRITERS
    )

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ("-submitted_at", "-pk")
        indexes = [
            models.Index(fields=["department", "status", "due_date"], name="disc_obj_queue"),
            models.Index(fields=["enterprise", "resource_code"], name="disc_obj_record"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        """True while the department has not answered."""
        return self.status == ObjectionStatus.PENDING

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """True when still open after the answer deadline."""
        return self.is_open and self.due_date < (today or timezone.localdate())


class ObjectionAttachment(models.Model):
    """A file the objector attached (PDF, JPEG or PNG, checked by its content signature).

    Stored under a random name; ``original_name`` is only shown, never used as a path.
    """

    objection = models.ForeignKey(
        Objection, verbose_name=_("异议"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="objections/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    scope_rule = ScopeRule(
        department="objection__department",
        region="objection__department__region",
        change_roles=DEPARTMENT_WRITERS,
    )

    class Meta:
        verbose_name = _("异议附件")
        verbose_name_plural = _("异议附件")
        ordering = ("objection", "pk")

    def __str__(self) -> str:
        return self.original_name


class ChangeEvent(models.Model):
    """One public announcement, at one position of the change feed.

    - ``id``: bigserial; the feed position. Rows are appended by one writer at
      a time under an advisory lock, so a committed id is never followed by
      a smaller one becoming visible later: ``?after=<id>`` never skips.
    - ``source_key``: the source's identity (``catalogue:<announcement id>``,
      ``list:<entry key>:included``); appending is idempotent on it.
    - ``occurred_at``: when the change happened at its source (publication,
      listing or removal date); ``recorded_at``: when the feed learned of it.
    """

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(_("类别"), max_length=16, choices=ChangeEventKind.choices)
    source_key = models.CharField(_("来源标识"), max_length=128, unique=True)
    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    title = models.CharField(_("标题"), max_length=255)
    summary = models.TextField(_("摘要"), blank=True)
    resource_code = models.CharField(_("信息资源代码"), max_length=32, blank=True)
    enterprise_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    enterprise_name = models.CharField(_("市场主体名称"), max_length=255, blank=True)
    department_name = models.CharField(_("决定机关"), max_length=128, blank=True)
    link = models.CharField(_("链接"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("公告事件")
        verbose_name_plural = _("公告事件")
        ordering = ("-id",)
        indexes = [models.Index(fields=["kind", "-id"], name="disc_change_kind")]

    def __str__(self) -> str:
        return self.title


class ChangeFeedSource(models.Model):
    """How far the change feed has read one list source (a store), for the next sync.

    - ``name``: the store's model label (``joint_punishment.listentry``) or class name;
    - ``synced_until``: the start of the last sync that read it; the next one
      reads entries changed since then (less a margin), plus entries whose
      listing or removal day has come since.
    """

    name = models.CharField(_("来源"), max_length=100, unique=True)
    synced_until = models.DateTimeField(_("已同步至"))

    class Meta:
        verbose_name = _("公告来源进度")
        verbose_name_plural = _("公告来源进度")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class PortalApiKeyQuerySet(models.QuerySet["PortalApiKey"]):
    """Queries over portal API keys."""

    def active(self) -> PortalApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class PortalApiKey(models.Model):
    """A heavy user's key to the public API (e.g. a research institute, a credit agency).

    Only a SHA-256 hash of the key is stored; the full key
    (``hcp_<prefix>_<secret>``) is shown once when issued. ``daily_quota`` is
    the number of requests per calendar day (Asia/Shanghai) and
    ``per_minute`` the burst rate; both are counted in the cache (Redis).
    Issued and revoked by provincial administrators only.
    """

    name = models.CharField(_("名称"), max_length=100)
    owner = models.CharField(_("使用单位"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=64)
    contact_email = models.EmailField(_("联系邮箱"))
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    prefix = models.CharField(_("前缀"), max_length=12, unique=True)
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    daily_quota = models.PositiveIntegerField(_("每日配额（次）"), default=100_000)
    per_minute = models.PositiveIntegerField(_("每分钟限额（次）"), default=600)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("吊销人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    objects = PortalApiKeyQuerySet.as_manager()

    # No department owns a portal key: only provincial administrators (and
    # auditors, read-only) see them.
    scope_rule = ScopeRule(change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("公示接口密钥")
        verbose_name_plural = _("公示接口密钥")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}）"

    @property
    def is_active(self) -> bool:
        """True until revoked."""
        return self.revoked_at is None
