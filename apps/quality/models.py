"""Quality rules and issues, scorecards, coverage, sampling checks and ranking notices.

Rules are data (:class:`QualityRule`: dimension, severity, messages, on/off);
their set-based SQL lives in :mod:`apps.quality.rules`, keyed by the rule code.
Findings are :class:`QualityIssue` rows that point at any record store's row
(content type + id), opened and closed by the checks in
:mod:`apps.quality.checks`. Bands and targets are data with a valid-from date,
so a change of policy is a new row, not a code change.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.organizations.choices import Role
from apps.organizations.scoping import ScopeRule

from .choices import (
    CheckRunKind,
    CheckRunStatus,
    Dimension,
    IssueSeverity,
    IssueStatus,
    PeriodKind,
    SamplingStatus,
    ScopeKind,
    Verdict,
)

PROVINCE_ONLY = frozenset({Role.PROVINCE_ADMIN})


class QualityRule(models.Model):
    """One quality rule: code, dimension, severity and the message a department reads.

    The check itself is SQL in :mod:`apps.quality.rules` under the same
    ``code``; administrators may switch a rule off or change its severity and
    wording here. ``message_zh``/``message_en`` may use ``{field}`` and
    ``{value}`` placeholders filled from the issue's detail.
    """

    code = models.CharField(_("规则代码"), max_length=48, unique=True)
    dimension = models.CharField(_("质量维度"), max_length=24, choices=Dimension.choices)
    severity = models.CharField(
        _("严重程度"), max_length=16, choices=IssueSeverity.choices, default=IssueSeverity.ERROR
    )
    name = models.CharField(_("规则名称"), max_length=128)
    message_zh = models.CharField(_("提示（中文）"), max_length=255)
    message_en = models.CharField(_("提示（英文）"), max_length=255)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("质量规则")
        verbose_name_plural = _("质量规则")
        ordering = ("order", "code")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class QualityIssue(models.Model):
    """A finding: one record fails one rule (optionally on one field).

    - ``content_type``/``object_id``: the record in whichever store keeps it;
      ``department``, ``resource_code``, ``business_key``, ``decision_date`` and
      ``received_on`` are copied from it so that scorecards and lists never
      join the (large) record tables;
    - ``field_code``: the catalogue field the finding is about ('' for the record);
    - ``detail``: the offending value and context (JSON);
    - ``status``: open until a check finds the record no longer fails the
      rule (``closed_at``); a record that fails again reopens the same row.
    """

    rule = models.ForeignKey(
        QualityRule, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="issues"
    )
    dimension = models.CharField(_("质量维度"), max_length=24, choices=Dimension.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField(_("记录编号"))
    field_code = models.CharField(_("数据项"), max_length=64, blank=True, default="")
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("来源部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    resource_code = models.CharField(_("信息资源代码"), max_length=32)
    business_key = models.CharField(_("业务主键"), max_length=128)
    decision_date = models.DateField(_("决定日期"))
    received_on = models.DateField(_("接收日期"))
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.OPEN
    )
    first_seen_at = models.DateTimeField(_("首次发现"))
    last_seen_at = models.DateTimeField(_("最近发现"))
    closed_at = models.DateTimeField(_("解决时间"), null=True, blank=True)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("质量问题")
        verbose_name_plural = _("质量问题")
        ordering = ("-last_seen_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "content_type", "object_id", "field_code"],
                name="quality_issue_natural_key",
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="quality_issue_record"),
            models.Index(
                fields=["department", "received_on", "dimension"],
                name="quality_issue_dept_period",
                condition=models.Q(status="open"),
            ),
            models.Index(fields=["status", "rule"], name="quality_issue_status_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.rule.code} {self.resource_code} {self.business_key}"

    @property
    def message(self) -> str:
        """The rule's message in the active language, with field and value filled in."""
        from django.utils.translation import get_language

        template = self.rule.message_en if (get_language() or "").startswith("en") else None
        template = template or self.rule.message_zh
        values = {"field": self.field_code, "value": ""} | {
            k: v for k, v in (self.detail or {}).items() if isinstance(k, str)
        }
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return template


class WorkingDay(models.Model):
    """The statutory calendar as a table, for set-based timeliness checks.

    ``seq`` is the number of working days from a fixed origin up to and
    including ``day``, so ``seq(end) - seq(start)`` is
    :func:`apps.core.workdays.working_days_between` (start excluded, end
    included). Filled from :mod:`apps.core.workdays` for the years records
    need (:func:`apps.quality.calendar.ensure_years`).
    """

    day = models.DateField(_("日期"), primary_key=True)
    working = models.BooleanField(_("工作日"))
    seq = models.IntegerField(_("累计工作日"))

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ("day",)

    def __str__(self) -> str:
        return f"{self.day} {self.seq}"


