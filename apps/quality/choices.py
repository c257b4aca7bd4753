"""Typed choices of the quality app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    """The data-quality dimensions of the SAMR 2023-24 campaign (BRIEF.md section 9)."""

    COMPLETENESS = "completeness", _("完整性")
    CONFORMITY = "conformity", _("规范性")
    REDUNDANCY = "redundancy", _("冗余性")
    LINKAGE = "linkage", _("关联性")
    ACCURACY = "accuracy", _("准确性")
    TIMELINESS = "timeliness", _("及时性")
    COMPREHENSIVENESS = "comprehensiveness", _("全面性")


# Dimensions measured per record (open issues); comprehensiveness is measured per
# department from coverage instead.
RECORD_DIMENSIONS: tuple[str, ...] = (
    Dimension.COMPLETENESS,
    Dimension.CONFORMITY,
    Dimension.REDUNDANCY,
    Dimension.LINKAGE,
    Dimension.ACCURACY,
    Dimension.TIMELINESS,
)


class IssueSeverity(models.TextChoices):
    """How serious a finding is."""

    ERROR = "error", _("错误")
    WARNING = "warning", _("警告")
    NOTICE = "notice", _("提示")


class IssueStatus(models.TextChoices):
    """An issue is open until the record no longer fails the rule."""

    OPEN = "open", _("未解决")
    CLOSED = "closed", _("已解决")


class CheckRunKind(models.TextChoices):
    """A run over the records changed since the last run, or over every record."""

    INCREMENTAL = "incremental", _("增量检查")
    FULL = "full", _("全量检查")


class CheckRunStatus(models.TextChoices):
    """State of a check run."""

    RUNNING = "running", _("运行中")
    FINISHED = "finished", _("已完成")
    FAILED = "failed", _("失败")


class PeriodKind(models.TextChoices):
    """The length of a scoring period."""

    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")


class ScopeKind(models.TextChoices):
    """What a scorecard or coverage figure is about."""

    PROVINCE = "province", _("全省")
    REGION = "region", _("市县")
    DEPARTMENT = "department", _("部门")


class SamplingStatus(models.TextChoices):
    """Life of a sampling check: scheduled, drawn and under review, completed."""

    SCHEDULED = "scheduled", _("已安排")
    REVIEWING = "reviewing", _("核查中")
    COMPLETED = "completed", _("已完成")


class Verdict(models.TextChoices):
    """A reviewer's judgement of one sampled record against its source document."""

    PENDING = "pending", _("待核查")
    CORRECT = "correct", _("与原始文书一致")
    INCORRECT = "incorrect", _("与原始文书不一致")


class FeedState(models.TextChoices):
    """A department's feed of one resource against its update frequency."""

    FRESH = "fresh", _("按时")
    OVERDUE = "overdue", _("逾期")
    NEVER = "never", _("从未报送")
