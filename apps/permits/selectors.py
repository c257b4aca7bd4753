"""Read helpers of licences."""

from __future__ import annotations

from typing import Any

from apps.records.selectors import field_labels


def labelled_extra(record: Any) -> list[tuple[str, str, Any]]:
    """(code, label, value) of a record's other catalogue fields, labelled from its version.

    Identity numbers and other fields the catalogue masks are shown masked to
    staff too: nobody needs a natural person's full ID number on this page.
    """
    from apps.catalogue.choices import MaskingRule
    from apps.catalogue.masking import mask_value
    from apps.catalogue.models import FieldSpec

    labels = field_labels(record.resource_code, record.resource_version)
    masking = dict(
        FieldSpec.objects.filter(
            version__resource__code=record.resource_code,
            version__number=record.resource_version,
        )
        .exclude(masking=MaskingRule.NONE)
        .values_list("code", "masking")
    )
    return [
        (
            code,
            labels.get(code, code),
            mask_value(value, masking[code]) if code in masking and value else value,
        )
        for code, value in sorted(record.extra.items())
    ]


def licence_events(licence: Any) -> list[Any]:
    """The audit events of one licence (revocations), oldest first, each with its label."""
    from django.contrib.contenttypes.models import ContentType

    from apps.core.models import AuditEvent
    from apps.penalties.choices import PenaltyEvent

    events = list(
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(type(licence)),
            target_id=str(licence.pk),
        ).order_by("occurred_at", "pk")
    )
    for event in events:
        event.label = (
            PenaltyEvent(event.event_type).label
            if event.event_type in PenaltyEvent.values
            else event.get_event_type_display()
        )
    return events
