"""Operator commands: the mapping loader, the scan, the demo data; the beat tasks."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from apps.dual_notice.models import ClaimTask, LicensingMatter, Notice, ScanWatermark
from apps.organizations.choices import Role
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.organizations import UserFactory

pytestmark = pytest.mark.django_db


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_mapping_fixture_loads_idempotently(depts):
    first = _run("load_dual_notice_mapping")
    assert "created" in first
    count = LicensingMatter.objects.count()
    assert count >= 20
    assert f"0 created, {count} updated" in _run("load_dual_notice_mapping")
    food = LicensingMatter.objects.get(code="SPJY")
    assert food.department_line == "SCJG"
    assert food.keywords.get(phrase="食品销售").exclusions == ["仅销售预包装食品"]


def test_mapping_dry_run_writes_nothing(depts):
    assert "dry run" in _run("load_dual_notice_mapping", "--dry-run")
    assert not LicensingMatter.objects.exists()


def test_demo_command_is_idempotent(depts, hainan, dept):
    UserFactory(username="hk_scjg_clerk", role=Role.DEPARTMENT_STAFF, department=dept)
    for i in range(6):
        EnterpriseFactory(
            region=hainan["haikou"], business_scope=f"餐饮服务；住宿服务；会议服务{i}"
        )
    EnterpriseFactory(region=hainan["haikou"], business_scope="软件开发")
    _run("demo_dual_notice", "--count", "5")
    assert Notice.objects.count() == 5
    tasks = ClaimTask.objects.count()
    # Food business, hotel (public security) and public-place hygiene per enterprise.
    assert tasks == 15
    assert ScanWatermark.objects.count() == 2
    _run("demo_dual_notice", "--count", "5")
    assert Notice.objects.count() == 5
    assert ClaimTask.objects.count() == tasks


def test_scan_command_and_beat_tasks(depts, mapping):
    from apps.dual_notice.tasks import route_overdue_tasks_task, scan_registrations_task

    out = _run("scan_registrations")
    assert "watermark started now" in out
    assert scan_registrations_task() == {
        "read": {"registry": 0, "qydj": 0},
        "issued": {"registry": 0, "qydj": 0},
    }
    assert route_overdue_tasks_task() == 0
