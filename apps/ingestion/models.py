"""Submissions (the raw delivery as received) and the rows that did not load."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.enterprises.choices import RecordChannel
from apps.organizations.scoping import ScopeRule


class SubmissionStatus(models.TextChoices):
    """Where a submission stands in the pipeline."""

    RECEIVED = "received", _("已接收")
    PARSING = "parsing", _("解析中")
    VALIDATING = "validating", _("校验中")
    LOADING = "loading", _("入库中")
    COMPLETED = "completed", _("已完成")
    FAILED = "failed", _("失败")
    DRY_RUN = "dry_run", _("预检")


#: Statuses of a submission a worker has still to finish.
IN_PROGRESS = (
    SubmissionStatus.RECEIVED,
    SubmissionStatus.PARSING,
    SubmissionStatus.VALIDATING,
    SubmissionStatus.LOADING,
)


class RowStatus(models.TextChoices):
    """State of a rejected or held row in the problem-data queue."""

    OPEN = "open", _("待处理")
    CORRECTED = "corrected", _("已更正")
    WITHDRAWN = "withdrawn", _("已撤回")
    RELEASED = "released", _("已放行")


class Submission(TimeStampedModel):
    """One delivery of records for one resource by one department.

    The raw content is kept as a file under MEDIA_ROOT/submissions/<yyyy>/<mm>/
    (not bytea) so the pipeline can stream it without loading it whole into
    memory and the database does not grow with archived raw files; ``sha256``
    proves it is the content received.
    """

    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, related_name="submissions"
    )
    resource = models.ForeignKey("catalogue.Resource", on_delete=models.PROTECT)
    resource_version = models.ForeignKey("catalogue.ResourceVersion", on_delete=models.PROTECT)
    channel = models.CharField(_("渠道"), max_length=16, choices=RecordChannel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    token_prefix = models.CharField(_("令牌前缀"), max_length=16, blank=True)
    original_filename = models.CharField(_("原始文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("内容类型"), max_length=128, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256 校验值"), max_length=64)
    raw = models.FileField(_("原始内容"), upload_to="submissions/%Y/%m/")
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.RECEIVED,
    )
    total = models.PositiveIntegerField(_("总行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变化"), default=0)
    rejected_count = models.PositiveIntegerField(_("拒收"), default=0)
    held_count = models.PositiveIntegerField(_("暂存"), default=0)
    progress = models.PositiveIntegerField(_("已处理行数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    unknown_columns = models.JSONField(_("未识别的列"), default=list, blank=True)
    idempotency_key = models.CharField(_("幂等键"), max_length=128, blank=True)
    first_response = models.JSONField(_("首次响应"), null=True, blank=True)
    first_status_code = models.PositiveSmallIntegerField(_("首次响应状态码"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始处理"), null=True, blank=True)
    finished_at = models.DateTimeField(_("处理完成"), null=True, blank=True)
    #: Last data row whose chunk is committed; written in the same transaction as the
    #: chunk, so a resumed run continues exactly after it (0 = nothing committed yet).
    checkpoint_row = models.PositiveIntegerField(_("已提交至行"), default=0)
    #: Touched by the worker at every committed chunk; an old heartbeat on a
    #: submission still in progress means its worker died (see resume_stale_submissions).
    heartbeat_at = models.DateTimeField(_("心跳时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)

    scope_rule = ScopeRule(department="department", region="department__region")

    class Meta:
        verbose_name = _("报送批次")
        verbose_name_plural = _("报送批次")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="ingestion_submission_idempotency_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource.code} #{self.pk}"

    @property
    def is_running(self) -> bool:
        """Waiting for or in the hands of a worker (the page keeps polling)."""
        return self.status in IN_PROGRESS

    @property
    def percent(self) -> int:
        """Rows done as a share of the (estimated, then exact) total, 0-100."""
        if self.status == SubmissionStatus.COMPLETED:
            return 100
        if not self.total:
            return 0
        return min(100, self.progress * 100 // self.total)


class RejectedRow(TimeStampedModel):
    """A row that failed validation, kept with every reason until corrected or withdrawn."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="rejected_rows"
    )
    row_number = models.PositiveIntegerField(_("行号"))
    raw_values = models.JSONField(_("原始值"), default=dict)
    problems = models.JSONField(_("问题"), default=list)
    status = models.CharField(
        _("状态"), max_length=16, choices=RowStatus.choices, default=RowStatus.OPEN
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    corrected_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    #: The submission (re-uploaded fixed file) that loaded this row's correction.
    corrected_in = models.ForeignKey(
        Submission,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
    )

    scope_rule = ScopeRule(
        department="submission__department", region="submission__department__region"
    )

    class Meta:
        verbose_name = _("拒收行")
        verbose_name_plural = _("拒收行")
        ordering = ["submission", "row_number", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.row_number}"


class HeldRow(TimeStampedModel):
    """A valid row naming an entity the registry does not know yet; released when it appears."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="held_rows")
    row_number = models.PositiveIntegerField(_("行号"))
    subject_uscc = models.CharField(_("相对人代码"), max_length=32, db_index=True)
    raw_values = models.JSONField(_("原始值"), default=dict)
    status = models.CharField(
        _("状态"), max_length=16, choices=RowStatus.choices, default=RowStatus.OPEN
    )
    released_at = models.DateTimeField(_("放行时间"), null=True, blank=True)

    scope_rule = ScopeRule(
        department="submission__department", region="submission__department__region"
    )

    class Meta:
        verbose_name = _("暂存行")
        verbose_name_plural = _("暂存行")
        ordering = ["submission", "row_number", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.row_number}"
