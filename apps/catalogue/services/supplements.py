"""Supplement proposals, resource liaisons and publicity regimes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from apps.core.audit import record_event, snapshot
from apps.core.choices import AuditEventType
from apps.core.exceptions import ConflictError, DomainError
from apps.organizations.choices import Action, Role
from apps.organizations.models import Department
from apps.organizations.scoping import DEPARTMENT_ROLES, can, principal_role

from ..choices import ProposalStatus, VersionStatus
from ..models import (
    PublicityRegime,
    Resource,
    ResourceLiaison,
    ResourceVersion,
    SupplementProposal,
)
from ..selectors import department_supplies, obliged_departments, reference_version
from .common import REGIME_KEYS, _require_catalogue_editor, _user
from .drafts import get_or_create_draft
from .imports import _check_proposal_payload, _department_ids, _upsert_regimes, _write_definition


def _may_propose_for(actor: Any, department: Department) -> bool:
    role = principal_role(actor)
    if role in DEPARTMENT_ROLES:
        return getattr(actor, "department_id", None) == department.pk
    if role in (Role.PROVINCE_ADMIN, Role.REGION_ADMIN):
        return can(actor, Action.CHANGE, department)
    return False


def submit_proposal(
    department: Department,
    *,
    resource: Resource | None,
    title: str,
    reason: str,
    payload: dict[str, Any],
    actor: Any,
) -> SupplementProposal:
    """A department (or a city/county administrator for one of its departments) proposes a change.

    Only for resources the department is obliged to supply, or a new resource.
    The payload must import cleanly (checked with the catalogue importer).
    """
    if not _may_propose_for(actor, department):
        raise PermissionDenied(gettext("您不能以该部门名义提出目录补充建议。"))
    if resource is not None and not department_supplies(resource, department):
        raise PermissionDenied(
            gettext("%(department)s 不是资源 %(code)s 的报送部门，不能对其提出补充建议。")
            % {"department": department, "code": resource.code}
        )
    if resource is None and Resource.objects.filter(code=payload.get("code")).exists():
        raise ConflictError(
            gettext("资源代码 %(code)s 已存在，请针对该资源提出建议。")
            % {"code": payload.get("code")},
            code="duplicate_code",
        )
    if resource is None and not payload:
        raise DomainError(gettext("提议新增资源必须给出完整的资源定义。"), code="payload_required")
    if payload:
        _check_proposal_payload(resource, payload)
    with transaction.atomic():
        proposal = SupplementProposal.objects.create(
            resource=resource,
            department=department,
            title=title,
            reason=reason,
            payload=payload,
            proposed_by=_user(actor),
        )
        record_event(
            AuditEventType.CATALOGUE_PROPOSAL_SUBMITTED,
            actor=actor,
            target=proposal,
            department_code=department.code,
            after={"title": title, "resource": resource.code if resource else None},
        )
    return proposal


def _lock_pending(proposal: SupplementProposal) -> SupplementProposal:
    locked = SupplementProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise ConflictError(gettext("该建议已审核。"), code="already_decided")
    return locked


def approve_proposal(
    proposal: SupplementProposal, *, actor: Any, reason: str = ""
) -> SupplementProposal:
    """Approve a proposal and apply it to the resource's draft (opening one if needed).

    For a new resource, the resource is created with draft v1. Only provincial
    administrators decide. The proposal ends ``applied`` with ``applied_to``.
    """
    _require_catalogue_editor(actor)
    with transaction.atomic():
        proposal = _lock_pending(proposal)
        resource = proposal.resource
        if not proposal.payload and resource is not None:
            # A proposal in words only: open the draft for the administrator to edit.
            draft = get_or_create_draft(resource, actor=actor)
            return _decide(
                proposal, ProposalStatus.APPROVED, actor=actor, reason=reason, draft=draft
            )
        definitions = _check_proposal_payload(resource, proposal.payload)
        definition = definitions[0]
        department_ids = _department_ids(
            {s["department_code"] for s in definition.suppliers if s.get("department_code")}
        )
        if resource is None:
            if Resource.objects.filter(code=definition.resource["code"]).exists():
                raise ConflictError(
                    gettext("资源代码 %(code)s 已存在。") % {"code": definition.resource["code"]},
                    code="duplicate_code",
                )
            resource = Resource.objects.create(
                code=definition.resource["code"], kind=definition.resource["kind"]
            )
            draft = ResourceVersion.objects.create(
                resource=resource,
                number=1,
                status=VersionStatus.DRAFT,
                created_by=_user(actor),
                name=definition.version.get("name") or resource.code,
            )
            proposal.resource = resource
        else:
            draft = get_or_create_draft(resource, actor=actor)
        _write_definition(draft, definition, department_ids)
        _upsert_regimes(resource, definition.regimes)
        return _decide(proposal, ProposalStatus.APPLIED, actor=actor, reason=reason, draft=draft)


def _decide(
    proposal: SupplementProposal,
    status: str,
    *,
    actor: Any,
    reason: str,
    draft: ResourceVersion | None = None,
) -> SupplementProposal:
    """Record the decision on a locked pending proposal, with its audit event."""
    proposal.status = status
    proposal.decided_by = _user(actor)
    proposal.decided_at = timezone.now()
    proposal.decision_reason = reason
    proposal.applied_to = draft
    proposal.save()
    record_event(
        AuditEventType.CATALOGUE_PROPOSAL_DECIDED,
        actor=actor,
        target=proposal,
        department_code=proposal.department.code,
        before={"status": ProposalStatus.PENDING},
        after={
            "status": status,
            "applied_to": draft.number if draft is not None else None,
            "reason": reason,
        },
    )
    return proposal


def reject_proposal(proposal: SupplementProposal, *, actor: Any, reason: str) -> SupplementProposal:
    """Reject a proposal; the reason is required and shown to the proposing department."""
    _require_catalogue_editor(actor)
    if not (reason or "").strip():
        raise DomainError(gettext("驳回必须填写理由。"), code="reason_required")
    with transaction.atomic():
        proposal = _lock_pending(proposal)
        return _decide(proposal, ProposalStatus.REJECTED, actor=actor, reason=reason.strip())


# --- liaisons and regimes ------------------------------------------------------------------------


def set_resource_liaison(
    resource: Resource,
    department: Department,
    *,
    name: str,
    phone: str = "",
    email: str = "",
    actor: Any,
) -> ResourceLiaison:
    """Name (or change) an obliged department's liaison for one resource.

    The department's own staff and liaisons, and administrators whose scope
    includes the department, may do it; only for departments obliged to
    supply the resource.
    """
    if not _may_propose_for(actor, department):
        raise PermissionDenied(gettext("您不能设置该部门的联络员。"))
    version = reference_version(resource)
    if version is None or not obliged_departments(version).filter(pk=department.pk).exists():
        raise DomainError(
            gettext("%(department)s 不是资源 %(code)s 的报送部门。")
            % {"department": department, "code": resource.code},
            code="not_obliged",
        )
    with transaction.atomic():
        liaison = (
            ResourceLiaison.objects.select_for_update()
            .filter(resource=resource, department=department)
            .first()
        )
        before = snapshot(liaison, ["name", "phone", "email"]) if liaison else None
        if liaison is None:
            liaison = ResourceLiaison(resource=resource, department=department)
        liaison.name, liaison.phone, liaison.email = name, phone, email
        liaison.full_clean(exclude=["resource", "department"], validate_unique=False)
        liaison.save()
        record_event(
            AuditEventType.CATALOGUE_LIAISON_CHANGED,
            actor=actor,
            target=liaison,
            department_code=department.code,
            before=before,
            after=snapshot(liaison, ["name", "phone", "email"]),
        )
    return liaison


def _check_regime(regime: PublicityRegime) -> None:
    regime.full_clean(exclude=["resource"])
    if regime.valid_to is not None and regime.valid_to <= regime.valid_from:
        raise DomainError(gettext("适用截止日必须晚于起始日。"), code="bad_dates")
    if regime.min_months > regime.max_months:
        raise DomainError(gettext("最短公示期不能长于最长公示期。"), code="bad_period")


def add_regime(resource: Resource, data: dict[str, Any], *, actor: Any) -> PublicityRegime:
    """Add a dated publicity regime to a resource (province only; no code change needed)."""
    _require_catalogue_editor(actor)
    with transaction.atomic():
        regime = PublicityRegime(
            resource=resource, **{k: data[k] for k in data if k in REGIME_KEYS}
        )
        _check_regime(regime)
        regime.save()
        record_event(
            AuditEventType.CATALOGUE_REGIME_CHANGED,
            actor=actor,
            target=regime,
            after=snapshot(regime, list(REGIME_KEYS)),
        )
    return regime


def update_regime(
    regime: PublicityRegime, changes: dict[str, Any], *, actor: Any
) -> PublicityRegime:
    """Change a publicity regime (province only)."""
    _require_catalogue_editor(actor)
    keys = [k for k in changes if k in REGIME_KEYS]
    with transaction.atomic():
        before = snapshot(regime, keys)
        for key in keys:
            setattr(regime, key, changes[key])
        _check_regime(regime)
        regime.save()
        record_event(
            AuditEventType.CATALOGUE_REGIME_CHANGED,
            actor=actor,
            target=regime,
            before=before,
            after=snapshot(regime, keys),
        )
    return regime
