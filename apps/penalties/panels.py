"""The home-page panel of credit-repair applications awaiting the viewer's department."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from apps.core.panels import Panel
from apps.organizations.choices import Action
from apps.organizations.scoping import scope_queryset

from .choices import ApplicationStatus
from .models import RepairApplication


def repair_panel(request: HttpRequest) -> Panel | None:
    """Pending repair applications in scope (and how many are past their review deadline)."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    pending = scope_queryset(
        RepairApplication.objects.filter(status=ApplicationStatus.PENDING), user, Action.CHANGE
    )
    total = pending.count()
    if not total:
        return None
    overdue = pending.filter(review_due__lt=timezone.localdate()).count()
    return Panel("penalties/_repair_panel.html", {"pending": total, "overdue": overdue})
