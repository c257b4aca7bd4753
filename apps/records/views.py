"""Staff pages of generic records: a filtered list and a detail with revision history.

Scoped by department (``GenericRecord.scope_rule``): a record of another
department does not exist for the viewer (404). Read-only pages: records
change only by loading submissions.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.organizations.scoping import get_object_for_user

from .filters import GenericRecordFilterSet
from .selectors import labelled_payload, revisions_of, visible_generic_records

PAGE_SIZE = 50


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    """Generic records in the viewer's scope, filtered, newest decision first."""
    qs = visible_generic_records(request.user)
    filterset = GenericRecordFilterSet(request.GET or None, queryset=qs)
    results = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    results = results.order_by("-decision_date", "-pk")
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "records/record_list.html",
        {"filterset": filterset, "page": page, "query": query.urlencode()},
    )


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One record: provenance, the payload labelled from its catalogue version, revisions."""
    record = get_object_for_user(visible_generic_records(request.user), request.user, pk=pk)
    return render(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "payload": labelled_payload(record),
            "revisions": list(revisions_of(record)),
        },
    )
