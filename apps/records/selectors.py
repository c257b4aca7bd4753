"""Read paths over records: scoped querysets, one enterprise's records, history, labels."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from apps.organizations.choices import Action
from apps.organizations.scoping import scope_queryset

from .models import GenericRecord, RecordRevision
from .registry import registered_stores

ENTERPRISE_RECORDS_LIMIT = 200


def visible_generic_records(principal: Any) -> models.QuerySet[GenericRecord]:
    """Generic records ``principal`` may view (department scope), with the department."""
    qs = GenericRecord.objects.select_related("department", "enterprise")
    return scope_queryset(qs, principal, Action.VIEW)


def records_for_enterprise(
    enterprise: Any, *, principal: Any, limit: int = ENTERPRISE_RECORDS_LIMIT
) -> list[models.Model]:
    """Every record filed under ``enterprise`` in any registered store, newest decision first.

    Each store's model is scoped separately for ``principal``; at most ``limit``
    records per store are read, then merged by decision date.
    """
    found: list[models.Model] = []
    for store in registered_stores():
        qs = scope_queryset(
            store.model._default_manager.filter(enterprise=enterprise), principal, Action.VIEW
        )
        found.extend(qs.select_related("department").order_by("-decision_date", "-pk")[:limit])
    found.sort(key=lambda record: (record.decision_date, record.pk), reverse=True)
    return found


def revisions_of(record: models.Model) -> models.QuerySet[RecordRevision]:
    """The revision history of any record (generic or typed), oldest first."""
    content_type = ContentType.objects.get_for_model(type(record))
    return RecordRevision.objects.filter(content_type=content_type, object_id=record.pk).order_by(
        "revision"
    )


def field_labels(resource_code: str, version_number: int) -> dict[str, str]:
    """Field code -> Chinese name from the catalogue version a record was validated against.

    Empty when the catalogue does not (or no longer) hold that version; callers
    fall back to the codes.
    """
    from apps.catalogue.models import FieldSpec

    return dict(
        FieldSpec.objects.filter(
            version__resource__code=resource_code, version__number=version_number
        ).values_list("code", "name")
    )


def labelled_payload(record: GenericRecord) -> list[tuple[str, str, Any]]:
    """(code, label, value) for each payload entry, labelled from the catalogue."""
    labels = field_labels(record.resource_code, record.resource_version)
    return [(code, labels.get(code, code), value) for code, value in record.payload.items()]
