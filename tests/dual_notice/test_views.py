"""Pages: home panel, task pages and actions, the printable notice, the mapping pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.dual_notice.choices import TaskStatus
from apps.dual_notice.models import LicensingMatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(mapping, depts, xiuying_enterprise, notify):
    return notify(xiuying_enterprise)


@pytest.fixture
def food_task(notice):
    return notice.tasks.get(matter__code="SPJY")


def test_home_lists_the_departments_pending_tasks(login, clerk, food_task):
    page = login(clerk).get(reverse("dual_notice:home"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "海南椰风餐饮管理有限公司" in body
    assert "食品经营许可" in body
    # The hotel task belongs to public security, not to market regulation.
    assert "特种行业许可" not in body


def test_workbench_panel_shows_pending_tasks(login, clerk, food_task):
    body = login(clerk).get(reverse("home")).content.decode()
    assert "双告知待认领" in body
    assert reverse("dual_notice:task-detail", args=[food_task.pk]) in body


def test_task_of_another_department_is_not_found(login, other_clerk, food_task):
    client = login(other_clerk)
    assert client.get(reverse("dual_notice:task-detail", args=[food_task.pk])).status_code == 404
    response = client.post(reverse("dual_notice:task-claim", args=[food_task.pk]))
    assert response.status_code == 404


def test_clerk_claims_through_the_page(login, clerk, food_task, monkeypatch):
    from apps.dual_notice import services

    monkeypatch.setattr(services, "_today", lambda: food_task.assigned_on)
    client = login(clerk)
    response = client.post(
        reverse("dual_notice:task-claim", args=[food_task.pk]), {"note": "已登记"}, follow=True
    )
    assert "已认领" in response.content.decode()
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.CLAIMED


def test_return_without_reason_shows_the_rule(login, clerk, food_task):
    response = login(clerk).post(
        reverse("dual_notice:task-return", args=[food_task.pk]), {"reason": ""}, follow=True
    )
    assert "退回原因（reason）不能为空" in response.content.decode()
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.PENDING


def test_auditor_reads_but_may_not_act(login, auditor, food_task):
    client = login(auditor)
    assert client.get(reverse("dual_notice:task-detail", args=[food_task.pk])).status_code == 200
    response = client.post(reverse("dual_notice:task-claim", args=[food_task.pk]))
    assert response.status_code == 403


def test_printable_notice_lists_licences_departments_and_pledge(login, clerk, notice):
    response = login(clerk).get(reverse("dual_notice:notice-detail", args=[notice.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "登记后置审批事项告知书",
        notice.number,
        "海南椰风餐饮管理有限公司",
        notice.enterprise.uscc,
        "食品经营许可",
        "《食品经营许可测试依据》第一条",
        "海口市市场监督管理局",
        "特种行业许可（旅馆业）",
        "海口市公安局",
        "国发〔2015〕62号",
        "申请人承诺",
        "@media print",
    ):
        assert text in body, text


def test_notice_reached_through_a_task_of_another_line(login, hk_ga_clerk, notice, other_clerk):
    """Public security is not the registrar but has a task: it may read the notice."""
    url = reverse("dual_notice:notice-detail", args=[notice.pk])
    assert login(hk_ga_clerk).get(url).status_code == 200


def test_notice_of_another_city_is_not_found(client, other_clerk, notice):
    client.force_login(other_clerk)
    assert client.get(reverse("dual_notice:notice-detail", args=[notice.pk])).status_code == 404


def test_notice_without_matters_says_so(login, province_admin, mapping, depts, hainan, notify):
    from tests.factories.enterprises import EnterpriseFactory

    notice = notify(EnterpriseFactory(region=hainan["haikou"], business_scope="软件开发"))
    body = (
        login(province_admin)
        .get(reverse("dual_notice:notice-detail", args=[notice.pk]))
        .content.decode()
    )
    assert "未涉及目录所列的后置审批事项" in body


def test_task_list_filters_by_status(login, province_admin, food_task, clerk):
    client = login(province_admin)
    body = client.get(reverse("dual_notice:task-list"), {"queue": "1"}).content.decode()
    assert "海南椰风餐饮管理有限公司" not in body
    body = client.get(reverse("dual_notice:task-list"), {"status": "pending"}).content.decode()
    assert "海南椰风餐饮管理有限公司" in body


def test_province_admin_reassigns_from_the_page(login, province_admin, clerk, food_task, depts):
    from apps.dual_notice.services import return_task

    return_task(food_task, actor=clerk, reason="不属本局")
    client = login(province_admin)
    assert "省级待分派队列" in client.get(reverse("dual_notice:home")).content.decode()
    client.post(
        reverse("dual_notice:task-reassign", args=[food_task.pk]),
        {"department": depts["prov_scjg"].pk},
    )
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.PENDING
    assert food_task.department == depts["prov_scjg"]


def test_mapping_page_and_editing(login, province_admin, clerk, mapping):
    client = login(province_admin)
    body = client.get(reverse("dual_notice:matter-list")).content.decode()
    assert "仅销售预包装食品" in body
    response = client.post(
        reverse("dual_notice:matter-create"),
        {
            "code": "SCMZ",
            "name": "水产苗种生产许可",
            "legal_basis": "《中华人民共和国渔业法》第十六条",
            "department_line": "scjg",
            "approving_department_label": "县级以上渔业行政主管部门",
            "approval_level": "local",
            "valid_from": "2016-01-01",
            "is_active": "on",
            "sort_order": "9",
            "keywords_text": "水产苗种生产\n苗种繁育 !不含\n",
            "industry_codes_text": "a0412",
        },
    )
    assert response.status_code == 302
    matter = LicensingMatter.objects.get(code="SCMZ")
    assert matter.department_line == "SCJG"
    assert matter.industry_code_prefixes == ["A0412"]
    assert {(k.phrase, tuple(k.exclusions)) for k in matter.keywords.all()} == {
        ("水产苗种生产", ()),
        ("苗种繁育", ("不含",)),
    }
    # Clerks may read the mapping but not change it.
    assert login(clerk).get(reverse("dual_notice:matter-create")).status_code == 403


def test_mapping_form_names_the_bad_line_and_unknown_line(login, province_admin, mapping):
    client = login(province_admin)
    data = {
        "code": "X1",
        "name": "测试事项",
        "legal_basis": "依据",
        "department_line": "NOPE",
        "approving_department_label": "某部门",
        "approval_level": "local",
        "valid_from": "2016-01-01",
        "sort_order": "1",
        "keywords_text": "正常词\n !只有排除词",
    }
    body = client.post(reverse("dual_notice:matter-create"), data).content.decode()
    assert "第 2 行：缺少关键词" in body
    data["keywords_text"] = "正常词"
    body = client.post(reverse("dual_notice:matter-create"), data).content.decode()
    assert "审批部门条线 NOPE 没有任何部门" in body
    assert not LicensingMatter.objects.filter(code="X1").exists()


def test_statistics_page(login, province_admin, food_task):
    body = login(province_admin).get(reverse("dual_notice:statistics")).content.decode()
    assert "海口市市场监督管理局" in body
