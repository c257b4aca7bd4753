"""State changes of licences made on the platform (loading goes through the store).

Each runs in one transaction, appends a :class:`~apps.records.models.RecordRevision`
with the old and new values and writes its audit event in the same
transaction, as the penalty services do.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_event
from apps.core.exceptions import ConflictError, DomainError
from apps.penalties.choices import PenaltyEvent
from apps.penalties.services import write_revision

from .models import Licence


def revoke_licence(licence: Licence, *, reason: str, actor: Any) -> Licence:
    """Revoke a licence decision (撤销): it leaves public view at once; history keeps why and who.

    Refused without a reason (400) and for a decision already revoked on the
    platform (409). A decision the department reported as 撤销 (``XK_ZT`` = 1)
    is already out of public view; revoking it here records the reason.
    The platform columns are never written by the loader, so re-sending the
    original file does not undo a revocation.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("撤销行政许可决定必须填写理由。"), code="reason_required")
    with transaction.atomic():
        licence = (
            Licence.objects.select_for_update().select_related("department").get(pk=licence.pk)
        )
        if licence.revoked_at is not None:
            raise ConflictError(
                _("行政许可决定 %(doc)s 已于 %(at)s 撤销，不能重复撤销。")
                % {"doc": licence.document_number, "at": licence.revoked_at.date()},
                code="already_revoked",
            )
        before = {"revoked_at": None, "revocation_reason": ""}
        licence.revoked_at = timezone.now()
        licence.revocation_reason = reason
        licence.save(update_fields=["revoked_at", "revocation_reason", "updated_at"])
        after = {"revoked_at": licence.revoked_at, "revocation_reason": reason}
        write_revision(licence, before, after, actor=actor)
        record_event(
            PenaltyEvent.LICENCE_REVOKED,
            actor=actor,
            target=licence,
            before=before,
            after=after,
            department_code=licence.department.code,
            enterprise_uscc=licence.subject_uscc if licence.enterprise_id else "",
            message=reason,
        )
    return licence
