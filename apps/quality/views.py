"""Staff pages of data quality: dashboards, issues, coverage, feeds, sampling checks, notices.

Every figure is scoped (:mod:`apps.quality.selectors`) and links to what is
behind it: the issue list filtered to the department, region, rule or
dimension, or the records list of the department and resource.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.organizations.choices import Role
from apps.organizations.models import Department, Region
from apps.organizations.scoping import principal_role

from . import selectors, services
from .choices import RECORD_DIMENSIONS, Dimension, IssueStatus, PeriodKind, ScopeKind
from .forms import (
    CompleteForm,
    IssueFilterForm,
    RankingNoticeForm,
    ReviewForm,
    SamplingCheckForm,
    default_check_dates,
)
from .models import RankingNotice, SamplingCheck
from .scoring import Period, feed_status

PAGE_SIZE = 50
DIMENSIONS = [*RECORD_DIMENSIONS, Dimension.COMPREHENSIVENESS]


def _province_only(request: HttpRequest) -> None:
    if principal_role(request.user) != Role.PROVINCE_ADMIN:
        raise PermissionDenied(_("只有省级管理员可以执行该操作。"))


def _period(request: HttpRequest) -> tuple[Period | None, list[Period]]:
    kind = request.GET.get("kind") or PeriodKind.MONTH
    if kind not in PeriodKind.values:
        kind = PeriodKind.MONTH
    periods = selectors.computed_periods(kind)
    chosen = Period.parse(request.GET.get("period", ""))
    if chosen is None or chosen.kind != kind:
        chosen = periods[0] if periods else None
    return chosen, periods


def _f(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _issues_url(**params: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items() if v not in (None, ""))
    return reverse("quality:issue-list") + (f"?{query}" if query else "")


def _bar(cards: list[Any], label: Any, name: Any, link: Any) -> dict[str, Any]:
    """A horizontal bar chart of scores coloured by band, each bar linking to its issues."""
    return {
        "type": "bar",
        "horizontal": True,
        "max": 100,
        "labels": [name(card) for card in cards],
        "datasets": [
            {
                "label": str(label),
                "data": [_f(card.score) for card in cards],
                "colors": [card.band_colour or "#2f6db5" for card in cards],
            }
        ],
        "links": [link(card) for card in cards],
    }


def _dimension_chart(card: Any, link: Any) -> dict[str, Any]:
    return {
        "type": "bar",
        "max": 100,
        "labels": [str(Dimension(d).label) for d in DIMENSIONS],
        "datasets": [
            {"label": str(_("达标率（%）")), "data": [_f(getattr(card, d)) for d in DIMENSIONS]}
        ],
        "links": [link(d) for d in DIMENSIONS],
    }


def _trend_chart(cards: list[Any], link: Any) -> dict[str, Any]:
    return {
        "type": "line",
        "max": 100,
        "labels": [Period.containing(c.period_kind, c.period_start).key for c in cards],
        "datasets": [{"label": str(_("综合得分")), "data": [_f(c.score) for c in cards]}],
        "links": [link(c) for c in cards],
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Province overview; city/county administrators and department staff go to their own view."""
    role = principal_role(request.user)
    if role == Role.REGION_ADMIN and request.user.region_id:
        return redirect("quality:region", code=request.user.region.code)
    if role in (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LIAISON) and request.user.department_id:
        return redirect("quality:department", code=request.user.department.code)
    if not selectors.sees_everything(request.user):
        raise PermissionDenied(_("您没有查看数据质量的权限。"))
    period, periods = _period(request)
    context: dict[str, Any] = {"period": period, "periods": periods}
    if period is not None:
        province = selectors.period_cards(request.user, period, ScopeKind.PROVINCE).first()
        regions = list(
            selectors.period_cards(request.user, period, ScopeKind.REGION).order_by("rank", "pk")
        )
        departments = list(
            selectors.period_cards(request.user, period, ScopeKind.DEPARTMENT).order_by(
                "rank", "pk"
            )
        )
        coverage = selectors.coverage_figures(period).filter(resource_code="")
        received = period.key
        context.update(
            province=province,
            regions=regions,
            departments=departments,
            coverage=list(coverage),
            province_coverage=next((c for c in coverage if c.is_province), None),
            region_chart=_bar(
                regions,
                _("市县综合得分"),
                lambda c: c.region.name,
                lambda c: reverse("quality:region", args=[c.region.code]) + f"?period={received}",
            ),
            department_chart=_bar(
                departments[:15] + departments[-15:] if len(departments) > 30 else departments,
                _("部门综合得分"),
                lambda c: c.department.name,
                lambda c: (
                    reverse("quality:department", args=[c.department.code]) + f"?period={received}"
                ),
            ),
            dimension_chart=_dimension_chart(
                province, lambda d: _issues_url(dimension=d, period=received, status="open")
            )
            if province
            else None,
            trend_chart=_trend_chart(
                selectors.trend(request.user, period.kind, ScopeKind.PROVINCE),
                lambda c: (
                    reverse("quality:home")
                    + f"?period={Period.containing(c.period_kind, c.period_start).key}&kind={c.period_kind}"
                ),
            ),
        )
    return render(request, "quality/home.html", context)


