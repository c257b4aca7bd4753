"""双随机一公开: officers, conflicts, target pools, plans, draws, tasks, results, follow-ups.

"一单两库一细则" (BRIEF.md 5.1): the *matters* are on the plan; the two lists
(库) are :class:`TargetPool` (inspection objects, built from the registry and
frozen as a snapshot) and :class:`Officer` (law-enforcement officers per
department). A :class:`Draw` keeps its seed and every input of the lot, so the
draw can be recomputed by anyone (:mod:`apps.inspections.draw`).
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.organizations.scoping import ScopeRule

from .choices import (
    CheckType,
    FollowUpKind,
    FollowUpState,
    PlanStatus,
    ResultOutcome,
    RiskGrade,
    TaskStatus,
)


class Officer(TimeStampedModel):
    """A law-enforcement officer on a department's list (执法检查人员名录库).

    - ``certificate_number``: the law-enforcement certificate (执法证号), unique.
    - ``areas``: regions the officer works in; with a plan's ``avoid_own_area``
      rule the officer never inspects an entity registered in one of them (or
      in a district below them).
    - ``user``: the officer's own account, if any; it sees the officer's tasks.
    - ``is_active``: only active officers are drawn.
    """

    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        related_name="inspection_officers",
    )
    name = models.CharField(_("姓名"), max_length=64)
    certificate_number = models.CharField(_("执法证号"), max_length=64, unique=True)
    areas = models.ManyToManyField(
        "organizations.Region", verbose_name=_("负责区域"), blank=True, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection_officer",
    )
    is_active = models.BooleanField(_("在岗"), default=True)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("执法检查人员")
        verbose_name_plural = _("执法检查人员")
        ordering = ("department__code", "certificate_number", "pk")

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"


class OfficerConflict(TimeStampedModel):
    """A declared conflict of interest (回避): the officer is never drawn for the entity."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("执法检查人员"), on_delete=models.CASCADE, related_name="conflicts"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("市场主体"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("回避事由"), max_length=200)

    scope_rule = ScopeRule(department="officer__department", region="officer__department__region")

    class Meta:
        verbose_name = _("回避关系")
        verbose_name_plural = _("回避关系")
        ordering = ("officer", "enterprise", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "enterprise"], name="inspections_conflict_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} ↔ {self.enterprise_id}"


