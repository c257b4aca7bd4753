"""Portal API keys: issue once, authenticate, quotas and rates, 429 for the anonymous."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.core.api.throttling import PublicAnonThrottle
from apps.core.models import AuditEvent
from apps.disclosure import services
from apps.disclosure.models import PortalApiKey

pytestmark = pytest.mark.django_db

FEED = "disclosure-api:change-feed"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def issue(**overrides):
    values = {
        "name": "研究接口",
        "owner": "海南大学信用研究中心",
        "contact_name": "陈老师",
        "contact_email": "chen@example.edu.cn",
        "daily_quota": 1000,
        "per_minute": 100,
        "actor": None,
    }
    values.update(overrides)
    return services.issue_portal_key(**values)


def test_anonymous_client_gets_429_while_a_keyed_client_continues(api_client, monkeypatch):
    monkeypatch.setattr(PublicAnonThrottle, "THROTTLE_RATES", {"public_anon": "3/min"})
    issued = issue()
    url = reverse(FEED)
    anonymous = [api_client.get(url).status_code for _ in range(4)]
    assert anonymous == [200, 200, 200, 429]
    refused = api_client.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    keyed = [api_client.get(url, HTTP_X_API_KEY=issued.secret).status_code for _ in range(10)]
    assert keyed == [200] * 10


def test_a_key_over_its_rate_gets_429_with_retry_after(api_client):
    issued = issue(per_minute=2)
    url = reverse(FEED)
    statuses = [api_client.get(url, HTTP_X_API_KEY=issued.secret).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = api_client.get(url, HTTP_X_API_KEY=issued.secret)
    assert 1 <= int(response["Retry-After"]) <= 60


def test_a_key_over_its_daily_quota_waits_until_midnight(api_client):
    issued = issue(daily_quota=2, per_minute=100)
    url = reverse(FEED)
    for _ in range(2):
        assert api_client.get(url, HTTP_X_API_KEY=issued.secret).status_code == 200
    response = api_client.get(url, HTTP_X_API_KEY=issued.secret)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 86400 + 1


def test_each_key_has_its_own_counters(api_client):
    first, second = issue(per_minute=1), issue(name="第二个", per_minute=1)
    url = reverse(FEED)
    assert api_client.get(url, HTTP_X_API_KEY=first.secret).status_code == 200
    assert api_client.get(url, HTTP_X_API_KEY=first.secret).status_code == 429
    assert api_client.get(url, HTTP_X_API_KEY=second.secret).status_code == 200


def test_wrong_and_revoked_keys_answer_401(api_client):
    issued = issue()
    url = reverse(FEED)
    assert api_client.get(url, HTTP_X_API_KEY="hcp_nope_nope").status_code == 401
    assert api_client.get(url, HTTP_X_API_KEY="Bearer x").status_code == 401
    services.revoke_portal_key(issued.key, actor=None)
    response = api_client.get(url, HTTP_X_API_KEY=issued.secret)
    assert response.status_code == 401
    assert "吊销" in response.json()["detail"]


def test_only_the_hash_is_stored_and_issuing_is_audited(province_admin):
    issued = issue(actor=province_admin)
    stored = PortalApiKey.objects.get(pk=issued.key.pk)
    assert issued.secret.startswith(f"hcp_{stored.prefix}_")
    assert stored.key_hash == services.hash_portal_key(issued.secret)
    assert issued.secret not in str(list(PortalApiKey.objects.values()))
    event = AuditEvent.objects.get(event_type="portal_key.issued")
    assert issued.secret not in str(event.after)


def test_province_admin_issues_and_revokes_keys_on_the_page(client, province_admin):
    client.force_login(province_admin)
    response = client.post(
        reverse("disclosure:key-create"),
        {
            "name": "征信机构",
            "owner": "某征信有限公司",
            "contact_name": "刘经理",
            "contact_email": "liu@example.com",
            "daily_quota": 5000,
            "per_minute": 60,
        },
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    key = PortalApiKey.objects.get(name="征信机构")
    listing = client.get(reverse("disclosure:key-list")).content.decode()
    assert key.prefix in listing and secret not in listing
    client.post(reverse("disclosure:key-revoke", args=[key.pk]))
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEvent.objects.filter(event_type="portal_key.revoked").count() == 1


def test_other_roles_cannot_manage_keys(client, clerk, city_admin, auditor):
    key = issue().key
    for user in (clerk, city_admin):
        client.force_login(user)
        assert client.get(reverse("disclosure:key-list")).status_code == 404
        assert client.post(reverse("disclosure:key-revoke", args=[key.pk])).status_code == 404
    client.force_login(auditor)
    assert client.get(reverse("disclosure:key-list")).status_code == 200
    assert client.get(reverse("disclosure:key-create")).status_code == 403
    assert client.post(reverse("disclosure:key-revoke", args=[key.pk])).status_code == 403
