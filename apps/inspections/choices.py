"""Typed choices of the inspections app (双随机一公开)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckType(models.TextChoices):
    """抽查类型 (catalogue field CC_CCLX): a pure lot or a lot within filters (BRIEF.md 5.1)."""

    DIRECTED = "定向", _("定向抽查")
    UNDIRECTED = "不定向", _("不定向抽查")


class PlanStatus(models.TextChoices):
    """Where a plan stands: drafted, drawn (tasks exist), completed (every task has a result)."""

    DRAFT = "draft", _("待抽取")
    DRAWN = "drawn", _("已抽取，检查中")
    COMPLETED = "completed", _("已完成")


class TaskStatus(models.TextChoices):
    """One drawn target: assigned to officers, then its result published, or cancelled by a redraw."""

    ASSIGNED = "assigned", _("待检查")
    PUBLISHED = "published", _("结果已公示")
    CANCELLED = "cancelled", _("已因重新抽取作废")


class ResultOutcome(models.TextChoices):
    """检查结果: the typical outcomes of a spot check (BRIEF.md 5.1; SAMR Order 101)."""

    NORMAL = "normal", _("未发现问题")
    PROBLEMS = "problems", _("发现问题，已责令改正")
    NOT_PUBLISHED = "not_published", _("未按规定公示应当公示的信息")
    FALSE_INFO = "false_info", _("公示信息隐瞒真实情况、弄虚作假")
    NOT_FOUND = "not_found", _("通过登记的住所（经营场所）无法联系")
    CLOSED = "closed", _("已关闭停业或正在组织清算")
    REFERRED = "referred", _("发现问题，已移送有关部门处理")

    @classmethod
    def needs_details(cls) -> frozenset[str]:
        """Outcomes that must say what was found."""
        return frozenset({cls.PROBLEMS, cls.FALSE_INFO, cls.REFERRED})


class RiskGrade(models.TextChoices):
    """SAMR credit-risk grade (since 2023: A lowest risk .. D highest; BRIEF.md 5.1)."""

    A = "A", _("A 类（信用风险低）")
    B = "B", _("B 类（信用风险一般）")
    C = "C", _("C 类（信用风险较高）")
    D = "D", _("D 类（信用风险高）")


class FollowUpKind(models.TextChoices):
    """What a result asks of the list rules."""

    ABNORMAL_LIST = "abnormal_list", _("列入经营异常名录建议")


class FollowUpState(models.TextChoices):
    """Whether the follow-up reached the joint-punishment proposals."""

    PENDING = "pending", _("待提出列入名录建议")
    PROPOSED = "proposed", _("已提出列入名录建议")
    #: The result was corrected before the listing decision: the proposal was withdrawn
    #: (or had been rejected), nothing is left to decide.
    WITHDRAWN = "withdrawn", _("结果已更正，列入名录建议已撤回")
    #: The result was corrected after the entity was listed: the listing stays until the
    #: registrar makes a removal decision.
    REMOVAL_NEEDED = "removal_needed", _("结果已更正，已列入名录，待登记机关作出移出决定")


class InspectionEvent(models.TextChoices):
    """Audit event types of this app (written through apps.core.audit.record_event)."""

    OFFICER_SAVED = "inspections.officer_saved", _("保存执法检查人员")
    CONFLICT_DECLARED = "inspections.conflict_declared", _("申报回避关系")
    CONFLICT_REMOVED = "inspections.conflict_removed", _("撤销回避关系")
    POOL_CREATED = "inspections.pool_created", _("生成检查对象名录")
    RISK_MARKED = "inspections.risk_marked", _("标注信用风险分类")
    PLAN_CREATED = "inspections.plan_created", _("创建抽查计划")
    DRAWN = "inspections.drawn", _("随机抽取")
    REDRAWN = "inspections.redrawn", _("重新抽取")
    RESULT_ENTERED = "inspections.result_entered", _("录入并公示检查结果")
    FOLLOW_UP_CREATED = "inspections.follow_up_created", _("提出后续处置")
    FOLLOW_UP_PROPOSED = "inspections.follow_up_proposed", _("已提出列入名录建议")
    FOLLOW_UP_CORRECTED = "inspections.follow_up_corrected", _("结果更正，处理列入名录建议")
