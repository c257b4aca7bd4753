"""Demo data of joint punishment for ``make run`` (idempotent).

Entries in each list for demo enterprises (dated around today so that the
warning, escalation and expiry rules have something to propose), filed
annual reports for most demo enterprises (so the missing-report rule proposes
a handful), the rules' proposals, feedback obligations and a little feedback.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps as django_apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from apps.catalogue.choices import ResourceKind
from apps.enterprises.choices import EnterpriseStatus, EntityType
from apps.enterprises.models import Enterprise
from apps.joint_punishment import services
from apps.joint_punishment.choices import FeedbackOutcome, ListCode
from apps.joint_punishment.departments import DepartmentDirectory
from apps.joint_punishment.models import (
    Feedback,
    ListEntry,
    ListingGround,
    ListType,
    Measure,
    Obligation,
    add_months,
)
from apps.joint_punishment.reference_data import sync_reference_data
from apps.organizations.models import Department
from apps.records.registry import LoadContext, LoadRow, get_store

DEMO_PREFIX = "琼演示"
NON_FILERS = 8
NON_FILING_INDIVIDUALS = 3


class Command(BaseCommand):
    help = "载入联合惩戒演示数据（名单记录、年报、规则建议、反馈任务）；可重复运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        counts = sync_reference_data(django_apps)
        today = timezone.localdate()
        companies = list(
            Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
            .exclude(entity_type=EntityType.INDIVIDUAL_BUSINESS)
            .filter(established_on__lt=datetime.date(today.year - 4, 1, 1))
            .order_by("uscc")[:80]
        )
        individuals = list(
            Enterprise.objects.filter(
                status=EnterpriseStatus.ACTIVE, entity_type=EntityType.INDIVIDUAL_BUSINESS
            )
            .filter(established_on__lt=datetime.date(today.year - 1, 1, 1))
            .order_by("uscc")[:10]
        )
        if len(companies) < 44:
            self.stdout.write("joint punishment demo: not enough demo enterprises, skipped")
            return
        with transaction.atomic():
            reports = self._annual_reports(today, companies, individuals)
            created = 0
            if not ListEntry.objects.filter(listing_document__startswith=DEMO_PREFIX).exists():
                created = self._entries(today, companies, individuals)
            proposals = services.run_rules(today)
            feedback = self._feedback(today)
        self.stdout.write(
            f"joint punishment demo: reference {counts}, annual reports {reports}, "
            f"entries {created}, proposals {proposals}, feedback {feedback}"
        )

    def _annual_reports(self, today: datetime.date, companies, individuals) -> int:
        """Last year's reports for every demo entity but a few (they get proposals)."""
        year = today.year - 1
        skip = {e.pk for e in companies[-NON_FILERS:]}
        skip |= {e.pk for e in individuals[-NON_FILING_INDIVIDUALS:]}
        directory = DepartmentDirectory()
        by_department: dict[int, list[LoadRow]] = {}
        filers = Enterprise.objects.exclude(pk__in=skip).filter(
            established_on__lte=datetime.date(year, 12, 31),
            status=EnterpriseStatus.ACTIVE,
        )
        for number, enterprise in enumerate(filers.iterator(), start=1):
            department = directory.registrar_for(enterprise.region_id)
            if department is None:
                continue
            filed = datetime.date(year + 1, 3, 1) + datetime.timedelta(days=number % 100)
            by_department.setdefault(department.pk, []).append(
                LoadRow(
                    row_number=number,
                    business_key=f"{enterprise.uscc}|{year}",
                    decision_date=filed,
                    subject_kind="organization",
                    subject_uscc=enterprise.uscc,
                    subject_name=enterprise.name,
                    enterprise_id=enterprise.pk,
                    values={
                        "NB_ND": year,
                        "NB_TYSHXYDM": enterprise.uscc,
                        "NB_QYMC": enterprise.name,
                        "NB_TBRQ": filed.isoformat(),
                        "NB_JYZT": "开业",
                    },
                )
            )
        store = get_store(ResourceKind.ANNUAL_REPORT, "QYNB")
        loaded = 0
        for department_id, rows in by_department.items():
            store.load(
                rows,
                LoadContext(
                    department_id=department_id,
                    resource_code="QYNB",
                    resource_version=1,
                    channel="exchange",
                    submission_id=None,
                    received_at=timezone.now(),
                ),
            )
            loaded += len(rows)
        return loaded

    def _entries(self, today: datetime.date, companies, individuals) -> int:
        directory = DepartmentDirectory()
        types = {lt.code: lt for lt in ListType.objects.all()}
        grounds = {
            (g.list_type.code, g.code): g for g in ListingGround.objects.select_related("list_type")
        }
        court = Department.objects.filter(line="FY").order_by("level", "code").first()
        created = 0
        number = 0

        def listing(
            code: str,
            enterprise: Enterprise,
            listed_on: datetime.date,
            ground: str | None,
            reason: str,
            department=None,
        ) -> ListEntry:
            nonlocal created, number
            number += 1
            department = department or directory.registrar_for(enterprise.region_id)
            entry = services.list_entity(
                list_type=types[code],
                enterprise=enterprise,
                department=department,
                listed_on=listed_on,
                authority=department.name,
                document=f"{DEMO_PREFIX}〔{listed_on.year}〕{number}号",
                reason=reason,
                ground=grounds.get((code, ground)) if ground else None,
                actor=None,
                channel="exchange",
            )
            created += 1
            return entry

        three_years_ago = add_months(today, -36)
        # Abnormal list: spread over the last four years; some inside the 60-day
        # warning window, some past the third anniversary, some removed.
        for i, enterprise in enumerate(companies[:30]):
            offsets = [-400, -200, -20, 10, 25, 40, 55, 90, 200, 400]
            listed_on = three_years_ago + datetime.timedelta(days=offsets[i % len(offsets)])
            if listed_on >= today:
                listed_on = today - datetime.timedelta(days=30)
            ground = str(i % 4 + 1)
            entry = listing("JYYC", enterprise, listed_on, ground, grounds[("JYYC", ground)].name)
            if i % 6 == 5:
                removed_on = min(today, listed_on + datetime.timedelta(days=120))
                services.remove_entry(
                    entry,
                    removed_on=removed_on,
                    authority=entry.department.name,
                    document=f"{DEMO_PREFIX}移〔{removed_on.year}〕{i}号",
                    reason="已补报年度报告并公示",
                    actor=None,
                )
        # Serious list: the 2016 regime (5 years) and the 2021 regime (3 years).
        serious_dates = [
            datetime.date(2020, 5, 12),
            datetime.date(2021, 3, 2),
            add_months(today, -37),
            add_months(today, -30),
            add_months(today, -13),
            add_months(today, -6),
        ]
        for enterprise, listed_on in zip(companies[30:36], serious_dates, strict=True):
            listing("YZWF", enterprise, listed_on, "9", "因虚假宣传三年内受到三次以上行政处罚")
        # Dishonest judgment debtors, published by the courts.
        for i, enterprise in enumerate(companies[36:44]):
            listed_on = today - datetime.timedelta(days=30 * (i + 1))
            entry = listing(
                "SXBZXR",
                enterprise,
                listed_on,
                None,
                "有履行能力而拒不履行生效法律文书确定义务",
                department=court,
            )
            if i == 0:
                services.remove_entry(
                    entry,
                    removed_on=today - datetime.timedelta(days=5),
                    authority=entry.department.name,
                    document=f"{DEMO_PREFIX}执恢〔{today.year}〕1号",
                    reason="已全部履行",
                    actor=None,
                )
        # Individual businesses marked abnormal (not the list).
        for i, enterprise in enumerate(individuals[:4]):
            listed_on = today - datetime.timedelta(days=100 + 20 * i)
            listing(ListCode.MARKED_ABNORMAL, enterprise, listed_on, "1", "未按规定报送年度报告")
        return created

    def _feedback(self, today: datetime.date) -> int:
        """A little feedback from market regulators (Haikou first), so rates are not all zero."""
        measure = Measure.objects.filter(code="M38-03").first()
        if (
            measure is None
            or Feedback.objects.filter(business_reference__startswith=DEMO_PREFIX).exists()
        ):
            return 0
        done = 0
        open_duties = Obligation.objects.filter(
            department__line="SCJG",
            fulfilled_at__isnull=True,
            entry__list_type__code=ListCode.ABNORMAL,
            entry__removed_on__isnull=True,
        ).select_related("entry", "entry__enterprise")
        haikou_first = Case(When(department__code="460100-SCJG", then=Value(0)), default=Value(1))
        for obligation in open_duties.order_by(haikou_first, "entry__listed_on", "pk")[:3]:
            services.record_feedback(
                department=obligation.department,
                enterprise=obligation.entry.enterprise,
                measure=measure,
                business_context="双随机抽查计划（重点监管对象）",
                business_reference=f"{DEMO_PREFIX}抽查{obligation.pk}",
                applied_on=max(obligation.entry.listed_on, today - datetime.timedelta(days=10)),
                outcome=FeedbackOutcome.APPLIED,
                actor=None,
            )
            done += 1
        return done
