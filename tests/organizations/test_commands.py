"""The ``load_hainan_fixtures`` and ``create_demo_accounts`` management commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.core.models import AuditEvent
from apps.organizations.choices import Role
from apps.organizations.models import ApiToken, Department, Region, User
from apps.organizations.tokens import hash_key


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_command_prints_a_summary_and_is_idempotent(db):
    first = run("load_hainan_fixtures")
    assert "regions: 31 created" in first
    assert Department.objects.filter(code="460100-SCJG").exists()
    second = run("load_hainan_fixtures")
    assert "regions: 0 created, 0 changed, 31 unchanged" in second
    assert "departments: 0 created, 0 changed" in second


def test_load_command_audits_through_the_command_channel(db):
    run("load_hainan_fixtures")
    assert set(AuditEvent.objects.values_list("channel", flat=True)) == {"command"}


def test_load_command_dry_run_rolls_back(db):
    output = run("load_hainan_fixtures", "--dry-run")
    assert "[dry run]" in output
    assert not Region.objects.exists()


def test_demo_accounts_need_the_fixtures(db):
    with pytest.raises(CommandError, match="load_hainan_fixtures"):
        run("create_demo_accounts")


def test_demo_accounts_one_per_role_with_the_demo_password(db):
    run("load_hainan_fixtures")
    output = run("create_demo_accounts")
    users = {u.username: u for u in User.objects.select_related("department", "region")}
    assert users["admin"].role == Role.PROVINCE_ADMIN
    assert users["haikou_admin"].role == Role.REGION_ADMIN
    assert users["haikou_admin"].region.code == "460100"
    assert users["hk_scjg_clerk"].department.code == "460100-SCJG"
    assert users["hk_scjg_liaison"].role == Role.DEPARTMENT_LIAISON
    assert users["sy_scjg_clerk"].department.code == "460200-SCJG"
    assert users["auditor"].role == Role.AUDITOR
    assert {u.role for u in users.values()} == set(Role.values)
    assert all(u.check_password("hainan-demo-2026") for u in users.values())
    assert "hainan-demo-2026" in output
    assert "hk_scjg_liaison" in output


def test_demo_token_key_is_printed_once_and_works(db):
    run("load_hainan_fixtures")
    output = run("create_demo_accounts")
    key = next(w for w in output.split() if w.startswith("hc_"))
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert token.department.code == "460100-SCJG"
    again = run("create_demo_accounts")
    assert "hc_" not in again
    assert ApiToken.objects.count() == 1
    assert User.objects.count() == 6


def test_demo_accounts_take_a_password_option(db):
    run("load_hainan_fixtures")
    run("create_demo_accounts", "--password", "another-Demo-9")
    assert User.objects.get(username="auditor").check_password("another-Demo-9")


def test_demo_accounts_refuse_production(db, settings):
    settings.PRODUCTION = True
    run("load_hainan_fixtures")
    with pytest.raises(CommandError, match="production"):
        run("create_demo_accounts")
    assert not User.objects.exists()
