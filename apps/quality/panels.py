"""The home-page panel of data quality: the viewer's latest score, open issues, pending reviews."""

from __future__ import annotations

from django.http import HttpRequest

from apps.core.panels import Panel

from . import selectors
from .choices import IssueStatus, PeriodKind, ScopeKind, Verdict
from .models import SampledRecord


def quality_panel(request: HttpRequest) -> Panel | None:
    """Latest monthly score in scope, open issues in scope and samples awaiting the viewer."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return None
    period = selectors.latest_period(PeriodKind.MONTH)
    card = None
    if period is not None:
        cards = selectors.visible_scorecards(user).filter(
            period_kind=period.kind, period_start=period.start
        )
        if selectors.sees_everything(user):
            card = cards.filter(scope_kind=ScopeKind.PROVINCE).first()
        elif getattr(user, "department_id", None):
            card = cards.filter(
                scope_kind=ScopeKind.DEPARTMENT, department_id=user.department_id
            ).first()
        else:
            card = cards.filter(scope_kind=ScopeKind.REGION, region_id=user.region_id).first()
    open_issues = selectors.visible_issues(user).filter(status=IssueStatus.OPEN).count()
    pending = SampledRecord.objects.filter(
        reviewer_id=user.pk, verdict=Verdict.PENDING, check_run__completed_at__isnull=True
    ).count()
    if card is None and not open_issues and not pending:
        return None
    return Panel(
        "quality/_home_panel.html",
        {"card": card, "period": period, "open_issues": open_issues, "pending_reviews": pending},
    )
