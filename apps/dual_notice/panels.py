"""The home-page (工作台) panel: the department's pending claim tasks."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone

from apps.core.panels import Panel
from apps.organizations.choices import Role
from apps.organizations.scoping import principal_role

from .selectors import pending_tasks_for, queued_tasks


def pending_tasks_panel(request: HttpRequest) -> Panel | None:
    """Pending tasks of the viewer's department (nearest deadline first); the queue for the province."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    pending = pending_tasks_for(user)
    if principal_role(user) == Role.PROVINCE_ADMIN:
        # The province sees every department's pending tasks; its own work is the queue.
        pending = pending.none()
        queue = queued_tasks(user).count()
    else:
        queue = 0
    total = pending.count()
    if not total and not queue:
        return None
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return Panel(
        "dual_notice/_home_panel.html",
        {
            "pending": total,
            "due_soon": pending.filter(due_on__lte=tomorrow).count() if total else 0,
            "tasks": list(pending[:5]),
            "queue": queue,
        },
    )
