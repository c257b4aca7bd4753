"""Staff pages of 双随机一公开: officers, pools, plans, draws, tasks, results, follow-ups.

Every object is fetched through the scoping functions: another department's
plan or task does not exist for the viewer (404); in scope but read-only is
403. Views parse the form, call one service and show its DomainError message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.organizations.choices import Action, Role
from apps.organizations.models import Department
from apps.organizations.scoping import (
    can,
    get_object_for_user,
    principal_role,
)

from . import selectors, services
from .choices import FollowUpState, PlanStatus, TaskStatus
from .forms import (
    ConflictForm,
    DrawForm,
    OfficerForm,
    PlanForm,
    PoolForm,
    ResultForm,
    pool_filter_rows,
)
from .models import Draw, OfficerConflict

PAGE_SIZE = 50


def _own_department(request: HttpRequest) -> Department:
    department = getattr(request.user, "department", None)
    if department is None:
        raise Http404(_("只有部门账号可以创建检查对象名录和抽查计划。"))
    return department


def _page(request: HttpRequest, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Overview: plans in scope, the viewer's own tasks, pending follow-ups."""
    plans = selectors.visible_plans(request.user)
    return render(
        request,
        "inspections/home.html",
        {
            "plans": plans.order_by("-starts_on", "-pk")[:10],
            "plan_count": plans.count(),
            "my_tasks": selectors.officer_tasks(request.user)
            .filter(status=TaskStatus.ASSIGNED)
            .order_by("plan__ends_on", "pk")[:20],
            "open_tasks": selectors.visible_tasks(request.user)
            .filter(status=TaskStatus.ASSIGNED, draw__is_current=True)
            .count(),
            "pending_follow_ups": selectors.visible_follow_ups(request.user)
            .filter(state=FollowUpState.PENDING)
            .count(),
            "officer_count": selectors.visible_officers(request.user).count(),
            "pool_count": selectors.visible_pools(request.user).count(),
        },
    )


# ----------------------------------------------------------------------------- officers


def _officer_departments(request: HttpRequest):
    """Departments whose officer list the viewer maintains."""
    return Department.objects.active().filter(pk__in=_writable_department_ids(request))


def _writable_department_ids(request: HttpRequest) -> list[int]:
    return selectors.officer_department_ids(request.user)


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    """Officers in scope (执法检查人员名录库)."""
    qs = selectors.visible_officers(request.user).order_by(
        "department__code", "certificate_number", "pk"
    )
    return render(
        request,
        "inspections/officer_list.html",
        {"page": _page(request, qs), "can_add": bool(_writable_department_ids(request))},
    )


