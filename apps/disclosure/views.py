"""Portal pages for objections, announcements, bulk list downloads and portal API keys.

Public pages (no sign-in): submit an objection, its receipt, the status
look-up, announcements and the CSV downloads. Staff pages: the department's
objection queue and answer page (scoped through
``apps.organizations.scoping``: another department's objection answers 404)
and, for provincial administrators, the portal API keys.

The portal's search, profile and PDF pages are in other modules of this app.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, BaseThrottle
from rest_framework.views import APIView

from apps.catalogue.choices import MaskingRule
from apps.catalogue.masking import mask_value
from apps.core.api.serializers import ThrottledSerializer
from apps.core.exceptions import DomainError
from apps.core.panels import Panel
from apps.organizations.choices import Action, Role
from apps.organizations.scoping import can, get_object_for_user, principal_role, scope_queryset

from . import services
from .api.keys import PortalKeyAuthentication, PortalKeyThrottle, usage_today
from .forms import ObjectionAnswerForm, ObjectionForm, ObjectionLookupForm, PortalKeyForm
from .models import (
    ChangeEvent,
    ChangeEventKind,
    Objection,
    ObjectionAttachment,
    ObjectionStatus,
    PortalApiKey,
)

PAGE_SIZE = 50
RECEIPT_SESSION_KEY = "disclosure_objection_receipt"

# Per client address: objections submitted per hour, and status look-ups per
# ten minutes (a look-up needs a secret, the limit stops guessing phones).
SUBMIT_LIMIT = (10, 3600)
LOOKUP_LIMIT = (20, 600)


def _client_address(request: HttpRequest) -> str:
    """The client as the public API's throttles identify it (DRF's ``get_ident``).

    Behind the production proxy ``REMOTE_ADDR`` is the proxy for everyone, so
    counting it would put every visitor in one bucket; ``get_ident`` reads
    ``X-Forwarded-For`` as REST_FRAMEWORK's ``NUM_PROXIES`` says, as the API does.
    """
    return (BaseThrottle().get_ident(request) or "unknown")[:200]


def _over_limit(request: HttpRequest, name: str, limit: tuple[int, int]) -> bool:
    """Count one attempt for this client; True when over ``limit`` (count, seconds)."""
    count, seconds = limit
    window = int(timezone.now().timestamp() // seconds)
    key = f"disclosure:{name}:{_client_address(request)}:{window}"
    if cache.add(key, 1, seconds):
        return False
    try:
        return cache.incr(key) > count
    except ValueError:
        return False


def seconds_left(seconds: int) -> int:
    """Seconds until the current fixed window of ``seconds`` ends (for ``Retry-After``)."""
    return max(1, seconds - int(timezone.now().timestamp()) % seconds)


def _too_many(request: HttpRequest, seconds: int) -> HttpResponse:
    response = render(request, "disclosure/objections/too_many.html", status=429)
    response["Retry-After"] = str(seconds)
    return response


def mask_email(value: str) -> str:
    """``ab****@example.com``: the domain stays, the mailbox keeps its first character."""
    if not value or "@" not in value:
        return mask_value(value, MaskingRule.FULL) if value else ""
    mailbox, domain = value.split("@", 1)
    return f"{mailbox[:1]}***@{domain}"


def masked_contact(objection: Objection) -> dict[str, str]:
    """The objector's contact details as staff lists show them."""
    return {
        "name": mask_value(objection.objector_name, MaskingRule.PERSON_NAME),
        "phone": mask_value(objection.objector_phone, MaskingRule.PHONE),
        "email": mask_email(objection.objector_email),
    }


# --- public: submit, receipt, status -------------------------------------------------------


def objection_create(request: HttpRequest) -> HttpResponse:
    """Object to one record of a public profile (``?enterprise=&resource=&record=``)."""
    try:
        target = services.find_disputed_record(
            request.GET.get("enterprise", ""),
            request.GET.get("resource", ""),
            request.GET.get("record", ""),
        )
    except DomainError as exc:
        return render(
            request, "disclosure/objections/bad_target.html", {"message": exc.message}, status=400
        )
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if _over_limit(request, "objection-submit", SUBMIT_LIMIT):
            return _too_many(request, SUBMIT_LIMIT[1])
        if form.is_valid():
            data = form.cleaned_data
            submitted = services.submit_objection(
                target,
                objector_name=data["objector_name"],
                objector_phone=data["objector_phone"],
                objector_email=data["objector_email"],
                content=data["content"],
                attachments=data["attachments"],
            )
            request.session[RECEIPT_SESSION_KEY] = {
                "reference": submitted.objection.reference,
                "code": submitted.verification_code,
            }
            return redirect("disclosure:objection-submitted")
    return render(request, "disclosure/objections/form.html", {"form": form, "target": target})


