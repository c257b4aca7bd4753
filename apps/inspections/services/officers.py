"""Officers (执法检查人员名录库), declared conflicts and risk marks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from apps.core.audit import record_event, snapshot
from apps.core.exceptions import DomainError
from apps.enterprises.models import Enterprise
from apps.organizations.models import Department, Region

from ..choices import (
    InspectionEvent,
)
from ..models import (
    Officer,
    OfficerConflict,
    RiskMark,
)


def save_officer(
    *,
    department: Department,
    name: str,
    certificate_number: str,
    areas: Iterable[Region] = (),
    user: Any = None,
    is_active: bool = True,
    officer: Officer | None = None,
    actor: Any,
) -> Officer:
    """Create or update an officer of ``department``; the certificate number is unique."""
    name = (name or "").strip()
    certificate_number = (certificate_number or "").strip()
    if not name:
        raise DomainError(gettext("字段“姓名”：必须填写。"), code="officer_name_required")
    if not certificate_number:
        raise DomainError(
            gettext("字段“执法证号”：必须填写。"), code="officer_certificate_required"
        )
    clash = Officer.objects.filter(certificate_number=certificate_number)
    if officer is not None:
        clash = clash.exclude(pk=officer.pk)
    if clash.exists():
        raise DomainError(
            gettext("字段“执法证号”：%(number)s 已登记在其他执法检查人员名下。")
            % {"number": certificate_number},
            code="officer_certificate_taken",
        )
    with transaction.atomic():
        before = snapshot(officer) if officer is not None else None
        if officer is None:
            officer = Officer(department=department)
        officer.name = name
        officer.certificate_number = certificate_number
        officer.user = user
        officer.is_active = is_active
        officer.department = department
        officer.save()
        officer.areas.set(list(areas))
        after = snapshot(officer)
        after["areas"] = sorted(officer.areas.values_list("code", flat=True))
        record_event(
            InspectionEvent.OFFICER_SAVED,
            actor=actor,
            target=officer,
            before=before,
            after=after,
            department_code=department.code,
        )
    return officer


def declare_conflict(
    officer: Officer, enterprise: Enterprise, *, reason: str, actor: Any
) -> OfficerConflict:
    """Declare that ``officer`` must never inspect ``enterprise`` (回避); idempotent."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("字段“回避事由”：必须填写。"), code="conflict_reason_required")
    with transaction.atomic():
        conflict, created = OfficerConflict.objects.get_or_create(
            officer=officer, enterprise=enterprise, defaults={"reason": reason[:200]}
        )
        if created:
            record_event(
                InspectionEvent.CONFLICT_DECLARED,
                actor=actor,
                target=conflict,
                after={"officer": officer.certificate_number, "reason": conflict.reason},
                department_code=officer.department.code,
                enterprise_uscc=enterprise.uscc,
            )
    return conflict


def remove_conflict(conflict: OfficerConflict, *, actor: Any) -> None:
    """Withdraw a declared conflict; later draws may pick the officer for the entity again."""
    with transaction.atomic():
        record_event(
            InspectionEvent.CONFLICT_REMOVED,
            actor=actor,
            target=conflict,
            before={"officer": conflict.officer.certificate_number, "reason": conflict.reason},
            department_code=conflict.officer.department.code,
            enterprise_uscc=conflict.enterprise.uscc,
        )
        conflict.delete()


def mark_risk(
    enterprise: Enterprise,
    *,
    grade: str,
    assessed_on: datetime.date,
    department: Department,
    note: str = "",
    actor: Any,
) -> RiskMark:
    """Record an entity's credit-risk grade as assessed on a day (the latest one applies)."""
    with transaction.atomic():
        mark = RiskMark.objects.create(
            enterprise=enterprise,
            grade=grade,
            assessed_on=assessed_on,
            department=department,
            note=note[:200],
        )
        record_event(
            InspectionEvent.RISK_MARKED,
            actor=actor,
            target=mark,
            after=snapshot(mark),
            department_code=department.code,
            enterprise_uscc=enterprise.uscc,
        )
    return mark
