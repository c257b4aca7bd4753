"""Kernel models: base mixins, the audit history, the working-day calendar
table and the USCC allow-list. Nothing here knows about any other app."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AuditEventType, CalendarDayKind, Channel


class TimeStampedModel(models.Model):
    """Abstract base adding ``created_at`` and ``updated_at``."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One audited change: who did what to which object, with before and after.

    - ``actor``/``actor_name``: the person (FK, kept null-safe) and a copied
      display name, so the history survives the person's deletion; API tokens
      appear as ``actor=None`` with the token's name.
    - ``department_code``: the acting department (a copied code: core imports
      no app, see ARCHITECTURE.md).
    - ``request_id``: from ``RequestIdMiddleware``, also in ``X-Request-ID``.
    - ``channel``: web, api, ingestion, task or command.
    - ``target_type``/``target_id``: the changed object; ``enterprise_uscc``
      copies the enterprise's USCC for cheap per-enterprise timelines.
    - ``before``/``after``: JSON snapshots of the changed fields.
    - ``submission_id``: an ingested batch is one event linked to its submission.

    Written only through :func:`apps.core.audit.record_event`, inside the
    service's transaction.
    """

    occurred_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人名称"), max_length=150, blank=True)
    department_code = models.CharField(_("部门代码"), max_length=32, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    # No ``choices=`` on the column: apps add event types to AuditEventType as
    # they land, and that must not need a core migration each time.
    event_type = models.CharField(_("事件类型"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=255, blank=True)
    enterprise_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    submission_id = models.BigIntegerField(_("归集批次"), null=True, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ("-occurred_at", "-pk")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["enterprise_uscc", "occurred_at"], name="audit_enterprise_idx"),
            models.Index(fields=["department_code", "occurred_at"], name="audit_department_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_event_type_display()}"
        )

    def get_event_type_display(self) -> str:
        """The label of the event type (the raw value for a type no longer defined)."""
        try:
            return str(AuditEventType(self.event_type).label)
        except ValueError:
            return self.event_type


class CalendarDay(models.Model):
    """A statutory exception to the Monday-Friday working week.

    Administrators enter each year's State Council holiday notice here: a
    ``holiday`` is a day off (even on a weekday), a ``workday`` is an adjusted
    working weekend day. Years present here take precedence over the
    chinesecalendar package, which covers 2004-2026 only (ENVIRONMENT.md).
    A year is "covered" when it has a :class:`CalendarYear` row.
    """

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(_("节日名称"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ("date",)

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """Marks a year whose holiday table has been entered completely.

    Working-day arithmetic refuses a date in a year that neither this table
    nor chinesecalendar covers, naming the missing year, rather than guessing.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=255, blank=True)
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ("year",)

    def __str__(self) -> str:
        return str(self.year)


class UsccAllowListEntry(models.Model):
    """A USCC that fails its check digit but is known to be legitimately issued.

    Early pilot codes (BRIEF.md 1.4) fail the GB 32100 mod-31 check; the
    validator reports them as ``legacy``. Administrators add codes confirmed
    against the registration database here.
    """

    code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("统一代码白名单")
        verbose_name_plural = _("统一代码白名单")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.code


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker reported itself alive.

    Workers write it every few seconds from a bootstep; ``/healthz`` calls a
    worker alive when its heartbeat is recent. Kept in the database because
    the filesystem broker used without Redis cannot broadcast a ping.
    """

    hostname = models.CharField(_("主机"), max_length=255, unique=True)
    last_seen = models.DateTimeField(_("最近心跳"))
    started_at = models.DateTimeField(_("启动时间"))

    class Meta:
        verbose_name = _("后台任务进程")
        verbose_name_plural = _("后台任务进程")
        ordering = ("-last_seen",)

    def __str__(self) -> str:
        return self.hostname
