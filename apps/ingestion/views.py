"""Staff pages of ingestion: upload with preview, submissions, problem-data queue.

Every object is reached through the scoping functions: another department's
submission or row does not exist for the viewer (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from apps.catalogue.models import Resource
from apps.catalogue.selectors import resources_supplied_by
from apps.catalogue.validation import validator_for
from apps.core.uscc import load_allow_list
from apps.enterprises.choices import RecordChannel
from apps.organizations.scoping import get_object_for_user, scope_queryset

from . import exports, services
from .filters import SubmissionFilterSet
from .forms import (
    ChooseResourceForm,
    UploadForm,
    WithdrawForm,
    correction_form_class,
    record_form_class,
)
from .models import HeldRow, RejectedRow, RowStatus, Submission, SubmissionStatus
from .rowchecks import RowRules, today_in_hainan

PAGE_SIZE = 50


def _department(request: HttpRequest):
    department = getattr(request.user, "department", None)
    if department is None:
        raise Http404(_("只有部门账号可以报送数据。"))
    return department


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a file for one supplied resource; it is stored and previewed, not yet processed."""
    department = _department(request)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        resources=resources_supplied_by(department),
        initial={"resource": request.GET.get("resource")},
    )
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        submission = services.create_submission(
            department=department,
            resource=form.cleaned_data["resource"],
            content=upload_file.read(),
            filename=upload_file.name,
            content_type=upload_file.content_type or "",
            channel=RecordChannel.FILE,
            actor=request.user,
            dry_run=True,
        )
        return redirect("ingestion:submission-preview", pk=submission.pk)
    return render(request, "ingestion/upload.html", {"form": form})


@login_required
def submission_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The first rows of an uploaded file with every problem; confirm to run the whole file."""
    submission = get_object_for_user(Submission.objects.all(), request.user, pk=pk)
    if request.method == "POST":
        submission = get_object_for_user(Submission.objects.all(), request.user, write=True, pk=pk)
        services.confirm_submission(submission, actor=request.user)
        messages.success(request, _("已确认，正在后台处理。"))
        return redirect("ingestion:submission-detail", pk=submission.pk)
    preview = services.preview_submission(submission)
    return render(
        request,
        "ingestion/preview.html",
        {
            "submission": submission,
            "preview": preview,
            "limit": services.PREVIEW_ROWS,
            "can_confirm": submission.status == SubmissionStatus.DRY_RUN
            and not preview["missing"]
            and not preview["error"],
        },
    )


@login_required
def submission_list(request: HttpRequest) -> HttpResponse:
    """Submissions in the viewer's scope, newest first."""
    qs = scope_queryset(Submission.objects.select_related("department", "resource"), request.user)
    filters = SubmissionFilterSet(request.GET or None, queryset=qs)
    rows = filters.qs if filters.is_bound and filters.is_valid() else qs
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ingestion/submission_list.html",
        {"page": page, "filters": filters, "query": query.urlencode()},
    )


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One submission: status, progress, counts and its rejected rows with every problem."""
    submission = get_object_for_user(
        Submission.objects.select_related("department", "resource"), request.user, pk=pk
    )
    rows = Paginator(submission.rejected_rows.order_by("row_number", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    held = submission.held_rows.order_by("row_number", "pk")[:PAGE_SIZE]
    return render(
        request,
        "ingestion/submission_detail.html",
        {
            "submission": submission,
            "rows": rows,
            "held": held,
            "status_url": reverse("ingestion:submission-status", args=[submission.pk]),
        },
    )


@login_required
@require_GET
def submission_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Progress of a submission as JSON, polled by the progress bar of its page."""
    submission = get_object_for_user(Submission.objects.all(), request.user, pk=pk)
    return JsonResponse(
        {
            "id": submission.pk,
            "status": submission.status,
            "status_display": str(submission.get_status_display()),
            "running": submission.is_running,
            "progress": submission.progress,
            "total": submission.total,
            "percent": submission.percent,
            "created": submission.created_count,
            "updated": submission.updated_count,
            "unchanged": submission.unchanged_count,
            "rejected": submission.rejected_count,
            "held": submission.held_count,
            "error": submission.error,
        }
    )


@login_required
def record_entry(request: HttpRequest) -> HttpResponse:
    """Web-form channel, step 1: choose one of the resources the department supplies."""
    department = _department(request)
    form = ChooseResourceForm(request.GET or None, resources=resources_supplied_by(department))
    if request.GET and form.is_valid():
        return redirect("ingestion:record-form", resource_id=form.cleaned_data["resource"].pk)
    return render(request, "ingestion/record_choose.html", {"form": form})


def _problem_message(problem: dict) -> str:
    english = (get_language() or "").startswith("en")
    return str(problem.get("message_en" if english else "message_zh") or problem.get("rule"))