@login_required
def region_view(request: HttpRequest, code: str) -> HttpResponse:
    """A city/county: its score, its departments ranked, coverage per resource, trend."""
    region = get_object_or_404(Region, code=code)
    if not selectors.may_see_region(request.user, region):
        raise Http404
    period, periods = _period(request)
    context: dict[str, Any] = {"region": region, "period": period, "periods": periods}
    if period is not None:
        card = selectors.period_cards(request.user, period, ScopeKind.REGION, region=region).first()
        subtree = Region.objects.filter(pk=region.pk) | Region.objects.filter(parent=region)
        departments = list(
            selectors.period_cards(request.user, period, ScopeKind.DEPARTMENT)
            .filter(department__region__in=subtree)
            .order_by("rank", "pk")
        )
        received = period.key
        context.update(
            card=card,
            departments=departments,
            coverage=list(selectors.coverage_figures(period, region=region)),
            department_chart=_bar(
                departments,
                _("部门综合得分"),
                lambda c: c.department.name,
                lambda c: (
                    reverse("quality:department", args=[c.department.code]) + f"?period={received}"
                ),
            ),
            dimension_chart=_dimension_chart(
                card,
                lambda d: _issues_url(region=code, dimension=d, period=received, status="open"),
            )
            if card
            else None,
            trend_chart=_trend_chart(
                selectors.trend(request.user, period.kind, ScopeKind.REGION, region=region),
                lambda c: (
                    reverse("quality:region", args=[code])
                    + f"?period={Period.containing(c.period_kind, c.period_start).key}&kind={c.period_kind}"
                ),
            ),
        )
    return render(request, "quality/region.html", context)