class CheckWatermark(models.Model):
    """How far incremental checks have read one store: its last ``updated_at`` seen."""

    content_type = models.OneToOneField(
        ContentType, verbose_name=_("记录类型"), on_delete=models.CASCADE, related_name="+"
    )
    updated_at = models.DateTimeField(_("已检查至"))

    class Meta:
        verbose_name = _("增量检查水位")
        verbose_name_plural = _("增量检查水位")

    def __str__(self) -> str:
        return f"{self.content_type_id} @ {self.updated_at:%Y-%m-%d %H:%M:%S}"


class CheckRun(models.Model):
    """One run of the checks (incremental or full): what it read and what it changed."""

    kind = models.CharField(_("类型"), max_length=16, choices=CheckRunKind.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=CheckRunStatus.choices, default=CheckRunStatus.RUNNING
    )
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    records_checked = models.BigIntegerField(_("检查记录数"), default=0)
    issues_opened = models.BigIntegerField(_("新发现问题"), default=0)
    issues_closed = models.BigIntegerField(_("已关闭问题"), default=0)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("质量检查运行")
        verbose_name_plural = _("质量检查运行")
        ordering = ("-started_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"


class ScoreBand(models.Model):
    """A colour band of scores: applies to scores above ``lower_exclusive`` (None: from 0).

    The band of a score is the one with the greatest ``lower_exclusive`` below
    it, among the bands valid on the period's first day (default ≤90 red,
    90-95 orange, 95-98 yellow, >98 green).
    """

    code = models.CharField(_("代码"), max_length=16)
    label = models.CharField(_("名称"), max_length=32)
    colour = models.CharField(_("颜色"), max_length=16, help_text=_("CSS 颜色，如 #d9363e"))
    lower_exclusive = models.DecimalField(
        _("下限（不含）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    valid_from = models.DateField(_("生效日期"))

    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("评分色带")
        verbose_name_plural = _("评分色带")
        ordering = ("-valid_from", "lower_exclusive")

    def __str__(self) -> str:
        return f"{self.label} > {self.lower_exclusive or 0}"


class QualityTarget(models.Model):
    """A target value in percent, e.g. coverage ≥ 70% (the Hainan plan), valid from a date."""

    key = models.CharField(_("指标"), max_length=32, default="coverage")
    percent = models.DecimalField(_("目标值（%）"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("生效日期"))
    basis = models.CharField(_("依据"), max_length=255, blank=True)

    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("质量目标")
        verbose_name_plural = _("质量目标")
        ordering = ("key", "-valid_from")

    def __str__(self) -> str:
        return f"{self.key} ≥ {self.percent}%（{self.valid_from} 起）"


class Scorecard(models.Model):
    """Scores of one department, one city/county or the province for one period.

    Rates are percentages of the period's records (by receipt date) without an
    open issue of that dimension; ``comprehensiveness`` is the share of
    obliged resources supplied. ``score`` is the mean of the rates present.
    ``previous_score`` is the score of the period before (trend); ``rank``
    is among peers of the same scope kind (departments; cities/counties).
    """

    period_kind = models.CharField(_("周期"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("周期开始"))
    period_end = models.DateField(_("周期结束"))
    scope_kind = models.CharField(_("对象"), max_length=16, choices=ScopeKind.choices)
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("市县"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    scope_region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("部门所在区划或市县本身，用于权限范围。"),
    )

    records = models.BigIntegerField(_("记录数"), default=0)
    records_with_issues = models.BigIntegerField(_("问题记录数"), default=0)
    completeness = models.DecimalField(
        _("完整性"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    conformity = models.DecimalField(
        _("规范性"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    redundancy = models.DecimalField(
        _("冗余性"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    linkage = models.DecimalField(
        _("关联性"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    accuracy = models.DecimalField(
        _("准确性"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    timeliness = models.DecimalField(
        _("及时性"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    comprehensiveness = models.DecimalField(
        _("全面性"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(
        _("综合得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    previous_score = models.DecimalField(
        _("上期得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    band = models.CharField(_("色带"), max_length=16, blank=True)
    band_colour = models.CharField(_("色带颜色"), max_length=16, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    peers = models.PositiveIntegerField(_("参与排名数"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))

    # Department staff see their department's card; region admins their region's
    # departments and region; the province card is visible to every signed-in person.
    scope_rule = ScopeRule(department="department", region="scope_region")

    class Meta:
        verbose_name = _("质量评分")
        verbose_name_plural = _("质量评分")
        ordering = ("-period_start", "scope_kind", "rank", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "scope_kind", "department", "region"],
                name="quality_scorecard_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [
            models.Index(fields=["period_kind", "period_start", "scope_kind"], name="quality_sc_p")
        ]

    def __str__(self) -> str:
        who = self.department or self.region or _("全省")
        return f"{who} {self.period_start:%Y-%m} {self.score}"

    @property
    def trend(self):
        """Score change against the previous period (None when either is missing)."""
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


class CoverageFigure(models.Model):
    """Coverage of one area (province or city/county) for one period and resource.

    ``resource_code`` blank is the area's overall figure: obliged departments
    that supplied at least one record of a resource they are obliged to supply
    in the period ÷ departments obliged to supply anything (BRIEF.md 9).
    """

    period_kind = models.CharField(_("周期"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("周期开始"))
    period_end = models.DateField(_("周期结束"))
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("区划"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("省级区划表示全省。"),
    )
    is_province = models.BooleanField(_("全省"), default=False)
    resource_code = models.CharField(_("信息资源代码"), max_length=32, blank=True)
    obliged = models.PositiveIntegerField(_("应报送部门数"))
    supplied = models.PositiveIntegerField(_("已报送部门数"))
    rate = models.DecimalField(_("覆盖率（%）"), max_digits=6, decimal_places=2, null=True)
    target = models.DecimalField(_("目标（%）"), max_digits=5, decimal_places=2, null=True)
    meets_target = models.BooleanField(_("达标"), null=True)
    computed_at = models.DateTimeField(_("计算时间"))

    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("覆盖率")
        verbose_name_plural = _("覆盖率")
        ordering = ("-period_start", "-is_province", "region__code", "resource_code", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "region", "resource_code"],
                name="quality_coverage_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.resource_code or '*'} {self.supplied}/{self.obliged}"


class SamplingCheck(models.Model):
    """A sampling check (数据抽查) of records received up to ``check_date``.

    From each department in the check, ``sample_size`` records received in
    [``period_start``, ``check_date``] are drawn in the order of
    ``md5(seed || ':' || content type || ':' || id)``: the same seed over the
    same records draws the same sample. Reviewers mark each sampled record
    against its source document.
    """

    title = models.CharField(_("名称"), max_length=128)
    check_date = models.DateField(_("抽查日期"))
    period_start = models.DateField(_("抽查范围起始（接收日期）"))
    sample_size = models.PositiveIntegerField(_("每部门抽样数"), default=10)
    seed = models.CharField(_("随机种子"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=16, choices=SamplingStatus.choices, default=SamplingStatus.SCHEDULED
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("核查人员"), related_name="+", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    drawn_at = models.DateTimeField(_("抽样时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    findings = models.TextField(_("主要问题与建议"), blank=True)

    # Checks are the province's; every signed-in person may open the list, the
    # departments' rows inside are scoped separately.
    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("数据抽查")
        verbose_name_plural = _("数据抽查")
        ordering = ("-check_date", "-pk")

    def __str__(self) -> str:
        return self.title


class SamplingDepartment(models.Model):
    """One department in a sampling check: how many records it had and how many were drawn.

    A department with no records in the window has ``population = 0`` and
    reports "no data", never 100%.
    """

    check_run = models.ForeignKey(
        SamplingCheck,
        verbose_name=_("数据抽查"),
        on_delete=models.CASCADE,
        related_name="departments",
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    population = models.BigIntegerField(_("记录总数"), default=0)
    sampled = models.PositiveIntegerField(_("抽样数"), default=0)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("抽查部门")
        verbose_name_plural = _("抽查部门")
        ordering = ("check_run", "department__code", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["check_run", "department"], name="quality_sampling_dept_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.check_run_id} {self.department_id}"


class SampledRecord(models.Model):
    """One drawn record, its reviewer and verdict, and its state when drawn.

    ``complete`` and ``timely`` are taken from the open completeness and
    timeliness issues at the time of the draw, so the report does not change
    when records are corrected afterwards.
    """

    check_run = models.ForeignKey(
        SamplingCheck, verbose_name=_("数据抽查"), on_delete=models.CASCADE, related_name="samples"
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField(_("记录编号"))
    draw_order = models.PositiveIntegerField(_("抽样序号"))
    resource_code = models.CharField(_("信息资源代码"), max_length=32)
    business_key = models.CharField(_("业务主键"), max_length=128)
    subject_name = models.CharField(_("相对人名称"), max_length=200)
    decision_date = models.DateField(_("决定日期"))
    complete = models.BooleanField(_("完整"))
    timely = models.BooleanField(_("及时"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verdict = models.CharField(
        _("核查结论"), max_length=16, choices=Verdict.choices, default=Verdict.PENDING
    )
    note = models.CharField(_("说明"), max_length=255, blank=True)
    reviewed_at = models.DateTimeField(_("核查时间"), null=True, blank=True)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("抽样记录")
        verbose_name_plural = _("抽样记录")
        ordering = ("check_run", "department__code", "draw_order", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["check_run", "content_type", "object_id"],
                name="quality_sample_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_code} {self.business_key}"


class RankingNotice(models.Model):
    """A notification ranking (通报) of departments and cities/counties for one period.

    ``rows`` is the ranking as computed when drafted (a snapshot: a published
    notice never changes when scores are recomputed). Staff see published
    notices; administrators also drafts.
    """

    title = models.CharField(_("标题"), max_length=200)
    period_kind = models.CharField(_("周期"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("周期开始"))
    period_end = models.DateField(_("周期结束"))
    summary = models.TextField(_("通报内容"), blank=True)
    rows = models.JSONField(_("排名"), default=dict)
    is_published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("通报排名")
        verbose_name_plural = _("通报排名")
        ordering = ("-period_start", "-pk")

    def __str__(self) -> str:
        return self.title
