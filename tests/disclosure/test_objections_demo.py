"""The demo_disclosure command: objections in every state, a key printed once, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from apps.catalogue.choices import ResourceKind
from apps.disclosure.models import Objection, PortalApiKey
from apps.organizations.choices import Role
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.organizations import UserFactory

from .objection_support import _clean_cache, publish  # noqa: F401

pytestmark = pytest.mark.django_db


def test_demo_disclosure_is_idempotent(dept):
    publish("DCDY", ResourceKind.GENERIC, [{"code": "DY_BH", "name": "登记编号"}])
    UserFactory(username="hk_scjg_clerk", role=Role.DEPARTMENT_STAFF, department=dept)
    for n in range(4):
        EnterpriseFactory(name=f"演示企业{n}")
    out = io.StringIO()
    call_command("demo_disclosure", stdout=out)
    assert "X-Api-Key" in out.getvalue() and "hcp_" in out.getvalue()
    statuses = sorted(Objection.objects.values_list("status", flat=True))
    assert statuses == ["corrected", "pending", "pending", "rejected"]
    assert Objection.objects.overdue().count() == 1
    again = io.StringIO()
    call_command("demo_disclosure", stdout=again)
    assert "hcp_" not in again.getvalue()
    assert Objection.objects.count() == 4
    assert PortalApiKey.objects.count() == 1
