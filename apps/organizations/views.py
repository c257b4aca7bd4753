"""Pages of the organizations app: dashboard, departments, people, API tokens, audit history.

Views parse and validate, call one service and render. Every object comes
from :func:`get_object_for_user` (404 out of scope, 403 read-only).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.core.choices import AuditEventType
from apps.core.exceptions import DomainError
from apps.core.panels import home_panels

from . import services
from .api.filters import ApiTokenFilterSet, AuditEventFilterSet, DepartmentFilterSet, UserFilterSet
from .choices import Action, DepartmentLevel, Role
from .forms import ApiTokenForm, DepartmentLiaisonForm, UserForm
from .models import ApiToken, Department, Region, User
from .scoping import (
    can,
    get_object_for_user,
    is_administrator,
    may_edit_liaison,
    may_read_audit,
    principal_role,
    scope_queryset,
)
from .selectors import departments_for_user, visible_audit_events

PAGE_SIZE = 50


def _paginate(request: HttpRequest, qs: QuerySet[Any]) -> tuple[Page, str]:
    """One page of ``qs`` and the query string without ``page`` for the pager links."""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _require_admin(request: HttpRequest) -> None:
    if not is_administrator(request.user):
        raise PermissionDenied(_("只有管理员可以执行此操作。"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in person's start page, with the links their role may use."""
    user = request.user
    role = principal_role(user)
    context: dict[str, Any] = {
        "role": role,
        "is_admin": is_administrator(user),
        "may_read_audit": may_read_audit(user),
        "department": user.department,
        "region": user.region,
        "department_count": departments_for_user(user).count(),
    }
    if context["is_admin"]:
        context["user_count"] = scope_queryset(User.objects.all(), user, Action.CHANGE).count()
        context["active_token_count"] = scope_queryset(
            ApiToken.objects.active(), user, Action.CHANGE
        ).count()
    if user.department_id:
        context["may_edit_liaison"] = may_edit_liaison(user, user.department)
    # Other apps add their panels (problem rows, overdue obligations, ...).
    context["panels"] = home_panels(request)
    return render(request, "organizations/home.html", context)


# --------------------------------------------------------------------------- departments


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    """Departments the person may view, filtered by region, level and line."""
    qs = departments_for_user(request.user).order_by(
        "region__sort_order", "region__code", "code", "pk"
    )
    filterset = DepartmentFilterSet(request.GET, queryset=qs)
    page, query = _paginate(request, filterset.qs)
    return render(
        request,
        "organizations/department_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query,
            "regions": Region.objects.filter(departments__isnull=False)
            .distinct()
            .order_by("sort_order", "code"),
            "levels": DepartmentLevel.choices,
            "lines": Department.objects.exclude(line="")
            .order_by("line")
            .values_list("line", flat=True)
            .distinct(),
        },
    )


@login_required
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One department: region, liaison, member count and, for administrators, its tokens."""
    department = get_object_for_user(
        Department.objects.select_related("region", "parent"), request.user, pk=pk
    )
    may_change = can(request.user, Action.CHANGE, department)
    show_tokens = may_change or principal_role(request.user) == Role.AUDITOR
    tokens = (
        department.api_tokens.select_related("created_by").order_by("-created_at", "-pk")
        if show_tokens
        else None
    )
    return render(
        request,
        "organizations/department_detail.html",
        {
            "department": department,
            "member_count": department.members.count(),
            "children": department.children.select_related("region").order_by("code")[:100],
            "may_change": may_change,
            "may_edit_liaison": may_edit_liaison(request.user, department),
            "tokens": tokens,
        },
    )


@login_required
def department_liaison_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a department's liaison: administrators in scope and the department's liaison."""
    department = get_object_for_user(Department.objects.all(), request.user, pk=pk)
    if not may_edit_liaison(request.user, department):
        raise PermissionDenied(_("您不能修改该部门的联络人信息。"))
    initial = {f: getattr(department, f) for f in services.LIAISON_FIELDS}
    form = DepartmentLiaisonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_department_liaison(department, actor=request.user, **form.cleaned_data)
        messages.success(request, _("联络人信息已保存。"))
        return redirect("organizations:department-detail", pk=department.pk)
    return render(
        request, "organizations/department_liaison.html", {"department": department, "form": form}
    )


