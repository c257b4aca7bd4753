"""Browser test: a clerk claims a task from the home page and prints the applicant's notice."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.dual_notice.choices import NoticeSource, TaskStatus
from apps.dual_notice.services import issue_notice
from tests.conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_clerk_claims_and_prints_the_notice(
    live_server, browser_page, screenshot, clerk, mapping, xiuying_enterprise
):
    today = timezone.localdate()
    notice = issue_notice(
        xiuying_enterprise,
        scope=xiuying_enterprise.business_scope,
        registered_on=today,
        source=NoticeSource.REGISTRY,
        today=today,
    )
    task = notice.tasks.get(matter__code="SPJY")
    clerk.set_password(PASSWORD)
    clerk.save()

    page = browser_page(width=390, height=844)
    page.goto(live_server.url + "/accounts/login/?next=/dual-notice/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="海南椰风餐饮管理有限公司").first.click()
    screenshot(page, "dual-notice-task-phone")
    page.get_by_role("button", name="认领").click()
    page.wait_for_selector("text=已认领。")
    task.refresh_from_db()
    assert task.status == TaskStatus.CLAIMED

    page.get_by_role("link", name=notice.number).click()
    page.wait_for_selector("h1")
    assert "登记后置审批事项告知书" in page.locator("h1").inner_text()
    assert page.locator(".toolbar").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()
    table = page.locator("table").nth(1).inner_text()
    assert "食品经营许可" in table and "海口市市场监督管理局" in table
    screenshot(page, "dual-notice-notice-print")
