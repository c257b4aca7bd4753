"""The home-page panel of 双随机一公开: open tasks, the viewer's own tasks, pending follow-ups."""

from __future__ import annotations

from django.http import HttpRequest

from apps.core.panels import Panel

from .choices import FollowUpState, TaskStatus
from .selectors import officer_tasks, visible_follow_ups, visible_tasks


def inspection_panel(request: HttpRequest) -> Panel | None:
    """Counts in the viewer's scope; nothing when there is nothing to do."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    open_tasks = visible_tasks(user).filter(status=TaskStatus.ASSIGNED, draw__is_current=True)
    context = {
        "open_tasks": open_tasks.count(),
        "my_tasks": officer_tasks(user).filter(status=TaskStatus.ASSIGNED).count(),
        "pending_follow_ups": visible_follow_ups(user).filter(state=FollowUpState.PENDING).count(),
    }
    if not any(context.values()):
        return None
    return Panel("inspections/_home_panel.html", context)
