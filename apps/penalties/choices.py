"""Typed choices of the penalties app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PenaltyKind(models.TextChoices):
    """Kinds of administrative penalty (处罚类别), Administrative Penalty Law 2021 art. 9."""

    WARNING = "警告", _("警告")
    CRITICISM = "通报批评", _("通报批评")
    FINE = "罚款", _("罚款")
    CONFISCATE_GAINS = "没收违法所得", _("没收违法所得")
    CONFISCATE_PROPERTY = "没收非法财物", _("没收非法财物")
    SUSPEND_LICENCE = "暂扣许可证件", _("暂扣许可证件")
    DOWNGRADE = "降低资质等级", _("降低资质等级")
    REVOKE_LICENCE = "吊销许可证件", _("吊销许可证件")
    RESTRICT_BUSINESS = "限制开展生产经营活动", _("限制开展生产经营活动")
    SUSPEND_BUSINESS = "责令停产停业", _("责令停产停业")
    CLOSE = "责令关闭", _("责令关闭")
    RESTRICT_PRACTICE = "限制从业", _("限制从业")
    DETENTION = "行政拘留", _("行政拘留")
    OTHER = "其他", _("其他")


class ReportedStatus(models.TextChoices):
    """当前状态 (CF_ZT / XK_ZT) as the department reports it (2016 standard codes)."""

    NORMAL = "0", _("正常")
    REVOKED = "1", _("撤销")
    OBJECTION = "2", _("异议")
    OTHER = "3", _("其他")


class RepairStatus(models.TextChoices):
    """Credit repair (信用修复) state of a penalty."""

    NONE = "none", _("未申请")
    PENDING = "pending", _("修复申请待审核")
    APPROVED = "approved", _("已修复（提前结束公示）")
    REJECTED = "rejected", _("修复申请未通过")


class ApplicationStatus(models.TextChoices):
    """State of one credit-repair application."""

    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class PenaltyEvent(models.TextChoices):
    """Audit event types written by the penalties and permits services."""

    REVOKED = "penalty.revoked", _("撤销处罚决定")
    CORRECTED = "penalty.corrected", _("更正处罚决定")
    REPAIR_APPLIED = "penalty.repair_applied", _("申请信用修复")
    REPAIR_APPROVED = "penalty.repair_approved", _("信用修复通过")
    REPAIR_REJECTED = "penalty.repair_rejected", _("信用修复未通过")
    RECOMPUTED = "penalty.recomputed", _("重新计算公示期")
    LICENCE_REVOKED = "licence.revoked", _("撤销行政许可决定")
