"""Staff pages of joint punishment: lists, entries, proposals, the check, feedback.

Every queryset goes through ``apps.organizations.scoping`` (via
:mod:`.selectors`): a row outside the viewer's scope answers 404, a row they
may only view answers 403 to a write. Views parse and call one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.models import AuditEvent
from apps.enterprises.models import Enterprise
from apps.organizations.scoping import get_object_for_user
from apps.records.models import RecordRevision

from . import services
from .checks import check_for
from .choices import CheckChannel, ProposalStatus
from .filters import (
    CheckLogFilterSet,
    FeedbackFilterSet,
    ListEntryFilterSet,
    ObligationFilterSet,
    ProposalFilterSet,
)
from .forms import (
    CheckForm,
    ConfirmForm,
    EarlyRemovalForm,
    FeedbackForm,
    ListingForm,
    RejectForm,
    RemovalForm,
)
from .models import ListType, Measure, Proposal
from .permissions import acting_department
from .selectors import (
    feedback_rates,
    overdue_obligations,
    pending_proposals,
    visible_checks,
    visible_entries,
    visible_feedback,
    visible_obligations,
    visible_proposals,
)

PAGE_SIZE = 50


def _page(
    request: HttpRequest,
    qs: QuerySet,
    filterset_class: type,
    template: str,
    ordering: tuple[str, ...],
    **extra: Any,
) -> HttpResponse:
    filterset = filterset_class(request.GET or None, queryset=qs)
    results = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    page = Paginator(results.order_by(*ordering), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filterset": filterset, "page": page, "query": query.urlencode(), **extra}
    return render(request, template, context)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Overview: entries in force per list, proposals to decide, overdue obligations, rates."""
    today = timezone.localdate()
    in_force = (
        visible_entries(request.user)
        .in_force(today)
        .values("list_type__code", "list_type__name")
        .annotate(n=Count("pk"))
        .order_by("list_type__code")
    )
    proposals = pending_proposals(request.user)
    return render(
        request,
        "joint_punishment/home.html",
        {
            "today": today,
            "in_force": list(in_force),
            "pending_count": proposals.count(),
            "late_count": proposals.filter(decide_by__lt=today).count(),
            "next_proposals": list(proposals.order_by("decide_by", "pk")[:10]),
            "overdue_count": overdue_obligations(request.user, today).count(),
            "rates": feedback_rates(request.user, today)[:10],
            "list_types": ListType.objects.all(),
        },
    )


@login_required
def list_types(request: HttpRequest) -> HttpResponse:
    """The lists, their statutory grounds and dated regimes (admin-editable data)."""
    types = ListType.objects.prefetch_related("grounds", "regimes__escalate_to").annotate(
        measure_count=Count("measures", filter=Q(measures__is_active=True))
    )
    return render(request, "joint_punishment/listtype_list.html", {"list_types": types})


@login_required
def measure_list(request: HttpRequest) -> HttpResponse:
    """The memoranda's measures, which lists trigger them and which lines implement them."""
    measures = Measure.objects.prefetch_related("list_types").order_by("code")
    line = getattr(getattr(request.user, "department", None), "line", "")
    return render(
        request, "joint_punishment/measure_list.html", {"measures": measures, "my_line": line}
    )


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    in_force = Q(listed_on__lte=today) & (Q(removed_on__isnull=True) | Q(removed_on__gt=today))
    qs = visible_entries(request.user).annotate(
        listed_now=Case(When(in_force, then=Value(True)), default=Value(False))
    )
    return _page(
        request,
        qs,
        ListEntryFilterSet,
        "joint_punishment/entry_list.html",
        ("-listed_on", "-pk"),
    )


