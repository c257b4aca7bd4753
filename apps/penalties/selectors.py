"""Read paths over penalties and repair applications, scoped for the principal."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from apps.core.models import AuditEvent
from apps.organizations.choices import Action
from apps.organizations.scoping import scope_queryset
from apps.records.selectors import field_labels, revisions_of

from .choices import PenaltyEvent
from .models import Penalty, RepairApplication


def visible_penalties(principal: Any) -> models.QuerySet[Penalty]:
    """Penalties ``principal`` may view (department scope), with department, enterprise, regime."""
    qs = Penalty.objects.select_related("department", "enterprise", "regime")
    return scope_queryset(qs, principal, Action.VIEW)


def visible_repairs(principal: Any) -> models.QuerySet[RepairApplication]:
    """Repair applications of penalties ``principal`` may view."""
    qs = RepairApplication.objects.select_related(
        "penalty", "penalty__department", "penalty__regime", "reviewed_by"
    )
    return scope_queryset(qs, principal, Action.VIEW)


def penalty_history(penalty: Penalty) -> dict[str, Any]:
    """Everything that happened to a penalty: loader/staff revisions and audit events."""
    penalty_type = ContentType.objects.get_for_model(Penalty)
    application_type = ContentType.objects.get_for_model(RepairApplication)
    application_ids = [str(pk) for pk in penalty.repair_applications.values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(
        Q(target_type=penalty_type, target_id=str(penalty.pk))
        | Q(target_type=application_type, target_id__in=application_ids)
    ).order_by("occurred_at", "pk")
    events = list(events)
    for event in events:
        event.label = (
            PenaltyEvent(event.event_type).label
            if event.event_type in PenaltyEvent.values
            else event.get_event_type_display()
        )
    return {"revisions": list(revisions_of(penalty)), "events": events}


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
