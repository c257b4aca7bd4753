"""Inspection fixtures: the CCJC catalogue resource, entities, officers of two bureaus, a pool."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings

from apps.catalogue import services as catalogue_services
from apps.inspections import services
from apps.organizations.choices import Role
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.organizations import UserFactory

CATALOGUE = Path(settings.BASE_DIR) / "fixtures" / "catalogue" / "hainan_catalogue.json"
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def ccjc(dept):
    """The published CCJC resource (spot-check results) from the Hainan catalogue."""
    document = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    document["resources"] = [r for r in document["resources"] if r["code"] == "CCJC"]
    catalogue_services.import_catalogue(document, actor=None, publish=True)
    from apps.catalogue.models import Resource

    return Resource.objects.get(code="CCJC")


@pytest.fixture
def entities(hainan):
    """12 Haikou entities (4 of them in Xiuying district) and 4 Sanya entities."""
    haikou = [EnterpriseFactory(region=hainan["haikou"]) for _ in range(8)]
    xiuying = [EnterpriseFactory(region=hainan["xiuying"]) for _ in range(4)]
    sanya = [EnterpriseFactory(region=hainan["sanya"]) for _ in range(4)]
    return {"haikou": haikou, "xiuying": xiuying, "sanya": sanya, "all": haikou + xiuying + sanya}


@pytest.fixture
def officers(dept, other_dept, hainan, clerk):
    """Three Haikou officers (the first one covering Haikou) and two Sanya officers."""
    made = {}
    for index in range(3):
        made[f"hk{index}"] = services.save_officer(
            department=dept,
            name=f"海口执法员{index}",
            certificate_number=f"HK-{index:04d}",
            areas=[hainan["haikou"]] if index == 0 else [],
            actor=clerk,
        )
    for index in range(2):
        made[f"sy{index}"] = services.save_officer(
            department=other_dept,
            name=f"三亚执法员{index}",
            certificate_number=f"SY-{index:04d}",
            areas=[hainan["sanya"]],
            actor=None,
        )
    return made


@pytest.fixture
def pool(dept, entities, clerk):
    """A pool of every entity (16)."""
    return services.build_pool(
        department=dept, name="全市企业", filters=services.PoolFilters(), actor=clerk
    )


@pytest.fixture
def make_plan(dept, pool, clerk):
    """Build a plan of ``dept`` over ``pool``; keyword arguments override the defaults."""

    def make(**overrides):
        arguments = {
            "name": "2026 年企业公示信息抽查",
            "lead_department": dept,
            "pool": pool,
            "matters": "企业公示信息情况检查\n登记事项检查",
            "starts_on": datetime.date(2026, 11, 2),
            "ends_on": datetime.date(2026, 12, 31),
            "sample_count": 4,
            "actor": clerk,
        }
        arguments.update(overrides)
        return services.create_plan(**arguments)

    return make


@pytest.fixture
def officer_user(dept):
    """An account of the Haikou bureau linked to officer hk1 by the test that needs it."""
    return UserFactory(
        username="officer_user",
        display_name="执法员账号",
        role=Role.DEPARTMENT_STAFF,
        department=dept,
    )
