"""The mapping (business scope -> licensing matters -> departments), notices and claim tasks.

BRIEF.md 5.2: at establishment or business-scope change the registrar tells
the applicant which activities need a licence and from whom (the notice), and
pushes the registration record to the competent departments, which claim it
(认领). The mapping is data that provincial administrators maintain.
"""

from __future__ import annotations

import datetime

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.organizations.choices import Role
from apps.organizations.scoping import ScopeRule

from .choices import ApprovalLevel, AssignmentOutcome, NoticeSource, NoticeTrigger, TaskStatus

PROVINCE_ONLY = frozenset({Role.PROVINCE_ADMIN})
TASK_CHANGE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LIAISON})


class LicensingMatterQuerySet(models.QuerySet["LicensingMatter"]):
    """Queries over licensing matters."""

    def in_force(self, on: datetime.date) -> LicensingMatterQuerySet:
        """Matters active and valid on ``on`` (valid_from <= on < valid_to)."""
        return self.filter(is_active=True, valid_from__lte=on).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=on)
        )


class LicensingMatter(TimeStampedModel):
    """A post-registration licensing matter (工商登记后置审批事项).

    - ``code``: stable business key (e.g. ``SPJY`` for the food business licence).
    - ``legal_basis``: the law or regulation that sets the licence, printed on the notice.
    - ``department_line``: the approving line (``Department.line``, e.g. ``SCJG``);
      the department is resolved per enterprise by ``approval_level`` and region.
    - ``industry_code_prefixes``: GB/T 4754 industry codes (or prefixes) that
      trigger the matter even when no phrase of the business scope does.
    - ``valid_from``/``valid_to``: the catalogue changes over time (licences
      turned into filings); a registration uses the matters in force on its date.
    - ``source_note``: where the entry comes from ([S]/[R] where not checked).
    """

    code = models.CharField(_("事项编码"), max_length=32, unique=True)
    name = models.CharField(_("许可事项名称"), max_length=128)
    legal_basis = models.CharField(_("设定依据"), max_length=500)
    department_line = models.CharField(
        _("审批部门条线"),
        max_length=16,
        help_text=_("部门条线代码，如 SCJG（市场监管）、JT（交通运输）。"),
    )
    approving_department_label = models.CharField(
        _("审批部门（告知书表述）"),
        max_length=128,
        help_text=_("未能确定具体部门时告知书上显示的表述，如“县级以上市场监督管理部门”。"),
    )
    approval_level = models.CharField(
        _("审批层级"), max_length=16, choices=ApprovalLevel.choices, default=ApprovalLevel.LOCAL
    )
    industry_code_prefixes = ArrayField(
        models.CharField(max_length=8),
        verbose_name=_("行业代码（前缀）"),
        default=list,
        blank=True,
    )
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    source_note = models.CharField(_("来源说明"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = LicensingMatterQuerySet.as_manager()

    # Reference data: every signed-in person reads it; only the province edits it.
    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("许可事项")
        verbose_name_plural = _("许可事项")
        ordering = ("sort_order", "code")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class ScopeKeyword(models.Model):
    """A business-scope phrase that maps to a licensing matter.

    A scope item (the text between 「；」 separators) matches when it contains
    ``phrase`` and none of ``exclusions`` (e.g. 食品销售 but not
    仅销售预包装食品, which needs a filing only).
    """

    matter = models.ForeignKey(
        LicensingMatter,
        verbose_name=_("许可事项"),
        on_delete=models.CASCADE,
        related_name="keywords",
    )
    phrase = models.CharField(_("经营范围关键词"), max_length=64)
    exclusions = ArrayField(
        models.CharField(max_length=64), verbose_name=_("排除词"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("经营范围关键词")
        verbose_name_plural = _("经营范围关键词")
        ordering = ("matter", "phrase", "pk")
        constraints = [
            models.UniqueConstraint(fields=["matter", "phrase"], name="dual_notice_keyword_unique")
        ]

    def __str__(self) -> str:
        return self.phrase


class ClaimDeadlineRule(models.Model):
    """How many working days a department has to claim a task, from a date on.

    No national deadline was found (BRIEF.md 5.2 [R]); the value is the
    province's own and may change, so it is data with a valid-from date.
    """

    valid_from = models.DateField(_("生效日期"), unique=True)
    working_days = models.PositiveSmallIntegerField(_("认领时限（工作日）"))
    note = models.CharField(_("依据或说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("认领时限规则")
        verbose_name_plural = _("认领时限规则")
        ordering = ("-valid_from",)

    def __str__(self) -> str:
        return f"{self.valid_from:%Y-%m-%d} 起 {self.working_days} 个工作日"


class Notice(TimeStampedModel):
    """The notice to an applicant (双告知书) for one registration event.

    - ``business_scope``/``scope_hash``: the scope as notified; a later scan
      issues a new notice only when the hash differs from the enterprise's
      latest notice, which makes the scan idempotent.
    - ``registered_on``: the registration (or change) date; claim deadlines
      count from it.
    - ``registrar``: the market-regulation department of the enterprise's region
      that issues the notice (may be null where none is configured).
    - ``source``/``source_record_id``: the registry row or QYDJ record read.
    """

    number = models.CharField(_("告知书编号"), max_length=40, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("市场主体"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    trigger = models.CharField(_("登记事项"), max_length=16, choices=NoticeTrigger.choices)
    source = models.CharField(_("来源"), max_length=16, choices=NoticeSource.choices)
    source_record_id = models.BigIntegerField(_("来源记录编号"), null=True, blank=True)
    business_scope = models.TextField(_("经营范围"))
    scope_hash = models.CharField(_("经营范围摘要"), max_length=64)
    industry_code = models.CharField(_("行业代码"), max_length=8, blank=True)
    registered_on = models.DateField(_("登记日期"))
    registrar = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("登记机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Registrar staff see their notices; other departments reach a notice
    # through their task (selectors.get_notice_for_user); city admins their region.
    scope_rule = ScopeRule(
        department="registrar", region="enterprise__region", change_roles=PROVINCE_ONLY
    )

    class Meta:
        verbose_name = _("双告知书")
        verbose_name_plural = _("双告知书")
        ordering = ("-registered_on", "-pk")
        indexes = [models.Index(fields=["enterprise", "-created_at"], name="dual_notice_ent_idx")]

    def __str__(self) -> str:
        return self.number


class ClaimTask(TimeStampedModel):
    """One licensing matter of one notice, to be claimed by its department (认领).

    - ``department``: where the task sits now; null while it waits in the
      provincial administrators' queue (returned, overdue, no department).
    - ``assigned_on``/``due_on``: the current turn; ``due_on`` is
      ``assigned_on`` plus the rule's working days (apps.core.workdays).
    - ``matched_text``: the scope item or industry code that triggered the matter.
    - Each department's turn is kept in :class:`TaskAssignment` for statistics.
    """

    notice = models.ForeignKey(
        Notice, verbose_name=_("双告知书"), on_delete=models.CASCADE, related_name="tasks"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("市场主体"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.ForeignKey(
        LicensingMatter, verbose_name=_("许可事项"), on_delete=models.PROTECT, related_name="tasks"
    )
    matched_text = models.CharField(_("匹配依据"), max_length=255)
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("认领部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    assigned_on = models.DateField(_("推送日期"), null=True, blank=True)
    due_on = models.DateField(_("认领期限"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("认领人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    queue_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    handling_note = models.CharField(_("办理说明"), max_length=500, blank=True)

    scope_rule = ScopeRule(
        department="department", region="enterprise__region", change_roles=TASK_CHANGE_ROLES
    )

    class Meta:
        verbose_name = _("认领任务")
        verbose_name_plural = _("认领任务")
        ordering = ("due_on", "pk")
        constraints = [
            models.UniqueConstraint(fields=["notice", "matter"], name="dual_notice_task_unique")
        ]
        indexes = [
            models.Index(fields=["department", "status", "due_on"], name="dual_notice_task_dept"),
            models.Index(
                fields=["due_on"],
                name="dual_notice_task_pending_due",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter.name} · {self.enterprise.name}"

    def is_overdue_on(self, day: datetime.date) -> bool:
        """A pending task is overdue the day after its deadline."""
        return self.status == TaskStatus.PENDING and self.due_on is not None and day > self.due_on

    @property
    def in_queue(self) -> bool:
        """Whether the task waits for the provincial administrators."""
        return self.department_id is None and self.status not in (
            TaskStatus.CLAIMED,
            TaskStatus.CLOSED,
        )


class TaskAssignment(models.Model):
    """One department's turn with a claim task, and how it ended.

    Statistics per department (claimed, returned, overdue, median claim time)
    are computed from these rows, so a task returned by one department and
    claimed by another counts for both.
    """

    task = models.ForeignKey(
        ClaimTask, verbose_name=_("认领任务"), on_delete=models.CASCADE, related_name="assignments"
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("推送时间"), default=timezone.now)
    due_on = models.DateField(_("认领期限"))
    outcome = models.CharField(
        _("结果"), max_length=16, choices=AssignmentOutcome.choices, default=AssignmentOutcome.OPEN
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=500, blank=True)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("任务流转记录")
        verbose_name_plural = _("任务流转记录")
        ordering = ("task", "assigned_at", "pk")
        indexes = [models.Index(fields=["department", "outcome"], name="dual_notice_asg_dept")]

    def __str__(self) -> str:
        return f"{self.task_id} → {self.department_id}: {self.outcome}"


class ScanWatermark(models.Model):
    """How far the registration scan has read one source: (updated_at, pk) of the last row."""

    source = models.CharField(_("来源"), max_length=16, choices=NoticeSource.choices, unique=True)
    last_updated_at = models.DateTimeField(_("已读至（更新时间）"))
    last_pk = models.BigIntegerField(_("已读至（编号）"), default=0)
    scanned_at = models.DateTimeField(_("最近扫描"), auto_now=True)

    class Meta:
        verbose_name = _("登记扫描进度")
        verbose_name_plural = _("登记扫描进度")

    def __str__(self) -> str:
        return f"{self.source} @ {self.last_updated_at:%Y-%m-%d %H:%M:%S}"
