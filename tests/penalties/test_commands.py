"""The demo commands: idempotent, one revoked decision, one pending repair application."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from apps.penalties.choices import ApplicationStatus
from apps.penalties.models import Penalty, RepairApplication
from apps.permits.models import Licence
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(catalogue, dept, health_dept):
    for _ in range(5):
        EnterpriseFactory()


@freeze_time("2026-11-28")
def test_demo_penalties_are_idempotent_with_one_revoked_and_one_pending(demo_world, capsys):
    call_command("demo_penalties", "--count", "40")
    assert "新增 40 条" in capsys.readouterr().out
    assert Penalty.objects.count() == 40
    assert Penalty.objects.filter(revoked_at__isnull=False).count() == 1
    assert RepairApplication.objects.get().status == ApplicationStatus.PENDING
    assert {p.department.code for p in Penalty.objects.select_related("department")} == {
        "460100-SCJG",
        "460100-WJW",
    }
    call_command("demo_penalties", "--count", "40")
    assert "未变化 40 条" in capsys.readouterr().out
    assert RepairApplication.objects.count() == 1


def test_demo_commands_explain_what_is_missing(db, capsys):
    call_command("demo_penalties")
    call_command("demo_permits")
    out = capsys.readouterr().out
    assert "XZCF" in out and "XZXK" in out


def test_demo_permits_are_idempotent(demo_world, capsys):
    from apps.organizations.choices import DepartmentLevel
    from tests.factories.organizations import DepartmentFactory

    DepartmentFactory(
        code="460100-ZJ", name="海口市住房和城乡建设局", line="ZJ", level=DepartmentLevel.CITY
    )
    call_command("demo_permits", "--count", "30")
    assert "新增 30 条" in capsys.readouterr().out
    assert Licence.objects.count() == 30
    call_command("demo_permits", "--count", "30")
    assert "未变化 30 条" in capsys.readouterr().out


def test_recompute_applies_a_corrected_regime_and_keeps_history(
    load_penalty, health_dept, catalogue, capsys
):
    import datetime

    from apps.catalogue.models import PublicityRegime
    from apps.records.selectors import revisions_of

    penalty = load_penalty(health_dept, decided=datetime.date(2024, 3, 1), fine="1")
    assert penalty.max_until == datetime.date(2025, 3, 1)
    PublicityRegime.objects.filter(name="信用网站一般失信行为处罚公示").update(max_months=24)
    call_command("recompute_penalty_publicity", "--dry-run")
    assert "将变化 1 条" in capsys.readouterr().out
    penalty.refresh_from_db()
    assert penalty.max_until == datetime.date(2025, 3, 1)
    call_command("recompute_penalty_publicity")
    assert "1 条" in capsys.readouterr().out
    penalty.refresh_from_db()
    assert penalty.max_until == datetime.date(2026, 3, 1)
    assert revisions_of(penalty).get().after["max_until"] == "2026-03-01"
    call_command("recompute_penalty_publicity")
    assert "0 条" in capsys.readouterr().out
