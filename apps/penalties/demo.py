"""Demo penalties for ``make run``: a few hundred decisions loaded through the PenaltyStore.

Deterministic (seeded) and anchored on :data:`ANCHOR`, so running it again
changes nothing. One decision is revoked and one has a pending repair
application, for the Haikou market-regulation demo accounts.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import DomainError
from apps.enterprises.models import Enterprise
from apps.organizations.models import Department
from apps.records.registry import LoadContext, LoadRow, RowOutcome

from . import services
from .choices import RepairStatus
from .models import Penalty, RepairApplication
from .stores import PenaltyStore

#: Decision dates are spread over the six years before this day.
ANCHOR = datetime.date(2026, 11, 1)
SEED = 20261128
DEPARTMENTS = (
    "460100-SCJG",
    "460200-SCJG",
    "460000-SCJG",
    "460100-WJW",
    "460100-YJGL",
    "460100-SW",
    "460000-YJ",
)
VIOLATIONS = {
    "SCJG": [
        ("虚假宣传", "《中华人民共和国反不正当竞争法》第二十条"),
        ("未按规定明码标价", "《中华人民共和国价格法》第四十二条"),
        ("销售不符合食品安全标准的食品", "《中华人民共和国食品安全法》第一百二十四条"),
        ("使用未经检验的特种设备", "《中华人民共和国特种设备安全法》第八十四条"),
        ("未按规定报送年度报告", "《企业信息公示暂行条例》第十八条"),
    ],
    "WJW": [("未取得医疗机构执业许可证擅自执业", "《医疗机构管理条例》第四十三条")],
    "YJGL": [("未按规定开展安全生产教育和培训", "《中华人民共和国安全生产法》第九十七条")],
    "SW": [("未按照规定期限办理纳税申报", "《中华人民共和国税收征收管理法》第六十二条")],
    "YJ": [("销售未取得药品批准证明文件的药品", "《中华人民共和国药品管理法》第一百一十六条")],
}
#: (main kind, extra kinds named in the content, weight)
KIND_MIX = (
    ("罚款", (), 55),
    ("警告", (), 10),
    ("通报批评", (), 5),
    ("罚款", ("没收违法所得",), 12),
    ("警告", ("罚款",), 6),
    ("吊销许可证件", ("罚款",), 5),
    ("责令停产停业", (), 4),
    ("没收非法财物", (), 3),
)
DEMO_AUTHORITY_USCC = "11460000MB0000000A"


@dataclass
class DemoSummary:
    """What one run did."""

    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    revoked: str = ""
    repair: str = ""
    skipped: list[str] = field(default_factory=list)


def _document_number(code: str, year: int, n: int) -> str:
    return f"琼{code.replace('-', '')}罚〔{year}〕{n:04d}号"


def build_rows(
    count: int, departments: list[Department], enterprises: list[Enterprise]
) -> dict[int, list[LoadRow]]:
    """``count`` deterministic XZCF rows, grouped by department id."""
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    kinds = [k for k in KIND_MIX for _ in range(k[2])]
    by_department: dict[int, list[LoadRow]] = defaultdict(list)
    for n in range(count):
        department = departments[0] if n < 2 else rng.choice(departments)
        enterprise = rng.choice(enterprises)
        decided = ANCHOR - datetime.timedelta(
            days=200 if n == 0 else 400 if n == 1 else rng.randint(1, 6 * 365)
        )
        violation, basis = rng.choice(VIOLATIONS.get(department.line, VIOLATIONS["SCJG"]))
        main, extra_kinds, _ = ("罚款", (), 0) if n < 2 else rng.choice(kinds)
        fine = None
        if main == "罚款" or "罚款" in extra_kinds:
            fine = Decimal(rng.choice(["0.05", "0.2", "0.5", "1", "2", "5", "8", "12", "30"]))
        if n < 2:
            fine = Decimal("8")
        content = "；".join([main, *extra_kinds]) + (f"，罚款 {fine} 万元" if fine else "")
        natural = n % 97 == 50
        number = _document_number(department.code, decided.year, n + 1)
        values = {
            "CF_XDR_MC": "张某某" if natural else enterprise.name,
            "CF_XDR_LB": "自然人" if natural else "法人及非法人组织",
            "CF_XDR_SHXYM": "" if natural else enterprise.uscc,
            "CF_WSH": number,
            "CF_WFXW": violation,
            "CF_SY": f"经查，当事人存在{violation}的违法行为。",
            "CF_YJ": basis,
            "CF_CFLB": main,
            "CF_NR": content,
            "CF_NR_FK": fine,
            "CF_JDRQ": decided,
            "CF_CFJG": department.name,
            "CF_CFJGDM": DEMO_AUTHORITY_USCC,
            "CF_ZT": "0",
            "CF_SJLY": department.name,
            "CF_SJLYDM": DEMO_AUTHORITY_USCC,
        }
        by_department[department.pk].append(
            LoadRow(
                row_number=n + 1,
                business_key=number,
                decision_date=decided,
                subject_kind="natural_person" if natural else "organization",
                subject_uscc="" if natural else enterprise.uscc,
                subject_name=values["CF_XDR_MC"],
                enterprise_id=None if natural else enterprise.pk,
                values=values,
            )
        )
    return by_department


def load_demo_penalties(count: int = 300) -> DemoSummary:
    """Load the demo penalties, revoke one, file one pending repair application (idempotent)."""
    from apps.catalogue.models import Resource

    summary = DemoSummary()
    resource = Resource.objects.filter(code="XZCF", current_version__isnull=False).first()
    departments = list(Department.objects.filter(code__in=DEPARTMENTS).order_by("code"))
    departments.sort(key=lambda d: DEPARTMENTS.index(d.code))
    enterprises = list(Enterprise.objects.order_by("pk")[:400])
    if resource is None or not departments or not enterprises:
        summary.skipped.append("需要先载入资源目录（XZCF）、部门和演示市场主体。")
        return summary
    store = PenaltyStore()
    with transaction.atomic():
        for department_id, rows in build_rows(count, departments, enterprises).items():
            first = min(row.decision_date for row in rows)
            context = LoadContext(
                department_id=department_id,
                resource_code="XZCF",
                resource_version=resource.current_version.number,
                channel="exchange",
                submission_id=None,
                received_at=timezone.make_aware(
                    datetime.datetime.combine(first, datetime.time(10))
                ),
            )
            result = store.load(rows, context)
            for outcome in RowOutcome:
                summary.outcomes[outcome.value] += result.count(outcome)
    haikou = departments[0]
    revoked = Penalty.objects.get(
        department=haikou,
        business_key=_document_number(haikou.code, (ANCHOR - datetime.timedelta(days=200)).year, 1),
    )
    if revoked.revoked_at is None:
        services.revoke_penalty(revoked, reason="演示：经行政复议撤销原处罚决定", actor=None)
    summary.revoked = revoked.document_number
    repair = Penalty.objects.get(
        department=haikou,
        business_key=_document_number(haikou.code, (ANCHOR - datetime.timedelta(days=400)).year, 2),
    )
    summary.repair = repair.document_number
    if (
        repair.repair_status == RepairStatus.NONE
        and not RepairApplication.objects.filter(penalty=repair).exists()
    ):
        try:
            services.apply_for_repair(
                repair,
                applicant_name=repair.subject_name,
                contact_name="王经理",
                contact_phone="0898-66000000",
                statement="演示：罚款已于决定后 15 日内缴清，已完成整改并作出信用承诺。",
                evidence=ContentFile(b"%PDF-1.4\n% demo evidence\n", name="demo.pdf"),
            )
        except DomainError as exc:
            summary.skipped.append(str(exc))
    return summary
