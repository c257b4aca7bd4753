"""Who sees and changes what, for every role, on pages and the API.

Out of scope answers 404, in scope but read-only answers 403, anonymous is
sent to sign in (pages) or answered 401 (API).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from apps.organizations import services
from apps.organizations.models import User

API = "/api/v1/organizations"
ROLES = ["province_admin", "city_admin", "clerk", "liaison", "auditor", "token", "anonymous"]


@pytest.fixture
def world(dept, other_dept, clerk, other_clerk, liaison, token_pair, other_token_pair):
    """Two departments (Haikou ``dept``, Sanya ``other``) with people and tokens each."""
    return {
        "dept": dept,
        "other_dept": other_dept,
        "clerk": clerk,
        "other_clerk": other_clerk,
        "token": token_pair[0],
        "other_token": other_token_pair[0],
        "key": token_pair[1],
    }


@pytest.fixture
def principal(request, world):
    """(API client, page client or None) signed in as the role named by the test's ``role``."""
    role = request.getfixturevalue("role")
    api, page = APIClient(), Client()
    if role == "token":
        api.credentials(HTTP_AUTHORIZATION=f"Token {world['key']}")
        return api, None
    if role != "anonymous":
        user = request.getfixturevalue(role)
        api.force_authenticate(user)
        page.force_login(user)
    return api, page


def status_of(api_or_page, method, url, **kwargs):
    return getattr(api_or_page, method)(url, **kwargs).status_code


# --------------------------------------------------------------------------- departments

DEPT_CHANGE = {
    # role: (own Haikou department, Sanya department)
    "province_admin": (200, 200),
    "city_admin": (200, 403),
    "clerk": (403, 403),
    "liaison": (200, 403),
    "auditor": (403, 403),
    "token": (403, 403),
    "anonymous": (401, 401),
}


@pytest.mark.parametrize("role", ROLES)
def test_departments_are_visible_to_every_signed_in_principal(role, principal, world):
    api, page = principal
    expected = 401 if role == "anonymous" else 200
    for d in (world["dept"], world["other_dept"]):
        assert status_of(api, "get", f"{API}/departments/{d.code}/") == expected
        if page is not None:
            url = reverse("organizations:department-detail", args=[d.pk])
            assert status_of(page, "get", url) == (302 if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ROLES)
def test_department_liaison_change_by_role(role, principal, world):
    api, page = principal
    for d, expected in zip((world["dept"], world["other_dept"]), DEPT_CHANGE[role], strict=True):
        response = api.patch(
            f"{API}/departments/{d.code}/", {"liaison_name": f"{role}联络"}, format="json"
        )
        assert response.status_code == expected, (role, d.code)
        if page is not None:
            url = reverse("organizations:department-liaison", args=[d.pk])
            page_expected = 302 if role == "anonymous" else expected
            assert status_of(page, "get", url) == page_expected


def test_unknown_department_answers_404(api_login, province_admin, world):
    assert api_login(province_admin).get(f"{API}/departments/999999-X/").status_code == 404


# --------------------------------------------------------------------------- people

USER_EDIT = {
    # role: (clerk of Haikou, clerk of Sanya) on the edit page
    "province_admin": (200, 200),
    "city_admin": (200, 404),
    "clerk": (403, 404),
    "liaison": (403, 404),
    "auditor": (403, 403),
    "anonymous": (302, 302),
}
USER_LIST = {
    "province_admin": {"clerk", "other_clerk", "liaison"},
    "city_admin": {"clerk", "liaison"},
    "clerk": {"clerk", "liaison"},
    "liaison": {"clerk", "liaison"},
    "auditor": {"clerk", "other_clerk", "liaison"},
}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "token"])
def test_user_edit_page_by_role(role, principal, world):
    _, page = principal
    for target, expected in zip(
        (world["clerk"], world["other_clerk"]), USER_EDIT[role], strict=True
    ):
        url = reverse("organizations:user-edit", args=[target.pk])
        assert page.get(url).status_code == expected, (role, target.username)
        post = page.post(reverse("organizations:user-active", args=[target.pk]), {"active": "0"})
        assert post.status_code == (302 if expected in (200, 302) else expected)


@pytest.mark.parametrize("role", list(USER_LIST))
def test_user_list_shows_people_in_scope(role, principal, world):
    _, page = principal
    listed = {u.username for u in page.get(reverse("organizations:user-list")).context["page"]}
    expected = USER_LIST[role]
    assert expected <= listed
    assert not ({"clerk", "other_clerk", "liaison"} - expected) & listed


@pytest.mark.parametrize("role", ["clerk", "liaison", "auditor"])
def test_non_administrators_cannot_open_user_creation(role, principal):
    _, page = principal
    assert page.get(reverse("organizations:user-create")).status_code == 403


def test_city_admin_does_not_disable_people_out_of_scope(city_admin, world, login):
    login(city_admin).post(
        reverse("organizations:user-active", args=[world["other_clerk"].pk]), {"active": "0"}
    )
    assert User.objects.get(pk=world["other_clerk"].pk).is_active is True


