"""The statutory list transitions, as rules that propose (BRIEF.md section 3).

Each rule takes the day it runs for and returns unsaved :class:`Proposal`
drafts with a deterministic ``key``, so running a rule twice proposes nothing
new (:func:`apps.joint_punishment.services.create_proposals`). Nothing here
changes a list: the competent department confirms or rejects each proposal.

1. :func:`missing_annual_reports`: no annual report for year Y by 30 June of
   Y+1 -> abnormal-list proposal (individual businesses: "marked abnormal"),
   to be decided within the ground's working days (10) after 30 June;
2. :func:`warning_notices`: an abnormal-list entry within the regime's
   warning days (60) before its escalation anniversary -> warning proposal;
3. :func:`escalations`: still in the abnormal list on the anniversary (3
   years) -> serious-list proposal to the provincial registrar; an entity
   removed before the anniversary gets none;
4. :func:`serious_expiries`: the listing period of the regime valid on the
   listing date has ended -> removal proposal.

Early-removal applications become proposals at once
(:func:`~apps.joint_punishment.services.apply_for_early_removal`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

from apps.core.workdays import add_working_days
from apps.enterprises.choices import EnterpriseStatus, EntityType
from apps.enterprises.models import Enterprise
from apps.records.models import GenericRecord

from .choices import ListCode, ProposalKind
from .departments import REGISTRAR_LINE, DepartmentDirectory
from .models import ListEntry, ListingGround, ListRegime, ListType, Proposal, add_months

ANNUAL_REPORT_RESOURCE = "QYNB"
REPORT_YEAR_FIELD = "NB_ND"
# Entities that must file: still registered (suspended and liquidating ones too).
REPORTING_STATUSES = (
    EnterpriseStatus.ACTIVE,
    EnterpriseStatus.SUSPENDED,
    EnterpriseStatus.LIQUIDATING,
)


def report_deadline(year: int) -> datetime.date:
    """The last day to file the annual report of ``year``: 30 June of the next year."""
    return datetime.date(year + 1, 6, 30)


def closed_report_year(on: datetime.date) -> int | None:
    """The report year whose filing window has closed by ``on`` (None before 1 July)."""
    return on.year - 1 if on > datetime.date(on.year, 6, 30) else None


def missing_annual_reports(on: datetime.date, *, directory: DepartmentDirectory) -> list[Proposal]:
    """Entities without an annual report for the year whose window closed -> listing proposals.

    Must file for year Y: entities established by 31 December of Y and still
    registered. Entities already in force in the abnormal list (or marked)
    for the missing report are skipped.
    """
    year = closed_report_year(on)
    if year is None:
        return []
    list_types = {
        lt.code: lt
        for lt in ListType.objects.filter(code__in=[ListCode.ABNORMAL, ListCode.MARKED_ABNORMAL])
    }
    grounds = {
        g.list_type.code: g
        for g in ListingGround.objects.filter(
            code="1", list_type__code__in=[ListCode.ABNORMAL, ListCode.MARKED_ABNORMAL]
        ).select_related("list_type")
    }
    deadline = report_deadline(year)
    filed = GenericRecord.objects.filter(
        Q(payload__NB_ND=year) | Q(payload__NB_ND=str(year)),
        enterprise_id=OuterRef("pk"),
        resource_code=ANNUAL_REPORT_RESOURCE,
    )
    listed = ListEntry.objects.in_force(on).filter(
        enterprise_id=OuterRef("pk"),
        list_type__code__in=[ListCode.ABNORMAL, ListCode.MARKED_ABNORMAL],
        ground__code="1",
    )
    candidates = (
        Enterprise.objects.filter(
            status__in=REPORTING_STATUSES, established_on__lte=datetime.date(year, 12, 31)
        )
        .filter(~Exists(filed), ~Exists(listed))
        .values_list("pk", "region_id", "entity_type", "name")
    )
    drafts = []
    decide_by: dict[int, datetime.date] = {}
    for pk, region_id, entity_type, name in candidates.iterator(chunk_size=5000):
        individual = entity_type == EntityType.INDIVIDUAL_BUSINESS
        code = ListCode.MARKED_ABNORMAL if individual else ListCode.ABNORMAL
        list_type, ground = list_types.get(code), grounds.get(code)
        department = directory.registrar_for(region_id)
        if list_type is None or department is None:
            continue
        days = ground.decision_working_days if ground and ground.decision_working_days else 10
        if days not in decide_by:
            decide_by[days] = add_working_days(deadline, days)
        drafts.append(
            Proposal(
                kind=ProposalKind.MARK_ABNORMAL if individual else ProposalKind.LIST_ABNORMAL,
                key=f"annual:{year}:{pk}",
                enterprise_id=pk,
                list_type=list_type,
                ground=ground,
                department=department,
                reason=f"未在 {deadline:%Y-%m-%d} 前报送 {year} 年度报告（{name}）",
                basis_date=deadline,
                decide_by=decide_by[days],
                report_year=year,
            )
        )
    return drafts


def _escalating_regimes() -> list[ListRegime]:
    return list(
        ListRegime.objects.filter(escalate_after_months__isnull=False, escalate_to__isnull=False)
        .select_related("list_type", "escalate_to")
        .order_by("list_type", "valid_from")
    )


def _regime_entries(regime: ListRegime, listed_from: datetime.date, listed_to: datetime.date):
    qs = ListEntry.objects.filter(
        list_type=regime.list_type,
        listed_on__gte=max(listed_from, regime.valid_from),
        listed_on__lte=listed_to,
        enterprise__isnull=False,
    ).select_related("department", "enterprise")
    if regime.valid_to:
        qs = qs.filter(listed_on__lte=regime.valid_to)
    return qs


def warning_notices(on: datetime.date, *, directory: DepartmentDirectory) -> list[Proposal]:
    """Entries within the warning days before their escalation anniversary -> warning proposals."""
    drafts = []
    for regime in _escalating_regimes():
        if not regime.warning_days:
            continue
        months = regime.escalate_after_months
        # Coarse bounds in SQL (a day of slack for month ends), exact test below.
        low = add_months(on, -months) - datetime.timedelta(days=3)
        high = add_months(on + datetime.timedelta(days=regime.warning_days), -months)
        high += datetime.timedelta(days=3)
        entries = _regime_entries(regime, low, high).filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=on), warning_notice_on__isnull=True
        )
        for entry in entries:
            anniversary = regime.escalation_day(entry.listed_on)
            start = anniversary - datetime.timedelta(days=regime.warning_days)
            if not (start <= on < anniversary) or not entry.is_in_force(on):
                continue
            drafts.append(
                Proposal(
                    kind=ProposalKind.WARNING_NOTICE,
                    key=f"warning:{entry.pk}",
                    enterprise_id=entry.enterprise_id,
                    list_type=entry.list_type,
                    entry=entry,
                    department=entry.department,
                    reason=(
                        f"列入{entry.list_type.name}将于 {anniversary:%Y-%m-%d} 届满 "
                        f"{months // 12} 年，须在届满前 {regime.warning_days} 日内发布预警公告"
                    ),
                    basis_date=anniversary,
                    decide_by=anniversary - datetime.timedelta(days=1),
                )
            )
    return drafts


def escalations(on: datetime.date, *, directory: DepartmentDirectory) -> list[Proposal]:
    """Still listed on the anniversary (3 years) -> proposal for the next list.

    In force on the anniversary itself means not removed before or on it; an
    entity removed just before the third anniversary gets no proposal. An
    entity already in the target list in force gets none either.
    """
    drafts = []
    for regime in _escalating_regimes():
        months = regime.escalate_after_months
        high = add_months(on, -months) + datetime.timedelta(days=3)
        entries = _regime_entries(regime, regime.valid_from, high).exclude(
            Exists(
                ListEntry.objects.in_force(on).filter(
                    enterprise_id=OuterRef("enterprise_id"), list_type=regime.escalate_to
                )
            )
        )
        entries = entries.filter(Q(removed_on__isnull=True) | Q(removed_on__gt=regime.valid_from))
        ground = ListingGround.objects.filter(list_type=regime.escalate_to, code="1").first()
        target = regime.escalate_to
        target_regime = (
            ListRegime.objects.filter(list_type=target, valid_from__lte=on)
            .order_by("-valid_from")
            .first()
        )
        days = target_regime.listing_working_days if target_regime else regime.listing_working_days
        for entry in entries:
            anniversary = regime.escalation_day(entry.listed_on)
            if anniversary > on or not entry.is_in_force(anniversary):
                continue
            # Ground (1) is decided at provincial level (SAIC Order 83 art. 6).
            line = entry.department.line or REGISTRAR_LINE
            department = directory.provincial_department(line) or entry.department
            drafts.append(
                Proposal(
                    kind=ProposalKind.ESCALATE_SERIOUS,
                    key=f"escalate:{entry.pk}",
                    enterprise_id=entry.enterprise_id,
                    list_type=target,
                    ground=ground,
                    entry=entry,
                    department=department,
                    reason=(
                        f"自 {entry.listed_on:%Y-%m-%d} 列入{entry.list_type.name}，"
                        f"至 {anniversary:%Y-%m-%d} 届满 {months // 12} 年仍未移出"
                    ),
                    basis_date=anniversary,
                    decide_by=add_working_days(anniversary, days),
                )
            )
    return drafts


def serious_expiries(on: datetime.date, *, directory: DepartmentDirectory) -> list[Proposal]:
    """Entries whose listing period (by the regime of their listing date) ended -> removal."""
    drafts = []
    regimes = ListRegime.objects.filter(max_months__isnull=False).select_related("list_type")
    for regime in regimes:
        high = add_months(on, -regime.max_months) + datetime.timedelta(days=3)
        entries = _regime_entries(regime, regime.valid_from, high).filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=on)
        )
        for entry in entries:
            end = regime.period_end(entry.listed_on)
            if end > on or not entry.is_in_force(on):
                continue
            drafts.append(
                Proposal(
                    kind=ProposalKind.REMOVE_EXPIRED,
                    key=f"expire:{entry.pk}",
                    enterprise_id=entry.enterprise_id,
                    list_type=entry.list_type,
                    entry=entry,
                    department=entry.department,
                    reason=(
                        f"按{regime.name}，自 {entry.listed_on:%Y-%m-%d} 列入满 "
                        f"{regime.max_months} 个月，列入期限于 {end:%Y-%m-%d} 届满"
                    ),
                    basis_date=end,
                    decide_by=add_working_days(end, regime.removal_working_days),
                )
            )
    return drafts


Rule = Callable[..., list[Proposal]]

RULES: list[tuple[str, Rule]] = [
    ("missing_annual_reports", missing_annual_reports),
    ("warning_notices", warning_notices),
    ("escalations", escalations),
    ("serious_expiries", serious_expiries),
]
