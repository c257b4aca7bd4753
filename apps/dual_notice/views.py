"""Pages of double notification: home, tasks and their actions, notices, mapping, statistics.

Thin views: parse, call one service, redirect. Every queryset is scoped
(selectors.py); a task or notice outside the viewer's scope answers 404.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.organizations.choices import Role
from apps.organizations.scoping import principal_role

from . import services
from .choices import QUEUE_STATUSES, TaskStatus
from .filters import ClaimTaskFilterSet, NoticeFilterSet
from .forms import ClaimForm, CloseForm, MatterForm, ReassignForm, ReturnForm
from .models import ClaimTask, LicensingMatter
from .selectors import (
    department_statistics,
    get_notice_for_user,
    get_task_for_user,
    matters_with_keywords,
    notice_lines,
    pending_tasks_for,
    queued_tasks,
    visible_notices,
    visible_tasks,
)

PAGE_SIZE = 50


def _is_province_admin(request: HttpRequest) -> bool:
    return principal_role(request.user) == Role.PROVINCE_ADMIN


def _page(request: HttpRequest, qs):  # type: ignore[no-untyped-def]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The department's pending tasks; for provincial administrators also the queue."""
    today = timezone.localdate()
    pending = pending_tasks_for(request.user)
    return render(
        request,
        "dual_notice/home.html",
        {
            "pending": pending[:20],
            "pending_count": pending.count(),
            "due_soon": pending.filter(due_on__lte=today + datetime.timedelta(days=2)).count(),
            "queue": queued_tasks(request.user)[:20],
            "queue_count": queued_tasks(request.user).count(),
            "is_province_admin": _is_province_admin(request),
            "today": today,
        },
    )


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """Claim tasks in scope, filtered; ``?queue=1`` shows the provincial queue."""
    qs = visible_tasks(request.user)
    if request.GET.get("queue"):
        qs = qs.filter(status__in=QUEUE_STATUSES)
    filterset = ClaimTaskFilterSet(request.GET or None, queryset=qs)
    results = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    page, query = _page(request, results.order_by("-created_at", "-pk"))
    return render(
        request,
        "dual_notice/task_list.html",
        {"filterset": filterset, "page": page, "query": query, "today": timezone.localdate()},
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: enterprise, matter, routing history and the actions the viewer may take."""
    task = get_task_for_user(request.user, pk)
    own = (
        task.department_id is not None
        and getattr(request.user, "department_id", None) == task.department_id
        and task.status == TaskStatus.PENDING
        and principal_role(request.user) != Role.AUDITOR
    )
    admin = _is_province_admin(request)
    return render(
        request,
        "dual_notice/task_detail.html",
        {
            "task": task,
            "assignments": task.assignments.select_related("department").order_by(
                "assigned_at", "pk"
            ),
            "may_claim": own,
            "may_reassign": admin and task.status in (*QUEUE_STATUSES, TaskStatus.PENDING),
            "may_close": admin and task.status in QUEUE_STATUSES,
            "claim_form": ClaimForm(),
            "return_form": ReturnForm(),
            "reassign_form": ReassignForm(),
            "close_form": CloseForm(),
            "today": timezone.localdate(),
        },
    )


def _task_action(request: HttpRequest, pk: int, form_class, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    task = get_task_for_user(request.user, pk, write=True)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("dual_notice:task-detail", pk=task.pk)
    try:
        message = action(task, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect("dual_notice:task-detail", pk=task.pk)


@login_required
@require_POST
def task_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Claim a task for the viewer's department."""

    def act(task: ClaimTask, data: dict) -> str:
        services.claim_task(task, actor=request.user, note=data["note"])
        return _("已认领。")

    return _task_action(request, pk, ClaimForm, act)


@login_required
@require_POST
def task_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return a task (with a reason) to the provincial queue."""

    def act(task: ClaimTask, data: dict) -> str:
        services.return_task(task, actor=request.user, reason=data["reason"])
        return _("已退回省级管理员重新分派。")

    return _task_action(request, pk, ReturnForm, act)


@login_required
@require_POST
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """A provincial administrator sends a task to a department."""

    def act(task: ClaimTask, data: dict) -> str:
        services.reassign_task(task, data["department"], actor=request.user)
        return _("已分派给 %(dept)s。") % {"dept": data["department"].name}

    return _task_action(request, pk, ReassignForm, act)


@login_required
@require_POST
def task_close(request: HttpRequest, pk: int) -> HttpResponse:
    """A provincial administrator closes a queued task."""

    def act(task: ClaimTask, data: dict) -> str:
        services.close_task(task, actor=request.user, note=data["note"])
        return _("已办结。")

    return _task_action(request, pk, CloseForm, act)


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """Notices in scope, newest registration first."""
    qs = visible_notices(request.user)
    filterset = NoticeFilterSet(request.GET or None, queryset=qs)
    results = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    page, query = _page(request, results.order_by("-registered_on", "-pk"))
    return render(
        request,
        "dual_notice/notice_list.html",
        {"filterset": filterset, "page": page, "query": query},
    )


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable notice to the applicant (双告知书), A4 with print CSS."""
    notice = get_notice_for_user(request.user, pk)
    return render(
        request,
        "dual_notice/notice_print.html",
        {"notice": notice, "lines": notice_lines(notice), "enterprise": notice.enterprise},
    )


@login_required
def matter_list(request: HttpRequest) -> HttpResponse:
    """The mapping: licensing matters, their keywords, approving line and level."""
    return render(
        request,
        "dual_notice/matter_list.html",
        {"matters": matters_with_keywords(), "may_edit": _is_province_admin(request)},
    )


@login_required
def matter_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or change a matter (provincial administrators only: 403 for others)."""
    if not _is_province_admin(request):
        raise PermissionDenied(_("只有省级管理员可以维护许可事项目录。"))
    matter = get_object_or_404(LicensingMatter, pk=pk) if pk else None
    form = MatterForm(request.POST or None, instance=matter)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_matter(
                matter,
                form.matter_data(),
                form.cleaned_data["keywords_text"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("许可事项已保存。"))
            return redirect("dual_notice:matter-list")
    return render(request, "dual_notice/matter_form.html", {"form": form, "matter": matter})


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Per-department claim statistics in the viewer's scope, optionally by assignment date."""
    date_from = _parse_date(request.GET.get("date_from"))
    date_to = _parse_date(request.GET.get("date_to"))
    return render(
        request,
        "dual_notice/statistics.html",
        {
            "rows": department_statistics(request.user, date_from=date_from, date_to=date_to),
            "date_from": date_from,
            "date_to": date_to,
        },
    )


def _parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