# --------------------------------------------------------------------------- people


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """People the person may view (administrators: their scope; staff: their department)."""
    qs = scope_queryset(User.objects.select_related("department", "region"), request.user).order_by(
        "username", "pk"
    )
    filterset = UserFilterSet(request.GET, queryset=qs)
    page, query = _paginate(request, filterset.qs)
    return render(
        request,
        "organizations/user_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query,
            "roles": Role.choices,
            "is_admin": is_administrator(request.user),
        },
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    """Create a person in the administrator's scope."""
    _require_admin(request)
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                role=data["role"],
                department=data.get("department"),
                region=data.get("region"),
                display_name=data["display_name"],
                email=data["email"],
                phone=data["phone"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已创建用户 %(name)s。") % {"name": user.username})
            return redirect("organizations:user-list")
    return render(request, "organizations/user_form.html", {"form": form, "target": None})


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a person's profile, role and scope; administrators in scope only."""
    target = get_object_for_user(
        User.objects.select_related("department", "region"), request.user, write=True, pk=pk
    )
    initial = {
        "display_name": target.display_name,
        "email": target.email,
        "phone": target.phone,
        "role": target.role,
        "department": target.department,
        "region": target.region,
    }
    form = UserForm(request.POST or None, actor=request.user, instance=target, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {k: data.get(k) for k in ("display_name", "email", "phone", "role", "department")}
        changes["region"] = data.get("region")
        try:
            services.update_user(
                target, actor=request.user, password=data.get("password") or None, **changes
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存用户 %(name)s。") % {"name": target.username})
            return redirect("organizations:user-list")
    return render(request, "organizations/user_form.html", {"form": form, "target": target})


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Enable or disable a person's sign-in (POST ``active=1`` or ``0``)."""
    target = get_object_for_user(User.objects.all(), request.user, write=True, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_user_active(target, active, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            (_("已启用 %(name)s。") if active else _("已停用 %(name)s。"))
            % {"name": target.username},
        )
    return redirect("organizations:user-list")


# --------------------------------------------------------------------------- API tokens


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """API tokens the person may view, newest first."""
    qs = scope_queryset(
        ApiToken.objects.select_related("department", "created_by"), request.user
    ).order_by("-created_at", "-pk")
    filterset = ApiTokenFilterSet(request.GET, queryset=qs)
    page, query = _paginate(request, filterset.qs)
    return render(
        request,
        "organizations/token_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query,
            "is_admin": is_administrator(request.user),
        },
    )


@never_cache
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    """Issue a token; the full key is on the result page only, never stored or shown again."""
    _require_admin(request)
    initial = {}
    if request.GET.get("department"):
        initial["department"] = request.GET["department"]
    form = ApiTokenForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.create_api_token(
                form.cleaned_data["department"],
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return render(request, "organizations/token_created.html", {"token": token, "key": key})
    return render(request, "organizations/token_form.html", {"form": form})


@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and revoke (POST) a token."""
    token = get_object_for_user(
        ApiToken.objects.select_related("department"), request.user, write=True, pk=pk
    )
    if request.method == "POST":
        services.revoke_api_token(token, actor=request.user)
        messages.success(request, _("令牌 %(prefix)s 已吊销。") % {"prefix": token.prefix})
        return redirect("organizations:token-list")
    return render(request, "organizations/token_revoke.html", {"token": token})


# --------------------------------------------------------------------------- audit history


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit history the person may read, with filters and pages."""
    if not may_read_audit(request.user):
        raise PermissionDenied(_("只有管理员和审计员可以查看审计记录。"))
    qs = visible_audit_events(request.user).order_by("-occurred_at", "-pk")
    filterset = AuditEventFilterSet(request.GET, queryset=qs)
    page, query = _paginate(request, filterset.qs)
    return render(
        request,
        "organizations/audit_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query,
            "event_types": AuditEventType.choices,
        },
    )