class RiskMark(TimeStampedModel):
    """An entity's credit-risk grade (A-D) as assessed on a day; pools may filter by it.

    The latest mark per entity (by ``assessed_on``) is the one in force.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("市场主体"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    grade = models.CharField(_("风险分类"), max_length=1, choices=RiskGrade.choices)
    assessed_on = models.DateField(_("评定日期"))
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("评定部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope_rule = ScopeRule(
        view_all_staff=True, department="department", region="department__region"
    )

    class Meta:
        verbose_name = _("信用风险分类")
        verbose_name_plural = _("信用风险分类")
        ordering = ("enterprise", "-assessed_on", "-pk")
        indexes = [models.Index(fields=["enterprise", "-assessed_on"], name="insp_risk_ent_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.grade}（{self.assessed_on}）"


class TargetPool(TimeStampedModel):
    """A snapshot of inspection objects (检查对象名录) selected from the registry by filters.

    - ``filters``: the criteria as given (region codes, entity types, industry
      code prefixes, statuses, list names, risk grades); kept for the record.
    - ``snapshot_at``: when the members were frozen; members never change
      afterwards, so a draw over the pool is reproducible later.
    """

    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=200)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    member_count = models.PositiveIntegerField(_("对象数"), default=0)
    snapshot_at = models.DateTimeField(_("快照时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("检查对象名录")
        verbose_name_plural = _("检查对象名录")
        ordering = ("-snapshot_at", "-pk")

    def __str__(self) -> str:
        return self.name


class PoolMember(models.Model):
    """One entity frozen into a pool (with its region at snapshot time)."""

    pool = models.ForeignKey(
        TargetPool, verbose_name=_("检查对象名录"), on_delete=models.CASCADE, related_name="members"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("市场主体"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_id_at_snapshot = models.IntegerField(_("快照时所属区划"))

    class Meta:
        verbose_name = _("名录对象")
        verbose_name_plural = _("名录对象")
        ordering = ("pool", "enterprise_id")
        constraints = [
            models.UniqueConstraint(fields=["pool", "enterprise"], name="inspections_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pool_id}:{self.enterprise_id}"


class Plan(TimeStampedModel):
    """A spot-check plan (抽查计划) of one department or several jointly (跨部门联合抽查).

    - ``code``: the plan number published as CC_JHBH (unique).
    - ``participants``: the departments taking part; the lead department is
      one of them (``PlanDepartment.is_lead``). Officers are drawn from every
      participant's active officers; in a joint plan the officers of one
      target come from different departments whenever possible.
    - ``sample_count`` or ``sample_ratio`` (percent of the pool): how many
      targets are drawn; exactly one of them is set.
    - ``officers_per_target``: at least 2 (BRIEF.md 5.1).
    - ``avoid_own_area``: officers never inspect entities of their own areas.
    - ``matters``: the items to check (抽查事项), one per line.
    """

    code = models.CharField(_("计划编号"), max_length=64, unique=True)
    name = models.CharField(_("计划名称"), max_length=200)
    lead_department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("牵头部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    departments = models.ManyToManyField(
        "organizations.Department",
        verbose_name=_("参与部门"),
        through="PlanDepartment",
        related_name="+",
    )
    pool = models.ForeignKey(
        TargetPool, verbose_name=_("检查对象名录"), on_delete=models.PROTECT, related_name="plans"
    )
    check_type = models.CharField(
        _("抽查类型"), max_length=8, choices=CheckType.choices, default=CheckType.DIRECTED
    )
    matters = models.TextField(_("抽查事项"))
    sample_count = models.PositiveIntegerField(_("抽取户数"), null=True, blank=True)
    sample_ratio = models.DecimalField(
        _("抽取比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    officers_per_target = models.PositiveSmallIntegerField(_("每户检查人员数"), default=2)
    avoid_own_area = models.BooleanField(_("执法人员不检查本人负责区域"), default=False)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Every participant sees the plan; scoped querysets call distinct() because
    # a region administrator may match several participants of one plan.
    scope_rule = ScopeRule(
        department="participants__department", region="participants__department__region"
    )

    class Meta:
        verbose_name = _("抽查计划")
        verbose_name_plural = _("抽查计划")
        ordering = ("-starts_on", "-pk")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_joint(self) -> bool:
        """Whether more than one department takes part (uses the prefetched participants)."""
        return len(self.participants.all()) > 1

    def sample_size(self, pool_size: int) -> int:
        """Targets to draw from a pool of ``pool_size``: the count, or the ratio rounded up."""
        if self.sample_count is not None:
            return int(self.sample_count)
        ratio = Decimal(self.sample_ratio or 0)
        # Round up: a 3 % ratio of 10 entities draws 1, never 0.
        return math.ceil(pool_size * ratio / 100) if ratio else 0


class PlanDepartment(models.Model):
    """A department taking part in a plan; one per plan is the lead."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("抽查计划"), on_delete=models.CASCADE, related_name="participants"
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_lead = models.BooleanField(_("牵头"), default=False)

    class Meta:
        verbose_name = _("参与部门")
        verbose_name_plural = _("参与部门")
        ordering = ("plan", "-is_lead", "department__code", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "department"], name="inspections_plan_department_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.department_id}"


