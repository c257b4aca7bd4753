"""demo_inspections: officers of two departments, a pool, a joint plan, a draw, results; idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from apps.inspections.models import Draw, FollowUp, InspectionResult, Officer, Plan, TargetPool
from apps.organizations.choices import DepartmentLevel, RegionLevel
from apps.records.models import GenericRecord
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.organizations import DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def haikou_districts(hainan):
    for code, name in (("460106", "龙华区"), ("460107", "琼山区"), ("460108", "美兰区")):
        RegionFactory(code=code, name=name, level=RegionLevel.DISTRICT, parent=hainan["haikou"])


@pytest.fixture
def health(hainan):
    return DepartmentFactory(
        code="460100-WJW",
        name="海口市卫生健康委员会",
        line="WJW",
        level=DepartmentLevel.CITY,
        region=hainan["haikou"],
    )


def test_demo_builds_a_joint_plan_with_results_and_is_idempotent(
    dept, health, haikou_districts, hainan, ccjc
):
    for _ in range(20):
        EnterpriseFactory(region=hainan["haikou"])
    out = io.StringIO()
    call_command("demo_inspections", stdout=out)
    assert "inspections demo" in out.getvalue()
    plan = Plan.objects.get()
    assert plan.is_joint
    assert plan.tasks.count() == 10
    assert Officer.objects.filter(department=dept).count() == 4
    assert Officer.objects.filter(department=health).count() == 3
    assert InspectionResult.objects.count() == 3
    assert FollowUp.objects.count() == 1
    assert GenericRecord.objects.filter(resource_code="CCJC").count() == 3
    for task in plan.tasks.prefetch_related("assignments__officer"):
        assert {a.officer.department_id for a in task.assignments.all()} == {dept.pk, health.pk}

    call_command("demo_inspections", stdout=io.StringIO())
    assert Plan.objects.count() == 1 and TargetPool.objects.count() == 1
    assert Draw.objects.count() == 1 and Officer.objects.count() == 7
    assert InspectionResult.objects.count() == 3


def test_demo_skips_without_the_departments(hainan):
    out = io.StringIO()
    call_command("demo_inspections", stdout=out)
    assert "skipped" in out.getvalue()
    assert not Plan.objects.exists()
