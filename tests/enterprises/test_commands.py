"""``generate_demo_enterprises``: valid unique codes, idempotent, searchable, audited."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.core.choices import AuditEventType
from apps.core.models import AuditEvent
from apps.core.uscc import check_identifier
from apps.enterprises.models import Enterprise
from apps.enterprises.selectors import search_enterprises
from apps.organizations.services import load_hainan_fixtures


@pytest.fixture
def all_regions(db):
    load_hainan_fixtures(actor=None)


def _run(*args):
    out = StringIO()
    call_command("generate_demo_enterprises", *args, stdout=out)
    return out.getvalue()


def test_generated_enterprises_have_valid_unique_codes_and_are_audited_once(all_regions):
    output = _run("500", "--seed", "1", "--batch-size", "128")
    assert "rows/s" in output
    rows = list(Enterprise.objects.values_list("uscc", "organization_code", "registration_number"))
    assert len(rows) == 500
    assert len({uscc for uscc, _, _ in rows}) == 500
    for uscc, organization_code, registration_number in rows:
        result = check_identifier(uscc)
        assert result.status == "valid", (uscc, result.errors)
        assert organization_code == uscc[8:17]
        if registration_number:
            assert check_identifier(registration_number).status == "valid", registration_number
    assert any(rn for _, _, rn in rows)  # entities from before 2015 carry a 注册号
    events = AuditEvent.objects.filter(event_type=AuditEventType.ENTERPRISES_BULK_LOADED)
    assert events.count() == 1
    assert events.get().after["inserted"] == 500
    assert events.get().channel == "command"


def test_generated_data_covers_the_hainan_shapes(all_regions):
    _run("3000", "--seed", "2")
    qs = Enterprise.objects.all()
    assert qs.filter(uscc__startswith="92", entity_type="individual_business").exists()
    assert qs.filter(uscc__startswith="93", name__endswith="专业合作社").exists()
    assert qs.filter(name__endswith="分公司", entity_type="branch").exists()
    assert qs.filter(region__code="460400", uscc__regex=r"^9.469003").exists()
    assert qs.filter(region__code="46YP00").exists()
    assert qs.exclude(status="active").exists()
    assert qs.filter(established_on__year__lt=2000).exists()


def test_rerun_with_if_empty_adds_nothing(all_regions):
    _run("500", "--seed", "1")
    output = _run("500", "--seed", "1", "--if-empty")
    assert "nothing loaded" in output
    assert Enterprise.objects.count() == 500


def test_rerun_with_the_same_seed_skips_every_existing_code(all_regions):
    _run("200", "--seed", "1")
    output = _run("200", "--seed", "1")
    assert "inserted 0" in output
    assert Enterprise.objects.count() == 200


def test_a_generated_name_is_found_by_search(all_regions):
    _run("500", "--seed", "1")
    enterprise = Enterprise.objects.filter(entity_type="company").order_by("pk").first()
    term = enterprise.name[2:6]
    assert enterprise in search_enterprises(Enterprise.objects.all(), term)
    assert list(search_enterprises(Enterprise.objects.all(), enterprise.uscc.lower())) == [
        enterprise
    ]


def test_a_slice_of_hainan_is_enough(hainan):
    _run("50", "--seed", "3")
    codes = set(Enterprise.objects.values_list("region__code", flat=True))
    assert codes <= {"460000", "460100", "460105", "460200"}


def test_without_regions_the_command_says_what_to_run(db):
    with pytest.raises(CommandError, match="load_hainan_fixtures"):
        _run("10")
