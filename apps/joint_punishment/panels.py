"""The home-page panel: a department's overdue feedback obligations and proposals to decide."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from apps.core.panels import Panel
from apps.organizations.scoping import principal_role

from .selectors import overdue_obligations, pending_proposals


def obligations_panel(request: HttpRequest) -> Panel | None:
    """Overdue obligations and pending proposals in the person's scope (None when both are zero)."""
    user = request.user
    if principal_role(user) is None:
        return None
    today = timezone.localdate()
    overdue = overdue_obligations(user, today)
    proposals = pending_proposals(user)
    overdue_count = overdue.count()
    proposal_count = proposals.count()
    if not overdue_count and not proposal_count:
        return None
    return Panel(
        "joint_punishment/panel_obligations.html",
        {
            "overdue_count": overdue_count,
            "overdue": list(overdue.order_by("due_on", "pk")[:5]),
            "proposal_count": proposal_count,
            "late_proposals": proposals.filter(decide_by__lt=today).count(),
            # Administrators and auditors see every department's obligations: name the
            # department, or one entity listed once looks like the same line repeated.
            "own_department_id": getattr(user, "department_id", None),
        },
    )
