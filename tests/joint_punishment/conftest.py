"""Fixtures of the joint-punishment tests.

Reference data (list types, grounds, regimes, measures) comes from migration
0002, so every test database has it. The cast adds to tests/conftest.py:
the provincial market regulator (decides escalations), the Haikou finance
bureau (line CZ: implements procurement limits on the serious list) and the
Haikou statistics bureau (line TJ: implements no measure).
"""

from __future__ import annotations

import datetime

import pytest

from apps.enterprises.choices import EntityType
from apps.joint_punishment import services
from apps.joint_punishment.models import ListingGround, ListType
from apps.organizations.choices import DepartmentLevel, Role
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.organizations import DepartmentFactory, UserFactory


@pytest.fixture
def lists(db):
    return {lt.code: lt for lt in ListType.objects.all()}


@pytest.fixture
def grounds(db):
    return {
        (g.list_type.code, g.code): g for g in ListingGround.objects.select_related("list_type")
    }


@pytest.fixture
def province_scjg(hainan):
    return DepartmentFactory(
        code="460000-SCJG",
        name="海南省市场监督管理局",
        line="SCJG",
        level=DepartmentLevel.PROVINCIAL,
        region=hainan["province"],
    )


@pytest.fixture
def finance(hainan):
    return DepartmentFactory(
        code="460100-CZ",
        name="海口市财政局",
        line="CZ",
        level=DepartmentLevel.CITY,
        region=hainan["haikou"],
    )


@pytest.fixture
def statistics(hainan):
    return DepartmentFactory(
        code="460100-TJ",
        name="海口市统计局",
        line="TJ",
        level=DepartmentLevel.CITY,
        region=hainan["haikou"],
    )


@pytest.fixture
def finance_clerk(finance):
    return UserFactory(
        username="cz_clerk",
        display_name="财政办事员",
        role=Role.DEPARTMENT_STAFF,
        department=finance,
    )


@pytest.fixture
def company(hainan):
    return EnterpriseFactory(
        region=hainan["haikou"], established_on=datetime.date(2018, 5, 1), name="海南甲贸易有限公司"
    )


@pytest.fixture
def individual(hainan):
    return EnterpriseFactory(
        region=hainan["haikou"],
        entity_type=EntityType.INDIVIDUAL_BUSINESS,
        established_on=datetime.date(2019, 3, 1),
        name="海口乙便利店",
    )


@pytest.fixture
def make_entry(dept, lists, grounds):
    """List an entity through the service (department: Haikou SCJG unless given)."""

    counter = iter(range(1, 10_000))

    def make(
        enterprise, code="JYYC", listed_on=datetime.date(2024, 3, 1), *, department=None, ground="1"
    ):
        department = department or dept
        return services.list_entity(
            list_type=lists[code],
            enterprise=enterprise,
            department=department,
            listed_on=listed_on,
            authority=department.name,
            document=f"琼测列〔{listed_on.year}〕{next(counter)}号",
            reason="测试列入",
            ground=grounds.get((code, ground)),
            actor=None,
        )

    return make
