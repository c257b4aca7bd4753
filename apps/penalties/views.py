"""Pages of penalties: staff list/detail/revoke/correct, the repair queue, the public repair form.

Staff pages are scoped by department (``Penalty.scope_rule``): another
department's penalty or application does not exist for the viewer (404); a
read-only viewer (auditor) gets 403 on the forms. The repair application form
is public (no login).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from apps.core.exceptions import DomainError
from apps.organizations.scoping import get_object_for_user

from . import services
from .choices import ApplicationStatus
from .filters import PenaltyFilterSet, RepairApplicationFilterSet
from .forms import CorrectionForm, ReasonForm, RepairApplicationForm, ReviewForm
from .selectors import labelled_extra, penalty_history, visible_penalties, visible_repairs

PAGE_SIZE = 50


def _page(request: HttpRequest, qs):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@login_required
def penalty_list(request: HttpRequest) -> HttpResponse:
    """Penalties in the viewer's scope, filtered, newest decision first."""
    qs = visible_penalties(request.user)
    filterset = PenaltyFilterSet(request.GET or None, queryset=qs)
    results = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    page, query = _page(request, results.order_by("-decision_date", "-pk"))
    today = timezone.localdate()
    for penalty in page.object_list:
        penalty.public_today = penalty.is_public_on(today)
    return render(
        request,
        "penalties/penalty_list.html",
        {"filterset": filterset, "page": page, "query": query, "today": today},
    )


@login_required
def penalty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One decision: content, publicity window and regime, repair applications, history."""
    penalty = get_object_for_user(visible_penalties(request.user), request.user, pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "penalties/penalty_detail.html",
        {
            "penalty": penalty,
            "public_today": penalty.is_public_on(today),
            "today": today,
            "extra": labelled_extra(penalty),
            "applications": penalty.repair_applications.order_by("-submitted_at", "-pk"),
            **penalty_history(penalty),
        },
    )


@login_required
def penalty_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a decision with a reason (its department, or an administrator in scope)."""
    penalty = get_object_for_user(visible_penalties(request.user), request.user, write=True, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_penalty(penalty, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("处罚决定已撤销，已停止公示。"))
            return redirect("penalties:penalty-detail", pk=penalty.pk)
    return render(request, "penalties/penalty_revoke.html", {"penalty": penalty, "form": form})


@login_required
def penalty_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a decision's content or set its severity; publicity is recomputed."""
    penalty = get_object_for_user(visible_penalties(request.user), request.user, write=True, pk=pk)
    initial = {name: getattr(penalty, name) for name in CorrectionForm.FIELDS}
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_penalty(
                penalty,
                form.changes(penalty),
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("处罚决定已更正，公示期已按规则重新计算。"))
            return redirect("penalties:penalty-detail", pk=penalty.pk)
    return render(request, "penalties/penalty_correct.html", {"penalty": penalty, "form": form})


@login_required
def repair_list(request: HttpRequest) -> HttpResponse:
    """The repair queue: applications of the viewer's department(s), pending first."""
    qs = visible_repairs(request.user)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = ApplicationStatus.PENDING
    filterset = RepairApplicationFilterSet(data, queryset=qs)
    results = filterset.qs if filterset.is_valid() else qs
    page, query = _page(request, results.order_by("review_due", "submitted_at", "pk"))
    return render(
        request,
        "penalties/repair_list.html",
        {"filterset": filterset, "page": page, "query": query, "today": timezone.localdate()},
    )


@login_required
def repair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application with its evidence and the review form (approve/reject with reason)."""
    application = get_object_for_user(visible_repairs(request.user), request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        application = get_object_for_user(
            visible_repairs(request.user), request.user, write=True, pk=pk
        )
        if form.is_valid():
            decide = (
                services.approve_repair
                if form.cleaned_data["decision"] == "approve"
                else services.reject_repair
            )
            try:
                decide(application, reason=form.cleaned_data["reason"], actor=request.user)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("审核结果已保存。"))
                return redirect("penalties:repair-detail", pk=application.pk)
    return render(
        request,
        "penalties/repair_detail.html",
        {
            "application": application,
            "penalty": application.penalty,
            "form": form,
            "today": timezone.localdate(),
        },
    )


@login_required
def repair_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Download an application's evidence (staff in scope only; never a public media URL)."""
    application = get_object_for_user(visible_repairs(request.user), request.user, pk=pk)
    name = f"evidence-{application.pk}{'.' + application.evidence.name.rsplit('.', 1)[-1]}"
    return FileResponse(application.evidence.open("rb"), as_attachment=True, filename=name)


#: Public repair applications per client per hour: each may carry a 10 MB file,
#: and each attempt tells whether a USCC and document number match a decision.
APPLY_LIMIT = (10, 3600)


def _over_apply_limit(request: HttpRequest) -> bool:
    """Count one submission of this client (as the API throttles identify it); True when over."""
    count, seconds = APPLY_LIMIT
    client = (BaseThrottle().get_ident(request) or "unknown")[:200]
    window = int(timezone.now().timestamp() // seconds)
    key = f"penalties:repair-apply:{client}:{window}"
    if cache.add(key, 1, seconds):
        return False
    try:
        return cache.incr(key) > count
    except ValueError:  # expired between add and incr
        return False


def repair_apply(request: HttpRequest) -> HttpResponse:
    """The public credit-repair application form (no login); submissions limited per client."""
    form = RepairApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _over_apply_limit(request):
        response = render(
            request,
            "penalties/repair_apply.html",
            {"form": form, "too_many": True},
            status=429,
        )
        response["Retry-After"] = str(APPLY_LIMIT[1])
        return response
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            penalty = services.find_penalty_for_repair(data["uscc"], data["document_number"])
            application = services.apply_for_repair(
                penalty,
                applicant_name=data["applicant_name"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                statement=data["statement"],
                evidence=data["evidence"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return render(
                request,
                "penalties/repair_apply_done.html",
                {"application": application, "penalty": penalty},
            )
    return render(request, "penalties/repair_apply.html", {"form": form})
