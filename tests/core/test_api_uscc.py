"""The public identifier check API."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.core.models import UsccAllowListEntry


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def url(code):
    return reverse("core-api:uscc-check", kwargs={"code": code})


@pytest.mark.django_db
def test_a_valid_code_is_reported_with_its_parts(api_client):
    body = api_client.get(url("91350100M000100Y43")).json()
    assert body["status"] == "valid"
    assert body["kind"] == "uscc"
    assert body["errors"] == []
    assert body["parts"]["region_code"] == "350100"


@pytest.mark.django_db
def test_an_invalid_code_lists_every_reason(api_client):
    body = api_client.get(url("91310115MA1G4L1WXK")).json()
    assert body["status"] == "invalid"
    assert [e["code"] for e in body["errors"]] == ["check_digit", "inner_check_digit"]
    assert "校验" in body["errors"][0]["message"]


@pytest.mark.django_db
def test_the_answer_has_the_documented_shape(api_client):
    body = api_client.get(url("9135A100M000100I43")).json()
    assert set(body) == {"input", "normalized", "status", "kind", "errors", "warnings", "parts"}
    assert [e["code"] for e in body["errors"]] == ["charset", "region", "inner_check_digit"]
    for error in body["errors"]:
        assert set(error) == {"code", "message", "message_en"}
    assert "I、O、S、V、Z" in body["errors"][0]["message"]


@pytest.mark.django_db
def test_a_code_with_spaces_and_lower_case_is_normalised(api_client):
    body = api_client.get(url("9135 0100 m000 100y43")).json()
    assert (body["normalized"], body["status"]) == ("91350100M000100Y43", "valid")


@pytest.mark.django_db
def test_a_wrong_length_is_invalid_without_a_kind(api_client):
    body = api_client.get(url("12345")).json()
    assert (body["status"], body["kind"]) == ("invalid", None)
    assert body["errors"][0]["code"] == "length"


@pytest.mark.django_db
def test_messages_come_in_english_on_request(api_client):
    body = api_client.get(url("9.13101127033980E+17"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["errors"][0]["code"] == "excel_scientific"
    assert body["errors"][0]["message"].startswith("The code is in scientific notation")


@pytest.mark.django_db
def test_a_legacy_code_carries_a_warning(api_client):
    body = api_client.get(url("91350203M0001QAY9B")).json()
    assert body["status"] == "legacy"
    assert body["warnings"][0]["code"] == "legacy_check_digit"


@pytest.mark.django_db
def test_the_allow_list_in_the_database_is_honoured(api_client):
    UsccAllowListEntry.objects.create(code="91310115MA1G4L1WXK", note="confirmed")
    assert api_client.get(url("91310115MA1G4L1WXK")).json()["status"] == "legacy"


@pytest.mark.django_db
def test_a_registration_number_is_recognised(api_client):
    body = api_client.get(url("510100400024413")).json()
    assert (body["status"], body["kind"]) == ("valid", "registration_number")


@pytest.mark.django_db
def test_anonymous_clients_are_throttled_with_retry_after(api_client, monkeypatch):
    from apps.core.api.throttling import PublicAnonThrottle

    # DRF binds the rates when the class is defined; lower them for this test only.
    monkeypatch.setattr(PublicAnonThrottle, "THROTTLE_RATES", {"public_anon": "3/min"})
    statuses = [api_client.get(url("91350100M000100Y43")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_client.get(url("91350100M000100Y43"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