@login_required
def record_form(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Web-form channel, step 2: one record, checked by the catalogue validator field by field.

    A record without problems is stored as a submission (channel ``form``) and
    goes through the same pipeline as a file; the page then shows its outcome.
    """
    department = _department(request)
    resource = get_object_or_404(resources_supplied_by(department), pk=resource_id)
    version = resource.current_version
    if version is None:
        raise Http404(_("该信息资源尚未发布。"))
    form = record_form_class(version)(request.POST or None)
    if request.method == "POST":
        form.is_valid()  # presence and length, per field
        # The catalogue validator judges every value given, valid for Django or not.
        values = {
            code: text.strip()
            for code in form.fields
            if (text := form.data.get(code)) is not None and text.strip()
        }
        result = validator_for(version).validate(values, allow_list=load_allow_list())
        problems = services.problems_of(result, values)
        if not problems:
            problems = RowRules.for_version(version).value_problems(
                1, result.values, today_in_hainan()
            )
        for problem in problems:
            field = problem["field"] if problem["field"] in form.fields else None
            if field is None or field not in form.errors:
                form.add_error(field, _problem_message(problem))
            elif problem["rule"] != "required":
                form.errors[field].append(_problem_message(problem))
        if not problems and form.is_valid():
            submission = services.submit_form_record(
                department=department, resource=resource, values=values, actor=request.user
            )
            messages.success(request, _("已提交，正在入库。"))
            return redirect("ingestion:submission-detail", pk=submission.pk)
    return render(
        request,
        "ingestion/record_form.html",
        {"form": form, "resource": resource, "version": version},
    )


@login_required
def problem_list(request: HttpRequest) -> HttpResponse:
    """The problem-data queue: open rejected rows in the viewer's scope."""
    qs = scope_queryset(
        RejectedRow.objects.select_related("submission__resource", "submission__department"),
        request.user,
    ).filter(status=RowStatus.OPEN)
    page = Paginator(qs.order_by("-submission_id", "row_number", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    per_resource = (
        qs.values("submission__resource_id", "submission__resource__code")
        .annotate(n=Count("pk"))
        .order_by("submission__resource__code")
    )
    held = scope_queryset(
        HeldRow.objects.select_related("submission__resource"), request.user
    ).filter(status=RowStatus.OPEN)
    return render(
        request,
        "ingestion/problem_list.html",
        {
            "page": page,
            "per_resource": per_resource,
            "held": held.order_by("-submission_id", "row_number")[:PAGE_SIZE],
            "held_count": held.count(),
        },
    )


@login_required
@require_GET
def problem_export(request: HttpRequest) -> FileResponse:
    """Download the open rejected rows of one resource as Excel, with an error column.

    Fix the cells and upload the file again (upload page): rows that load or
    are held close their queue entries (the 问题行编号 column).
    """
    resource = get_object_or_404(Resource, pk=request.GET.get("resource") or 0)
    rows = (
        scope_queryset(RejectedRow.objects.all(), request.user)
        .filter(status=RowStatus.OPEN, submission__resource=resource)
        .order_by("submission_id", "row_number", "pk")
    )
    if resource.current_version is None:
        raise Http404(_("该信息资源尚未发布。"))
    handle = exports.problem_workbook(
        resource.current_version,
        rows.iterator(chunk_size=2000),
        english=(get_language() or "").startswith("en"),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"problems-{resource.code}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def problem_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a rejected row in a form generated from its catalogue version; re-validate; load."""
    row = get_object_for_user(
        RejectedRow.objects.select_related("submission__resource_version"),
        request.user,
        write=request.method == "POST",
        pk=pk,
        status=RowStatus.OPEN,
    )
    form_class = correction_form_class(row.submission.resource_version)
    form = form_class(request.POST or None, initial=row.raw_values)
    problems = row.problems
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
        problems = services.correct_rejected_row(row, values, actor=request.user)
        if not problems:
            messages.success(request, _("已更正并入库。"))
            return redirect("ingestion:problem-list")
    return render(
        request,
        "ingestion/problem_correct.html",
        {"row": row, "form": form, "problems": problems, "withdraw": WithdrawForm()},
    )


@login_required
@require_POST
def problem_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a rejected row with a reason."""
    row = get_object_for_user(
        RejectedRow.objects.all(), request.user, write=True, pk=pk, status=RowStatus.OPEN
    )
    form = WithdrawForm(request.POST)
    if form.is_valid():
        services.withdraw_rejected_row(row, reason=form.cleaned_data["reason"], actor=request.user)
        messages.success(request, _("已撤回。"))
    else:
        messages.error(request, _("请填写撤回理由。"))
    return redirect("ingestion:problem-list")
