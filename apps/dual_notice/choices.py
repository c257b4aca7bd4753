"""Typed choices of the double-notification (双告知) app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApprovalLevel(models.TextChoices):
    """Which level of the approving line decides a licensing matter.

    ``local``: the department of the line in the enterprise's county, else its
    city, else the provincial one (BRIEF.md 5.2: "the competent approval
    department at the same level"); ``provincial``: always the provincial one.
    """

    LOCAL = "local", _("属地（市县，缺位时由省级）")
    PROVINCIAL = "provincial", _("省级")


class NoticeTrigger(models.TextChoices):
    """The registration event a notice answers."""

    ESTABLISHMENT = "establishment", _("设立登记")
    SCOPE_CHANGE = "scope_change", _("经营范围变更")


class NoticeSource(models.TextChoices):
    """Where the registration record was read from."""

    REGISTRY = "registry", _("市场主体库")
    QYDJ = "qydj", _("登记注册信息（QYDJ）")
    DEMO = "demo", _("演示数据")


class TaskStatus(models.TextChoices):
    """State of a claim task (认领任务).

    ``pending`` sits with a department until its deadline; ``returned``,
    ``overdue`` and ``unassigned`` sit in the provincial administrators' queue
    for reassignment; ``claimed`` and ``closed`` are final.
    """

    PENDING = "pending", _("待认领")
    CLAIMED = "claimed", _("已认领")
    RETURNED = "returned", _("已退回待分派")
    OVERDUE = "overdue", _("逾期未认领")
    UNASSIGNED = "unassigned", _("无对应部门待分派")
    CLOSED = "closed", _("已办结（无需认领）")


QUEUE_STATUSES = (TaskStatus.RETURNED, TaskStatus.OVERDUE, TaskStatus.UNASSIGNED)


class AssignmentOutcome(models.TextChoices):
    """How one department's turn with a task ended."""

    OPEN = "open", _("办理中")
    CLAIMED = "claimed", _("已认领")
    RETURNED = "returned", _("已退回")
    OVERDUE = "overdue", _("逾期")
    WITHDRAWN = "withdrawn", _("已撤回（改派）")


class DualNoticeEventType(models.TextChoices):
    """Audit event types of this app (apps.core.audit.record_event takes any string)."""

    NOTICE_ISSUED = "dual_notice.notice_issued", _("生成双告知书")
    TASK_CLAIMED = "dual_notice.task_claimed", _("认领任务")
    TASK_RETURNED = "dual_notice.task_returned", _("退回任务")
    TASK_OVERDUE = "dual_notice.task_overdue", _("任务逾期退回")
    TASK_REASSIGNED = "dual_notice.task_reassigned", _("改派任务")
    TASK_CLOSED = "dual_notice.task_closed", _("办结任务")
    MATTER_SAVED = "dual_notice.matter_saved", _("维护许可事项")
    MAPPING_LOADED = "dual_notice.mapping_loaded", _("导入许可事项目录")
    DEADLINE_RULE_SAVED = "dual_notice.deadline_rule_saved", _("维护认领时限规则")
