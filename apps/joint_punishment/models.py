"""Lists and their dated regimes, list entries, proposals, measures, checks and feedback.

Whether an entry is *in force* on a day follows from its listing and removal
dates (:meth:`ListEntryQuerySet.in_force`); there is no stored flag that could
go stale. Rules that rest on secondary sources or that changed over time (the
serious list's 2016 and 2021 regimes, decision deadlines, the three-year
escalation) are rows of :class:`ListRegime` with a valid-from date, editable
by administrators.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.enterprises.models import EnterpriseRecord
from apps.organizations.choices import Role
from apps.organizations.scoping import ScopeRule

from .choices import (
    CheckChannel,
    FeedbackOutcome,
    ListNature,
    Memorandum,
    ProposalKind,
    ProposalStatus,
)

PROVINCE_ONLY = frozenset({Role.PROVINCE_ADMIN})


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole months; the 29th-31st fall back to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


class ListType(models.Model):
    """A list (名单) or status mark that triggers joint punishment.

    - ``code``: stable code, the catalogue resource code where there is one
      (JYYC, YZWF, SXBZXR); ``resource_code`` names the catalogue resource whose
      ingested rows load into this list (blank for lists kept only here).
    - ``nature``: a published list, or a status mark (individual businesses are
      "marked abnormal", not listed: SAIC Order 69).
    - ``feedback_working_days``: working days an implementing department has to
      report what it applied after a listing ([R]: no national deadline found).
    """

    code = models.CharField(_("名单代码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True)
    nature = models.CharField(
        _("性质"), max_length=8, choices=ListNature.choices, default=ListNature.LIST
    )
    resource_code = models.CharField(_("信息资源代码"), max_length=32, blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    description = models.TextField(_("说明"), blank=True)
    feedback_working_days = models.PositiveSmallIntegerField(_("反馈期限（工作日）"), default=20)
    is_public = models.BooleanField(_("向社会公示"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("名单类型")
        verbose_name_plural = _("名单类型")
        ordering = ("sort_order", "code")

    def __str__(self) -> str:
        return self.name


class ListingGround(models.Model):
    """A statutory listing ground of a list (e.g. the four grounds of the abnormal list)."""

    list_type = models.ForeignKey(
        ListType, verbose_name=_("名单类型"), on_delete=models.CASCADE, related_name="grounds"
    )
    code = models.CharField(_("情形代码"), max_length=8)
    name = models.CharField(_("列入情形"), max_length=200)
    legal_basis = models.CharField(_("法律依据"), max_length=255, blank=True)
    decision_working_days = models.PositiveSmallIntegerField(
        _("作出决定期限（工作日）"), null=True, blank=True
    )

    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("列入情形")
        verbose_name_plural = _("列入情形")
        ordering = ("list_type", "code")
        constraints = [
            models.UniqueConstraint(fields=["list_type", "code"], name="jp_ground_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ListRegime(models.Model):
    """The rules of a list for entries listed from ``valid_from`` (to ``valid_to``).

    An entry follows the regime in force on its **listing date** (the serious
    list changed on 2021-09-01: SAMR Order 44 replaced SAIC Order 83).

    - ``max_months``: the listing period; at its end a removal proposal is made
      (None: open-ended, removed only by decision);
    - ``early_removal_after_months``: an application for early removal is
      accepted from this many months after listing (None: not possible; 0: any time
      after curing the cause);
    - ``escalate_after_months`` / ``escalate_to``: still listed after this many
      months -> proposal to list in ``escalate_to`` (abnormal list -> serious list
      after 3 years); ``warning_days``: the warning notice is due within these
      days before that anniversary;
    - ``listing_working_days`` / ``removal_working_days``: deadlines for the
      competent department's decision on a proposal.
    - ``note``: the source and its confidence tag ([V]/[S]/[R]).
    """

    list_type = models.ForeignKey(
        ListType, verbose_name=_("名单类型"), on_delete=models.CASCADE, related_name="regimes"
    )
    name = models.CharField(_("规则名称"), max_length=128)
    legal_basis = models.CharField(_("法律依据"), max_length=255)
    valid_from = models.DateField(_("适用于此日起列入"))
    valid_to = models.DateField(_("适用至"), null=True, blank=True)
    max_months = models.PositiveSmallIntegerField(_("列入期限（月）"), null=True, blank=True)
    early_removal_after_months = models.PositiveSmallIntegerField(
        _("可申请提前移出（列入满月数）"), null=True, blank=True
    )
    escalate_after_months = models.PositiveSmallIntegerField(
        _("满月数未移出转入"), null=True, blank=True
    )
    escalate_to = models.ForeignKey(
        ListType,
        verbose_name=_("转入名单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    warning_days = models.PositiveSmallIntegerField(_("届满前预警（日）"), null=True, blank=True)
    listing_working_days = models.PositiveSmallIntegerField(_("列入决定期限（工作日）"), default=10)
    removal_working_days = models.PositiveSmallIntegerField(_("移出决定期限（工作日）"), default=5)
    note = models.TextField(_("来源与可信度"), blank=True)

    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("名单规则")
        verbose_name_plural = _("名单规则")
        ordering = ("list_type", "valid_from")
        constraints = [
            models.UniqueConstraint(fields=["list_type", "valid_from"], name="jp_regime_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="jp_regime_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_type.code} {self.name}（{self.valid_from:%Y-%m-%d}）"

    def period_end(self, listed_on: datetime.date) -> datetime.date | None:
        """The day the listing period ends (removal due), or None if open-ended."""
        return add_months(listed_on, self.max_months) if self.max_months is not None else None

    def early_removal_from(self, listed_on: datetime.date) -> datetime.date | None:
        """The first day an early-removal application is accepted, or None."""
        if self.early_removal_after_months is None:
            return None
        return add_months(listed_on, self.early_removal_after_months)

    def escalation_day(self, listed_on: datetime.date) -> datetime.date | None:
        """The anniversary on which a still-listed entry is due for the next list."""
        if self.escalate_after_months is None:
            return None
        return add_months(listed_on, self.escalate_after_months)


class ListEntryQuerySet(models.QuerySet["ListEntry"]):
    """Queries over list entries; "in force" is always derived from the dates."""

    def in_force(self, on: datetime.date) -> ListEntryQuerySet:
        """Entries listed on or before ``on`` and not removed by ``on`` (removal day excluded)."""
        return self.filter(listed_on__lte=on).filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=on)
        )

    def of_list(self, code: str) -> ListEntryQuerySet:
        return self.filter(list_type__code=code)


class ListEntry(EnterpriseRecord):
    """One entity's listing in one list, and its removal (full life cycle in one row).

    Provenance and subject come from :class:`EnterpriseRecord`: ``department``
    is the department that made (or delivered) the listing decision,
    ``decision_date`` equals ``listed_on``.

    - listing decision: ``listing_authority``, ``listing_document``,
      ``listed_on``, ``ground`` (statutory ground, where the list has them)
      and ``listing_reason``;
    - removal decision: ``removal_authority``, ``removal_document``,
      ``removed_on``, ``removal_reason`` (empty while listed); the database
      refuses a removal dated before the listing;
    - ``warning_notice_on``: when the warning before the third anniversary was
      published (abnormal list);
    - ``values``: the other catalogue fields as delivered (case number, court, ...).

    Changes are kept in the audit history (services) and, for ingested rows,
    as ``RecordRevision`` rows.
    """

    list_type = models.ForeignKey(
        ListType, verbose_name=_("名单类型"), on_delete=models.PROTECT, related_name="entries"
    )
    ground = models.ForeignKey(
        ListingGround,
        verbose_name=_("列入情形"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    listing_authority = models.CharField(_("作出列入决定机关"), max_length=200)
    listing_document = models.CharField(_("列入决定书文号"), max_length=64, blank=True)
    listed_on = models.DateField(_("列入日期"))
    listing_reason = models.TextField(_("列入原因"))
    removal_authority = models.CharField(_("作出移出决定机关"), max_length=200, blank=True)
    removal_document = models.CharField(_("移出决定书文号"), max_length=64, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.TextField(_("移出原因"), blank=True)
    warning_notice_on = models.DateField(_("预警公告日期"), null=True, blank=True)
    values = models.JSONField(_("其他数据项"), default=dict, blank=True)

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("名单记录")
        verbose_name_plural = _("名单记录")
        ordering = ("-listed_on", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "resource_code", "business_key"],
                name="jp_entry_natural_key",
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("listed_on")),
                name="jp_entry_removal_after_listing",
            ),
        ]
        indexes = [
            # The check API: all entries of up to 1,000 entities in one index-only
            # scan (bench/bench_checks.py); INCLUDE keeps the in-force test in the index.
            models.Index(
                fields=["enterprise"],
                include=["list_type", "listed_on", "removed_on"],
                name="jp_entry_check_idx",
            ),
            # The scheduled rules scan the entries still listed of one list.
            models.Index(
                fields=["list_type", "listed_on"],
                condition=Q(removed_on__isnull=True),
                name="jp_entry_open_idx",
            ),
            models.Index(fields=["department", "listed_on"], name="jp_entry_dept_idx"),
            models.Index(fields=["subject_uscc"], name="jp_entry_subject_uscc"),
        ]

    def __str__(self) -> str:
        return f"{self.list_type.name} {self.subject_name}（{self.listed_on:%Y-%m-%d}）"

    def is_in_force(self, on: datetime.date) -> bool:
        """Whether listed on ``on`` (same rule as :meth:`ListEntryQuerySet.in_force`)."""
        return self.listed_on <= on and (self.removed_on is None or self.removed_on > on)


class Proposal(TimeStampedModel):
    """A change a scheduled rule (or an application) proposes; never applied silently.

    The competent ``department`` confirms or rejects it; confirming creates or
    ends a :class:`ListEntry` through the services, with audit.

    - ``kind``/``list_type``: what is proposed and for which list;
    - ``entry``: the entry concerned (escalated, warned or to be removed);
    - ``basis_date``: the date the rule counts from (30 June of the reporting
      year, the third anniversary, the end of the listing period, the application);
    - ``decide_by``: the deadline of the decision (working days, statutory calendar);
    - ``report_year``: the annual-report year of a missing-report proposal;
    - ``key``: makes re-running a rule idempotent;
    - decision: ``decided_at``, ``decided_by``, ``decision_document``,
      ``decision_note``; ``result_entry``: the entry the confirmation created or ended;
    - withdrawal (status ``withdrawn``, only while pending): ``withdrawn_at``,
      ``withdrawn_by``/``withdrawn_by_name`` and ``withdrawal_reason`` (which
      correction took the basis away);
    - ``basis_corrected_at``/``basis_correction_note``: set on a proposal already
      confirmed when its basis was corrected afterwards; the listing stays, and
      the note tells the department that it needs a removal decision.
    """

    kind = models.CharField(_("建议类型"), max_length=24, choices=ProposalKind.choices)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
        db_index=True,
    )
    key = models.CharField(_("去重键"), max_length=128, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("市场主体"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    list_type = models.ForeignKey(
        ListType, verbose_name=_("名单类型"), on_delete=models.PROTECT, related_name="+"
    )
    ground = models.ForeignKey(
        ListingGround,
        verbose_name=_("列入情形"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entry = models.ForeignKey(
        ListEntry,
        verbose_name=_("相关名单记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("决定部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("建议理由"))
    basis_date = models.DateField(_("起算日期"))
    decide_by = models.DateField(_("决定期限"))
    report_year = models.PositiveSmallIntegerField(_("年报年度"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by_name = models.CharField(_("决定人名称"), max_length=150, blank=True)
    decision_document = models.CharField(_("决定书文号"), max_length=64, blank=True)
    decision_note = models.TextField(_("决定说明"), blank=True)
    result_entry = models.ForeignKey(
        ListEntry,
        verbose_name=_("决定结果"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_by_name = models.CharField(_("撤回人名称"), max_length=150, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    basis_corrected_at = models.DateTimeField(_("依据更正时间"), null=True, blank=True)
    basis_correction_note = models.TextField(_("依据更正说明"), blank=True)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("名单建议")
        verbose_name_plural = _("名单建议")
        ordering = ("decide_by", "pk")
        indexes = [
            models.Index(fields=["department", "status", "decide_by"], name="jp_proposal_dept_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.enterprise_id}（{self.basis_date:%Y-%m-%d}）"

    def is_overdue(self, on: datetime.date) -> bool:
        """Pending after its decision deadline."""
        return self.status == ProposalStatus.PENDING and self.decide_by < on


class Measure(models.Model):
    """A joint-punishment measure of a memorandum (or a statute).

    - ``code``: stable code, e.g. ``M44-01``;
    - ``content``/``legal_basis``/``memorandum``: what is restricted and why;
    - ``list_types``: the lists whose entries trigger it;
    - ``implementing_lines``: department lines (``Department.line``) that
      apply it, at every level;
    - ``note``: the source and its confidence ([V]/[S]/[R], BRIEF.md 6).
    """

    code = models.CharField(_("措施代码"), max_length=16, unique=True)
    category = models.CharField(_("类别"), max_length=64, blank=True)
    content = models.TextField(_("惩戒措施"))
    legal_basis = models.TextField(_("法律依据"))
    memorandum = models.CharField(_("备忘录"), max_length=16, choices=Memorandum.choices)
    list_types = models.ManyToManyField(
        ListType, verbose_name=_("触发名单"), related_name="measures"
    )
    implementing_lines = ArrayField(
        models.CharField(max_length=16), verbose_name=_("实施部门条线"), default=list
    )
    note = models.TextField(_("来源与可信度"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    scope_rule = ScopeRule(view_all_staff=True, change_roles=PROVINCE_ONLY)

    class Meta:
        verbose_name = _("惩戒措施")
        verbose_name_plural = _("惩戒措施")
        ordering = ("code",)
        indexes = [GinIndex(fields=["implementing_lines"], name="jp_measure_lines_gin")]

    def __str__(self) -> str:
        return f"{self.code} {self.content[:30]}"


class CheckLog(models.Model):
    """One entity looked up by the check API or page: who checked whom, when, what for.

    Written set-based (one INSERT per batch, :mod:`.checks`). ``uscc`` is the
    normalised code as asked; ``enterprise`` is null for unknown codes;
    ``error_code`` says why an item failed; ``lists`` the list codes in force.
    """

    checked_at = models.DateTimeField(_("查询时间"))
    batch = models.UUIDField(_("批次"))
    # An append-only, high-volume log (1,000 rows per batch): no per-row foreign-key
    # triggers, and no single-column indexes the composite ones below already cover.
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("查询部门"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查询人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    actor_name = models.CharField(_("查询人名称"), max_length=150)
    channel = models.CharField(_("渠道"), max_length=8, choices=CheckChannel.choices)
    purpose = models.CharField(_("办理业务"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=64)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("市场主体"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    lists = ArrayField(models.CharField(max_length=16), verbose_name=_("在列名单"), default=list)
    error_code = models.CharField(_("错误"), max_length=32, blank=True)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("核查记录")
        verbose_name_plural = _("核查记录")
        ordering = ("-checked_at", "-pk")
        indexes = [
            models.Index(fields=["-checked_at"], name="jp_check_time_idx"),
            models.Index(fields=["department", "-checked_at"], name="jp_check_dept_idx"),
            models.Index(fields=["enterprise", "-checked_at"], name="jp_check_ent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.uscc} {self.checked_at:%Y-%m-%d %H:%M}"


class Obligation(models.Model):
    """An implementing department's duty to report what it applied for one listing.

    Created when an entry is listed, one per implementing department (the
    provincial department of each implementing line and those of the entity's
    city or county). ``due_on``: listing date plus the list type's feedback
    working days. ``fulfilled_at``: set when the department has recorded
    feedback for every measure of its line that the listing triggers. Overdue
    = unfulfilled after ``due_on`` (derived).
    """

    entry = models.ForeignKey(
        ListEntry, verbose_name=_("名单记录"), on_delete=models.CASCADE, related_name="obligations"
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("实施部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("反馈期限"))
    fulfilled_at = models.DateTimeField(_("完成反馈时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("反馈任务")
        verbose_name_plural = _("反馈任务")
        ordering = ("due_on", "pk")
        constraints = [
            models.UniqueConstraint(fields=["entry", "department"], name="jp_obligation_unique")
        ]
        indexes = [
            models.Index(
                fields=["department", "due_on"],
                condition=Q(fulfilled_at__isnull=True),
                name="jp_obligation_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id}:{self.entry_id}"

    def is_overdue(self, on: datetime.date) -> bool:
        return self.fulfilled_at is None and self.due_on < on


class Feedback(models.Model):
    """What a department applied for one entity and measure (数据应用反馈).

    - ``business_context``: the business the check was made for (e.g. a
      procurement bid, a licence application) and ``business_reference``;
    - ``outcome``: applied, or not applicable with ``reason`` (required then);
    - ``obligation``: the duty this feedback answers, when there is one.
    """

    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("实施部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("市场主体"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("惩戒措施"), on_delete=models.PROTECT, related_name="feedback"
    )
    entry = models.ForeignKey(
        ListEntry,
        verbose_name=_("名单记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    obligation = models.ForeignKey(
        Obligation,
        verbose_name=_("反馈任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    business_context = models.CharField(_("业务场景"), max_length=200)
    business_reference = models.CharField(_("业务编号"), max_length=64, blank=True)
    applied_on = models.DateField(_("实施日期"))
    outcome = models.CharField(_("结果"), max_length=16, choices=FeedbackOutcome.choices)
    reason = models.TextField(_("不适用理由"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by_name = models.CharField(_("登记人名称"), max_length=150)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("措施反馈")
        verbose_name_plural = _("措施反馈")
        ordering = ("-applied_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=FeedbackOutcome.NOT_APPLICABLE) | ~Q(reason=""),
                name="jp_feedback_reason_required",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.enterprise_id} {self.get_outcome_display()}"
