"""Browser test: a department plans, draws, enters a result, and the result shows on the profile."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_plan_draw_result_then_public_profile(
    live_server, browser_page, screenshot, clerk, pool, officers, ccjc
):
    clerk.set_password(PASSWORD)
    clerk.save()
    page = browser_page(width=1280, height=900)
    page.goto(live_server.url + "/accounts/login/?next=/inspections/plans/new/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()

    # Plan.
    page.wait_for_selector("#plan-form")
    page.fill("#id_name", "浏览器抽查计划")
    page.select_option("#id_pool", str(pool.pk))
    page.fill("#id_sample_count", "3")
    page.fill("#id_starts_on", "2026-11-01")
    page.fill("#id_ends_on", "2026-12-31")
    page.fill("#id_matters", "企业公示信息情况检查")
    screenshot(page, "inspections-plan-form")
    page.get_by_role("button", name="创建计划").click()
    page.wait_for_selector("#draw-form")
    assert "浏览器抽查计划" in page.locator("h1").inner_text()

    # Draw with a recorded seed.
    page.fill("#id_seed", "20261128")
    page.get_by_role("button", name="抽取检查对象和检查人员").click()
    page.wait_for_selector("#tasks")
    assert "随机种子 20261128" in page.locator("main").inner_text()
    assert page.locator("#tasks tbody tr").count() == 3
    screenshot(page, "inspections-plan-drawn")

    # Verify the draw.
    page.get_by_role("link", name="复核抽取结果").click()
    page.wait_for_selector("#verification")
    assert "结果与记录一致" in page.locator("#verification").inner_text()
    page.go_back()

    # Result.
    first = page.locator("#tasks tbody tr").first.locator("a").first
    task_code = first.inner_text()
    first.click()
    page.wait_for_selector("#result-form")
    page.select_option("#id_outcome", "problems")
    page.fill("#id_details", "未按规定公示从业人数")
    page.fill("#id_completed_on", timezone.localdate().isoformat())
    page.get_by_role("button", name="提交并公示").click()
    page.wait_for_selector("#result")
    assert "检查结果已录入并公示" in page.locator("main").inner_text()
    uscc = page.locator("dl.card dd").nth(1).inner_text().split("（")[-1].rstrip("）")
    screenshot(page, "inspections-result-entered")

    # The public profile (no sign-in needed) shows the spot-check result.
    public = browser_page(width=390, height=844)
    public.goto(f"{live_server.url}/portal/e/{uscc}/")
    public.wait_for_selector("h1")
    body = public.locator("main").inner_text()
    assert task_code in body
    assert "未按规定公示从业人数" in body
    screenshot(public, "inspections-profile-phone")
