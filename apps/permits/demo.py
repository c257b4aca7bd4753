"""Demo licences for ``make run``: a few hundred decisions loaded through the LicenceStore.

Deterministic (seeded) and anchored on :data:`ANCHOR`, so running it again
changes nothing. Some licences have expired (out of publicity), some are long-term.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from apps.enterprises.models import Enterprise
from apps.organizations.models import Department
from apps.records.registry import LoadContext, LoadRow, RowOutcome

from .stores import LicenceStore

ANCHOR = datetime.date(2026, 11, 1)
SEED = 20261129
LONG_TERM = datetime.date(2099, 12, 31)
DEMO_AUTHORITY_USCC = "11460000MB0000000A"
#: Department code -> (licence certificate, category, content, validity in years or 0 = long term)
LICENCES = {
    "460100-SCJG": ("食品经营许可证", "普通", "预包装食品（含冷藏冷冻食品）销售；散装食品销售", 5),
    "460200-SCJG": ("食品经营许可证", "普通", "热食类食品制售", 5),
    "460000-SCJG": ("工业产品生产许可证", "核准", "建筑用钢筋生产", 5),
    "460100-WJW": ("医疗机构执业许可证", "普通", "内科、外科门诊", 5),
    "460100-YJGL": ("危险化学品经营许可证", "普通", "汽油、柴油批发（无储存）", 3),
    "460100-ZJ": ("建筑业企业资质证书", "认可", "建筑工程施工总承包三级", 5),
    "460100-STHJ": ("排污许可证", "登记", "废水、废气排放", 0),
}


def load_demo_licences(count: int = 300) -> tuple[dict[str, int], list[str]]:
    """Load ``count`` deterministic licences; returns (outcome counts, skipped messages)."""
    from apps.catalogue.models import Resource

    outcomes: dict[str, int] = defaultdict(int)
    resource = Resource.objects.filter(code="XZXK", current_version__isnull=False).first()
    departments = list(Department.objects.filter(code__in=LICENCES).order_by("code"))
    enterprises = list(Enterprise.objects.order_by("pk")[:400])
    if resource is None or not departments or not enterprises:
        return outcomes, ["需要先载入资源目录（XZXK）、部门和演示市场主体。"]
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    rows: dict[int, list[LoadRow]] = defaultdict(list)
    for n in range(count):
        department = rng.choice(departments)
        enterprise = rng.choice(enterprises)
        certificate, category, content, years = LICENCES[department.code]
        decided = ANCHOR - datetime.timedelta(days=rng.randint(1, 8 * 365))
        valid_to = (
            LONG_TERM
            if years == 0
            else decided.replace(year=decided.year + years, day=min(decided.day, 28))
            - datetime.timedelta(days=1)
        )
        number = f"琼{department.code.replace('-', '')}许〔{decided.year}〕{n + 1:04d}号"
        values = {
            "XK_XDR_MC": enterprise.name,
            "XK_XDR_LB": "法人及非法人组织",
            "XK_XDR_SHXYM": enterprise.uscc,
            "XK_FRDB": enterprise.legal_representative,
            "XK_WSH": number,
            "XK_XKWS": f"{certificate}准予许可决定书",
            "XK_XKLB": category,
            "XK_XKZS": certificate,
            "XK_XKBH": f"{department.code[:6]}{decided:%Y}{n + 1:06d}",
            "XK_NR": content,
            "XK_JDRQ": decided,
            "XK_YXQZ": decided,
            "XK_YXQZI": valid_to,
            "XK_XKJG": department.name,
            "XK_XKJGDM": DEMO_AUTHORITY_USCC,
            "XK_ZT": "0",
            "XK_LYDW": department.name,
            "XK_LYDWDM": DEMO_AUTHORITY_USCC,
        }
        rows[department.pk].append(
            LoadRow(
                row_number=n + 1,
                business_key=number,
                decision_date=decided,
                subject_kind="organization",
                subject_uscc=enterprise.uscc,
                subject_name=enterprise.name,
                enterprise_id=enterprise.pk,
                values=values,
            )
        )
    store = LicenceStore()
    with transaction.atomic():
        for department_id, department_rows in rows.items():
            first = min(row.decision_date for row in department_rows)
            result = store.load(
                department_rows,
                LoadContext(
                    department_id=department_id,
                    resource_code="XZXK",
                    resource_version=resource.current_version.number,
                    channel="exchange",
                    submission_id=None,
                    received_at=timezone.make_aware(
                        datetime.datetime.combine(first, datetime.time(10))
                    ),
                ),
            )
            for outcome in RowOutcome:
                outcomes[outcome.value] += result.count(outcome)
    return outcomes, []