class Draw(TimeStampedModel):
    """One random draw of a plan: the seed, every input, the reason for a redraw.

    ``inputs`` holds exactly what :func:`apps.inspections.draw.compute_draw`
    consumed (sorted target and officer ids with their regions, areas,
    departments and the declared conflicts); ``outcome`` what it produced
    (target ids in draw order, officer ids per target). Recomputing from the
    seed and the inputs must give the same outcome (the verify page does).
    Only the newest draw of a plan is ``is_current``.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("抽查计划"), on_delete=models.CASCADE, related_name="draws"
    )
    round = models.PositiveSmallIntegerField(_("抽取轮次"))
    seed = models.CharField(_("随机种子"), max_length=40)
    algorithm = models.CharField(_("抽取算法"), max_length=32)
    inputs = models.JSONField(_("抽取输入"))
    outcome = models.JSONField(_("抽取结果"))
    reason = models.CharField(_("重新抽取理由"), max_length=500, blank=True)
    is_current = models.BooleanField(_("现行"), default=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_rule = ScopeRule(
        department="plan__participants__department",
        region="plan__participants__department__region",
    )

    class Meta:
        verbose_name = _("随机抽取记录")
        verbose_name_plural = _("随机抽取记录")
        ordering = ("plan", "-round", "pk")
        constraints = [
            models.UniqueConstraint(fields=["plan", "round"], name="inspections_draw_round_unique"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(is_current=True),
                name="inspections_one_current_draw",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.round}"


class Task(TimeStampedModel):
    """One drawn target of a plan (抽查任务), with its officers; CC_RWBH is ``code``.

    Scoped to the departments of its officers (they enter the result);
    the plan's participants reach it through the plan page.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("抽查计划"), on_delete=models.CASCADE, related_name="tasks"
    )
    draw = models.ForeignKey(
        Draw, verbose_name=_("随机抽取记录"), on_delete=models.CASCADE, related_name="tasks"
    )
    code = models.CharField(_("任务编号"), max_length=80, unique=True)
    position = models.PositiveIntegerField(_("抽中顺序"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("检查对象"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    officers = models.ManyToManyField(
        Officer, verbose_name=_("检查人员"), through="TaskOfficer", related_name="tasks"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED
    )

    scope_rule = ScopeRule(
        department="assignments__officer__department",
        region="assignments__officer__department__region",
    )

    class Meta:
        verbose_name = _("抽查任务")
        verbose_name_plural = _("抽查任务")
        ordering = ("plan", "position", "pk")

    def __str__(self) -> str:
        return self.code


class TaskOfficer(models.Model):
    """An officer drawn for a task, in draw order."""

    task = models.ForeignKey(
        Task, verbose_name=_("抽查任务"), on_delete=models.CASCADE, related_name="assignments"
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("检查人员"), on_delete=models.PROTECT, related_name="assignments"
    )
    position = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("任务检查人员")
        verbose_name_plural = _("任务检查人员")
        ordering = ("task", "position")
        constraints = [
            models.UniqueConstraint(fields=["task", "officer"], name="inspections_task_officer")
        ]

    def __str__(self) -> str:
        return f"{self.task_id}:{self.officer_id}"


class ResultDeadline(TimeStampedModel):
    """How many working days a result may take to reach the public profile, from a date on.

    [R] 20 working days from the completion of the check (国发〔2019〕5号,
    BRIEF.md 5.1); kept as data with a valid-from date because the rule rests
    on a recollection and may change. The row with the latest ``valid_from``
    not after the completion date applies.
    """

    valid_from = models.DateField(_("适用起始日（完成日期）"), unique=True)
    working_days = models.PositiveSmallIntegerField(_("公示时限（工作日）"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("检查结果公示时限")
        verbose_name_plural = _("检查结果公示时限")
        ordering = ("-valid_from",)

    def __str__(self) -> str:
        return f"{self.valid_from} 起 {self.working_days} 个工作日"


class InspectionResult(TimeStampedModel):
    """The result of one task, entered by the department of its officers and published.

    - ``completed_on``: the day the check was completed (CC_WCRQ); the
      publication deadline counts from it (``publish_by``).
    - ``record_id``: the record in the CCJC store once published
      (``published_at``); a corrected result updates the same record.
    """

    task = models.OneToOneField(
        Task, verbose_name=_("抽查任务"), on_delete=models.CASCADE, related_name="result"
    )
    outcome = models.CharField(_("检查结果"), max_length=24, choices=ResultOutcome.choices)
    details = models.TextField(_("问题及处理情况"), blank=True)
    completed_on = models.DateField(_("完成日期"))
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("录入部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publish_by = models.DateField(_("公示截止日"))
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    record_id = models.BigIntegerField(_("公示记录编号"), null=True, blank=True)

    scope_rule = ScopeRule(
        department="task__assignments__officer__department",
        region="task__assignments__officer__department__region",
    )

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ("-completed_on", "-pk")

    def __str__(self) -> str:
        return f"{self.task.code} {self.get_outcome_display()}"

    @property
    def published_in_time(self) -> bool | None:
        """Whether it was published by its deadline (None while unpublished)."""
        if self.published_at is None:
            return None
        return self.published_at.date() <= self.publish_by

    def is_overdue(self, today: datetime.date) -> bool:
        """Unpublished past its deadline."""
        return self.published_at is None and today > self.publish_by


class FollowUp(TimeStampedModel):
    """What a result asks of the list rules (an entity not found at its address).

    ``state`` is pending until a proposal exists in joint_punishment;
    ``proposal_id`` is that proposal's id (a plain id: no foreign key across
    record apps).
    """

    result = models.ForeignKey(
        InspectionResult,
        verbose_name=_("检查结果"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    kind = models.CharField(_("类别"), max_length=24, choices=FollowUpKind.choices)
    state = models.CharField(
        _("状态"), max_length=16, choices=FollowUpState.choices, default=FollowUpState.PENDING
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("市场主体"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("承办部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposal_id = models.BigIntegerField(_("名录建议编号"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("后续处置")
        verbose_name_plural = _("后续处置")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["result", "kind"], name="inspections_followup_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.enterprise_id}"
