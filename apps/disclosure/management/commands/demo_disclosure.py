"""``manage.py demo_disclosure``: demo objections in every state, the change feed, one portal key.

Idempotent: the demo records are loaded on their business keys, objections
are created only when none with the demo marker exist, and the portal key is
issued only when no active demo key exists (its full key is printed only
then). Refuses to run in production.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from apps.catalogue.choices import FieldType, PublicityClass
from apps.catalogue.models import Resource
from apps.core.choices import Channel
from apps.core.context import channel_context
from apps.core.workdays import add_working_days
from apps.disclosure import services
from apps.disclosure.models import Objection, ObjectionOutcome, PortalApiKey
from apps.enterprises.models import Enterprise
from apps.organizations.models import Department, User
from apps.records import registry
from apps.records.registry import LoadContext, LoadRow

DEMO_DEPARTMENT = "460100-SCJG"
DEMO_ANSWERER = "hk_scjg_clerk"
DEMO_RESOURCE = "DCDY"  # 动产抵押登记信息: a public resource kept by the generic store
DEMO_MARKER = "@demo.example"
DEMO_KEY_NAME = "演示密钥（信用研究）"

# (objector, phone, content, outcome or None, answer, days ago)
DEMO_OBJECTIONS = [
    ("林**科技（演示）", "13800001111", "抵押物清单中的车辆已于上月解除抵押。", None, "", 1),
    ("王海", "13900002222", "登记编号有误，应为琼海口动抵字第 0102 号。", ObjectionOutcome.CORRECTED,
     "已核实并更正登记编号。", 10),
    ("陈晓", "13700003333", "该抵押登记不属于本企业。", ObjectionOutcome.REJECTED,
     "经核查登记档案，抵押人为该企业，信息无误。", 12),
    ("符明", "13600004444", "抵押金额公示错误。", None, "", 40),
]  # fmt: skip


def _sample(data_type: str, n: int) -> Any:
    if data_type in (FieldType.DATE, FieldType.DATETIME):
        return (datetime.date(2025, 6, 1) + datetime.timedelta(days=n)).isoformat()
    if data_type in (FieldType.INTEGER, FieldType.DECIMAL):
        return 100000 * (n + 1)
    return f"演示数据{n + 1}"


class Command(BaseCommand):
    help = "Demo objections in every state, the change feed and one portal API key (not in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("demo_disclosure refuses to run when HAINAN_ENV=production.")
        with channel_context(Channel.COMMAND):
            added = services.sync_change_events()
            self.stdout.write(f"change feed: {added} new announcement(s)")
            self._objections()
            self._key()

    def _records(self, department: Department, resource: Resource) -> list[tuple[int, int]]:
        """Load one demo record for each of the first enterprises; (enterprise id, record id)."""
        version = resource.current_version
        enterprises = list(Enterprise.objects.order_by("pk")[: len(DEMO_OBJECTIONS)])
        fields = list(version.fields.all())
        rows = [
            LoadRow(
                row_number=n + 1,
                business_key=f"演示动抵〔2026〕{n + 1}号",
                decision_date=datetime.date(2026, 1, 5) + datetime.timedelta(days=n),
                subject_kind="organization",
                subject_uscc=enterprise.uscc,
                subject_name=enterprise.name,
                enterprise_id=enterprise.pk,
                values={f.code: _sample(f.data_type, n) for f in fields},
            )
            for n, enterprise in enumerate(enterprises)
        ]
        context = LoadContext(
            department_id=department.pk,
            resource_code=resource.code,
            resource_version=version.number,
            channel="form",
            submission_id=None,
            received_at=timezone.now(),
        )
        store = registry.get_store(resource.kind, resource.code)
        with transaction.atomic():
            result = store.load(rows, context)
        return [
            (rows[n - 1].enterprise_id, result.record_ids[n]) for n in sorted(result.record_ids)
        ]

    def _objections(self) -> None:
        if Objection.objects.filter(objector_email__endswith=DEMO_MARKER).exists():
            self.stdout.write("demo objections: exist")
            return
        department = Department.objects.filter(code=DEMO_DEPARTMENT).first()
        resource = Resource.objects.filter(
            code=DEMO_RESOURCE, current_version__publicity_class=PublicityClass.PUBLIC
        ).first()
        answerer = User.objects.filter(username=DEMO_ANSWERER).first()
        if department is None or resource is None or not Enterprise.objects.exists():
            self.stdout.write(
                "demo objections: skipped (departments, catalogue or enterprises missing)"
            )
            return
        records = self._records(department, resource)
        for (enterprise_id, record_id), demo in zip(records, DEMO_OBJECTIONS, strict=False):
            name, phone, content, outcome, answer, days_ago = demo
            enterprise = Enterprise.objects.get(pk=enterprise_id)
            target = services.find_disputed_record(enterprise.uscc, resource.code, record_id)
            submitted = services.submit_objection(
                target,
                objector_name=name,
                objector_phone=phone,
                objector_email=f"objector{record_id}{DEMO_MARKER}",
                content=content,
            )
            objection = submitted.objection
            # Demo only: move the submission into the past so deadlines (and one
            # overdue objection) show; services always stamp "now".
            submitted_at = timezone.now() - datetime.timedelta(days=days_ago)
            Objection.objects.filter(pk=objection.pk).update(
                submitted_at=submitted_at,
                due_date=add_working_days(
                    timezone.localdate(submitted_at),
                    services.answer_working_days_on(timezone.localdate(submitted_at)),
                ),
            )
            if outcome and answerer is not None:
                services.answer_objection(objection, outcome=outcome, note=answer, actor=answerer)
            self.stdout.write(
                f"demo objection {objection.reference} ({outcome or 'pending'}), "
                f"verification code {submitted.verification_code}"
            )

    def _key(self) -> None:
        if PortalApiKey.objects.active().filter(name=DEMO_KEY_NAME).exists():
            self.stdout.write("Demo portal API key already exists (key not shown again).")
            return
        issued = services.issue_portal_key(
            name=DEMO_KEY_NAME,
            owner="演示单位",
            contact_name="演示联系人",
            contact_email=f"research{DEMO_MARKER}",
            daily_quota=10000,
            per_minute=120,
            actor=None,
        )
        self.stdout.write(
            f"Demo portal API key (header X-Api-Key, shown once, store it now): {issued.secret}"
        )
