"""Typed choices of the enterprises app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityType(models.TextChoices):
    """Kind of market entity (GB 32100 position 2 under authority 9, and subtypes)."""

    COMPANY = "company", _("有限责任公司/股份有限公司")
    SOLE_PROPRIETORSHIP = "sole_proprietorship", _("个人独资企业")
    PARTNERSHIP = "partnership", _("合伙企业")
    BRANCH = "branch", _("分支机构")
    FOREIGN_INVESTED = "foreign_invested", _("外商投资企业")
    OTHER_ENTERPRISE = "other_enterprise", _("其他企业")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    FARMERS_COOPERATIVE = "farmers_cooperative", _("农民专业合作社")


class EnterpriseStatus(models.TextChoices):
    """Registration status (登记状态)."""

    ACTIVE = "active", _("存续（在营、开业、在册）")
    SUSPENDED = "suspended", _("歇业")
    LIQUIDATING = "liquidating", _("清算")
    REVOKED = "revoked", _("吊销")
    DEREGISTERED = "deregistered", _("注销")
    MOVED_OUT = "moved_out", _("迁出")


class UsccStatus(models.TextChoices):
    """Outcome of USCC validation kept on the entity (see apps.core.uscc)."""

    VALID = "valid", _("有效")
    LEGACY = "legacy", _("早期试点代码（待核实）")


class RecordChannel(models.TextChoices):
    """How a record reached the platform (provenance)."""

    FORM = "form", _("在线录入")
    FILE = "file", _("批量导入")
    API = "api", _("数据接口")
    EXCHANGE = "exchange", _("数据交换")


class SubjectKind(models.TextChoices):
    """相对人类别 of a record (newer double-publicity dialect)."""

    ORGANIZATION = "organization", _("法人及非法人组织")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    NATURAL_PERSON = "natural_person", _("自然人")