# --------------------------------------------------------------------------- API tokens

TOKEN_VIEW = {
    # role: (Haikou token, Sanya token) on GET
    "province_admin": (200, 200),
    "city_admin": (200, 404),
    "clerk": (200, 404),
    "liaison": (200, 404),
    "auditor": (200, 200),
    "token": (200, 404),
    "anonymous": (401, 401),
}
TOKEN_REVOKE = {
    "province_admin": (200, 200),
    "city_admin": (200, 404),
    "clerk": (403, 403),
    "liaison": (403, 403),
    "auditor": (403, 403),
    "token": (403, 403),
    "anonymous": (401, 401),
}
TOKEN_REVOKE_PAGE = {
    "province_admin": (200, 200),
    "city_admin": (200, 404),
    "clerk": (403, 404),
    "liaison": (403, 404),
    "auditor": (403, 403),
    "anonymous": (302, 302),
}


@pytest.mark.parametrize("role", ROLES)
def test_token_view_by_role(role, principal, world):
    api, _ = principal
    for token, expected in zip(
        (world["token"], world["other_token"]), TOKEN_VIEW[role], strict=True
    ):
        assert status_of(api, "get", f"{API}/api-tokens/{token.pk}/") == expected, role


@pytest.mark.parametrize("role", ROLES)
def test_token_revoke_by_role(role, principal, world):
    api, page = principal
    tokens = (world["token"], world["other_token"])
    for index, token in enumerate(tokens):
        if page is not None:
            url = reverse("organizations:token-revoke", args=[token.pk])
            assert page.get(url).status_code == TOKEN_REVOKE_PAGE[role][index], role
        response = api.post(f"{API}/api-tokens/{token.pk}/revoke/")
        assert response.status_code == TOKEN_REVOKE[role][index], role


@pytest.mark.parametrize("role", ["clerk", "liaison", "auditor", "token"])
def test_non_administrators_cannot_issue_tokens(role, principal, world):
    api, page = principal
    response = api.post(
        f"{API}/api-tokens/", {"department": world["dept"].code, "name": "x"}, format="json"
    )
    assert response.status_code == 403
    if page is not None:
        assert page.get(reverse("organizations:token-create")).status_code == 403


def test_city_admin_cannot_issue_tokens_for_another_region(api_login, city_admin, world):
    response = api_login(city_admin).post(
        f"{API}/api-tokens/", {"department": world["other_dept"].code, "name": "x"}, format="json"
    )
    assert response.status_code == 403


def test_token_list_is_scoped(api_login, city_admin, auditor, world):
    prefixes = {
        t["prefix"] for t in api_login(city_admin).get(f"{API}/api-tokens/").json()["results"]
    }
    assert prefixes == {world["token"].prefix}
    prefixes = {t["prefix"] for t in api_login(auditor).get(f"{API}/api-tokens/").json()["results"]}
    assert prefixes == {world["token"].prefix, world["other_token"].prefix}


# --------------------------------------------------------------------------- audit history


@pytest.fixture
def events(world, province_admin):
    """One event about the Haikou department and one about the Sanya department."""
    services.update_department_liaison(
        world["dept"], actor=province_admin, liaison_name="甲", liaison_phone="", liaison_email=""
    )
    services.update_department_liaison(
        world["other_dept"],
        actor=province_admin,
        liaison_name="乙",
        liaison_phone="",
        liaison_email="",
    )
    # Token creation by the fixtures also wrote events; keep those too.
    return {
        "haikou": world["dept"].code,
        "sanya": world["other_dept"].code,
    }


AUDIT = {
    # role: (list status, department codes visible)
    "province_admin": (200, {"haikou", "sanya"}),
    "auditor": (200, {"haikou", "sanya"}),
    "city_admin": (200, {"haikou"}),
    "clerk": (403, set()),
    "liaison": (403, set()),
    "token": (403, set()),
    "anonymous": (401, set()),
}


@pytest.mark.parametrize("role", ROLES)
def test_audit_history_by_role(role, principal, events):
    api, page = principal
    status, visible = AUDIT[role]
    response = api.get(f"{API}/audit-events/", {"limit": 500})
    assert response.status_code == status, role
    if status == 200:
        codes = {e["department_code"] for e in response.json()["results"]}
        assert codes == {events[k] for k in visible}
    if page is not None:
        page_status = page.get(reverse("organizations:audit-list")).status_code
        assert page_status == {401: 302}.get(status, status)


def test_region_admin_gets_404_for_an_event_outside_its_region(api_login, city_admin, events):
    from apps.core.models import AuditEvent

    sanya_event = AuditEvent.objects.filter(department_code=events["sanya"]).first()
    haikou_event = AuditEvent.objects.filter(department_code=events["haikou"]).first()
    api = api_login(city_admin)
    assert api.get(f"{API}/audit-events/{sanya_event.pk}/").status_code == 404
    assert api.get(f"{API}/audit-events/{haikou_event.pk}/").status_code == 200
