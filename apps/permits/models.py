"""Administrative licences (双公示 XZXK) on the shared record base."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.enterprises.choices import SubjectKind
from apps.enterprises.models import EnterpriseRecord
from apps.organizations.scoping import ScopeRule

LICENCE_REVOKED_STATUS = "1"


class LicenceQuerySet(models.QuerySet["Licence"]):
    """Queries over licences; publicity is computed from dates and states."""

    def public_on(self, day: datetime.date) -> LicenceQuerySet:
        """Licences the public may see on ``day``.

        From the decision date until ``public_until`` (exclusive; None = open
        ended), not revoked (reported 当前状态 撤销 or revoked on the
        platform), never a natural person.
        """
        return (
            self.filter(revoked_at__isnull=True)
            .exclude(reported_status=LICENCE_REVOKED_STATUS)
            .exclude(subject_kind=SubjectKind.NATURAL_PERSON)
            .filter(decision_date__lte=day)
            .filter(Q(public_until__isnull=True) | Q(public_until__gt=day))
        )


class Licence(EnterpriseRecord):
    """One administrative licence decision (双公示 XZXK), keyed by its document number.

    Standard fields of XZXK are typed columns (field code in the comment);
    other catalogue fields are kept in ``extra``. ``public_until`` is the day
    the licence leaves public view: the decision date plus the maximum of a
    catalogue regime for XZXK when one applies, else the day after 有效期至
    (open ended when 有效期至 is blank). Whether it is public is
    :meth:`LicenceQuerySet.public_on`, never a stored flag.
    """

    document_number = models.CharField(_("行政许可决定文书号"), max_length=128)  # XK_WSH
    document_title = models.CharField(_("行政许可决定文书名称"), max_length=200, blank=True)
    category = models.CharField(_("许可类别"), max_length=32, blank=True)  # XK_XKLB
    certificate_name = models.CharField(_("许可证书名称"), max_length=200, blank=True)  # XK_XKZS
    licence_number = models.CharField(_("许可编号"), max_length=128, blank=True)  # XK_XKBH
    content = models.TextField(_("许可内容"), blank=True)  # XK_NR
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)  # XK_YXQZ
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)  # XK_YXQZI
    authority = models.CharField(_("许可机关"), max_length=200, blank=True)  # XK_XKJG
    authority_code = models.CharField(_("许可机关统一社会信用代码"), max_length=18, blank=True)
    source_unit = models.CharField(_("数据来源单位"), max_length=200, blank=True)  # XK_LYDW
    source_unit_code = models.CharField(
        _("数据来源单位统一社会信用代码"), max_length=18, blank=True
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=100, blank=True)  # XK_FRDB
    reported_status = models.CharField(_("当前状态"), max_length=2, default="0")  # XK_ZT
    extra = models.JSONField(_("其他数据项"), default=dict, blank=True)
    public_until = models.DateField(_("公示截止"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revocation_reason = models.TextField(_("撤销理由"), blank=True, db_default="")

    objects = LicenceQuerySet.as_manager()

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("行政许可")
        verbose_name_plural = _("行政许可")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "resource_code", "business_key"],
                name="permits_licence_natural_key",
            )
        ]
        # Every index is written for each loaded row, so each one serves a query: profile
        # (enterprise, date), scorecards and lists (department, date), lookups by subject
        # code. Document numbers are searched with ``icontains``, which a btree cannot serve.
        indexes = [
            models.Index(fields=["enterprise", "decision_date"], name="licence_ent_date"),
            models.Index(fields=["department", "decision_date"], name="licence_dept_date"),
            models.Index(fields=["subject_uscc"], name="licence_subject_uscc"),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.subject_name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None or self.reported_status == LICENCE_REVOKED_STATUS

    def is_public_on(self, day: datetime.date) -> bool:
        """Row-level mirror of :meth:`LicenceQuerySet.public_on` (no query)."""
        return (
            not self.is_revoked
            and self.subject_kind != SubjectKind.NATURAL_PERSON
            and self.decision_date <= day
            and (self.public_until is None or day < self.public_until)
        )