def objection_submitted(request: HttpRequest) -> HttpResponse:
    """The receipt: reference number and verification code, shown once."""
    receipt = request.session.pop(RECEIPT_SESSION_KEY, None)
    if not receipt:
        return redirect("disclosure:objection-lookup")
    objection = Objection.objects.select_related("department").get(reference=receipt["reference"])
    return render(
        request,
        "disclosure/objections/submitted.html",
        {"objection": objection, "code": receipt["code"]},
    )


def objection_lookup(request: HttpRequest) -> HttpResponse:
    """The objector looks up the status with the reference and the code (or phone); POST only."""
    form = ObjectionLookupForm(request.POST or None)
    objection = None
    not_found = False
    if request.method == "POST":
        if _over_limit(request, "objection-lookup", LOOKUP_LIMIT):
            return _too_many(request, LOOKUP_LIMIT[1])
        if form.is_valid():
            objection = services.find_objection_for_objector(
                form.cleaned_data["reference"], form.cleaned_data["code"]
            )
            not_found = objection is None
    return render(
        request,
        "disclosure/objections/lookup.html",
        {"form": form, "objection": objection, "not_found": not_found},
    )


# --- staff: queue and answer ---------------------------------------------------------------


@login_required
def objection_list(request: HttpRequest) -> HttpResponse:
    """The objection queue of the viewer's scope (a department sees its own)."""
    qs = scope_queryset(Objection.objects.select_related("department"), request.user)
    status = request.GET.get("status", ObjectionStatus.PENDING)
    if status in ObjectionStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    if request.GET.get("overdue") == "1":
        qs = qs.overdue()
    query = (request.GET.get("q") or "").strip()[:64]
    if query:
        qs = qs.filter(
            Q(reference__iexact=query)
            | Q(enterprise_uscc__iexact=query)
            | Q(enterprise_name__contains=query)
        )
    page = Paginator(qs.order_by("due_date", "submitted_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(item, masked_contact(item)) for item in page]
    return render(
        request,
        "disclosure/objections/list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": ObjectionStatus.choices,
            "overdue": request.GET.get("overdue") == "1",
            "q": query,
            "today": timezone.localdate(),
        },
    )


@login_required
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One objection; its department answers it here (corrected, or rejected with reasons)."""
    objection = get_object_for_user(
        Objection.objects.select_related("department", "answered_by", "enterprise"),
        request.user,
        write=request.method == "POST",
        pk=pk,
    )
    may_answer = objection.is_open and can(request.user, Action.CHANGE, objection)
    form = ObjectionAnswerForm(request.POST or None)
    if request.method == "POST":
        if not objection.is_open:
            messages.error(request, gettext("该异议已经答复，不能再次答复。"))
            return redirect("disclosure:objection-detail", pk=objection.pk)
        if form.is_valid():
            try:
                services.answer_objection(
                    objection,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, gettext("已答复异议 %(ref)s。") % {"ref": objection})
                return redirect("disclosure:objection-detail", pk=objection.pk)
    # The department handling the objection needs the full contact details;
    # everyone else (auditors, administrators reading) sees them masked.
    contact = (
        {
            "name": objection.objector_name,
            "phone": objection.objector_phone,
            "email": objection.objector_email,
        }
        if can(request.user, Action.CHANGE, objection)
        else masked_contact(objection)
    )
    return render(
        request,
        "disclosure/objections/detail.html",
        {
            "objection": objection,
            "attachments": list(objection.attachments.all()),
            "contact": contact,
            "form": form,
            "may_answer": may_answer,
            "overdue": objection.is_overdue(),
        },
    )


@login_required
def objection_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Download one attachment (scoped like its objection; always as a download)."""
    attachment = get_object_for_user(
        ObjectionAttachment.objects.all(), request.user, pk=attachment_pk, objection_id=pk
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def objection_panel(request: HttpRequest) -> Panel | None:
    """Home-page panel: open and overdue objections in the viewer's scope."""
    user = request.user
    if principal_role(user) is None:
        return None
    qs = scope_queryset(Objection.objects.open(), user)
    today = timezone.localdate()
    counts = qs.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    if not counts["open"] and principal_role(user) not in (
        Role.DEPARTMENT_STAFF,
        Role.DEPARTMENT_LIAISON,
    ):
        return None
    nearest = list(qs.select_related("department").order_by("due_date", "pk")[:5])
    return Panel(
        "disclosure/objections/_home_panel.html",
        {"open": counts["open"], "overdue": counts["overdue"], "nearest": nearest, "today": today},
    )


# --- public: announcements -----------------------------------------------------------------


def announcement_list(request: HttpRequest) -> HttpResponse:
    """Announcements: catalogue changes, list inclusions and removals (newest first)."""
    qs = ChangeEvent.objects.all()
    kind = request.GET.get("kind", "")
    if kind in ChangeEventKind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(qs.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "disclosure/announcements/list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": ChangeEventKind.choices,
            "list_events_available": bool(services.list_event_sources()),
        },
    )


# --- public: bulk list downloads -----------------------------------------------------------


def list_downloads(request: HttpRequest) -> HttpResponse:
    """The public lists offered as CSV downloads."""
    return render(
        request, "disclosure/announcements/lists.html", {"resources": services.list_resources()}
    )


class _Echo:
    """A file-like object whose write() returns the line (for streaming csv.writer)."""

    def write(self, value: str) -> str:
        return value


class CsvRenderer(renderers.BaseRenderer):
    """Lets clients ask for ``Accept: text/csv``; errors are rendered as one text line."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if isinstance(data, dict):
            return str(data.get("detail", data)).encode("utf-8")
        return str(data or "").encode("utf-8")


class BulkDownloadThrottle(AnonRateThrottle):
    """Anonymous bulk downloads: a few whole lists per hour per client address."""

    scope = "public_bulk"
    rate = "20/hour"

    def get_rate(self) -> str:
        return self.rate


class ListCsvView(APIView):
    """Download one public list (e.g. 经营异常名录 JYYC) as CSV.

    Only entries the list's store shows publicly today, only the fields the
    catalogue marks public, masked by their rule; cells starting with
    ``= + - @`` are neutralised. Streams row by row. Anonymous clients are
    limited per address; key holders count against their key's quota.
    """

    authentication_classes = [PortalKeyAuthentication]
    permission_classes: list = []
    throttle_classes = [BulkDownloadThrottle, PortalKeyThrottle]
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    @extend_schema(
        operation_id="public_list_csv",
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            404: OpenApiResponse(description="没有该名单"),
            429: OpenApiResponse(ThrottledSerializer, description="请求过于频繁"),
        },
        tags=["public"],
    )
    def get(self, request: Request, code: str) -> StreamingHttpResponse:
        resource = next((r for r in services.list_resources() if r.code == code), None)
        if resource is None:
            raise Http404(gettext("没有名为 %(code)s 的公示名单。") % {"code": code[:32]})
        writer = csv.writer(_Echo())
        today = timezone.localdate()

        def lines() -> Iterator[str]:
            yield "\ufeff"  # BOM: spreadsheet programs then read the file as UTF-8.
            for row in services.public_list_rows(resource, on=today):
                yield writer.writerow(row)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{code}-{today:%Y%m%d}.csv"'
        return response


# --- staff: portal API keys ----------------------------------------------------------------


def _may_view_keys(user: Any) -> bool:
    return principal_role(user) in (Role.PROVINCE_ADMIN, Role.AUDITOR)


def _may_issue_keys(user: Any) -> bool:
    return principal_role(user) == Role.PROVINCE_ADMIN and getattr(user, "pk", None) is not None


@login_required
def key_list(request: HttpRequest) -> HttpResponse:
    """Portal API keys (provincial administrators issue and revoke; auditors read)."""
    if not _may_view_keys(request.user):
        raise Http404(gettext("没有该页面。"))
    qs = scope_queryset(PortalApiKey.objects.select_related("created_by"), request.user)
    page = Paginator(qs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(key, usage_today(key), mask_email(key.contact_email)) for key in page]
    return render(
        request,
        "disclosure/objections/key_list.html",
        {"page": page, "rows": rows, "may_issue": _may_issue_keys(request.user)},
    )


@login_required
def key_create(request: HttpRequest) -> HttpResponse:
    """Issue a key; the full key is shown once on the answer page."""
    if not _may_view_keys(request.user):
        raise Http404(gettext("没有该页面。"))
    if not _may_issue_keys(request.user):
        raise PermissionDenied(gettext("只有省级管理员可以签发公示接口密钥。"))
    form = PortalKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issued = services.issue_portal_key(**form.cleaned_data, actor=request.user)
        response = render(
            request,
            "disclosure/objections/key_created.html",
            {"key": issued.key, "secret": issued.secret},
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "disclosure/objections/key_form.html", {"form": form})


@login_required
@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a key at once."""
    if not _may_view_keys(request.user):
        raise Http404(gettext("没有该页面。"))
    key = get_object_for_user(PortalApiKey.objects.all(), request.user, write=True, pk=pk)
    services.revoke_portal_key(key, actor=request.user)
    messages.success(request, gettext("已吊销密钥 %(key)s。") % {"key": key})
    return redirect("disclosure:key-list")
