"""The inspections API: scoped lists, plan creation, draw, verify, result entry, refusals."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.inspections import services
from apps.inspections.models import Officer
from apps.records.models import GenericRecord

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inspections"


def test_department_creates_a_plan_draws_and_enters_a_result(
    api_login, clerk, pool, officers, ccjc
):
    api = api_login(clerk)
    created = api.post(
        f"{BASE}/plans/",
        {
            "name": "接口计划",
            "pool": pool.pk,
            "matters": "登记事项检查",
            "sample_count": 3,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-31",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    drawn = api.post(f"{BASE}/plans/{plan_id}/draw/", {"seed": "2026"}, format="json")
    assert drawn.status_code == 201, drawn.content
    draw = drawn.json()
    assert draw["seed"] == "2026" and len(draw["outcome"]) == 3
    verified = api.get(f"{BASE}/draws/{draw['id']}/verify/").json()
    assert verified["ok"] is True
    other_seed = api.get(f"{BASE}/draws/{draw['id']}/verify/", {"seed": "2027"}).json()
    assert other_seed["reproduced"] is False
    tasks = api.get(f"{BASE}/tasks/", {"plan_id": plan_id}).json()["results"]
    assert len(tasks) == 3 and all(len(t["officers"]) == 2 for t in tasks)
    entered = api.post(
        f"{BASE}/tasks/{tasks[0]['id']}/result/",
        {"outcome": "normal", "completed_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert entered.status_code == 201, entered.content
    assert GenericRecord.objects.filter(
        pk=entered.json()["record_id"], resource_code="CCJC"
    ).exists()


def test_draw_larger_than_the_pool_is_refused_with_a_message(api_login, clerk, pool, officers):
    response = api_login(clerk).post(
        f"{BASE}/plans/",
        {
            "name": "过大",
            "pool": pool.pk,
            "matters": "检查",
            "sample_count": 99,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-31",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "99 超过检查对象名录" in response.json()["detail"]


def test_draw_without_officers_is_refused_with_a_message(api_login, clerk, make_plan):
    plan = make_plan()
    response = api_login(clerk).post(f"{BASE}/plans/{plan.pk}/draw/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "no_officers"
    assert "执法检查人员名录为空" in response.json()["detail"]


def test_draw_with_a_bad_seed_is_refused_with_a_message(api_login, clerk, make_plan, officers):
    plan = make_plan()
    response = api_login(clerk).post(
        f"{BASE}/plans/{plan.pk}/draw/", {"seed": "12ab"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "seed_invalid"
    assert "随机种子“12ab”无效" in response.json()["detail"]
    assert not plan.draws.exists()


def test_draw_with_a_target_lacking_two_eligible_officers_names_it(
    api_login, clerk, make_plan, officers, entities
):
    target = entities["haikou"][0]
    for key in ("hk0", "hk1"):
        services.declare_conflict(officers[key], target, reason="亲属关系", actor=clerk)
    plan = make_plan(sample_count=16)
    response = api_login(clerk).post(f"{BASE}/plans/{plan.pk}/draw/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "too_few_eligible_officers"
    assert target.uscc in response.json()["detail"]


def test_plan_with_one_officer_per_target_is_refused_with_a_message(api_login, clerk, pool):
    response = api_login(clerk).post(
        f"{BASE}/plans/",
        {
            "name": "一人检查",
            "pool": pool.pk,
            "matters": "检查",
            "sample_count": 2,
            "officers_per_target": 1,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-31",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "too_few_officers_per_target"
    assert "每个检查对象至少应有 2 名执法检查人员" in response.json()["detail"]


def test_redraw_without_a_reason_is_refused_with_a_message(api_login, clerk, make_plan, officers):
    plan = make_plan()
    api = api_login(clerk)
    assert (
        api.post(f"{BASE}/plans/{plan.pk}/draw/", {"seed": "1"}, format="json").status_code == 201
    )
    again = api.post(f"{BASE}/plans/{plan.pk}/draw/", {"seed": "2"}, format="json")
    assert again.status_code == 400
    assert again.json()["code"] == "redraw_reason_required"
    redrawn = api.post(
        f"{BASE}/plans/{plan.pk}/draw/", {"seed": "2", "reason": "检查人员调离"}, format="json"
    )
    assert redrawn.status_code == 201
    assert redrawn.json()["round"] == 2


def test_other_department_cannot_see_the_plan(api_login, other_clerk, make_plan):
    plan = make_plan()
    api = api_login(other_clerk)
    assert api.get(f"{BASE}/plans/{plan.pk}/").status_code == 404
    assert api.get(f"{BASE}/plans/").json()["count"] == 0


def test_joint_partner_sees_the_plan_but_cannot_draw(
    api_login, other_clerk, make_plan, other_dept, officers
):
    plan = make_plan(other_departments=[other_dept])
    api = api_login(other_clerk)
    assert api.get(f"{BASE}/plans/{plan.pk}/").json()["is_joint"] is True
    assert api.post(f"{BASE}/plans/{plan.pk}/draw/", {}, format="json").status_code == 403


def test_partner_enters_results_only_for_tasks_of_its_officers(
    api_login, clerk, other_clerk, make_plan, other_dept, officers, ccjc
):
    plan = make_plan(other_departments=[other_dept], sample_count=2)
    services.draw_plan(plan, actor=clerk, seed="9")
    task = plan.tasks.first()
    response = api_login(other_clerk).post(
        f"{BASE}/tasks/{task.pk}/result/",
        {"outcome": "normal", "completed_on": timezone.localdate().isoformat()},
        format="json",
    )
    # Joint tasks mix departments: the Sanya bureau has an officer on it and may enter.
    assert response.status_code == 201
    assert response.json()["department"] == other_dept.code


def test_auditor_reads_but_cannot_enter_results(
    api_login, auditor, clerk, make_plan, officers, ccjc
):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="9")
    task = plan.tasks.first()
    api = api_login(auditor)
    assert api.get(f"{BASE}/tasks/{task.pk}/").status_code == 200
    response = api.post(
        f"{BASE}/tasks/{task.pk}/result/",
        {"outcome": "normal", "completed_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 403


def test_officer_sees_own_tasks(api_login, clerk, officer_user, make_plan, officers):
    officer = officers["hk1"]
    Officer.objects.filter(pk=officer.pk).update(user=officer_user)
    plan = make_plan(sample_count=6)
    services.draw_plan(plan, actor=clerk, seed="11")
    mine = api_login(officer_user).get(f"{BASE}/tasks/", {"mine": "true"}).json()["results"]
    expected = set(plan.tasks.filter(assignments__officer=officer).values_list("code", flat=True))
    assert {t["code"] for t in mine} == expected


def test_officer_list_is_scoped_and_created_through_the_service(
    api_login, clerk, other_clerk, officers
):
    api = api_login(clerk)
    listed = api.get(f"{BASE}/officers/").json()
    assert {o["certificate_number"] for o in listed["results"]} == {"HK-0000", "HK-0001", "HK-0002"}
    created = api.post(
        f"{BASE}/officers/",
        {
            "department": "460100-SCJG",
            "name": "新执法员",
            "certificate_number": "HK-0100",
            "areas": ["460105"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    refused = api.post(
        f"{BASE}/officers/",
        {"department": "460200-SCJG", "name": "越权", "certificate_number": "HK-0101"},
        format="json",
    )
    assert refused.status_code == 403
    assert api_login(other_clerk).get(f"{BASE}/officers/{officers['hk0'].pk}/").status_code == 404


def test_conflict_declared_through_the_api(api_login, clerk, officers, entities):
    target = entities["haikou"][0]
    response = api_login(clerk).post(
        f"{BASE}/conflicts/",
        {"officer": officers["hk0"].pk, "uscc": target.uscc, "reason": "配偶任该企业监事"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert officers["hk0"].conflicts.filter(enterprise=target).exists()


def test_pool_built_through_the_api(api_login, clerk, entities):
    response = api_login(clerk).post(
        f"{BASE}/pools/", {"name": "三亚企业", "region_codes": ["460200"]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["member_count"] == 4
    members = api_login(clerk).get(f"{BASE}/pools/{response.json()['id']}/members/").json()
    assert members["count"] == 4


def test_pool_api_leaves_out_recently_drawn_entities(api_login, clerk, make_plan, officers):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="12")
    today = timezone.localdate().isoformat()
    api = api_login(clerk)
    created = api.post(
        f"{BASE}/pools/", {"name": "避免重复", "not_drawn_since": today}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["member_count"] == 12
    assert created.json()["filters"] == {"not_drawn_since": [today]}
    future = api.post(
        f"{BASE}/pools/", {"name": "未来", "not_drawn_since": "2999-01-01"}, format="json"
    )
    assert future.status_code == 400
    assert "晚于今天" in future.json()["detail"]


def test_city_admin_sees_plans_of_its_region_only(
    api_login, city_admin, clerk, other_clerk, make_plan, other_dept
):
    from apps.inspections.models import TargetPool

    haikou_plan = make_plan()
    sanya_pool = TargetPool.objects.create(
        department=other_dept, name="三亚", member_count=0, snapshot_at=timezone.now()
    )
    services.create_plan(
        name="三亚计划",
        lead_department=other_dept,
        pool=sanya_pool,
        matters="检查",
        starts_on=haikou_plan.starts_on,
        ends_on=haikou_plan.ends_on,
        sample_count=None,
        sample_ratio=5,
        actor=other_clerk,
    )
    codes = [p["code"] for p in api_login(city_admin).get(f"{BASE}/plans/").json()["results"]]
    assert codes == [haikou_plan.code]


def test_joint_plan_is_listed_once_for_the_province(
    api_login, province_admin, make_plan, other_dept
):
    plan = make_plan(other_departments=[other_dept])
    listed = api_login(province_admin).get(f"{BASE}/plans/").json()
    assert [p["code"] for p in listed["results"]] == [plan.code]


def test_task_list_queries_do_not_grow_with_tasks(
    api_login, clerk, make_plan, officers, django_assert_max_num_queries
):
    plan = make_plan(sample_count=12)
    services.draw_plan(plan, actor=clerk, seed="3")
    api = api_login(clerk)
    with django_assert_max_num_queries(12):
        response = api.get(f"{BASE}/tasks/")
    assert response.json()["count"] == 12
