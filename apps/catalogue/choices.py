"""Typed choices of the resource catalogue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    """Which record store keeps a resource's records (the records registry maps it)."""

    LICENCE = "licence", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    LIST_ENTRY = "list_entry", _("名单（经营异常、严重违法失信等）")
    REGISTRATION = "registration", _("登记注册")
    ANNUAL_REPORT = "annual_report", _("年度报告")
    INSPECTION = "inspection", _("抽查检查结果")
    GENERIC = "generic", _("其他涉企信息")


class VersionStatus(models.TextChoices):
    """Life of a resource version: one draft at a time; published versions are immutable."""

    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新版本取代")


class UpdateFrequency(models.TextChoices):
    """How often a supplier must deliver."""

    REALTIME = "realtime", _("实时")
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")
    ON_EVENT = "on_event", _("产生后按时限报送")


class PublicityClass(models.TextChoices):
    """Whether a resource's records are shown to the public."""

    PUBLIC = "public", _("公示")
    NOT_PUBLIC = "not_public", _("不公示")


class SharingClass(models.TextChoices):
    """Sharing class for other departments (政务信息资源共享类型)."""

    UNCONDITIONAL = "unconditional", _("无条件共享")
    CONDITIONAL = "conditional", _("有条件共享")
    NOT_SHARED = "not_shared", _("不予共享")


class FieldType(models.TextChoices):
    """Data type of a field spec; the compiled validator has one rule per type."""

    STRING = "string", _("字符串")
    TEXT = "text", _("长文本")
    INTEGER = "integer", _("整数")
    DECIMAL = "decimal", _("小数")
    DATE = "date", _("日期")
    DATETIME = "datetime", _("日期时间")
    BOOLEAN = "boolean", _("是/否")
    ENUM = "enum", _("代码（枚举）")
    USCC = "uscc", _("统一社会信用代码")
    IDENTIFIER = "identifier", _("主体标识（统一代码/注册号/组织机构代码）")
    ID_NUMBER = "id_number", _("身份证件号码")
    PHONE = "phone", _("电话号码")
    EMAIL = "email", _("电子邮箱")
    REGION_CODE = "region_code", _("行政区划代码")


class MaskingRule(models.TextChoices):
    """How a public field is masked for display (personal data, BRIEF.md 2.1)."""

    NONE = "none", _("不遮蔽")
    ID_NUMBER = "id_number", _("证件号码（保留前 6 位和后 4 位）")
    PHONE = "phone", _("电话（保留前 3 位和后 4 位）")
    PERSON_NAME = "person_name", _("姓名（保留姓）")
    ADDRESS = "address", _("地址（保留到区县）")
    FULL = "full", _("全部遮蔽")


class Severity(models.TextChoices):
    """Severity classes that publicity regimes distinguish (BRIEF.md 2.3)."""

    ANY = "any", _("不区分")
    GENERAL = "general", _("一般失信")
    SERIOUS = "serious", _("严重失信")
    WARNING_ONLY = "warning_only", _("仅警告")
    LOW = "low", _("通报批评或较低数额罚款")
    SPECIAL_SECTOR = "special_sector", _("特殊领域（食品、药品、特种设备、安全生产、消防等）")


class ProposalStatus(models.TextChoices):
    """State of a supplement proposal from a city, county or department."""

    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已采纳")
    REJECTED = "rejected", _("已驳回")
    APPLIED = "applied", _("已纳入草稿")
