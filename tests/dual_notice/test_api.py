"""API: scoped task lists and actions, notices, the mapping and statistics."""

from __future__ import annotations

import pytest

from apps.dual_notice.choices import TaskStatus

pytestmark = pytest.mark.django_db

TASKS = "/api/v1/dual-notice/tasks/"


@pytest.fixture
def notice(mapping, depts, xiuying_enterprise, notify):
    return notify(xiuying_enterprise)


@pytest.fixture
def food_task(notice, monkeypatch):
    from apps.dual_notice import services

    task = notice.tasks.get(matter__code="SPJY")
    monkeypatch.setattr(services, "_today", lambda: task.assigned_on)
    return task


def test_clerk_lists_only_its_departments_tasks(api_login, clerk, food_task):
    data = api_login(clerk).get(TASKS).json()
    assert [row["id"] for row in data["results"]] == [food_task.pk]
    row = data["results"][0]
    assert row["department"] == "460100-SCJG"
    assert row["matter"] == "SPJY"
    assert row["enterprise"] == food_task.enterprise.uscc
    assert row["status"] == "pending"


def test_province_admin_filters_by_department_code(api_login, province_admin, notice):
    client = api_login(province_admin)
    assert client.get(TASKS).json()["count"] == 2
    data = client.get(TASKS, {"department": "460100-GA"}).json()
    assert [row["matter"] for row in data["results"]] == ["TZHY"]


def test_task_of_another_department_is_404(api_login, other_clerk, food_task):
    client = api_login(other_clerk)
    assert client.get(f"{TASKS}{food_task.pk}/").status_code == 404
    assert client.post(f"{TASKS}{food_task.pk}/claim/", {}).status_code == 404


def test_claim_through_the_api(api_login, clerk, food_task):
    response = api_login(clerk).post(f"{TASKS}{food_task.pk}/claim/", {"note": "接口认领"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "claimed"
    assert response.json()["assignments"][0]["outcome"] == "claimed"
    again = api_login(clerk).post(f"{TASKS}{food_task.pk}/claim/", {})
    assert again.status_code == 409
    assert "不能认领" in again.json()["detail"]


def test_return_without_reason_is_400_naming_the_field(api_login, clerk, food_task):
    response = api_login(clerk).post(f"{TASKS}{food_task.pk}/return/", {"reason": ""})
    assert response.status_code == 400
    assert "退回原因（reason）不能为空" in response.json()["reason"][0]
    ok = api_login(clerk).post(f"{TASKS}{food_task.pk}/return/", {"reason": "不属本局"})
    assert ok.json()["status"] == TaskStatus.RETURNED
    assert ok.json()["department"] is None


def test_reassign_is_for_province_admins_only(api_login, clerk, province_admin, food_task):
    api_login(clerk).post(f"{TASKS}{food_task.pk}/return/", {"reason": "不属本局"})
    # Returned, the task has left the clerk's scope.
    assert (
        api_login(clerk)
        .post(f"{TASKS}{food_task.pk}/reassign/", {"department": "460200-SCJG"})
        .status_code
        == 404
    )
    response = api_login(province_admin).post(
        f"{TASKS}{food_task.pk}/reassign/", {"department": "460200-SCJG"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["department"] == "460200-SCJG"
    bad = api_login(province_admin).post(f"{TASKS}{food_task.pk}/reassign/", {"department": "X"})
    assert bad.status_code == 400


def test_clerk_may_not_reassign_its_own_pending_task(api_login, clerk, food_task):
    response = api_login(clerk).post(
        f"{TASKS}{food_task.pk}/reassign/", {"department": "460200-SCJG"}
    )
    assert response.status_code == 403


def test_notices_are_reached_through_tasks(api_login, jt_clerk, hk_ga_clerk, other_clerk, notice):
    data = api_login(hk_ga_clerk).get("/api/v1/dual-notice/notices/").json()
    assert [row["number"] for row in data["results"]] == [notice.number]
    lines = {line["matter"]: line["department"] for line in data["results"][0]["lines"]}
    assert lines == {"SPJY": "460100-SCJG", "TZHY": "460100-GA"}
    assert api_login(jt_clerk).get(f"/api/v1/dual-notice/notices/{notice.pk}/").status_code == 404
    assert api_login(other_clerk).get("/api/v1/dual-notice/notices/").json()["count"] == 0


def test_mapping_is_readable_by_staff(api_login, other_clerk, mapping):
    data = api_login(other_clerk).get("/api/v1/dual-notice/matters/SPJY/").json()
    assert data["department_line"] == "SCJG"
    assert {"phrase": "食品销售", "exclusions": ["仅销售预包装食品"]} in data["keywords"]


def test_statistics_endpoint(api_login, clerk, province_admin, food_task):
    api_login(clerk).post(f"{TASKS}{food_task.pk}/claim/", {})
    rows = api_login(province_admin).get("/api/v1/dual-notice/statistics/").json()
    by_code = {row["department"]: row for row in rows}
    assert by_code["460100-SCJG"]["claimed"] == 1
    assert by_code["460100-GA"]["open"] == 1


def test_anonymous_gets_nothing(api_client, food_task):
    assert api_client.get(TASKS).status_code in (401, 403)


def test_auditor_and_city_admin_read_but_may_not_claim(api_login, auditor, city_admin, food_task):
    for user in (auditor, city_admin):
        client = api_login(user)
        assert client.get(f"{TASKS}{food_task.pk}/").status_code == 200
        assert client.post(f"{TASKS}{food_task.pk}/claim/", {}).status_code == 403


def test_city_admin_sees_only_its_regions_tasks(
    api_login, city_admin, mapping, depts, sanya_enterprise, xiuying_enterprise, notify
):
    notify(xiuying_enterprise)
    notify(sanya_enterprise)
    rows = api_login(city_admin).get(TASKS).json()["results"]
    assert {row["enterprise"] for row in rows} == {xiuying_enterprise.uscc}


def test_task_list_query_count_does_not_grow_with_rows(
    api_login, province_admin, mapping, depts, hainan, notify, django_assert_max_num_queries
):
    from tests.factories.enterprises import EnterpriseFactory

    for i in range(8):
        notify(
            EnterpriseFactory(region=hainan["haikou"], business_scope=f"餐饮服务；住宿服务；{i}")
        )
    client = api_login(province_admin)
    with django_assert_max_num_queries(6):
        data = client.get(TASKS, {"limit": 50}).json()
    assert data["count"] == 16
