"""Staff pages of licences: a filtered list, a detail with history, revocation (scoped)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError
from apps.organizations.choices import Action
from apps.organizations.scoping import get_object_for_user, scope_queryset
from apps.penalties.forms import ReasonForm
from apps.records.selectors import revisions_of

from . import services
from .filters import LicenceFilterSet
from .models import Licence
from .selectors import labelled_extra, licence_events

PAGE_SIZE = 50


def visible_licences(principal):
    """Licences ``principal`` may view (department scope)."""
    return scope_queryset(
        Licence.objects.select_related("department", "enterprise"), principal, Action.VIEW
    )


@login_required
def licence_list(request: HttpRequest) -> HttpResponse:
    """Licences in the viewer's scope, filtered, newest decision first."""
    qs = visible_licences(request.user)
    filterset = LicenceFilterSet(request.GET or None, queryset=qs)
    results = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    page = Paginator(results.order_by("-decision_date", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    for licence in page.object_list:
        licence.public_today = licence.is_public_on(today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "permits/licence_list.html",
        {"filterset": filterset, "page": page, "query": query.urlencode()},
    )


@login_required
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One licence: content, publicity, other catalogue fields, revisions."""
    licence = get_object_for_user(visible_licences(request.user), request.user, pk=pk)
    extra = labelled_extra(licence)
    return render(
        request,
        "permits/licence_detail.html",
        {
            "licence": licence,
            "public_today": licence.is_public_on(timezone.localdate()),
            "extra": extra,
            "revisions": list(revisions_of(licence)),
            "events": licence_events(licence),
        },
    )


@login_required
def licence_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a licence decision with a reason (its department, or an administrator in scope)."""
    licence = get_object_for_user(visible_licences(request.user), request.user, write=True, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_licence(licence, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("行政许可决定已撤销，已停止公示。"))
            return redirect("permits:licence-detail", pk=licence.pk)
    return render(request, "permits/licence_revoke.html", {"licence": licence, "form": form})
