"""State changes of licences made on the platform (loading goes through the store).

Each runs in one transaction, appends a :class:`~apps.records.models.RecordRevision`
with the old and new values and writes its audit event in the same
transaction, as the penalty services do.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from apps.penalties.choices import PenaltyEvent
from apps.penalties.services import revoke_record

from .models import Licence


def revoke_licence(licence: Licence, *, reason: str, actor: Any) -> Licence:
    """Revoke a licence decision (撤销): it leaves public view at once; history keeps why and who.

    Refused without a reason (400) and for a decision already revoked on the
    platform (409). A decision the department reported as 撤销 (``XK_ZT`` = 1)
    is already out of public view; revoking it here records the reason.
    The platform columns are never written by the loader, so re-sending the
    original file does not undo a revocation.
    """
    return revoke_record(
        licence,
        reason=reason,
        actor=actor,
        event=PenaltyEvent.LICENCE_REVOKED,
        messages={
            "reason_required": _("撤销行政许可决定必须填写理由。"),
            "already_revoked": _("行政许可决定 %(doc)s 已于 %(at)s 撤销，不能重复撤销。"),
        },
    )
