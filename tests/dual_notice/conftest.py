"""Fixtures of the double-notification tests: a small mapping, departments of several lines,
enterprises in a Haikou district and in Sanya, and a 2031 holiday table."""

from __future__ import annotations

import datetime

import pytest

from apps.core.choices import CalendarDayKind
from apps.core.models import CalendarDay, CalendarYear
from apps.dual_notice.choices import ApprovalLevel, NoticeSource
from apps.dual_notice.models import ClaimDeadlineRule, LicensingMatter, ScopeKeyword
from apps.dual_notice.services import issue_notice
from apps.organizations.choices import DepartmentLevel, Role
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.organizations import DepartmentFactory, UserFactory

# Tue 30 Sep 2031; National Day 1-7 Oct off; Sat 11 Oct an adjusted working day.
PUSH_DAY = datetime.date(2031, 9, 30)
DUE_DAY = datetime.date(2031, 10, 13)


@pytest.fixture(autouse=True)
def default_deadline_rule(request):
    """The 5-working-day rule the migration seeds (a transactional test elsewhere may flush it)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    ClaimDeadlineRule.objects.get_or_create(
        valid_from=datetime.date(2015, 10, 1), defaults={"working_days": 5}
    )


@pytest.fixture
def calendar_2031(db):
    """A complete 2031 table with the National Day week and one adjusted working Saturday."""
    CalendarYear.objects.create(year=2031, source="测试")
    for day in range(1, 8):
        CalendarDay.objects.create(
            date=datetime.date(2031, 10, day), kind=CalendarDayKind.HOLIDAY, name="国庆节"
        )
    CalendarDay.objects.create(
        date=datetime.date(2031, 10, 11), kind=CalendarDayKind.WORKDAY, name="国庆节调休"
    )


def _matter(code, name, line, phrases, *, level=ApprovalLevel.LOCAL, codes=(), order=0, **kw):
    matter = LicensingMatter.objects.create(
        code=code,
        name=name,
        legal_basis=f"《{name}测试依据》第一条",
        department_line=line,
        approving_department_label=f"{line} 审批部门",
        approval_level=level,
        industry_code_prefixes=list(codes),
        valid_from=kw.pop("valid_from", datetime.date(2015, 10, 1)),
        sort_order=order,
        **kw,
    )
    for phrase in phrases:
        if isinstance(phrase, tuple):
            ScopeKeyword.objects.create(
                matter=matter, phrase=phrase[0], exclusions=list(phrase[1:])
            )
        else:
            ScopeKeyword.objects.create(matter=matter, phrase=phrase)
    return matter


@pytest.fixture
def depts(hainan, dept, other_dept):
    """Market regulation in Haikou, Sanya and the province; transport and drugs only provincial;
    public security in Haikou and the province."""
    province = hainan["province"]
    return {
        "hk_scjg": dept,
        "sy_scjg": other_dept,
        "prov_scjg": DepartmentFactory(
            code="460000-SCJG", name="海南省市场监督管理局", line="SCJG", region=province
        ),
        "prov_jt": DepartmentFactory(
            code="460000-JT", name="海南省交通运输厅", line="JT", region=province
        ),
        "prov_yj": DepartmentFactory(
            code="460000-YJ", name="海南省药品监督管理局", line="YJ", region=province
        ),
        "prov_ga": DepartmentFactory(
            code="460000-GA", name="海南省公安厅", line="GA", region=province
        ),
        "hk_ga": DepartmentFactory(
            code="460100-GA",
            name="海口市公安局",
            line="GA",
            level=DepartmentLevel.CITY,
            region=hainan["haikou"],
        ),
    }


@pytest.fixture
def mapping(depts):
    """Food business (SCJG, local), road freight (JT), drug wholesale (YJ, provincial),
    hotels (GA), tobacco retail (a line with no department) and construction by industry code."""
    return {
        "food": _matter(
            "SPJY", "食品经营许可", "SCJG", [("食品销售", "仅销售预包装食品"), "餐饮服务"], order=1
        ),
        "freight": _matter("DLHY", "道路货物运输经营许可", "JT", ["道路货物运输"], order=2),
        "drugs": _matter(
            "YPPF",
            "药品经营许可（批发）",
            "YJ",
            ["药品批发"],
            level=ApprovalLevel.PROVINCIAL,
            order=3,
        ),
        "hotel": _matter("TZHY", "特种行业许可（旅馆业）", "GA", ["住宿服务"], order=4),
        "tobacco": _matter("YCLS", "烟草专卖零售许可", "YCZM", ["烟草制品零售"], order=5),
        "build": _matter("JZZZ", "建筑业企业资质", "SCJG", [], codes=["E48"], order=6),
    }


@pytest.fixture
def xiuying_enterprise(hainan):
    """A company registered in Xiuying district (Haikou) that sells food and runs a guest house."""
    return EnterpriseFactory(
        name="海南椰风餐饮管理有限公司",
        region=hainan["xiuying"],
        business_scope="餐饮服务；住宿服务；会议及展览服务",
        address="海南省海口市秀英区滨海大道1号",
        legal_representative="符海燕",
    )


@pytest.fixture
def sanya_enterprise(hainan):
    """A Sanya logistics company."""
    return EnterpriseFactory(
        name="三亚鹏达物流有限公司",
        region=hainan["sanya"],
        business_scope="道路货物运输（不含危险货物）；普通货物仓储服务；食品销售",
    )


@pytest.fixture
def notify(calendar_2031):
    """Issue a notice for an enterprise's current scope, pushed on PUSH_DAY."""

    def _notify(enterprise, *, today=PUSH_DAY, scope=None):
        return issue_notice(
            enterprise,
            scope=enterprise.business_scope if scope is None else scope,
            industry_code=enterprise.industry_code,
            registered_on=today,
            source=NoticeSource.REGISTRY,
            today=today,
        )

    return _notify


@pytest.fixture
def hk_ga_clerk(depts):
    return UserFactory(
        username="hk_ga_clerk",
        display_name="海口公安办事员",
        role=Role.DEPARTMENT_STAFF,
        department=depts["hk_ga"],
    )


@pytest.fixture
def jt_clerk(depts):
    return UserFactory(
        username="jt_clerk",
        display_name="交通厅办事员",
        role=Role.DEPARTMENT_STAFF,
        department=depts["prov_jt"],
    )
