"""Browser test of the whole public journey: search -> profile -> objection -> status.

Issue 6 asks for this path on a desktop and a phone, with screenshots saved as
test artefacts (var/test-artifacts/screenshots/). Only the keyboard and the
labelled controls are used to move from the results to the profile.
"""

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
def test_search_then_profile_then_objection(
    live_server, browser_page, screenshot, penalty, dept, device, width, height, tmp_path
):
    entity = penalty["enterprise"]
    page = browser_page(width=width, height=height)

    page.goto(live_server.url + "/portal/")
    page.get_by_label("企业名称、统一社会信用代码、注册号或法定代表人姓名").fill("椰风贸易")
    page.keyboard.press("Enter")
    page.wait_for_selector(".portal-hit")
    assert entity.uscc in page.locator(".portal-hit").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"journey-search-{device}")

    link = page.get_by_role("link", name=entity.name)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == entity.name
    section = page.locator("section", has_text="测试处罚信息")
    assert "海口市市场监督管理局" in section.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"journey-profile-{device}")

    section.get_by_role("link", name="提出异议").click()
    page.wait_for_selector("h1")
    assert "对公示信息提出异议" in page.locator("h1").inner_text()
    evidence = tmp_path / "证明材料.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("异议人姓名或名称").fill("李四")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("异议内容").fill("该处罚已被撤销，请核实。")
    page.get_by_label("证明材料").set_input_files(str(evidence))
    page.get_by_label("我确认所填信息真实").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"journey-objection-{device}")
    page.get_by_role("button", name="提交异议").click()

    page.wait_for_selector("#reference")
    reference = page.locator("#reference").inner_text()
    objection = Objection.objects.get(reference=reference)
    # It reaches the queue of the department that delivered the record.
    assert objection.department_id == dept.pk
    assert objection.attachments.count() == 1
    screenshot(page, f"journey-receipt-{device}")

    page.get_by_role("link", name="查询处理进度").click()
    page.get_by_label("受理编号").fill(reference)
    # The phone given at submission works in place of the verification code.
    page.get_by_label("查询码或联系电话").fill("13912345678")
    page.get_by_label("查询码或联系电话").press("Enter")
    page.wait_for_selector("#status-heading")
    assert "待处理" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"journey-status-{device}")
