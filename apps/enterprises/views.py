"""Staff pages of the enterprise registry: list, detail, edit, rename.

Every signed-in role views the registry (``Enterprise.scope_rule``); only
administrators in scope change it. A read-only principal gets 403; an unknown
USCC 404.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.uscc import normalize_code
from apps.organizations.choices import Action
from apps.organizations.scoping import (
    can,
    get_object_for_user,
    may_read_audit,
    scope_queryset,
)

from .filters import EnterpriseFilterSet
from .forms import EnterpriseForm, RenameForm
from .models import Enterprise
from .selectors import capped_count, enterprise_timeline
from .services import rename_enterprise, update_enterprise

PAGE_SIZE = 50
# Pages reach at most this many rows: deeper OFFSETs over millions of rows
# cost seconds and nobody pages that far; narrowing the filters is the answer.
MAX_LIST_ROWS = 10_000
TIMELINE_LIMIT = 100


class CappedPaginator(Paginator):
    """A paginator that counts at most ``MAX_LIST_ROWS`` + 1 rows and pages through the cap."""

    @cached_property
    def total_capped(self) -> int:
        return capped_count(self.object_list, MAX_LIST_ROWS)

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self.total_capped, MAX_LIST_ROWS)

    @property
    def truncated(self) -> bool:
        return self.total_capped > MAX_LIST_ROWS


def _enterprise_for(request: HttpRequest, uscc: str, *, write: bool = False) -> Enterprise:
    return get_object_for_user(
        Enterprise.objects.select_related("region"),
        request.user,
        write=write,
        uscc=normalize_code(uscc),
    )


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    """The registry with filters; pages stop at ``MAX_LIST_ROWS`` rows."""
    qs = scope_queryset(Enterprise.objects.select_related("region"), request.user, Action.VIEW)
    filterset = EnterpriseFilterSet(request.GET or None, queryset=qs)
    results = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    if not results.ordered:
        results = results.order_by("name", "pk")
    paginator = CappedPaginator(results, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/enterprise_list.html",
        {
            "filterset": filterset,
            "page": page,
            "paginator": paginator,
            "max_rows": MAX_LIST_ROWS,
            "query": query.urlencode(),
        },
    )


@login_required
def enterprise_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    """All registration fields, name history and, for reviewers, the audit timeline."""
    enterprise = _enterprise_for(request, uscc)
    timeline = list(enterprise_timeline(enterprise, request.user)[:TIMELINE_LIMIT])
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "name_history": enterprise.name_history.all(),
            "timeline": timeline,
            "show_timeline": may_read_audit(request.user),
            "may_change": can(request.user, Action.CHANGE, enterprise),
        },
    )


@login_required
def enterprise_edit(request: HttpRequest, uscc: str) -> HttpResponse:
    """Correct registration fields through :func:`~.services.update_enterprise` (administrators)."""
    enterprise = _enterprise_for(request, uscc, write=True)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        # ModelForm validation wrote the new values onto the instance; the
        # service reloads the row itself, so hand it a fresh copy.
        fresh = _enterprise_for(request, uscc, write=True)
        try:
            update_enterprise(fresh, form.changes(), actor=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("enterprises:enterprise-detail", uscc=fresh.uscc)
    return render(
        request,
        "enterprises/enterprise_form.html",
        {"enterprise": enterprise, "form": form, "rename_form": RenameForm()},
    )


@login_required
@require_POST
def enterprise_rename(request: HttpRequest, uscc: str) -> HttpResponse:
    """Rename through :func:`~.services.rename_enterprise`, keeping the old name in history."""
    enterprise = _enterprise_for(request, uscc, write=True)
    rename_form = RenameForm(request.POST)
    if rename_form.is_valid():
        try:
            rename_enterprise(
                enterprise,
                rename_form.cleaned_data["new_name"],
                effective_on=rename_form.cleaned_data["effective_on"],
                actor=request.user,
            )
        except DomainError as exc:
            rename_form.add_error(None, exc.message)
        else:
            messages.success(request, _("已更名。"))
            return redirect("enterprises:enterprise-detail", uscc=enterprise.uscc)
    form = EnterpriseForm(instance=enterprise, user=request.user)
    context: dict[str, Any] = {"enterprise": enterprise, "form": form, "rename_form": rename_form}
    return render(request, "enterprises/enterprise_form.html", context, status=400)
