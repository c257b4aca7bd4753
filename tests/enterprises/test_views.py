"""Staff pages of the registry: list, detail with history, edit for administrators."""

from __future__ import annotations

from django.urls import reverse

from apps.core.choices import AuditEventType
from apps.core.models import AuditEvent
from apps.enterprises.services import update_enterprise

LIST_URL = reverse("enterprises:enterprise-list")


def test_anonymous_visitor_is_sent_to_login(client, haikou_company):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_clerk_sees_the_list_and_filters_by_name(login, clerk, haikou_company, sanya_company):
    client = login(clerk)
    page = client.get(LIST_URL).content.decode()
    assert haikou_company.name in page and sanya_company.name in page
    filtered = client.get(LIST_URL, {"q": "鹿回头"}).content.decode()
    assert sanya_company.name in filtered and haikou_company.name not in filtered


def test_detail_shows_fields_history_and_timeline_to_an_auditor(
    login, auditor, province_admin, haikou_company
):
    update_enterprise(haikou_company, {"status": "suspended"}, actor=province_admin)
    page = login(auditor).get(
        reverse("enterprises:enterprise-detail", args=[haikou_company.uscc.lower()])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert haikou_company.uscc in html
    assert "符海南" in html
    assert "变更记录" in html and "省管理员" in html


def test_clerk_sees_no_audit_timeline_and_no_edit_link(login, clerk, haikou_company):
    html = (
        login(clerk)
        .get(reverse("enterprises:enterprise-detail", args=[haikou_company.uscc]))
        .content.decode()
    )
    assert "变更记录" not in html
    assert reverse("enterprises:enterprise-edit", args=[haikou_company.uscc]) not in html


def test_unknown_uscc_page_is_404(login, clerk, hainan):
    response = login(clerk).get(
        reverse("enterprises:enterprise-detail", args=["91350100M000100Y43"])
    )
    assert response.status_code == 404


def test_read_only_roles_get_403_on_the_edit_page(login, clerk, auditor, haikou_company):
    url = reverse("enterprises:enterprise-edit", args=[haikou_company.uscc])
    assert login(clerk).get(url).status_code == 403
    assert login(auditor).post(url, {"address": "x"}).status_code == 403


def test_city_admin_gets_403_editing_outside_the_city(login, city_admin, sanya_company):
    url = reverse("enterprises:enterprise-edit", args=[sanya_company.uscc])
    assert login(city_admin).get(url).status_code == 403


def test_city_admin_edits_a_haikou_enterprise(login, city_admin, haikou_company, hainan):
    url = reverse("enterprises:enterprise-edit", args=[haikou_company.uscc])
    client = login(city_admin)
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({"status": "liquidating", "region": hainan["haikou"].pk})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    haikou_company.refresh_from_db()
    assert haikou_company.status == "liquidating"
    event = AuditEvent.objects.get(event_type=AuditEventType.ENTERPRISE_CHANGED)
    assert event.after == {"status": "liquidating"}
    assert event.channel == "web"


def test_rename_page_keeps_the_old_name(login, province_admin, haikou_company):
    url = reverse("enterprises:enterprise-rename", args=[haikou_company.uscc])
    response = login(province_admin).post(
        url, {"new_name": "海南椰风文旅有限公司", "effective_on": "2024-02-01"}
    )
    assert response.status_code == 302
    detail = login(province_admin).get(response["Location"]).content.decode()
    assert "海南椰风文旅有限公司" in detail and "海南椰风海韵旅游开发有限公司" in detail