@login_required
def entry_create(request: HttpRequest) -> HttpResponse:
    """Record a listing decision of the viewer's department."""
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            department = acting_department(request.user)
            enterprise = Enterprise.objects.filter(uscc=data["uscc"].strip().upper()).first()
            if enterprise is None:
                raise DomainError(_("统一社会信用代码未在市场主体名录中登记。"))
            ground = None
            if data["ground"]:
                ground = data["list_type"].grounds.filter(code=data["ground"]).first()
                if ground is None:
                    raise DomainError(_("该名单没有这个列入情形代码。"))
            entry = services.list_entity(
                list_type=data["list_type"],
                enterprise=enterprise,
                department=department,
                listed_on=data["listed_on"],
                authority=data["listing_authority"],
                document=data["listing_document"],
                reason=data["listing_reason"],
                ground=ground,
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已列入。"))
            return redirect("joint_punishment:entry-detail", pk=entry.pk)
    return render(request, "joint_punishment/entry_form.html", {"form": form})


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry: listing and removal decisions, proposals, obligations, feedback and history."""
    entry = get_object_for_user(visible_entries(request.user), request.user, pk=pk)
    today = timezone.localdate()
    regime = services.regime_for(entry.list_type, entry.listed_on)
    history = AuditEvent.objects.filter(
        target_type__app_label="joint_punishment",
        target_type__model="listentry",
        target_id=str(entry.pk),
    ).order_by("occurred_at", "pk")
    revisions = RecordRevision.objects.filter(
        content_type__app_label="joint_punishment",
        content_type__model="listentry",
        object_id=entry.pk,
    )
    return render(
        request,
        "joint_punishment/entry_detail.html",
        {
            "entry": entry,
            "today": today,
            "in_force": entry.is_in_force(today),
            "regime": regime,
            "period_end": regime.period_end(entry.listed_on) if regime else None,
            "early_from": regime.early_removal_from(entry.listed_on) if regime else None,
            "escalation_day": regime.escalation_day(entry.listed_on) if regime else None,
            "proposals": entry.proposals.select_related("department").order_by("-created_at"),
            # Confirmed proposals that listed this entry and whose basis was corrected later.
            "corrected_proposals": Proposal.objects.filter(
                result_entry=entry, basis_corrected_at__isnull=False
            ).order_by("pk"),
            "obligations": entry.obligations.select_related("department").order_by("due_on", "pk"),
            "history": history,
            "revisions": revisions,
            "removal_form": RemovalForm(initial={"removed_on": today}),
            "early_form": EarlyRemovalForm(initial={"applied_on": today}),
        },
    )


@login_required
@require_POST
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_for_user(visible_entries(request.user), request.user, write=True, pk=pk)
    form = RemovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("移出决定填写不完整：") + form.errors.as_text())
        return redirect("joint_punishment:entry-detail", pk=pk)
    data = form.cleaned_data
    try:
        services.remove_entry(
            entry,
            removed_on=data["removed_on"],
            authority=data["removal_authority"],
            document=data["removal_document"],
            reason=data["removal_reason"],
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已移出。"))
    return redirect("joint_punishment:entry-detail", pk=pk)


@login_required
@require_POST
def entry_early_removal(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_for_user(visible_entries(request.user), request.user, write=True, pk=pk)
    form = EarlyRemovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("申请填写不完整：") + form.errors.as_text())
        return redirect("joint_punishment:entry-detail", pk=pk)
    try:
        proposal = services.apply_for_early_removal(
            entry,
            applied_on=form.cleaned_data["applied_on"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("joint_punishment:entry-detail", pk=pk)
    messages.success(request, _("已登记提前移出申请，待决定。"))
    return redirect("joint_punishment:proposal-detail", pk=proposal.pk)


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    qs = visible_proposals(request.user)
    if "status" not in request.GET and "basis_corrected" not in request.GET:
        qs = qs.filter(status=ProposalStatus.PENDING)
    return _page(
        request,
        qs,
        ProposalFilterSet,
        "joint_punishment/proposal_list.html",
        ("decide_by", "pk"),
        today=timezone.localdate(),
    )


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_for_user(visible_proposals(request.user), request.user, pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "joint_punishment/proposal_detail.html",
        {
            "proposal": proposal,
            "today": today,
            "confirm_form": ConfirmForm(initial={"decided_on": max(today, proposal.basis_date)}),
            "reject_form": RejectForm(),
        },
    )


@login_required
@require_POST
def proposal_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_for_user(visible_proposals(request.user), request.user, write=True, pk=pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("决定填写不完整：") + form.errors.as_text())
        return redirect("joint_punishment:proposal-detail", pk=pk)
    try:
        services.confirm_proposal(proposal, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认。"))
    return redirect("joint_punishment:proposal-detail", pk=pk)


@login_required
@require_POST
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_for_user(visible_proposals(request.user), request.user, write=True, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写驳回理由。"))
        return redirect("joint_punishment:proposal-detail", pk=pk)
    try:
        services.reject_proposal(proposal, actor=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已驳回。"))
    return redirect("joint_punishment:proposal-detail", pk=pk)


@login_required
def check(request: HttpRequest) -> HttpResponse:
    """The check page: paste USCCs, name the business, see lists and this department's measures."""
    form = CheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = check_for(
            request.user,
            form.cleaned_data["codes"],
            purpose=form.cleaned_data["purpose"],
            channel=CheckChannel.WEB,
        )
    return render(
        request,
        "joint_punishment/check.html",
        {
            "form": form,
            "result": result,
            "items": [item.as_dict() for item in result.items] if result else [],
            "department": getattr(request.user, "department", None),
        },
    )


@login_required
def checklog_list(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        visible_checks(request.user),
        CheckLogFilterSet,
        "joint_punishment/checklog_list.html",
        ("-checked_at", "-pk"),
    )


@login_required
def obligation_list(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        visible_obligations(request.user),
        ObligationFilterSet,
        "joint_punishment/obligation_list.html",
        ("due_on", "pk"),
        today=timezone.localdate(),
    )


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        visible_feedback(request.user),
        FeedbackFilterSet,
        "joint_punishment/feedback_list.html",
        ("-applied_on", "-pk"),
    )


@login_required
def feedback_create(request: HttpRequest) -> HttpResponse:
    """Record what the viewer's department applied for an entity and a measure."""
    initial = {k: request.GET[k] for k in ("uscc", "measure") if k in request.GET}
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            department = acting_department(request.user)
            enterprise = Enterprise.objects.filter(uscc=data["uscc"].strip().upper()).first()
            if enterprise is None:
                raise DomainError(_("统一社会信用代码未在市场主体名录中登记。"))
            services.record_feedback(
                department=department,
                enterprise=enterprise,
                measure=data["measure"],
                business_context=data["business_context"],
                business_reference=data["business_reference"],
                applied_on=data["applied_on"],
                outcome=data["outcome"],
                reason=data["reason"],
                actor=request.user,
            )
        except (DomainError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "message", None) or str(exc))
        else:
            messages.success(request, _("已登记反馈。"))
            return redirect("joint_punishment:feedback-list")
    return render(request, "joint_punishment/feedback_form.html", {"form": form})


@login_required
def feedback_rate_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "joint_punishment/feedback_rates.html",
        {"rates": feedback_rates(request.user, today), "today": today},
    )
