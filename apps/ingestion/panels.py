"""The home-page panel of the problem-data queue: open rejected and held rows per department."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest

from apps.core.panels import Panel
from apps.organizations.scoping import scope_queryset

from .models import HeldRow, RejectedRow, RowStatus


def problem_panel(request: HttpRequest) -> Panel | None:
    """Counts of open rejected and held rows per department in the viewer's scope."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    per_department: dict[int, dict] = {}
    for model, key in ((RejectedRow, "rejected"), (HeldRow, "held")):
        counts = (
            scope_queryset(model.objects.filter(status=RowStatus.OPEN), user)
            .values("submission__department_id", "submission__department__name")
            .annotate(n=Count("pk"))
        )
        for item in counts:
            entry = per_department.setdefault(
                item["submission__department_id"],
                {"name": item["submission__department__name"], "rejected": 0, "held": 0},
            )
            entry[key] = item["n"]
    if not per_department:
        return None
    rows = sorted(per_department.values(), key=lambda e: (-e["rejected"] - e["held"], e["name"]))
    return Panel(
        "ingestion/_problem_panel.html",
        {
            "rows": rows[:20],
            "more": max(len(rows) - 20, 0),
            "rejected": sum(e["rejected"] for e in rows),
            "held": sum(e["held"] for e in rows),
        },
    )
