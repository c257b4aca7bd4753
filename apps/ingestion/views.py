"""Staff pages of ingestion: upload with preview, submissions, problem-data queue.

Every object is reached through the scoping functions: another department's
submission or row does not exist for the viewer (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.catalogue.selectors import resources_supplied_by
from apps.enterprises.choices import RecordChannel
from apps.organizations.scoping import get_object_for_user, scope_queryset

from . import services
from .forms import UploadForm, WithdrawForm, correction_form_class
from .models import RejectedRow, RowStatus, Submission, SubmissionStatus

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
        request.POST or None, request.FILES or None, resources=resources_supplied_by(department)
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
    page = Paginator(qs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ingestion/submission_list.html", {"page": page})


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One submission: status, progress, counts and its rejected rows with every problem."""
    submission = get_object_for_user(
        Submission.objects.select_related("department", "resource"), request.user, pk=pk
    )
    rows = Paginator(submission.rejected_rows.order_by("row_number", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "ingestion/submission_detail.html", {"submission": submission, "rows": rows}
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
    return render(request, "ingestion/problem_list.html", {"page": page})


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
