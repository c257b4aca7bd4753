"""Services of the organizations app: people, liaisons, tokens, each audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.core.exceptions import DomainError
from apps.core.models import AuditEvent
from apps.organizations import services
from apps.organizations.choices import Role
from apps.organizations.models import ApiToken
from apps.organizations.tokens import hash_key


def test_province_admin_creates_a_clerk_and_it_is_audited(province_admin, dept):
    user = services.create_user(
        actor=province_admin,
        username="new_clerk",
        password="long-Pass-987",
        role=Role.DEPARTMENT_STAFF,
        department=dept,
        display_name="新办事员",
    )
    assert user.check_password("long-Pass-987")
    event = AuditEvent.objects.get(event_type="user.created")
    assert event.actor == province_admin
    assert event.department_code == dept.code
    assert event.after["username"] == "new_clerk"
    assert "password" not in event.after


@pytest.mark.parametrize(
    ("role", "use_dept", "use_region", "code"),
    [
        (Role.DEPARTMENT_STAFF, False, False, "department_required"),
        (Role.DEPARTMENT_LIAISON, False, False, "department_required"),
        (Role.REGION_ADMIN, False, False, "region_required"),
        (Role.REGION_ADMIN, True, True, "department_not_allowed"),
        (Role.AUDITOR, True, False, "scope_not_allowed"),
        (Role.PROVINCE_ADMIN, False, True, "scope_not_allowed"),
    ],
)
def test_role_invariants_are_enforced(
    province_admin, dept, hainan, role, use_dept, use_region, code
):
    with pytest.raises(DomainError) as exc:
        services.create_user(
            actor=province_admin,
            username="x_user",
            role=role,
            department=dept if use_dept else None,
            region=hainan["haikou"] if use_region else None,
        )
    assert exc.value.code == code
    assert not AuditEvent.objects.exists()


def test_region_admin_cannot_administer_the_whole_province(province_admin, hainan):
    with pytest.raises(DomainError):
        services.create_user(
            actor=province_admin, username="r", role=Role.REGION_ADMIN, region=hainan["province"]
        )


def test_city_admin_creates_people_only_in_its_region(city_admin, dept, other_dept):
    services.create_user(
        actor=city_admin, username="hk2", role=Role.DEPARTMENT_STAFF, department=dept
    )
    with pytest.raises(PermissionDenied):
        services.create_user(
            actor=city_admin, username="sy2", role=Role.DEPARTMENT_STAFF, department=other_dept
        )


def test_city_admin_cannot_grant_province_wide_roles(city_admin):
    with pytest.raises(PermissionDenied):
        services.create_user(actor=city_admin, username="aud2", role=Role.AUDITOR)


@pytest.mark.parametrize("actor_name", ["clerk", "auditor"])
def test_non_administrators_cannot_create_people(request, dept, actor_name):
    actor = request.getfixturevalue(actor_name)
    with pytest.raises(PermissionDenied):
        services.create_user(actor=actor, username="z", role=Role.DEPARTMENT_STAFF, department=dept)


def test_duplicate_username_is_refused(province_admin, clerk, dept):
    with pytest.raises(DomainError):
        services.create_user(
            actor=province_admin, username="CLERK", role=Role.DEPARTMENT_STAFF, department=dept
        )


def test_update_user_records_only_changed_fields(province_admin, clerk, other_dept):
    services.update_user(clerk, actor=province_admin, department=other_dept, phone="0898-1")
    event = AuditEvent.objects.get(event_type="user.changed")
    assert set(event.after) == {"department_id", "phone"}
    assert event.department_code == other_dept.code


def test_update_without_changes_writes_no_event(province_admin, clerk):
    services.update_user(clerk, actor=province_admin, display_name=clerk.display_name)
    assert not AuditEvent.objects.exists()


def test_city_admin_cannot_move_a_person_out_of_its_region(city_admin, clerk, other_dept):
    with pytest.raises(PermissionDenied):
        services.update_user(clerk, actor=city_admin, department=other_dept)


def test_city_admin_cannot_change_people_of_another_region(city_admin, other_clerk):
    with pytest.raises(PermissionDenied):
        services.update_user(other_clerk, actor=city_admin, display_name="改名")


def test_password_reset_is_audited_without_the_password(province_admin, clerk):
    services.update_user(clerk, actor=province_admin, password="brand-New-Pass-1")
    clerk.refresh_from_db()
    assert clerk.check_password("brand-New-Pass-1")
    event = AuditEvent.objects.get(event_type="user.changed")
    assert "brand-New-Pass-1" not in str(event.after)


def test_set_user_active_disables_sign_in(province_admin, clerk):
    services.set_user_active(clerk, False, actor=province_admin)
    clerk.refresh_from_db()
    assert clerk.is_active is False
    assert AuditEvent.objects.get().after == {"is_active": False}


def test_an_administrator_cannot_disable_themself(province_admin):
    with pytest.raises(DomainError):
        services.set_user_active(province_admin, False, actor=province_admin)


def test_liaison_updates_its_own_department_liaison(liaison, dept):
    services.update_department_liaison(
        dept,
        actor=liaison,
        liaison_name="王芳",
        liaison_phone="0898-12345",
        liaison_email="wf@example.org",
    )
    dept.refresh_from_db()
    assert dept.liaison_name == "王芳"
    event = AuditEvent.objects.get(event_type="department.changed")
    assert event.after["liaison_name"] == "王芳"
    assert event.department_code == dept.code


@pytest.mark.parametrize("actor_name", ["clerk", "other_clerk", "auditor"])
def test_others_cannot_update_the_liaison(request, dept, actor_name):
    actor = request.getfixturevalue(actor_name)
    with pytest.raises(PermissionDenied):
        services.update_department_liaison(
            dept, actor=actor, liaison_name="x", liaison_phone="", liaison_email=""
        )


def test_liaison_of_one_department_cannot_edit_another(liaison, other_dept):
    with pytest.raises(PermissionDenied):
        services.update_department_liaison(
            other_dept, actor=liaison, liaison_name="x", liaison_phone="", liaison_email=""
        )


def test_city_admin_updates_liaisons_in_its_region_only(city_admin, dept, other_dept):
    services.update_department_liaison(
        dept, actor=city_admin, liaison_name="李雷", liaison_phone="", liaison_email=""
    )
    with pytest.raises(PermissionDenied):
        services.update_department_liaison(
            other_dept, actor=city_admin, liaison_name="x", liaison_phone="", liaison_email=""
        )


def test_create_api_token_stores_only_the_hash(province_admin, dept):
    token, key = services.create_api_token(dept, name="登记系统", actor=province_admin)
    assert key.startswith(f"hc_{token.prefix}_")
    assert token.key_hash == hash_key(key)
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    event = AuditEvent.objects.get(event_type="token.created")
    assert key not in str(event.after)
    assert event.department_code == dept.code


def test_token_creation_is_refused_out_of_scope(city_admin, clerk, other_dept, dept):
    with pytest.raises(PermissionDenied):
        services.create_api_token(other_dept, name="x", actor=city_admin)
    with pytest.raises(PermissionDenied):
        services.create_api_token(dept, name="x", actor=clerk)


def test_token_expiry_must_lie_in_the_future(province_admin, dept):
    with pytest.raises(DomainError):
        services.create_api_token(
            dept,
            name="x",
            expires_at=timezone.now() - datetime.timedelta(days=1),
            actor=province_admin,
        )


def test_revoke_is_audited_once(province_admin, token_pair):
    token, _ = token_pair
    services.revoke_api_token(token, actor=province_admin)
    services.revoke_api_token(token, actor=province_admin)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == province_admin
    assert AuditEvent.objects.filter(event_type="token.revoked").count() == 1


def test_city_admin_cannot_revoke_another_regions_token(city_admin, other_token_pair):
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(other_token_pair[0], actor=city_admin)
