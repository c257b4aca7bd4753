"""Factories for ingestion: a stored submission of a CSV file (not processed)."""

from __future__ import annotations

import hashlib

import factory
from django.core.files.base import ContentFile

from apps.enterprises.choices import RecordChannel
from apps.ingestion.models import Submission, SubmissionStatus

CSV = "行政相对人名称,统一社会信用代码\n".encode()


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A received (dry-run) file submission; process it through the services."""

    class Meta:
        model = Submission

    channel = RecordChannel.FILE
    status = SubmissionStatus.DRY_RUN
    original_filename = "data.csv"
    content_type = "text/csv"
    size = len(CSV)
    sha256 = hashlib.sha256(CSV).hexdigest()
    raw = factory.LazyFunction(lambda: ContentFile(CSV, name="data.csv"))
    resource_version = factory.LazyAttribute(lambda o: o.resource.current_version)
