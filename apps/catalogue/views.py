"""Pages of the catalogue: browser, versions and diffs, draft editing, proposals, announcements.

Views parse and validate, call one service and render. Objects come through
``get_object_for_user`` (out of scope: 404; read-only: 403).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.organizations.choices import Action, Role
from apps.organizations.models import Department
from apps.organizations.scoping import (
    DEPARTMENT_ROLES,
    get_object_for_user,
    principal_role,
    scope_queryset,
)

from . import selectors, services
from .choices import ProposalStatus, VersionStatus
from .forms import (
    DecisionForm,
    FieldSpecForm,
    LiaisonForm,
    NewResourceForm,
    ProposalForm,
    PublishForm,
    RegimeForm,
    ResourceSearchForm,
    SuppliersForm,
    VersionForm,
)
from .importer import CatalogueImportError
from .models import (
    CatalogueAnnouncement,
    FieldSpec,
    PublicityRegime,
    Resource,
    ResourceLiaison,
    ResourceVersion,
    SupplementProposal,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _resource(request: HttpRequest, code: str, *, write: bool = False) -> Resource:
    return get_object_for_user(
        Resource.objects.select_related("current_version"), request.user, write=write, code=code
    )


def _version(resource: Resource, number: int) -> ResourceVersion:
    return get_object_or_404(
        selectors.versions_with_details().filter(resource=resource), number=number
    )


def _draft(request: HttpRequest, code: str) -> tuple[Resource, ResourceVersion]:
    """The resource's draft, for a principal who may edit the catalogue (403 otherwise)."""
    resource = _resource(request, code, write=True)
    draft = (
        selectors.versions_with_details()
        .filter(resource=resource, status=VersionStatus.DRAFT)
        .first()
    )
    if draft is None:
        raise Http404(_("该资源没有草稿。"))
    return resource, draft


def _page(request: HttpRequest, qs: QuerySet) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


# --- browsing --------------------------------------------------------------------------------


@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    """Every signed-in person browses the catalogue: search, kind, obliged department."""
    form = ResourceSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.resources_for(
        request.user,
        query=(data.get("q") or "").strip(),
        kind=data.get("kind") or "",
        department=data.get("department"),
    ).annotate(
        has_draft=Exists(
            ResourceVersion.objects.filter(resource=OuterRef("pk"), status=VersionStatus.DRAFT)
        )
    )
    return render(
        request,
        "catalogue/resource_list.html",
        {
            "form": form,
            "page": _page(request, qs),
            "may_edit": can_edit_catalogue(request.user),
        },
    )


def can_edit_catalogue(principal: Any) -> bool:
    """Whether the principal edits the catalogue at all (provincial administrators)."""
    return principal_role(principal) == Role.PROVINCE_ADMIN


@login_required
def resource_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A resource: current fields, versions, regimes, suppliers and liaisons."""
    resource = _resource(request, code)
    current = (
        selectors.versions_with_details().get(pk=resource.current_version_id)
        if resource.current_version_id
        else None
    )
    versions = resource.versions.select_related("published_by").order_by("-number")
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    reference = current or draft
    liaisons = scope_queryset(
        ResourceLiaison.objects.filter(resource=resource).select_related("department"),
        request.user,
        Action.VIEW,
    )
    return render(
        request,
        "catalogue/resource_detail.html",
        {
            "resource": resource,
            "current": current,
            "draft": draft,
            "reference": reference,
            "versions": versions,
            "regimes": resource.regimes.order_by("-valid_from", "-priority", "pk"),
            "suppliers": reference.suppliers.all() if reference else [],
            "obliged_count": selectors.obliged_departments(reference).count() if reference else 0,
            "liaisons": liaisons,
            "may_edit": can_edit_catalogue(request.user),
            "may_set_liaison": bool(reference)
            and _liaison_departments(request, reference).exists(),
            "may_propose": bool(_proposal_departments(request)),
        },
    )


@login_required
def version_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """One version's attributes, fields and suppliers, with download links."""
    resource = _resource(request, code)
    version = _version(resource, number)
    return render(
        request,
        "catalogue/version_detail.html",
        {
            "resource": resource,
            "version": version,
            "may_edit": can_edit_catalogue(request.user) and version.is_editable,
        },
    )


