"""Licences: the typed store, publicity on a day, pages and API (scoped)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.catalogue.choices import ResourceKind
from apps.enterprises.choices import SubjectKind
from apps.permits.models import Licence
from apps.permits.stores import LicenceStore
from apps.records.registry import get_store, public_records_for

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_licence_store_is_registered_for_the_licence_kind():
    assert isinstance(get_store(ResourceKind.LICENCE, "XZXK"), LicenceStore)


def test_standard_fields_become_columns_and_the_rest_goes_to_extra(load_licence, dept):
    licence = load_licence(dept, decided=D(2025, 12, 31), valid_to=D(2030, 12, 30))
    assert licence.category == "普通" and licence.certificate_name == "食品经营许可证"
    assert licence.valid_to == D(2030, 12, 30) and licence.extra["DFBM"] == "460100"
    assert licence.public_until == D(2030, 12, 31)
    values = LicenceStore().field_values(licence)
    assert values["XK_WSH"] == licence.document_number and values["XK_JDRQ"] == D(2025, 12, 31)


def test_a_licence_is_public_until_the_day_after_it_expires(load_licence, dept):
    licence = load_licence(dept, decided=D(2024, 2, 29), valid_to=D(2025, 2, 28))
    qs = Licence.objects.filter(pk=licence.pk)
    assert not qs.public_on(D(2024, 2, 28)).exists()
    assert qs.public_on(D(2025, 2, 28)).exists()
    assert not qs.public_on(D(2025, 3, 1)).exists()


def test_long_term_licences_stay_public(load_licence, dept):
    licence = load_licence(dept, decided=D(2020, 1, 1))
    assert licence.public_until is None
    assert Licence.objects.public_on(D(2040, 1, 1)).filter(pk=licence.pk).exists()


def test_revoked_and_natural_person_licences_are_never_public(load_licence, dept):
    revoked = load_licence(dept, decided=D(2025, 1, 2), XK_ZT="1")
    person = load_licence(dept, decided=D(2025, 1, 2), subject_kind=SubjectKind.NATURAL_PERSON)
    public = Licence.objects.public_on(D(2025, 6, 1))
    assert not public.filter(pk__in=[revoked.pk, person.pk]).exists()
    assert person.enterprise_id is None


def test_the_same_row_twice_is_unchanged_and_a_change_writes_history(load_licence, dept):
    first = load_licence(dept, decided=D(2025, 1, 2), document_number="琼许〔2025〕9号")
    again = load_licence(dept, decided=D(2025, 1, 2), document_number="琼许〔2025〕9号")
    assert again.pk == first.pk and again.updated_at == first.updated_at
    changed = load_licence(
        dept, decided=D(2025, 1, 2), document_number="琼许〔2025〕9号", XK_NR="散装食品销售"
    )
    assert changed.content == "散装食品销售"
    from apps.records.selectors import revisions_of

    assert revisions_of(changed).get().before["content"] == "预包装食品销售"


def test_the_portal_gets_public_licences_through_the_registry(load_licence, dept, enterprise):
    licence = load_licence(dept, decided=D(2025, 1, 2))
    records = [
        r for r in public_records_for(enterprise.pk, on=D(2025, 6, 1)) if r.resource_code == "XZXK"
    ]
    assert [r.record_id for r in records] == [licence.pk]
    assert records[0].values["XK_XKZS"] == "食品经营许可证"


def test_licence_pages_are_scoped(login, clerk, other_clerk, load_licence, dept):
    licence = load_licence(dept, decided=D(2025, 1, 2))
    client = login(clerk)
    assert licence.document_number in client.get(reverse("permits:licence-list")).content.decode()
    detail = client.get(reverse("permits:licence-detail", args=[licence.pk]))
    assert detail.status_code == 200 and "食品经营许可证" in detail.content.decode()
    other = login(other_clerk)
    assert (
        licence.document_number not in other.get(reverse("permits:licence-list")).content.decode()
    )
    assert other.get(reverse("permits:licence-detail", args=[licence.pk])).status_code == 404


def test_licence_api_is_scoped_and_filters(api_login, clerk, other_clerk, load_licence, dept):
    licence = load_licence(dept, decided=D(2025, 1, 2), valid_to=D(2025, 6, 30))
    client = api_login(clerk)
    data = client.get("/api/v1/permits/licences/").json()
    assert [row["id"] for row in data["results"]] == [licence.pk]
    assert client.get("/api/v1/permits/licences/", {"public_on": "2025-07-01"}).json()["count"] == 0
    assert (
        client.get("/api/v1/permits/licences/", {"department": "460100-SCJG"}).json()["count"] == 1
    )
    assert api_login(other_clerk).get(f"/api/v1/permits/licences/{licence.pk}/").status_code == 404


# ----------------------------------------------------------------- revocation


def test_revoked_licence_leaves_public_view_and_is_kept_in_history(load_licence, dept, clerk):
    from apps.core.exceptions import ConflictError, DomainError
    from apps.core.models import AuditEvent
    from apps.permits.services import revoke_licence
    from apps.records.selectors import revisions_of

    licence = load_licence(dept, decided=D(2025, 1, 2))
    with pytest.raises(DomainError):
        revoke_licence(licence, reason="  ", actor=clerk)
    revoke_licence(licence, reason="以欺骗手段取得许可，依法撤销", actor=clerk)
    licence.refresh_from_db()
    assert licence.is_revoked and not licence.is_public_on(D(2025, 6, 1))
    assert not Licence.objects.public_on(D(2025, 6, 1)).filter(pk=licence.pk).exists()
    assert revisions_of(licence).get().after["revocation_reason"] == "以欺骗手段取得许可，依法撤销"
    event = AuditEvent.objects.get(event_type="licence.revoked")
    assert event.enterprise_uscc == licence.subject_uscc and event.actor_id == clerk.pk
    with pytest.raises(ConflictError):
        revoke_licence(licence, reason="again", actor=clerk)
    # Re-sending the original row does not bring the decision back.
    again = load_licence(dept, decided=D(2025, 1, 2), document_number=licence.document_number)
    assert again.pk == licence.pk and again.revoked_at is not None


def test_licence_revoke_page_is_for_the_department_only(
    login, clerk, other_clerk, auditor, load_licence, dept
):
    licence = load_licence(dept, decided=D(2025, 1, 2))
    url = reverse("permits:licence-revoke", args=[licence.pk])
    assert login(other_clerk).post(url, {"reason": "x"}).status_code == 404
    assert login(auditor).post(url, {"reason": "x"}).status_code == 403
    client = login(clerk)
    assert client.post(url, {"reason": ""}).status_code == 200  # the form asks for a reason
    response = client.post(url, {"reason": "许可事项已被依法撤回"})
    assert response.status_code == 302
    detail = client.get(reverse("permits:licence-detail", args=[licence.pk])).content.decode()
    assert "许可事项已被依法撤回" in detail and "撤销行政许可决定" in detail


def test_licence_revoke_api(api_login, clerk, auditor, load_licence, dept):
    licence = load_licence(dept, decided=D(2025, 1, 2))
    url = f"/api/v1/permits/licences/{licence.pk}/revoke/"
    assert api_login(auditor).post(url, {"reason": "x"}, format="json").status_code == 403
    client = api_login(clerk)
    assert client.post(url, {}, format="json").status_code == 400
    data = client.post(url, {"reason": "依法撤销"}, format="json").json()
    assert data["revocation_reason"] == "依法撤销" and data["public_today"] is False
    assert client.post(url, {"reason": "依法撤销"}, format="json").status_code == 409
