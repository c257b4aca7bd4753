"""Browser test of the portal: search -> profile on a desktop and a phone, screenshots saved."""
# ruff: noqa: F811  (fixtures are imported from portal_support and then requested)

from __future__ import annotations

import pytest

from .portal_support import (  # noqa: F401 (fixtures)
    ID_NUMBER,
    _fresh_caches,
    enterprise,
    mortgage,
)

MASKED_ID = "460100********1234"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("device", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)]
)
def test_search_then_profile(
    live_server, browser_page, screenshot, mortgage, device, width, height
):
    entity = mortgage["enterprise"]
    page = browser_page(width=width, height=height)
    page.goto(live_server.url + "/portal/")
    # The box is labelled and reachable by keyboard.
    page.get_by_label("企业名称、统一社会信用代码、注册号或法定代表人姓名").fill("椰风")
    page.keyboard.press("Enter")
    page.wait_for_selector(".portal-hit")
    screenshot(page, f"portal-search-{device}")
    assert page.locator(".portal-hit").count() == 1
    assert entity.uscc in page.locator(".portal-hit").inner_text()
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    link = page.get_by_role("link", name=entity.name)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == entity.name
    body = page.locator("main").inner_text()
    assert "测试动产抵押登记信息" in body and "琼抵2026001" in body
    assert MASKED_ID in body and ID_NUMBER not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"portal-profile-{device}")