@login_required
def version_diff(request: HttpRequest, code: str) -> HttpResponse:
    """Field-by-field diff: ``?from=N&to=M``; by default the published version against the draft."""
    resource = _resource(request, code)
    versions = {v.number: v for v in resource.versions.all()}
    draft = next((v for v in versions.values() if v.status == VersionStatus.DRAFT), None)
    try:
        to_number = int(request.GET.get("to") or (draft or resource.current_version).number)
        new = versions[to_number]
        from_param = request.GET.get("from")
        if from_param:
            old = versions[int(from_param)]
        elif new.pk == resource.current_version_id or new.status == VersionStatus.SUPERSEDED:
            older = [
                v
                for v in versions.values()
                if v.number < new.number and v.status != VersionStatus.DRAFT
            ]
            old = max(older, key=lambda v: v.number) if older else None
        else:
            old = resource.current_version
    except (AttributeError, KeyError, ValueError):
        raise Http404(_("没有可比较的版本。")) from None
    changes = services.diff_versions(old, new)
    return render(
        request,
        "catalogue/version_diff.html",
        {
            "resource": resource,
            "old": old,
            "new": new,
            "changes": changes,
            "empty": services.diff_is_empty(changes),
            "versions": sorted(versions.values(), key=lambda v: -v.number),
            "may_publish": can_edit_catalogue(request.user) and new.is_editable,
            "publish_form": PublishForm(initial={"change_note": new.change_note}),
        },
    )


@login_required
def version_schema(request: HttpRequest, code: str, number: int) -> JsonResponse:
    """Download the JSON Schema of a version."""
    from .exports import json_schema

    version = _version(_resource(request, code), number)
    response = JsonResponse(
        json_schema(version), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="{code}-v{number}.schema.json"'
    return response


@login_required
def version_template(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Download the Excel template of a version."""
    from .exports import excel_template

    version = _version(_resource(request, code), number)
    response = HttpResponse(excel_template(version), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{code}-v{number}.xlsx"'
    return response


# --- editing (provincial administrators) -------------------------------------------------------


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    """A new resource with its first draft."""
    if not can_edit_catalogue(request.user):
        raise PermissionDenied(_("只有省级管理员可以修改资源目录。"))
    form = NewResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_resource(
                code=data["code"],
                kind=data["kind"],
                attributes={"name": data["name"]},
                actor=request.user,
            )
        except DomainError as exc:
            _fail(request, exc)
        else:
            return redirect("catalogue:draft-edit", code=data["code"])
    return render(request, "catalogue/resource_form.html", {"form": form})


@login_required
@require_POST
def draft_create(request: HttpRequest, code: str) -> HttpResponse:
    """Open a draft copying the published version."""
    resource = _resource(request, code, write=True)
    try:
        services.create_draft(resource, actor=request.user)
    except DomainError as exc:
        _fail(request, exc)
    return redirect("catalogue:draft-edit", code=code)


@login_required
def draft_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit the draft's attributes and suppliers; list its fields; publish."""
    resource, draft = _draft(request, code)
    form = VersionForm(request.POST or None, instance=draft, prefix="version")
    suppliers_form = SuppliersForm(
        request.POST or None,
        prefix="suppliers",
        initial={"suppliers": SuppliersForm.initial_text(draft)},
    )
    if request.method == "POST":
        target = request.POST.get("form")
        if target == "suppliers" and suppliers_form.is_valid():
            services.set_suppliers(
                draft, suppliers_form.cleaned_data["suppliers"], actor=request.user
            )
            messages.success(request, _("报送义务部门已保存。"))
            return redirect("catalogue:draft-edit", code=code)
        if target == "version" and form.is_valid():
            changes = {k: form.cleaned_data[k] for k in form.changed_data}
            fresh = ResourceVersion.objects.get(pk=draft.pk)
            try:
                services.update_draft(fresh, changes, actor=request.user)
            except DomainError as exc:
                _fail(request, exc)
            else:
                messages.success(request, _("草稿已保存。"))
                return redirect("catalogue:draft-edit", code=code)
    return render(
        request,
        "catalogue/draft_edit.html",
        {
            "resource": resource,
            "draft": draft,
            "form": form,
            "suppliers_form": suppliers_form,
            "publish_form": PublishForm(initial={"change_note": draft.change_note}),
        },
    )


@login_required
def field_edit(request: HttpRequest, code: str, field_code: str | None = None) -> HttpResponse:
    """Add a field to the draft, or edit one."""
    resource, draft = _draft(request, code)
    spec = get_object_or_404(FieldSpec, version=draft, code=field_code) if field_code else None
    form = FieldSpecForm(request.POST or None, instance=spec, version=draft)
    if request.method == "POST" and form.is_valid():
        try:
            if spec is None:
                services.add_field(draft, form.changes(), actor=request.user)
            else:
                fresh = FieldSpec.objects.get(pk=spec.pk)
                services.update_field(fresh, form.changes(), actor=request.user)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("数据项已保存。"))
            return redirect("catalogue:draft-edit", code=code)
    return render(
        request,
        "catalogue/field_form.html",
        {"resource": resource, "draft": draft, "spec": spec, "form": form},
    )


@login_required
@require_POST
def field_delete(request: HttpRequest, code: str, field_code: str) -> HttpResponse:
    """Remove a field from the draft."""
    _resource_obj, draft = _draft(request, code)
    spec = get_object_or_404(FieldSpec, version=draft, code=field_code)
    services.remove_field(spec, actor=request.user)
    messages.success(request, _("数据项 %(code)s 已删除。") % {"code": field_code})
    return redirect("catalogue:draft-edit", code=code)


@login_required
@require_POST
def draft_publish(request: HttpRequest, code: str) -> HttpResponse:
    """Publish the draft with a change note; the announcement is public at once."""
    _resource_obj, draft = _draft(request, code)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("发布必须填写变更说明。"))
        return redirect("catalogue:draft-edit", code=code)
    try:
        announcement = services.publish_version(
            draft, actor=request.user, change_note=form.cleaned_data["change_note"]
        )
    except DomainError as exc:
        _fail(request, exc)
        return redirect("catalogue:draft-edit", code=code)
    messages.success(request, _("已发布第 %(number)s 版。") % {"number": draft.number})
    return redirect("catalogue:announcement-detail", pk=announcement.pk)


