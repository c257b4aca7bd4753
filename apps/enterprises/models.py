"""Market entities keyed by USCC, their name history, and the record base."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.organizations.choices import Role
from apps.organizations.scoping import ScopeRule

from .choices import EnterpriseStatus, EntityType, RecordChannel, SubjectKind, UsccStatus


class EnterpriseQuerySet(models.QuerySet["Enterprise"]):
    """Queries over the enterprise registry."""

    def operating(self) -> EnterpriseQuerySet:
        return self.filter(status=EnterpriseStatus.ACTIVE)


class Enterprise(TimeStampedModel):
    """A market entity registered in Hainan, keyed by its USCC.

    - ``uscc``: normalised 18-character code, unique; ``uscc_status`` says
      whether it passed the check digit or is an accepted legacy pilot code.
    - ``registration_number`` (15-digit 注册号) and ``organization_code``
      (positions 9-17 of the USCC): secondary identifiers for matching records.
    - ``name``: current name; earlier names in :class:`EnterpriseNameHistory`.
    - ``search_terms``: normalised name and legal representative as character
      bigrams (apps.core.text), indexed as ``search_vector`` for Chinese
      substring search without extensions (ENVIRONMENT.md).
    - ``registered_capital``: in 万元, with ``capital_currency``.
    - ``registration_authority``: the registering authority's name as
      registered; ``region``: the region of that authority.
    """

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    uscc_status = models.CharField(
        _("代码校验"), max_length=8, choices=UsccStatus.choices, default=UsccStatus.VALID
    )
    registration_number = models.CharField(_("注册号"), max_length=15, blank=True, db_index=True)
    organization_code = models.CharField(_("组织机构代码"), max_length=9, blank=True, db_index=True)
    name = models.CharField(_("名称"), max_length=200)
    entity_type = models.CharField(_("主体类型"), max_length=32, choices=EntityType.choices)
    legal_representative = models.CharField(
        _("法定代表人/负责人/经营者"), max_length=100, blank=True
    )
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    capital_currency = models.CharField(_("币种"), max_length=3, default="CNY")
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    approved_on = models.DateField(_("核准日期"), null=True, blank=True)
    business_term_to = models.DateField(_("营业期限至"), null=True, blank=True)
    deregistered_on = models.DateField(_("注销日期"), null=True, blank=True)
    revoked_on = models.DateField(_("吊销日期"), null=True, blank=True)
    status = models.CharField(
        _("登记状态"),
        max_length=16,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.ACTIVE,
    )
    registration_authority = models.CharField(_("登记机关"), max_length=128, blank=True)
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    address = models.CharField(_("住所"), max_length=255, blank=True)
    business_scope = models.TextField(_("经营范围"), blank=True)
    industry_code = models.CharField(_("行业代码"), max_length=8, blank=True)
    search_terms = models.TextField(_("检索词"), blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = EnterpriseQuerySet.as_manager()

    # The registry is reference data for every signed-in person; only
    # administrators maintain it by hand (registrations arrive by ingestion).
    scope_rule = ScopeRule(
        region="region",
        view_all_staff=True,
        change_roles=frozenset({Role.PROVINCE_ADMIN, Role.REGION_ADMIN}),
    )

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ("name", "pk")
        indexes = [
            GinIndex(fields=["search_vector"], name="enterprise_search_gin"),
            models.Index(fields=["region", "status"], name="enterprise_region_status_idx"),
            models.Index(fields=["legal_representative"], name="enterprise_legal_rep_idx"),
            # The list pages order by (name, pk): an index keeps the first
            # page of millions of rows an index scan instead of a sort.
            models.Index(fields=["name", "id"], name="enterprise_name_idx"),
            models.Index(fields=["established_on"], name="enterprise_established_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"


class EnterpriseNameHistory(models.Model):
    """A name the enterprise carried, with the period it was in use (名称变更)."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("市场主体"),
        on_delete=models.CASCADE,
        related_name="name_history",
    )
    name = models.CharField(_("名称"), max_length=200)
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("停用日期"))

    class Meta:
        verbose_name = _("曾用名")
        verbose_name_plural = _("曾用名")
        ordering = ("enterprise", "-valid_to", "pk")

    def __str__(self) -> str:
        return self.name


class EnterpriseRecord(TimeStampedModel):
    """Abstract base of every record filed under a market entity.

    Provenance (ARCHITECTURE.md), which timeliness is measured from and never
    typed in:

    - ``department``: the source department that answers for the record;
    - ``channel``: form, file, API or exchange; ``submission_id``: the
      ingestion batch (a plain id: record apps never import ingestion);
    - ``resource_code``/``resource_version``: the catalogue resource and the
      version the record was validated against;
    - ``decision_date``: the date of the decision or event; ``received_at``:
      when the platform received it.

    The subject: ``enterprise`` when matched in the registry; ``subject_uscc``
    and ``subject_name`` as sent; natural persons (``subject_kind``) are never
    attached to an enterprise. ``business_key`` (e.g. the decision document
    number) is unique per department and resource, which makes writes idempotent.
    """

    # No single-column indexes on ``enterprise``, ``department`` and ``subject_uscc``: every
    # concrete record model has composite indexes leading with the two foreign keys (its
    # natural key and an (enterprise, date) index), which serve the lookups and the PROTECT
    # checks, and a plain ``subject_uscc`` index of its own (equality lookups only; the
    # ``varchar_pattern_ops`` copy that ``db_index`` adds served no query). Each index is
    # written for every loaded row: these three cost ~20 µs of a ~70 µs penalty upsert.
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("市场主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    subject_kind = models.CharField(
        _("相对人类别"),
        max_length=24,
        choices=SubjectKind.choices,
        default=SubjectKind.ORGANIZATION,
    )
    subject_uscc = models.CharField(_("相对人统一社会信用代码"), max_length=18, blank=True)
    subject_name = models.CharField(_("相对人名称"), max_length=200)
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("来源部门"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    channel = models.CharField(_("归集渠道"), max_length=16, choices=RecordChannel.choices)
    submission_id = models.BigIntegerField(_("归集批次"), null=True, blank=True)
    resource_code = models.CharField(_("信息资源代码"), max_length=32)
    resource_version = models.PositiveIntegerField(_("目录版本"))
    business_key = models.CharField(_("业务主键"), max_length=128)
    decision_date = models.DateField(_("决定日期"))
    received_at = models.DateTimeField(_("接收时间"))

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        abstract = True
