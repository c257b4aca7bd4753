"""The kernel admin: the audit history reads only, the allow-list is changed through services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent, UsccAllowListEntry
from apps.core.services import add_allow_list_entry


@pytest.mark.django_db
def test_adding_an_allow_list_entry_in_the_admin_is_audited(admin_client):
    response = admin_client.post(
        reverse("admin:core_usccallowlistentry_add"),
        {"code": " 9131 0115 ma1g4l1wxk ", "note": "登记机关核实"},
    )
    assert response.status_code == 302
    assert UsccAllowListEntry.objects.get().code == "91310115MA1G4L1WXK"
    event = AuditEvent.objects.get(event_type="uscc.allowlist_changed")
    assert event.actor_name and event.after["note"] == "登记机关核实"


@pytest.mark.django_db
def test_the_admin_refuses_a_valid_or_malformed_code_with_a_form_error(admin_client):
    url = reverse("admin:core_usccallowlistentry_add")
    for code in ("91350100M000100Y43", "91350100M000100I43"):
        response = admin_client.post(url, {"code": code, "note": ""})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["code"]
    assert not UsccAllowListEntry.objects.exists()


@pytest.mark.django_db
def test_bulk_deleting_allow_list_entries_audits_each(admin_client, admin_user):
    for code in ("91310115MA1G4L1WXK", "91350100M000100Y4X"):
        add_allow_list_entry(code, note="", actor=admin_user)
    response = admin_client.post(
        reverse("admin:core_usccallowlistentry_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(UsccAllowListEntry.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not UsccAllowListEntry.objects.exists()
    removals = AuditEvent.objects.filter(event_type="uscc.allowlist_changed", after__isnull=True)
    assert removals.count() == 2


@pytest.mark.django_db
def test_the_audit_history_is_listed_and_filtered_but_never_editable(admin_client, admin_user):
    add_allow_list_entry("91310115MA1G4L1WXK", note="", actor=admin_user)
    event = AuditEvent.objects.get()
    url = reverse("admin:core_auditevent_changelist")
    response = admin_client.get(url, {"event_type": "uscc.allowlist_changed"})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [event]
    assert admin_client.get(url, {"event_type": "calendar.changed"}).context["cl"].result_count == 0
    change = admin_client.post(
        reverse("admin:core_auditevent_change", args=[event.pk]), {"message": "edited"}
    )
    assert change.status_code == 403