@login_required
def regime_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    """Add or change a publicity regime of the resource."""
    resource = _resource(request, code, write=True)
    regime = get_object_or_404(PublicityRegime, resource=resource, pk=pk) if pk else None
    form = RegimeForm(request.POST or None, instance=regime)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.REGIME_KEYS}
        try:
            if regime is None:
                services.add_regime(resource, data, actor=request.user)
            else:
                fresh = PublicityRegime.objects.get(pk=regime.pk)
                services.update_regime(fresh, data, actor=request.user)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("公示期规则已保存。"))
            return redirect("catalogue:resource-detail", code=code)
    return render(
        request,
        "catalogue/regime_form.html",
        {"resource": resource, "regime": regime, "form": form},
    )


# --- liaisons ---------------------------------------------------------------------------------


def _liaison_departments(request: HttpRequest, version: ResourceVersion) -> QuerySet[Department]:
    """Obliged departments whose liaison the principal may set."""
    obliged = selectors.obliged_departments(version)
    role = principal_role(request.user)
    if role in DEPARTMENT_ROLES:
        return obliged.filter(pk=getattr(request.user, "department_id", None))
    if role in (Role.PROVINCE_ADMIN, Role.REGION_ADMIN):
        return scope_queryset(obliged, request.user, Action.CHANGE)
    return obliged.none()


@login_required
def liaison_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Name an obliged department's liaison for this resource."""
    resource = _resource(request, code)
    version = selectors.reference_version(resource)
    departments = _liaison_departments(request, version) if version else Department.objects.none()
    if not departments.exists():
        raise PermissionDenied(_("您所在部门不是该资源的报送部门。"))
    form = LiaisonForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_resource_liaison(
                resource,
                data["department"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                actor=request.user,
            )
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("联络员已保存。"))
            return redirect("catalogue:resource-detail", code=code)
    return render(request, "catalogue/liaison_form.html", {"resource": resource, "form": form})


# --- supplements ------------------------------------------------------------------------------