@login_required
def department_view(request: HttpRequest, code: str) -> HttpResponse:
    """A department: its rates per dimension, trend, open issues by rule, feed status."""
    department = get_object_or_404(Department.objects.select_related("region"), code=code)
    if not selectors.may_see_department(request.user, department):
        raise Http404
    period, periods = _period(request)
    issues = selectors.visible_issues(request.user).filter(department=department)
    context: dict[str, Any] = {
        "department": department,
        "period": period,
        "periods": periods,
        "by_rule": selectors.issue_counts_by_rule(issues),
        "feeds": feed_status(department_ids=[department.pk]),
        "records_url": selectors.records_url(department.pk),
    }
    if period is not None:
        card = selectors.period_cards(
            request.user, period, ScopeKind.DEPARTMENT, department=department
        ).first()
        received = period.key
        context.update(
            card=card,
            dimension_chart=_dimension_chart(
                card,
                lambda d: _issues_url(department=code, dimension=d, period=received, status="open"),
            )
            if card
            else None,
            trend_chart=_trend_chart(
                selectors.trend(
                    request.user, period.kind, ScopeKind.DEPARTMENT, department=department
                ),
                lambda c: (
                    reverse("quality:department", args=[code])
                    + f"?period={Period.containing(c.period_kind, c.period_start).key}&kind={c.period_kind}"
                ),
            ),
        )
    return render(request, "quality/department.html", context)


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    """Issues in the viewer's scope, filtered; each row links to its record."""
    form = IssueFilterForm(request.GET or None)
    qs = selectors.visible_issues(request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["department"]:
            qs = qs.filter(department__code=data["department"])
        if data["region"]:
            qs = qs.filter(department__region__code=data["region"]) | qs.filter(
                department__region__parent__code=data["region"]
            )
        if data["rule"]:
            qs = qs.filter(rule=data["rule"])
        if data["dimension"]:
            qs = qs.filter(dimension=data["dimension"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["resource_code"]:
            qs = qs.filter(resource_code=data["resource_code"])
        period = Period.parse(data["period"]) if data["period"] else None
        if period:
            qs = qs.filter(received_on__gte=period.start, received_on__lte=period.end)
    page = Paginator(qs.order_by("-last_seen_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for issue in page.object_list:
        issue.record_link = selectors.record_url(issue.content_type, issue.object_id)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quality/issue_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "open": IssueStatus.OPEN},
    )


@login_required
def coverage_view(request: HttpRequest) -> HttpResponse:
    """Coverage of the province and each city/county against the target, per resource."""
    period, periods = _period(request)
    figures = list(selectors.coverage_figures(period)) if period else []
    overall = [f for f in figures if not f.resource_code]
    chart = {
        "type": "bar",
        "max": 100,
        "labels": [f.region.name for f in overall],
        "datasets": [
            {"label": str(_("覆盖率（%）")), "data": [_f(f.rate) for f in overall]},
            {"label": str(_("目标（%）")), "data": [_f(f.target) for f in overall]},
        ],
        "links": [
            reverse("quality:region", args=[f.region.code]) if not f.is_province else ""
            for f in overall
        ],
    }
    return render(
        request,
        "quality/coverage.html",
        {
            "period": period,
            "periods": periods,
            "overall": overall,
            "by_resource": [f for f in figures if f.resource_code],
            "chart": chart,
        },
    )


@login_required
def feed_view(request: HttpRequest) -> HttpResponse:
    """Each obliged department's last delivery per resource: fresh, overdue or never."""
    rows = feed_status(department_ids=selectors.visible_department_ids(request.user))
    state = request.GET.get("state", "")
    if state:
        rows = [row for row in rows if row.state == state]
    return render(request, "quality/feeds.html", {"rows": rows, "state": state})


@login_required
def sampling_list(request: HttpRequest) -> HttpResponse:
    checks = selectors.visible_sampling_checks(request.user)
    form = None
    if principal_role(request.user) == Role.PROVINCE_ADMIN:
        today, first = default_check_dates()
        form = SamplingCheckForm(initial={"check_date": today, "period_start": first})
    return render(request, "quality/sampling_list.html", {"checks": checks, "form": form})


@login_required
@require_POST
def sampling_create(request: HttpRequest) -> HttpResponse:
    """Schedule a check (provincial administrators); drawn on its date, or now if due."""
    _province_only(request)
    form = SamplingCheckForm(request.POST)
    if not form.is_valid():
        checks = selectors.visible_sampling_checks(request.user)
        return render(
            request, "quality/sampling_list.html", {"checks": checks, "form": form}, status=400
        )
    data = form.cleaned_data
    try:
        check = services.schedule_sampling_check(
            title=data["title"],
            check_date=data["check_date"],
            period_start=data["period_start"],
            sample_size=data["sample_size"],
            reviewers=list(data["reviewers"]),
            seed=data["seed"] or None,
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("quality:sampling-list")
    messages.success(request, _("已安排抽查，随机种子 %(seed)s。") % {"seed": check.seed})
    return redirect("quality:sampling-detail", pk=check.pk)


@login_required
def sampling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(selectors.visible_sampling_checks(request.user), pk=pk)
    results = services.sampling_results(check) if check.drawn_at else []
    visible = selectors.visible_sampling_departments(request.user, check)
    if visible is not None:
        results = [r for r in results if r.department_id in visible]
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.department_code))
    scored = [r for r in results if r.score is not None]
    chart = {
        "type": "bar",
        "max": 100,
        "labels": [r.department_name for r in scored],
        "datasets": [
            {"label": str(_("准确率")), "data": [_f(r.accuracy) for r in scored]},
            {"label": str(_("完整率")), "data": [_f(r.completeness) for r in scored]},
            {"label": str(_("及时率")), "data": [_f(r.timeliness) for r in scored]},
        ],
        "links": [
            reverse("quality:sampling-review", args=[check.pk]) + f"?department={r.department_code}"
            for r in scored
        ],
    }
    return render(
        request,
        "quality/sampling_detail.html",
        {
            "check": check,
            "results": results,
            "chart": chart,
            "is_province": principal_role(request.user) == Role.PROVINCE_ADMIN,
            "complete_form": CompleteForm(initial={"findings": check.findings}),
        },
    )


@login_required
@require_POST
def sampling_draw(request: HttpRequest, pk: int) -> HttpResponse:
    _province_only(request)
    check = get_object_or_404(SamplingCheck, pk=pk)
    try:
        services.draw_sample(check, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("quality:sampling-detail", pk=pk)


@login_required
@require_POST
def sampling_complete(request: HttpRequest, pk: int) -> HttpResponse:
    _province_only(request)
    check = get_object_or_404(SamplingCheck, pk=pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.complete_sampling_check(
                check, findings=form.cleaned_data["findings"], actor=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("quality:sampling-detail", pk=pk)


@login_required
def sampling_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Sampled records the viewer may see, with the verdict form on those assigned to them."""
    check = get_object_or_404(selectors.visible_sampling_checks(request.user), pk=pk)
    samples = selectors.visible_samples(request.user, check)
    department = request.GET.get("department")
    if department:
        samples = samples.filter(department__code=department)
    if request.GET.get("mine"):
        samples = samples.filter(reviewer=request.user)
    page = Paginator(samples, PAGE_SIZE).get_page(request.GET.get("page"))
    for sample in page.object_list:
        sample.record_link = selectors.record_url(sample.content_type, sample.object_id)
        sample.may_review = (
            sample.reviewer_id == request.user.pk
            or principal_role(request.user) == Role.PROVINCE_ADMIN
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quality/sampling_review.html",
        {"check": check, "page": page, "form": ReviewForm(), "query": query.urlencode()},
    )


@login_required
@require_POST
def sample_verdict(request: HttpRequest, pk: int, sample_pk: int) -> HttpResponse:
    check = get_object_or_404(selectors.visible_sampling_checks(request.user), pk=pk)
    sample = get_object_or_404(selectors.visible_samples(request.user, check), pk=sample_pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_sample(
                sample,
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
            messages.success(request, _("已记录核查结论：%(key)s。") % {"key": sample.business_key})
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("请选择核查结论。"))
    return redirect(request.POST.get("next") or reverse("quality:sampling-review", args=[pk]))


@login_required
def sampling_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The written report as Excel or PDF (provincial administrators and auditors)."""
    from .reports import excel_report, pdf_report

    if not selectors.sees_everything(request.user):
        raise PermissionDenied(_("只有省级管理员和审计员可以下载抽查报告。"))
    check = get_object_or_404(SamplingCheck, pk=pk)
    if check.drawn_at is None or fmt not in ("xlsx", "pdf"):
        raise Http404
    if fmt == "xlsx":
        response = HttpResponse(
            excel_report(check),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(pdf_report(check), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sampling-check-{check.pk}.{fmt}"'
    return response


@login_required
def ranking_list(request: HttpRequest) -> HttpResponse:
    notices = selectors.visible_notices(request.user)
    form = RankingNoticeForm() if principal_role(request.user) == Role.PROVINCE_ADMIN else None
    return render(request, "quality/ranking_list.html", {"notices": notices, "form": form})


@login_required
@require_POST
def ranking_create(request: HttpRequest) -> HttpResponse:
    _province_only(request)
    form = RankingNoticeForm(request.POST)
    if not form.is_valid():
        notices = selectors.visible_notices(request.user)
        return render(
            request, "quality/ranking_list.html", {"notices": notices, "form": form}, status=400
        )
    period = form.cleaned_data["period"]
    if period.kind != form.cleaned_data["period_kind"]:
        period = Period.containing(form.cleaned_data["period_kind"], period.start)
    try:
        notice = services.create_ranking_notice(
            period, actor=request.user, summary=form.cleaned_data["summary"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("quality:ranking-list")
    return redirect("quality:ranking-detail", pk=notice.pk)


@login_required
def ranking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(selectors.visible_notices(request.user), pk=pk)
    return render(
        request,
        "quality/ranking_detail.html",
        {"notice": notice, "is_province": principal_role(request.user) == Role.PROVINCE_ADMIN},
    )


@login_required
@require_POST
def ranking_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _province_only(request)
    notice = get_object_or_404(RankingNotice, pk=pk)
    try:
        services.publish_ranking_notice(notice, actor=request.user)
        messages.success(request, _("通报已发布，全体工作人员可见。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("quality:ranking-detail", pk=pk)


@login_required
@require_POST
def run_now(request: HttpRequest) -> HttpResponse:
    """Queue a full check and a scorecard computation now (provincial administrators)."""
    from celery import chain

    from .tasks import check_all_records_task, compute_scorecards_task

    _province_only(request)
    chain(check_all_records_task.si(), compute_scorecards_task.si()).apply_async()
    messages.success(request, _("已提交全量检查和评分计算，完成后页面数据将更新。"))
    return redirect("quality:home")
