"""Browser test: profile -> objection (with a PDF) -> receipt -> status, on a desktop and a phone."""

# ruff: noqa: F811  (fixtures are imported from objection_support and then requested)

from __future__ import annotations

import pytest

from apps.disclosure.models import Objection

from .objection_support import PDF, _clean_cache, enterprise, penalty  # noqa: F401


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("device", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)]
)
def test_profile_then_objection_then_status(
    live_server, browser_page, screenshot, penalty, device, width, height, tmp_path
):
    entity = penalty["enterprise"]
    page = browser_page(width=width, height=height)
    page.goto(f"{live_server.url}/portal/e/{entity.uscc}/")
    page.get_by_role("link", name="提出异议").first.click()
    page.wait_for_selector("h1")
    assert "对公示信息提出异议" in page.locator("h1").inner_text()
    assert "海口市市场监督管理局" in page.locator("main").inner_text()

    evidence = tmp_path / "证明材料.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("异议人姓名或名称").fill("张三丰")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("电子邮箱").fill("zhang@example.com")
    page.get_by_label("异议内容").fill("处罚内容与事实不符。")
    page.get_by_label("证明材料").set_input_files(str(evidence))
    page.get_by_label("我确认所填信息真实").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"objection-form-{device}")
    page.get_by_role("button", name="提交异议").click()

    page.wait_for_selector("#reference")
    reference = page.locator("#reference").inner_text()
    code = page.locator("#verification-code").inner_text()
    screenshot(page, f"objection-receipt-{device}")
    objection = Objection.objects.get(reference=reference)
    assert objection.attachments.count() == 1

    page.get_by_role("link", name="查询处理进度").click()
    page.get_by_label("受理编号").fill(reference)
    page.get_by_label("查询码或联系电话").fill(code)
    page.get_by_label("查询码或联系电话").press("Enter")
    page.wait_for_selector("#status-heading")
    assert "待处理" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"objection-status-{device}")