def _proposal_departments(request: HttpRequest) -> QuerySet[Department]:
    """Departments in whose name the principal may propose."""
    role = principal_role(request.user)
    if role in DEPARTMENT_ROLES:
        return Department.objects.filter(pk=getattr(request.user, "department_id", None))
    if role in (Role.PROVINCE_ADMIN, Role.REGION_ADMIN):
        return scope_queryset(Department.objects.active(), request.user, Action.CHANGE)
    return Department.objects.none()


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    """Own (or regional) proposals; for provincial administrators, the review queue."""
    status = request.GET.get("status", "")
    qs = selectors.proposals_for(request.user)
    if status in ProposalStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "catalogue/proposal_list.html",
        {
            "page": _page(request, qs),
            "status": status,
            "statuses": ProposalStatus.choices,
            "may_propose": _proposal_departments(request).exists(),
            "may_decide": can_edit_catalogue(request.user),
        },
    )


@login_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    """A department proposes an addition or change for a resource it supplies, or a new one."""
    departments = _proposal_departments(request)
    if not departments.exists():
        raise PermissionDenied(_("您没有可代表的部门，不能提出补充建议。"))
    own = getattr(request.user, "department", None)
    if principal_role(request.user) in DEPARTMENT_ROLES and own is not None:
        resources = selectors.resources_supplied_by(own)
    else:
        resources = Resource.objects.filter(is_active=True).order_by("code", "pk")
    initial = {"resource": request.GET.get("resource")} if request.GET.get("resource") else None
    form = ProposalForm(
        request.POST or None, initial=initial, departments=departments, resources=resources
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.submit_proposal(
                data["department"],
                resource=data["resource"],
                title=data["title"],
                reason=data["reason"],
                payload=data["payload"],
                actor=request.user,
            )
        except PermissionDenied as exc:
            form.add_error("resource", str(exc))
        except DomainError as exc:
            form.add_error(None, exc.message)
        except CatalogueImportError as exc:
            for problem in exc.problems:
                form.add_error("payload", f"{problem.path}: {problem.message_zh}")
        else:
            messages.success(request, _("补充建议已提交，等待省级管理员审核。"))
            return redirect("catalogue:proposal-detail", pk=proposal.pk)
    return render(request, "catalogue/proposal_form.html", {"form": form})


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal; provincial administrators approve or reject it with a reason."""
    proposal = get_object_for_user(
        SupplementProposal.objects.select_related(
            "resource", "department", "proposed_by", "decided_by", "applied_to"
        ),
        request.user,
        pk=pk,
    )
    may_decide = can_edit_catalogue(request.user) and proposal.status == ProposalStatus.PENDING
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_edit_catalogue(request.user):
            raise PermissionDenied(_("只有省级管理员可以审核补充建议。"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "approve":
                    services.approve_proposal(proposal, actor=request.user, reason=data["reason"])
                else:
                    services.reject_proposal(proposal, actor=request.user, reason=data["reason"])
            except DomainError as exc:
                _fail(request, exc)
            except CatalogueImportError as exc:
                for problem in exc.problems:
                    messages.error(request, f"{problem.path}: {problem.message_zh}")
            else:
                messages.success(request, _("审核结果已保存。"))
                return redirect("catalogue:proposal-detail", pk=pk)
    return render(
        request,
        "catalogue/proposal_detail.html",
        {
            "proposal": proposal,
            "payload": json.dumps(proposal.payload, ensure_ascii=False, indent=2),
            "form": form,
            "may_decide": may_decide,
        },
    )


# --- public announcements ---------------------------------------------------------------------


def announcement_list(request: HttpRequest) -> HttpResponse:
    """Public list of catalogue change announcements (no sign-in)."""
    qs = CatalogueAnnouncement.objects.select_related("version__resource").order_by(
        "-published_at", "-pk"
    )
    return render(request, "catalogue/announcement_list.html", {"page": _page(request, qs)})


def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One public announcement with its field-by-field diff."""
    announcement = get_object_or_404(
        CatalogueAnnouncement.objects.select_related("version__resource"), pk=pk
    )
    return render(
        request,
        "catalogue/announcement_detail.html",
        {"announcement": announcement, "changes": announcement.changes},
    )