@login_required
def officer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add an officer, or edit one (name, certificate, areas, active)."""
    officer = None
    if pk is not None:
        officer = get_object_for_user(
            selectors.visible_officers(request.user), request.user, write=True, pk=pk
        )
    elif not _writable_department_ids(request):
        raise PermissionDenied(gettext("只读权限：您不能登记执法检查人员。"))
    departments = _officer_departments(request)
    initial = {"is_active": True}
    if officer is not None:
        initial = {
            "department": officer.department_id,
            "name": officer.name,
            "certificate_number": officer.certificate_number,
            "areas": list(officer.areas.all()),
            "is_active": officer.is_active,
        }
    elif request.user.department_id:
        initial["department"] = request.user.department_id
    form = OfficerForm(request.POST or None, initial=initial, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            officer = services.save_officer(
                department=data["department"],
                name=data["name"],
                certificate_number=data["certificate_number"],
                areas=data["areas"],
                is_active=data["is_active"],
                user=officer.user if officer is not None else None,
                officer=officer,
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, gettext("已保存执法检查人员 %(name)s。") % {"name": officer.name}
            )
            return redirect("inspections:officer-detail", pk=officer.pk)
    return render(request, "inspections/officer_form.html", {"form": form, "officer": officer})


@login_required
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One officer: areas, declared conflicts (with a form to declare one), tasks."""
    officer = get_object_for_user(selectors.visible_officers(request.user), request.user, pk=pk)
    can_change = can(request.user, Action.CHANGE, officer)
    form = ConflictForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(gettext("只读权限：您可以查看但不能修改该对象。"))
        if form.is_valid():
            try:
                services.declare_conflict(
                    officer,
                    form.cleaned_data["enterprise"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, gettext("已登记回避关系。"))
                return redirect("inspections:officer-detail", pk=officer.pk)
    return render(
        request,
        "inspections/officer_detail.html",
        {
            "officer": officer,
            "conflicts": officer.conflicts.select_related("enterprise"),
            "tasks": officer.tasks.exclude(status=TaskStatus.CANCELLED)
            .select_related("plan", "enterprise")
            .order_by("-plan__starts_on", "position")[:50],
            "form": form,
            "can_change": can_change,
        },
    )


@login_required
@require_POST
def conflict_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a declared conflict."""
    conflict = get_object_for_user(
        OfficerConflict.objects.select_related("officer__department", "enterprise"),
        request.user,
        write=True,
        pk=pk,
    )
    officer_pk = conflict.officer_id
    services.remove_conflict(conflict, actor=request.user)
    messages.success(request, gettext("已撤销回避关系。"))
    return redirect("inspections:officer-detail", pk=officer_pk)


# ----------------------------------------------------------------------------- pools


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    """Pools (检查对象名录) in scope, newest first."""
    qs = selectors.visible_pools(request.user).order_by("-snapshot_at", "-pk")
    return render(
        request,
        "inspections/pool_list.html",
        {"page": _page(request, qs), "can_add": getattr(request.user, "department_id", None)},
    )


@login_required
def pool_create(request: HttpRequest) -> HttpResponse:
    """Select entities from the registry by filters and freeze them as a pool."""
    department = _own_department(request)
    form = PoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pool = services.build_pool(
                department=department,
                name=form.cleaned_data["name"],
                filters=form.filters(),
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext("已生成检查对象名录，共 %(n)s 户。") % {"n": pool.member_count},
            )
            return redirect("inspections:pool-detail", pk=pool.pk)
    return render(request, "inspections/pool_form.html", {"form": form})


@login_required
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A pool's filters and its frozen members."""
    pool = get_object_for_user(selectors.visible_pools(request.user), request.user, pk=pk)
    members = selectors.pool_members(pool).order_by("enterprise_id")
    filters = pool_filter_rows(pool.filters)
    return render(
        request,
        "inspections/pool_detail.html",
        {"pool": pool, "filters": filters, "page": _page(request, members)},
    )


# ----------------------------------------------------------------------------- plans


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """Plans the viewer's department leads or takes part in."""
    qs = selectors.visible_plans(request.user).order_by("-starts_on", "-pk")
    status = request.GET.get("status")
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "inspections/plan_list.html",
        {
            "page": _page(request, qs),
            "statuses": PlanStatus.choices,
            "status": status,
            "can_add": getattr(request.user, "department_id", None),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    """Create a plan led by the viewer's department (joint when other departments are chosen)."""
    department = _own_department(request)
    if principal_role(request.user) == Role.AUDITOR:
        raise PermissionDenied
    form = PlanForm(request.POST or None, pools=selectors.visible_pools(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                name=data["name"],
                lead_department=department,
                pool=data["pool"],
                matters=data["matters"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                other_departments=data["other_departments"],
                check_type=data["check_type"],
                sample_count=data["sample_count"],
                sample_ratio=data["sample_ratio"],
                officers_per_target=data["officers_per_target"],
                avoid_own_area=data["avoid_own_area"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("已创建抽查计划 %(code)s。") % {"code": plan.code})
            return redirect("inspections:plan-detail", pk=plan.pk)
    return render(request, "inspections/plan_form.html", {"form": form})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan: participants, sample, the current draw with its tasks, earlier draws, the draw form."""
    plan = get_object_for_user(selectors.visible_plans(request.user), request.user, pk=pk)
    current = plan.draws.filter(is_current=True).first()
    tasks = (
        plan.tasks.filter(draw=current)
        .select_related("enterprise", "result")
        .prefetch_related("assignments__officer__department")
        .order_by("position")
        if current is not None
        else []
    )
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "participants": plan.participants.select_related("department"),
            "current": current,
            "draws": plan.draws.select_related("drawn_by").order_by("-round"),
            "tasks": tasks,
            "form": DrawForm(),
            "can_draw": services.may_manage_plan(request.user, plan),
            "matters": [line for line in plan.matters.splitlines() if line.strip()],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def plan_draw(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw (or redraw with a reason) the plan's targets and officers."""
    plan = get_object_for_user(
        selectors.visible_plans(request.user), request.user, write=True, pk=pk
    )
    if not services.may_manage_plan(request.user, plan):
        raise PermissionDenied(gettext("只有牵头部门可以抽取。"))
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            draw = services.draw_plan(
                plan,
                actor=request.user,
                seed=form.cleaned_data["seed"] or None,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                gettext("已完成第 %(round)s 轮抽取，随机种子 %(seed)s，抽中 %(n)s 户。")
                % {"round": draw.round, "seed": draw.seed, "n": len(draw.outcome)},
            )
    else:
        messages.error(request, "；".join(f"{k}：{' '.join(v)}" for k, v in form.errors.items()))
    return redirect("inspections:plan-detail", pk=plan.pk)


@login_required
def draw_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Recompute a draw from its seed and stored inputs and say whether everything matches."""
    draw = get_object_for_user(selectors.visible_draws(request.user), request.user, pk=pk)
    seed = request.GET.get("seed", "").strip() or None
    return render(
        request,
        "inspections/draw_verify.html",
        {"draw": draw, "check": selectors.verify_draw(draw, seed=seed), "seed": seed or draw.seed},
    )


@login_required
def draw_inputs(request: HttpRequest, pk: int) -> JsonResponse:
    """The seed, algorithm, inputs and outcome of a draw as JSON (to recompute elsewhere)."""
    draw: Draw = get_object_for_user(selectors.visible_draws(request.user), request.user, pk=pk)
    response = JsonResponse(
        {
            "plan": draw.plan.code,
            "round": draw.round,
            "seed": draw.seed,
            "algorithm": draw.algorithm,
            "inputs": draw.inputs,
            "outcome": draw.outcome,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Disposition"] = (
        f'attachment; filename="draw-{draw.plan.code}-{draw.round}.json"'
    )
    return response


# ----------------------------------------------------------------------------- tasks and results


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """Tasks: the viewer's own (as an officer) or every task in scope; filter by status."""
    mine = request.GET.get("mine") == "1"
    qs = (
        selectors.officer_tasks(request.user)
        if mine
        else selectors.visible_tasks(request.user).filter(draw__is_current=True)
    )
    status = request.GET.get("status")
    if status in TaskStatus.values:
        qs = qs.filter(status=status)
    qs = qs.order_by("-plan__starts_on", "plan_id", "position", "pk")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inspections/task_list.html",
        {
            "page": _page(request, qs),
            "mine": mine,
            "status": status,
            "statuses": TaskStatus.choices,
            "query": query.urlencode(),
            "is_officer": getattr(request.user, "inspection_officer", None) is not None,
            "today": timezone.localdate(),
        },
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A task: target, officers, result (entry form for the officers' departments)."""
    task = get_object_for_user(selectors.visible_tasks(request.user), request.user, pk=pk)
    may_enter = services.may_enter_result(request.user, task)
    result = getattr(task, "result", None) if hasattr(task, "result") else None
    initial = {"completed_on": timezone.localdate()}
    if result is not None:
        initial = {
            "outcome": result.outcome,
            "details": result.details,
            "completed_on": result.completed_on,
        }
    form = ResultForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied(gettext("只有检查人员所在部门可以录入检查结果。"))
        if form.is_valid():
            try:
                services.enter_result(
                    task,
                    outcome=form.cleaned_data["outcome"],
                    details=form.cleaned_data["details"],
                    completed_on=form.cleaned_data["completed_on"],
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, gettext("检查结果已录入并公示。"))
                return redirect("inspections:task-detail", pk=task.pk)
    return render(
        request,
        "inspections/task_detail.html",
        {
            "task": task,
            "result": result,
            "follow_ups": result.follow_ups.all() if result is not None else [],
            "form": form,
            "may_enter": may_enter,
        },
    )


@login_required
def result_list(request: HttpRequest) -> HttpResponse:
    """Results in scope with their publication deadline and state."""
    qs = selectors.visible_results(request.user).order_by("-completed_on", "-pk")
    return render(
        request,
        "inspections/result_list.html",
        {"page": _page(request, qs), "today": timezone.localdate()},
    )


@login_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """Follow-ups (abnormal-list proposals) of the viewer's department."""
    qs = selectors.visible_follow_ups(request.user).order_by("-created_at", "-pk")
    return render(request, "inspections/follow_up_list.html", {"page": _page(request, qs)})
