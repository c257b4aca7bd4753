"""Typed choices of the joint-punishment app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListNature(models.TextChoices):
    """Whether a list type is a published list or a status mark (个体工商户)."""

    LIST = "list", _("名单")
    MARK = "mark", _("状态标记")


class ListCode(models.TextChoices):
    """Codes of the statutory list types the rules refer to (data rows carry the rest)."""

    ABNORMAL = "JYYC", _("经营异常名录")
    SERIOUS = "YZWF", _("严重违法失信名单")
    DISHONEST_DEBTOR = "SXBZXR", _("失信被执行人")
    MARKED_ABNORMAL = "GTJYYC", _("个体工商户经营异常状态")


class ProposalKind(models.TextChoices):
    """What a scheduled rule (or an application) proposes to the competent department."""

    LIST_ABNORMAL = "list_abnormal", _("列入经营异常名录（未报年报）")
    MARK_ABNORMAL = "mark_abnormal", _("标记经营异常状态（个体工商户未报年报）")
    WARNING_NOTICE = "warning_notice", _("届满三年前预警公告")
    ESCALATE_SERIOUS = "escalate_serious", _("满三年未移出，列入严重违法失信名单")
    REMOVE_EXPIRED = "remove_expired", _("列入期限届满移出")
    REMOVE_EARLY = "remove_early", _("申请提前移出")


class ProposalStatus(models.TextChoices):
    """Where a proposal stands; only the competent department confirms or rejects it.

    ``WITHDRAWN``: the finding the proposal rests on was corrected before any
    decision (a spot-check result, issue 8), so the proposing side took it back;
    it can no longer be confirmed or rejected.
    """

    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已撤回")


class FeedbackOutcome(models.TextChoices):
    """What an implementing department did with a measure."""

    APPLIED = "applied", _("已实施")
    NOT_APPLICABLE = "not_applicable", _("不适用")


class Memorandum(models.TextChoices):
    """The joint-punishment memoranda a measure comes from (BRIEF.md 6)."""

    MOU_38 = (
        "2015-2045",
        _("失信企业协同监管和联合惩戒合作备忘录（发改财金〔2015〕2045号，38部门）"),
    )
    MOU_44 = (
        "2016-141",
        _("关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号，44部门）"),
    )
    STATUTE = "statute", _("法律法规直接规定")


class CheckChannel(models.TextChoices):
    """Where a check came from."""

    API = "api", _("接口")
    WEB = "web", _("网页")


class JointEvent(models.TextChoices):
    """Audit event types of this app (``apps.core.audit.record_event`` takes any string)."""

    ENTRY_LISTED = "joint.entry_listed", _("列入名单")
    ENTRY_REMOVED = "joint.entry_removed", _("移出名单")
    ENTRY_WARNED = "joint.entry_warned", _("发布届满预警公告")
    PROPOSAL_CREATED = "joint.proposal_created", _("提出名单建议")
    PROPOSAL_CONFIRMED = "joint.proposal_confirmed", _("确认名单建议")
    PROPOSAL_REJECTED = "joint.proposal_rejected", _("驳回名单建议")
    PROPOSAL_WITHDRAWN = "joint.proposal_withdrawn", _("撤回名单建议")
    PROPOSAL_BASIS_CORRECTED = "joint.proposal_basis_corrected", _("已确认建议的依据被更正")
    RULES_RUN = "joint.rules_run", _("运行名单规则")
    FEEDBACK_RECORDED = "joint.feedback_recorded", _("登记惩戒措施反馈")
