"""Kernel services: the USCC allow-list is audited and feeds the check."""

from __future__ import annotations

import pytest

from apps.core.exceptions import DomainError
from apps.core.models import AuditEvent, UsccAllowListEntry
from apps.core.services import add_allow_list_entry, remove_allow_list_entry
from apps.core.uscc import check_identifier_with_registry


@pytest.mark.django_db
def test_allow_listing_a_code_makes_it_legacy_and_is_audited(province_admin):
    code = "91310115MA1G4L1WXK"
    assert check_identifier_with_registry(code).status == "invalid"
    entry = add_allow_list_entry(
        " 9131 0115 ma1g4l1wxk ", note="登记机关核实", actor=province_admin
    )
    assert entry.code == code
    assert check_identifier_with_registry(code).status == "legacy"
    event = AuditEvent.objects.get(event_type="uscc.allowlist_changed")
    assert (event.actor, event.enterprise_uscc) == (province_admin, code)
    remove_allow_list_entry(entry, actor=province_admin)
    assert not UsccAllowListEntry.objects.exists()
    assert AuditEvent.objects.filter(event_type="uscc.allowlist_changed").count() == 2


@pytest.mark.django_db
def test_a_malformed_code_cannot_be_allow_listed(province_admin):
    with pytest.raises(DomainError):
        add_allow_list_entry("91350100M000100I43", note="", actor=province_admin)
    with pytest.raises(DomainError):
        add_allow_list_entry("510100400024413", note="", actor=province_admin)


@pytest.mark.django_db
def test_a_valid_code_needs_no_allow_listing(province_admin):
    with pytest.raises(DomainError) as excinfo:
        add_allow_list_entry("91350100M000100Y43", note="", actor=province_admin)
    assert excinfo.value.code == "allow_list_valid"


@pytest.mark.django_db
def test_adding_the_same_code_twice_changes_nothing(province_admin):
    add_allow_list_entry("91310115MA1G4L1WXK", note="一", actor=province_admin)
    add_allow_list_entry("91310115MA1G4L1WXK", note="二", actor=province_admin)
    assert UsccAllowListEntry.objects.get().note == "一"
    assert AuditEvent.objects.filter(event_type="uscc.allowlist_changed").count() == 1
