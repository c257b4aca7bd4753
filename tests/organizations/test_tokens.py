"""Department API tokens: authentication, hashing, show-once, revocation, expiry, last use."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from apps.organizations import services
from apps.organizations.models import ApiToken
from apps.organizations.tokens import hash_key

ME = "/api/v1/organizations/me/"


def test_token_authenticates_as_its_department(token_client, dept, token_pair):
    response = token_client.get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "token"
    assert body["department"] == dept.code
    assert body["token_prefix"] == token_pair[0].prefix
    assert body["role"] == "department_staff"


def test_token_sees_only_its_department_scope(token_client, token_pair, other_token_pair):
    response = token_client.get("/api/v1/organizations/api-tokens/")
    assert [t["prefix"] for t in response.json()["results"]] == [token_pair[0].prefix]
    other = token_client.get(f"/api/v1/organizations/api-tokens/{other_token_pair[0].pk}/")
    assert other.status_code == 404


def test_bearer_keyword_is_accepted(api_client, token_pair):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair[1]}")
    assert api_client.get(ME).status_code == 200


def test_token_is_stored_hashed(token_pair):
    token, key = token_pair
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in row.values()
    assert row["key_hash"] == hash_key(key)


def test_unknown_key_is_refused(api_client, token_pair):
    api_client.credentials(HTTP_AUTHORIZATION="Token hc_00000000_notakey")
    assert api_client.get(ME).status_code == 401


def test_malformed_header_is_refused(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Token a b")
    assert api_client.get(ME).status_code == 401


def test_revoked_token_is_refused(token_client, token_pair, province_admin):
    assert token_client.get(ME).status_code == 200
    services.revoke_api_token(token_pair[0], actor=province_admin)
    assert token_client.get(ME).status_code == 401


def test_expired_token_is_refused(token_client, token_pair):
    ApiToken.objects.filter(pk=token_pair[0].pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert token_client.get(ME).status_code == 401


def test_last_use_is_recorded(token_client, token_pair):
    assert token_pair[0].last_used_at is None
    token_client.get(ME, REMOTE_ADDR="10.1.2.3")
    token = ApiToken.objects.get(pk=token_pair[0].pk)
    assert token.last_used_at is not None
    assert token.last_used_ip == "10.1.2.3"


def test_token_cannot_sign_in_to_pages(client, token_pair):
    response = client.get(reverse("home"), HTTP_AUTHORIZATION=f"Token {token_pair[1]}")
    assert response.status_code == 302


def test_api_create_returns_the_key_once(api_login, province_admin, dept):
    api = api_login(province_admin)
    response = api.post(
        "/api/v1/organizations/api-tokens/",
        {"department": dept.code, "name": "登记系统"},
        format="json",
    )
    assert response.status_code == 201
    key = response.json()["key"]
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.key_hash == hash_key(key)
    listed = api.get("/api/v1/organizations/api-tokens/").json()["results"]
    assert key not in str(listed)
    assert "key" not in listed[0]
    detail = api.get(f"/api/v1/organizations/api-tokens/{token.pk}/").json()
    assert "key" not in detail and "key_hash" not in detail


def test_api_create_accepts_department_id(api_login, province_admin, dept):
    response = api_login(province_admin).post(
        "/api/v1/organizations/api-tokens/",
        {"department_id": dept.pk, "name": "x"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["department"] == dept.code


def test_api_revoke_then_the_token_fails(api_login, province_admin, token_pair, client):
    token, key = token_pair
    api = api_login(province_admin)
    response = api.post(f"/api/v1/organizations/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    api.force_authenticate(None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(ME).status_code == 401


def test_page_shows_the_key_once(login, province_admin, dept):
    client = login(province_admin)
    response = client.post(
        reverse("organizations:token-create"), {"department": dept.pk, "name": "页面令牌"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="页面令牌")
    content = response.content.decode()
    key = content.split('value="hc_')[1].split('"')[0]
    assert token.key_hash == hash_key(f"hc_{key}")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    listing = client.get(reverse("organizations:token-list")).content.decode()
    assert token.prefix in listing
    assert key not in listing
