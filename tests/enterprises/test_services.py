"""Services of the enterprise registry: register, update, rename, all audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.choices import AuditEventType
from apps.core.exceptions import ConflictError, DomainError
from apps.core.models import AuditEvent
from apps.enterprises.choices import EntityType, UsccStatus
from apps.enterprises.models import Enterprise
from apps.enterprises.selectors import search_enterprises
from apps.enterprises.services import register_enterprise, rename_enterprise, update_enterprise

from .conftest import LEGACY_USCC, VALID_USCC


def _data(hainan, **overrides):
    data = {
        "uscc": VALID_USCC,
        "name": "海南椰林湾科技有限公司",
        "entity_type": EntityType.COMPANY,
        "legal_representative": "王椰林",
        "region": hainan["haikou"],
        "established_on": datetime.date(2019, 3, 1),
    }
    data.update(overrides)
    return data


def test_valid_uscc_is_registered_with_derived_fields_and_audited(hainan, province_admin):
    enterprise = register_enterprise(
        _data(hainan, uscc=" 91350100m000100y43 "), actor=province_admin
    )
    enterprise.refresh_from_db()
    assert enterprise.uscc == VALID_USCC
    assert enterprise.uscc_status == UsccStatus.VALID
    assert enterprise.organization_code == "M000100Y4"
    assert enterprise.search_vector is not None
    event = AuditEvent.objects.get(event_type=AuditEventType.ENTERPRISE_CREATED)
    assert event.enterprise_uscc == VALID_USCC
    assert event.actor == province_admin
    assert event.after["name"] == "海南椰林湾科技有限公司"


def test_legacy_pilot_code_is_accepted_and_flagged(hainan, province_admin):
    enterprise = register_enterprise(_data(hainan, uscc=LEGACY_USCC), actor=province_admin)
    assert enterprise.uscc_status == UsccStatus.LEGACY
    event = AuditEvent.objects.get(enterprise_uscc=LEGACY_USCC)
    assert event.message


@pytest.mark.parametrize(
    "code",
    ["91110000600037341X", "91350100M000100Y4", "91350100MO00100Y43"],
    ids=["bad-check-digit", "too-short", "forbidden-letter"],
)
def test_invalid_uscc_is_refused_with_a_reason(hainan, province_admin, code):
    with pytest.raises(DomainError) as excinfo:
        register_enterprise(_data(hainan, uscc=code), actor=province_admin)
    assert "统一社会信用代码无效：" in excinfo.value.message
    assert len(excinfo.value.message) > len("统一社会信用代码无效：")
    assert not Enterprise.objects.exists()
    assert not AuditEvent.objects.exists()


def test_registering_the_same_uscc_twice_is_a_conflict(hainan, province_admin):
    register_enterprise(_data(hainan), actor=province_admin)
    with pytest.raises(ConflictError):
        register_enterprise(_data(hainan, name="另一个名称有限公司"), actor=province_admin)
    assert Enterprise.objects.count() == 1


def test_clerk_may_not_register(hainan, clerk):
    with pytest.raises(PermissionDenied):
        register_enterprise(_data(hainan), actor=clerk)


def test_city_admin_may_not_register_outside_the_city(hainan, city_admin):
    with pytest.raises(PermissionDenied):
        register_enterprise(_data(hainan, region=hainan["sanya"]), actor=city_admin)
    enterprise = register_enterprise(_data(hainan, region=hainan["xiuying"]), actor=city_admin)
    assert enterprise.region == hainan["xiuying"]


def test_update_records_only_the_changed_fields(haikou_company, province_admin):
    update_enterprise(
        haikou_company,
        {
            "status": "deregistered",
            "deregistered_on": datetime.date(2024, 1, 2),
            "address": haikou_company.address,
        },
        actor=province_admin,
    )
    haikou_company.refresh_from_db()
    assert haikou_company.status == "deregistered"
    event = AuditEvent.objects.get(event_type=AuditEventType.ENTERPRISE_CHANGED)
    assert event.before == {"status": "active", "deregistered_on": None}
    assert event.after == {"status": "deregistered", "deregistered_on": "2024-01-02"}
    assert event.enterprise_uscc == haikou_company.uscc


def test_update_that_changes_nothing_writes_no_audit_row(haikou_company, province_admin):
    update_enterprise(haikou_company, {"status": "active"}, actor=province_admin)
    assert not AuditEvent.objects.exists()


def test_update_refuses_a_new_uscc_and_a_name_change(haikou_company, province_admin):
    with pytest.raises(DomainError):
        update_enterprise(haikou_company, {"uscc": VALID_USCC}, actor=province_admin)
    with pytest.raises(DomainError):
        update_enterprise(haikou_company, {"name": "新名称有限公司"}, actor=province_admin)


def test_city_admin_may_not_change_a_sanya_enterprise(sanya_company, city_admin):
    with pytest.raises(PermissionDenied):
        update_enterprise(sanya_company, {"address": "三亚市某路1号"}, actor=city_admin)


def test_rename_keeps_the_old_name_in_history_and_both_names_are_found(
    haikou_company, province_admin
):
    old_name = haikou_company.name
    rename_enterprise(
        haikou_company,
        "海南椰风海韵文旅集团有限公司",
        effective_on=datetime.date(2022, 7, 1),
        actor=province_admin,
    )
    haikou_company.refresh_from_db()
    assert haikou_company.name == "海南椰风海韵文旅集团有限公司"
    history = list(haikou_company.name_history.all())
    assert [(h.name, h.valid_from, h.valid_to) for h in history] == [
        (old_name, haikou_company.established_on, datetime.date(2022, 6, 30))
    ]
    event = AuditEvent.objects.get(event_type=AuditEventType.ENTERPRISE_RENAMED)
    assert event.before == {"name": old_name}
    assert event.enterprise_uscc == haikou_company.uscc
    assert list(search_enterprises(Enterprise.objects.all(), "文旅集团")) == [haikou_company]
    assert list(search_enterprises(Enterprise.objects.all(), "椰风海韵旅游")) == [haikou_company]


def test_a_second_rename_must_be_later_than_the_first(haikou_company, province_admin):
    rename_enterprise(
        haikou_company,
        "海南甲有限公司",
        effective_on=datetime.date(2022, 7, 1),
        actor=province_admin,
    )
    with pytest.raises(DomainError):
        rename_enterprise(
            haikou_company,
            "海南乙有限公司",
            effective_on=datetime.date(2022, 7, 1),
            actor=province_admin,
        )
    rename_enterprise(
        haikou_company,
        "海南乙有限公司",
        effective_on=datetime.date(2023, 1, 1),
        actor=province_admin,
    )
    newest = haikou_company.name_history.order_by("-valid_to").first()
    assert (newest.name, newest.valid_from) == ("海南甲有限公司", datetime.date(2022, 7, 1))
