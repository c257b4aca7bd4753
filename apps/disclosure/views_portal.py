"""Public portal pages: search, profile, print view and PDF credit report (no login).

Each client address may load :data:`PAGE_LIMIT` pages and :data:`PDF_LIMIT`
PDF reports per minute (the API has its own throttles and keys for heavy
users); over that the page answers 429 with ``Retry-After``. Scrapers hit
these pages as much as the API (BRIEF.md 8: gsxt blocks heavy users by address).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .pdf import render_profile_pdf
from .profile import Profile, build_profile, find_public_enterprise
from .search import MAX_RESULTS, MAX_TERM_LENGTH, PAGE_SIZE, SearchError, search_page
from .views import _over_limit, _too_many, seconds_left

# (requests, seconds) per client address: pages are cheap (p95 under 30 ms),
# a PDF costs about ten times a page.
PAGE_LIMIT = (120, 60)
PDF_LIMIT = (20, 60)


def _limited(request: HttpRequest, name: str, limit: tuple[int, int]) -> HttpResponse | None:
    """A 429 page when this client is over ``limit`` for ``name``, else None (one is counted)."""
    if _over_limit(request, name, limit):
        return _too_many(request, seconds_left(limit[1]))
    return None


def _today():
    return timezone.localdate()


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The search box and one page of results; bad input answers 400 with the reason."""
    if (refused := _limited(request, "portal-page", PAGE_LIMIT)) is not None:
        return refused
    raw_term = request.GET.get("q", "")
    context = {
        "term": raw_term[: MAX_TERM_LENGTH * 2],
        "max_results": MAX_RESULTS,
        "page_size": PAGE_SIZE,
        "max_length": MAX_TERM_LENGTH,
        "searched": "q" in request.GET,
    }
    try:
        result = search_page(raw_term, request.GET.get("page"), on=_today())
    except SearchError as error:
        context["error"] = error.message
        return render(request, "disclosure/portal/search.html", context, status=400)
    context["result"] = result
    context["term"] = result.term
    return render(request, "disclosure/portal/search.html", context)


def _profile_or_404(uscc: str) -> Profile:
    enterprise = find_public_enterprise(uscc)
    if enterprise is None:
        raise Http404("no public entity with this code")
    return build_profile(enterprise, on=_today())


@require_GET
def profile(request: HttpRequest, uscc: str) -> HttpResponse:
    """One entity's public credit profile."""
    if (refused := _limited(request, "portal-page", PAGE_LIMIT)) is not None:
        return refused
    return render(request, "disclosure/portal/profile.html", {"profile": _profile_or_404(uscc)})


@require_GET
def profile_print(request: HttpRequest, uscc: str) -> HttpResponse:
    """The profile laid out for printing (no navigation, every section open)."""
    if (refused := _limited(request, "portal-page", PAGE_LIMIT)) is not None:
        return refused
    return render(
        request,
        "disclosure/portal/profile_print.html",
        {"profile": _profile_or_404(uscc), "generated_at": timezone.localtime()},
    )


@require_GET
def profile_pdf(request: HttpRequest, uscc: str) -> HttpResponse:
    """The profile as a downloadable PDF credit report (generated locally, no network)."""
    if (refused := _limited(request, "portal-pdf", PDF_LIMIT)) is not None:
        return refused
    data = _profile_or_404(uscc)
    response = HttpResponse(render_profile_pdf(data), content_type="application/pdf")
    filename = f"credit-report-{data.enterprise.uscc}-{data.on:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
