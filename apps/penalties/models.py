"""Administrative penalties (双公示 XZCF) with their publicity window, and credit repair."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.catalogue.choices import Severity
from apps.enterprises.choices import SubjectKind
from apps.enterprises.models import EnterpriseRecord
from apps.organizations.scoping import ScopeRule

from .choices import ApplicationStatus, RepairStatus, ReportedStatus

#: Largest evidence file accepted with a repair application.
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")


class PenaltyQuerySet(models.QuerySet["Penalty"]):
    """Queries over penalties; publicity is always computed here from dates and states."""

    def not_revoked(self) -> PenaltyQuerySet:
        return self.filter(revoked_at__isnull=True).exclude(reported_status=ReportedStatus.REVOKED)

    def public_on(self, day: datetime.date) -> PenaltyQuerySet:
        """Penalties the public may see on ``day``.

        Inside the window ``decision_date <= day < max_until``, not revoked
        (by the platform or as reported), not ended early by an approved
        repair (``repaired_on``), and never a natural person. Never a stored flag.
        """
        return (
            self.not_revoked()
            .exclude(subject_kind=SubjectKind.NATURAL_PERSON)
            .filter(decision_date__lte=day, max_until__gt=day)
            .filter(Q(repaired_on__isnull=True) | Q(repaired_on__gt=day))
        )


class Penalty(EnterpriseRecord):
    """One administrative penalty decision (双公示 XZCF), keyed by its document number.

    Standard fields of the catalogue resource XZCF are typed columns (the
    field code is in each column's comment below); every other catalogue
    field is kept in ``extra`` (code -> value).

    Publicity (BRIEF.md 2.3), computed by :mod:`apps.penalties.rules` when
    the record is loaded or corrected, from the catalogue's dated regimes:

    - ``categories``: every kind the decision carries; ``category`` the main one;
    - ``severity``: the governing severity (``severity_override`` when staff set it);
    - ``regime``: the governing :class:`~apps.catalogue.models.PublicityRegime`;
    - ``min_until`` / ``max_until``: earliest / latest end of publicity;
    - ``repair_from``: first day credit repair may be requested (None: no repair);
    - ``repair_status`` / ``repaired_on``: repair state; publicity ends on ``repaired_on``;
    - ``revoked_at`` / ``revocation_reason``: revocation by the department on the platform.

    Whether a record is public is :meth:`PenaltyQuerySet.public_on`, never stored.
    """

    document_number = models.CharField(_("行政处罚决定书文号"), max_length=128)  # CF_WSH
    violation_type = models.TextField(_("违法行为类型"), blank=True)  # CF_WFXW
    facts = models.TextField(_("违法事实"), blank=True)  # CF_SY
    legal_basis = models.TextField(_("处罚依据"), blank=True)  # CF_YJ
    category = models.CharField(_("处罚类别"), max_length=32, blank=True)  # CF_CFLB
    categories = ArrayField(
        models.CharField(max_length=32), verbose_name=_("全部处罚类别"), default=list, blank=True
    )
    content = models.TextField(_("处罚内容"), blank=True)  # CF_NR
    fine_amount = models.DecimalField(
        _("罚款金额（万元）"), max_digits=24, decimal_places=6, null=True, blank=True
    )  # CF_NR_FK
    confiscated_amount = models.DecimalField(
        _("没收违法所得、没收非法财物的金额（万元）"),
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
    )  # CF_NR_WFFF
    licence_affected = models.CharField(
        _("暂扣或吊销证照名称及编号"), max_length=255, blank=True
    )  # CF_NR_ZKDX
    valid_until = models.DateField(_("处罚有效期"), null=True, blank=True)  # CF_YXQ
    reported_publicity_end = models.DateField(
        _("报送的公示截止期"), null=True, blank=True
    )  # CF_GSJZQ
    authority = models.CharField(_("处罚机关"), max_length=200, blank=True)  # CF_CFJG
    authority_code = models.CharField(_("处罚机关统一社会信用代码"), max_length=18, blank=True)
    source_unit = models.CharField(_("数据来源单位"), max_length=200, blank=True)  # CF_SJLY
    source_unit_code = models.CharField(
        _("数据来源单位统一社会信用代码"), max_length=18, blank=True
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=100, blank=True)  # CF_FRDB
    reported_status = models.CharField(
        _("当前状态"), max_length=2, choices=ReportedStatus.choices, default=ReportedStatus.NORMAL
    )  # CF_ZT
    extra = models.JSONField(_("其他数据项"), default=dict, blank=True)

    severity = models.CharField(
        _("严重程度"), max_length=16, choices=Severity.choices, default=Severity.GENERAL
    )
    severity_override = models.CharField(
        _("人工认定的严重程度"),
        max_length=16,
        choices=Severity.choices,
        blank=True,
        db_default="",
    )
    regime = models.ForeignKey(
        "catalogue.PublicityRegime",
        verbose_name=_("适用公示期规则"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # No index: no query selects penalties by regime, and every loaded row would pay
        # for it; a regime is closed with ``valid_to``, and deleting one (rare) scans.
        db_index=False,
    )
    min_until = models.DateField(_("最短公示期满"), null=True, blank=True)
    max_until = models.DateField(_("公示截止（最长）"), null=True, blank=True)
    repair_from = models.DateField(_("可申请信用修复日"), null=True, blank=True)
    repair_status = models.CharField(
        _("信用修复状态"),
        max_length=16,
        choices=RepairStatus.choices,
        default=RepairStatus.NONE,
        db_default=RepairStatus.NONE,
    )
    repaired_on = models.DateField(_("修复后停止公示日"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revocation_reason = models.TextField(_("撤销理由"), blank=True, db_default="")

    objects = PenaltyQuerySet.as_manager()

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("行政处罚")
        verbose_name_plural = _("行政处罚")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "resource_code", "business_key"],
                name="penalties_penalty_natural_key",
            )
        ]
        # Every index is written for each loaded row, so each one serves a query: profile
        # (enterprise, date), scorecards and lists (department, date), the publicity end,
        # lookups by subject code (the repair form's lookup by code and document number
        # included). Document numbers are searched with ``icontains``: a btree cannot serve it.
        indexes = [
            models.Index(fields=["enterprise", "decision_date"], name="penalty_ent_date"),
            models.Index(fields=["department", "decision_date"], name="penalty_dept_date"),
            models.Index(fields=["max_until"], name="penalty_max_until"),
            models.Index(fields=["subject_uscc"], name="penalty_subject_uscc"),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.subject_name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None or self.reported_status == ReportedStatus.REVOKED

    def is_public_on(self, day: datetime.date) -> bool:
        """Row-level mirror of :meth:`PenaltyQuerySet.public_on` (no query)."""
        return (
            not self.is_revoked
            and self.subject_kind != SubjectKind.NATURAL_PERSON
            and self.max_until is not None
            and self.decision_date <= day < self.max_until
            and (self.repaired_on is None or day < self.repaired_on)
        )

    def public_until(self) -> datetime.date | None:
        """The day the record leaves public view (an approved repair ends it early)."""
        if self.repaired_on and (self.max_until is None or self.repaired_on < self.max_until):
            return self.repaired_on
        return self.max_until

    @property
    def is_published(self) -> bool:
        """Whether the governing rule publishes this decision at all (warnings of SCJG: no)."""
        return self.max_until is not None and self.max_until > self.decision_date


def evidence_path(instance: RepairApplication, filename: str) -> str:
    """A random stored name (never the applicant's file name), by month."""
    suffix = Path(filename).suffix.lower()[:8]
    return f"penalties/repair/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class RepairApplication(models.Model):
    """An enterprise's credit-repair application (信用修复申请) for one penalty.

    Filed on the public form (no login) with evidence and a contact; reviewed
    by the department that decided the penalty. Approval ends the penalty's
    publicity on the approval day. ``review_due`` is the review deadline in
    working days (:data:`apps.penalties.services.REVIEW_WORKING_DAYS`).
    """

    penalty = models.ForeignKey(
        Penalty,
        verbose_name=_("行政处罚"),
        on_delete=models.PROTECT,
        related_name="repair_applications",
    )
    applicant_name = models.CharField(_("申请人（市场主体名称）"), max_length=200)
    applicant_uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    contact_name = models.CharField(_("联系人"), max_length=64)
    contact_phone = models.CharField(_("联系电话"), max_length=32)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    statement = models.TextField(_("履行情况说明及信用承诺"))
    evidence = models.FileField(
        _("证明材料"),
        upload_to=evidence_path,
        validators=[FileExtensionValidator(list(EVIDENCE_EXTENSIONS))],
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    submitted_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    submitted_on = models.DateField(_("申请日期"))
    review_due = models.DateField(_("审核期限"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审核意见"), blank=True)

    scope_rule = ScopeRule(department="penalty__department", region="penalty__department__region")

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ("-submitted_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["penalty"],
                condition=Q(status="pending"),
                name="penalties_one_pending_repair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant_name} · {self.penalty.document_number}"
