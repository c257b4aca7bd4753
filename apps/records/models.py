"""Records kept by the generic store, and the revision history shared by every store."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.enterprises.choices import RecordChannel
from apps.enterprises.models import EnterpriseRecord


class GenericRecord(EnterpriseRecord):
    """A record of a resource kind that has no typed store of its own.

    ``payload`` maps the catalogue's canonical field codes to JSON values, as
    the catalogue validator normalised them; labels come from the catalogue
    version named by ``resource_version``. The natural key (department,
    resource_code, business_key) makes repeated loads idempotent.
    """

    payload = models.JSONField(_("数据内容"), default=dict)

    class Meta:
        verbose_name = _("通用信息记录")
        verbose_name_plural = _("通用信息记录")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "resource_code", "business_key"],
                name="records_generic_natural_key",
            )
        ]
        indexes = [
            models.Index(fields=["enterprise", "resource_code"], name="records_gen_ent_res"),
            models.Index(fields=["department", "received_at"], name="records_gen_dept_recv"),
            models.Index(fields=["subject_uscc"], name="records_gen_subject_uscc"),
            GinIndex(fields=["payload"], name="records_gen_payload_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_code} {self.business_key}"


class RecordRevision(models.Model):
    """One change to any record (generic or typed): the content before and after.

    Written by the set-based loader in the same statement that updates the
    record, so history never lags behind. ``before`` is the content the update
    replaced, ``after`` the new content (both JSON; for typed stores the changed
    columns). ``revision`` counts per record from 1; the first load of a record
    writes no revision (the record itself is its first state).
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField(_("记录编号"))
    revision = models.PositiveIntegerField(_("修订序号"))
    before = models.JSONField(_("修订前内容"))
    after = models.JSONField(_("修订后内容"))
    submission_id = models.BigIntegerField(_("归集批次"), null=True, blank=True)
    channel = models.CharField(_("归集渠道"), max_length=16, choices=RecordChannel.choices)
    changed_at = models.DateTimeField(_("修订时间"))

    class Meta:
        verbose_name = _("记录修订")
        verbose_name_plural = _("记录修订")
        ordering = ["content_type", "object_id", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "revision"],
                name="records_revision_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} r{self.revision}"
