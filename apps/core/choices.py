"""Typed choices of the core app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a change reached the platform."""

    WEB = "web", _("网页")
    API = "api", _("接口")
    INGESTION = "ingestion", _("归集")
    TASK = "task", _("后台任务")
    COMMAND = "command", _("管理命令")


class AuditEventType(models.TextChoices):
    """Every kind of audited change; apps add theirs here as they land."""

    USER_CREATED = "user.created", _("创建用户")
    USER_CHANGED = "user.changed", _("修改用户")
    USER_LOGGED_IN = "user.logged_in", _("登录")
    DEPARTMENT_CREATED = "department.created", _("创建部门")
    DEPARTMENT_CHANGED = "department.changed", _("修改部门")
    TOKEN_CREATED = "token.created", _("创建接口令牌")
    TOKEN_REVOKED = "token.revoked", _("吊销接口令牌")
    ENTERPRISE_CREATED = "enterprise.created", _("登记市场主体")
    ENTERPRISE_CHANGED = "enterprise.changed", _("变更市场主体")
    ENTERPRISE_RENAMED = "enterprise.renamed", _("市场主体更名")
    ENTERPRISES_BULK_LOADED = "enterprise.bulk_loaded", _("批量导入市场主体")
    HOLIDAY_CHANGED = "calendar.changed", _("修改节假日表")
    USCC_ALLOWLIST_CHANGED = "uscc.allowlist_changed", _("修改统一代码白名单")
    CATALOGUE_DRAFT_CREATED = "catalogue.draft_created", _("创建目录草稿")
    CATALOGUE_DRAFT_CHANGED = "catalogue.draft_changed", _("修改目录草稿")
    CATALOGUE_PUBLISHED = "catalogue.published", _("发布目录版本")
    CATALOGUE_RESOURCE_CREATED = "catalogue.resource_created", _("新增信息资源")
    CATALOGUE_PROPOSAL_SUBMITTED = "catalogue.proposal_submitted", _("提出目录补充建议")
    CATALOGUE_PROPOSAL_DECIDED = "catalogue.proposal_decided", _("审核目录补充建议")
    CATALOGUE_REGIME_CHANGED = "catalogue.regime_changed", _("修改公示期规则")
    CATALOGUE_LIAISON_CHANGED = "catalogue.liaison_changed", _("修改资源联络员")
    CATALOGUE_IMPORTED = "catalogue.imported", _("导入资源目录")
    INGESTION_SUBMISSION_PROCESSED = "ingestion.submission_processed", _("处理报送批次")
    INGESTION_HELD_RELEASED = "ingestion.held_released", _("放行暂存数据")
    INGESTION_ROW_CORRECTED = "ingestion.row_corrected", _("更正问题数据")
    INGESTION_ROW_WITHDRAWN = "ingestion.row_withdrawn", _("撤回问题数据")


class CalendarDayKind(models.TextChoices):
    """A day that differs from the Monday-Friday rule."""

    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班日")
