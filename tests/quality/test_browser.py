"""The province dashboard in a real browser: charts drawn, a bar leads to the figures behind it."""

from __future__ import annotations

import datetime

import pytest

from apps.quality.checks import run_checks
from apps.quality.scoring import Period, compute_scorecards

from .conftest import PASSWORD_FOR_BROWSER


@pytest.mark.django_db(transaction=True)
def test_dashboard_draws_charts_and_links_bars(live_server, browser_page, screenshot, load, dept):
    from apps.organizations.choices import Role
    from tests.factories.organizations import UserFactory

    admin = UserFactory(username="qadmin", role=Role.PROVINCE_ADMIN)
    admin.set_password(PASSWORD_FOR_BROWSER)
    admin.save()
    load()
    load(values={"L_NR": ""})
    run_checks("full")
    compute_scorecards([Period.containing("month", datetime.date(2026, 3, 1))])

    page = browser_page(width=1280, height=900)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "qadmin")
    page.fill("input[name=password]", PASSWORD_FOR_BROWSER)
    page.click("button[type=submit]")
    page.goto(live_server.url + "/quality/?period=2026-03")
    page.wait_for_function("window.Chart && Chart.getChart(document.querySelector('canvas'))")
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".filter(c => Chart.getChart(c)).length"
    )
    assert drawn == 4
    screenshot(page, "quality-overview")
    # Click the only department bar: its page opens.
    page.locator("canvas[data-chart=chart-departments]").scroll_into_view_if_needed()
    box = page.evaluate(
        """() => { const c = document.querySelector('canvas[data-chart=chart-departments]');
                   const bar = Chart.getChart(c).getDatasetMeta(0).data[0];
                   const r = c.getBoundingClientRect();
                   return {x: r.left + (bar.x + bar.base) / 2, y: r.top + bar.y}; }"""
    )
    page.mouse.click(box["x"], box["y"])
    page.wait_for_url(f"**/quality/departments/{dept.code}/**")
    assert dept.name in page.content()
