"""Pages: a department plans, draws, enters a result; scoping; the result on the public profile."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.inspections import services
from apps.inspections.models import Officer, Plan

pytestmark = pytest.mark.django_db


def test_department_plans_draws_and_enters_a_result(login, clerk, pool, officers, ccjc, client):
    page = login(clerk)
    response = page.post(
        reverse("inspections:plan-create"),
        {
            "name": "页面计划",
            "pool": pool.pk,
            "check_type": "定向",
            "sample_count": 2,
            "officers_per_target": 2,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-31",
            "matters": "登记事项检查",
        },
    )
    plan = Plan.objects.get(name="页面计划")
    assert response.status_code == 302
    response = page.post(
        reverse("inspections:plan-draw", args=[plan.pk]), {"seed": "8"}, follow=True
    )
    assert "随机种子 8" in response.content.decode()
    task = plan.tasks.select_related("enterprise").first()
    response = page.post(
        reverse("inspections:task-detail", args=[task.pk]),
        {"outcome": "normal", "completed_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "检查结果已录入并公示" in response.content.decode()
    profile = client.get(reverse("disclosure:profile", args=[task.enterprise.uscc]))
    assert profile.status_code == 200
    assert task.code in profile.content.decode()


def test_plan_form_shows_the_refusal_of_a_draw_larger_than_the_pool(login, clerk, pool):
    response = login(clerk).post(
        reverse("inspections:plan-create"),
        {
            "name": "过大",
            "pool": pool.pk,
            "check_type": "定向",
            "sample_count": 50,
            "officers_per_target": 2,
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-31",
            "matters": "检查",
        },
    )
    assert response.status_code == 200
    assert "50 超过检查对象名录“全市企业”中的 16 户" in response.content.decode()


def test_draw_page_shows_the_empty_officer_list_message(login, clerk, make_plan):
    plan = make_plan()
    response = login(clerk).post(reverse("inspections:plan-draw", args=[plan.pk]), {}, follow=True)
    assert "执法检查人员名录为空" in response.content.decode()


def test_draw_page_names_the_target_lacking_two_eligible_officers(
    login, clerk, make_plan, officers, entities
):
    target = entities["haikou"][0]
    for key in ("hk0", "hk1"):
        services.declare_conflict(officers[key], target, reason="亲属关系", actor=clerk)
    plan = make_plan(sample_count=16)
    body = (
        login(clerk)
        .post(reverse("inspections:plan-draw", args=[plan.pk]), {"seed": "1"}, follow=True)
        .content.decode()
    )
    assert "不足 2 名可抽取的执法检查人员" in body
    assert f"{target.name}（{target.uscc}）（可抽取 1 名）" in body
    assert not plan.draws.exists()


def test_draw_page_refuses_a_bad_seed(login, clerk, make_plan, officers):
    plan = make_plan()
    body = (
        login(clerk)
        .post(reverse("inspections:plan-draw", args=[plan.pk]), {"seed": "12ab"}, follow=True)
        .content.decode()
    )
    assert "随机种子“12ab”无效" in body
    assert not plan.draws.exists()


def test_redraw_without_reason_is_refused_on_the_page(login, clerk, make_plan, officers):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="1")
    response = login(clerk).post(
        reverse("inspections:plan-draw", args=[plan.pk]), {"seed": "2"}, follow=True
    )
    assert "重新抽取必须说明理由" in response.content.decode()
    assert plan.draws.count() == 1


def test_verify_page_confirms_the_draw(login, clerk, make_plan, officers):
    plan = make_plan()
    draw = services.draw_plan(plan, actor=clerk, seed="31")
    body = login(clerk).get(reverse("inspections:draw-verify", args=[draw.pk])).content.decode()
    assert "结果与记录一致" in body
    other = login(clerk).get(reverse("inspections:draw-verify", args=[draw.pk]), {"seed": "32"})
    assert "与记录不一致" in other.content.decode()


def test_draw_inputs_download_recomputes_elsewhere(login, clerk, make_plan, officers):
    from apps.inspections.draw import DrawInputs, DrawOutcome, compute_draw

    plan = make_plan()
    draw = services.draw_plan(plan, actor=clerk, seed="31")
    data = login(clerk).get(reverse("inspections:draw-inputs", args=[draw.pk])).json()
    recomputed = compute_draw(int(data["seed"]), DrawInputs.from_json(data["inputs"]))
    assert recomputed == DrawOutcome.from_json(data["outcome"])


def test_other_department_gets_404_for_plan_and_task(
    login, clerk, other_clerk, make_plan, officers
):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="1")
    task = plan.tasks.first()
    page = login(other_clerk)
    assert page.get(reverse("inspections:plan-detail", args=[plan.pk])).status_code == 404
    assert page.get(reverse("inspections:task-detail", args=[task.pk])).status_code == 404


def test_auditor_sees_the_task_without_the_result_form(login, auditor, clerk, make_plan, officers):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="1")
    task = plan.tasks.first()
    page = login(auditor)
    body = page.get(reverse("inspections:task-detail", args=[task.pk])).content.decode()
    assert task.code in body and 'id="result-form"' not in body
    response = page.post(
        reverse("inspections:task-detail", args=[task.pk]),
        {"outcome": "normal", "completed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403


def test_officer_sees_own_tasks_on_the_home_page(login, clerk, officer_user, make_plan, officers):
    Officer.objects.filter(pk=officers["hk2"].pk).update(user=officer_user)
    plan = make_plan(sample_count=8)
    services.draw_plan(plan, actor=clerk, seed="5")
    body = login(officer_user).get(reverse("inspections:home")).content.decode()
    own = set(
        plan.tasks.filter(assignments__officer=officers["hk2"]).values_list("code", flat=True)
    )
    shown = set(re.findall(r"460100-SCJG-CC-2026-\d+-R1-\d{4}", body))
    assert own and shown == own


@pytest.mark.parametrize(
    "name",
    [
        "inspections:home",
        "inspections:plan-list",
        "inspections:pool-list",
        "inspections:officer-list",
        "inspections:task-list",
        "inspections:result-list",
        "inspections:follow-up-list",
        "inspections:plan-create",
        "inspections:pool-create",
        "inspections:officer-create",
    ],
)
def test_pages_render_for_the_clerk(login, clerk, name):
    assert login(clerk).get(reverse(name)).status_code == 200


def test_pages_need_a_sign_in(client):
    response = client.get(reverse("inspections:plan-list"))
    assert response.status_code == 302


def test_pool_page_builds_a_pool(login, clerk, entities, hainan):
    response = login(clerk).post(
        reverse("inspections:pool-create"),
        {"name": "三亚", "regions": [hainan["sanya"].pk], "statuses": ["active"]},
        follow=True,
    )
    body = response.content.decode()
    assert "共 4 户" in body
    assert "区划（含下辖区）：460200" in body
    assert "登记状态：存续" in body


def test_pool_page_leaves_out_recently_drawn_entities_and_labels_the_filter(
    login, clerk, make_plan, officers
):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="12")
    today = timezone.localdate().isoformat()
    response = login(clerk).post(
        reverse("inspections:pool-create"),
        {"name": "避免重复抽查", "not_drawn_since": today},
        follow=True,
    )
    body = response.content.decode()
    assert "共 12 户" in body
    assert f"排除该日起已被抽中的主体：{today}" in body


def test_officer_page_declares_a_conflict(login, clerk, officers, entities):
    officer = officers["hk0"]
    target = entities["haikou"][1]
    login(clerk).post(
        reverse("inspections:officer-detail", args=[officer.pk]),
        {"uscc": target.uscc, "reason": "亲属关系"},
    )
    assert officer.conflicts.filter(enterprise=target).exists()


def test_task_past_the_plan_end_is_marked_overdue(login, clerk, make_plan, officers):
    import datetime

    plan = make_plan(starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 3, 31))
    services.draw_plan(plan, actor=clerk, seed="4")
    body = login(clerk).get(reverse("inspections:task-list")).content.decode()
    assert body.count("逾期") == 4
