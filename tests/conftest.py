"""Project-wide fixtures: the fixed cast of STYLE.md.

- ``province_admin``: 省级管理员, sees and changes everything;
- ``clerk``: staff of the Haikou market regulation bureau (``dept``);
- ``other_clerk``: staff of the Sanya market regulation bureau (``other_dept``);
- ``city_admin``: administrator of Haikou (its districts included);
- ``auditor``: reads everything, changes nothing;
- the anonymous visitor is ``client`` without login.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from apps.organizations.choices import DepartmentLevel, RegionLevel, Role
from tests.factories.organizations import DepartmentFactory, RegionFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "pass-Word-123"


@pytest.fixture
def hainan(db):
    """A small slice of Hainan: the province, Haikou with Xiuying district, Sanya."""
    province = RegionFactory(code="460000", name="海南省", level=RegionLevel.PROVINCE)
    haikou = RegionFactory(
        code="460100", name="海口市", level=RegionLevel.PREFECTURE, parent=province
    )
    xiuying = RegionFactory(code="460105", name="秀英区", level=RegionLevel.DISTRICT, parent=haikou)
    sanya = RegionFactory(
        code="460200", name="三亚市", level=RegionLevel.PREFECTURE, parent=province
    )
    return {"province": province, "haikou": haikou, "xiuying": xiuying, "sanya": sanya}


@pytest.fixture
def dept(hainan):
    return DepartmentFactory(
        code="460100-SCJG",
        name="海口市市场监督管理局",
        line="SCJG",
        level=DepartmentLevel.CITY,
        region=hainan["haikou"],
    )


@pytest.fixture
def other_dept(hainan):
    return DepartmentFactory(
        code="460200-SCJG",
        name="三亚市市场监督管理局",
        line="SCJG",
        level=DepartmentLevel.CITY,
        region=hainan["sanya"],
    )


@pytest.fixture
def province_admin(hainan):
    return UserFactory(username="admin", display_name="省管理员", role=Role.PROVINCE_ADMIN)


@pytest.fixture
def clerk(dept):
    return UserFactory(
        username="clerk", display_name="海口办事员", role=Role.DEPARTMENT_STAFF, department=dept
    )


@pytest.fixture
def other_clerk(other_dept):
    return UserFactory(
        username="other_clerk",
        display_name="三亚办事员",
        role=Role.DEPARTMENT_STAFF,
        department=other_dept,
    )


@pytest.fixture
def city_admin(hainan):
    return UserFactory(
        username="city_admin",
        display_name="海口管理员",
        role=Role.REGION_ADMIN,
        region=hainan["haikou"],
    )


@pytest.fixture
def auditor(hainan):
    return UserFactory(username="auditor", display_name="审计员", role=Role.AUDITOR)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def login(client):
    """Return a function that signs a cast member in to the page client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_login(api_client):
    """Return a function that signs a cast member in to the API client."""

    def _login(user):
        api_client.force_authenticate(user)
        return api_client

    return _login


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar():
    """Forget cached holiday years around each test.

    A year entered by one test is rolled back with its transaction, but the
    in-process cache of apps.core.workdays would keep it for the next test.
    """
    from apps.core.workdays import clear_cache

    clear_cache()
    yield
    clear_cache()


# --------------------------------------------------------------------------- browser tests
# Playwright drives Debian's Chromium (ENVIRONMENT.md; .ci/run installs it).
# Use with pytest-django's ``live_server`` and ``@pytest.mark.django_db(transaction=True)``:
#
#     def test_search(live_server, browser_page, screenshot):
#         page = browser_page(width=390, height=844)  # a phone
#         page.goto(live_server.url + "/portal/")
#         screenshot(page, "portal-search-phone")
#
# Screenshots are test artefacts under var/test-artifacts/screenshots/.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "var" / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def _chromium():
    if not Path(CHROMIUM).exists():
        # Never a silent skip in CI: .ci/run installs Chromium, so its absence there is a failure.
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run should have installed chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-wqy-microhei)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_chromium):
    """A factory of fresh pages (own context: cookies, viewport); closed after the test."""
    contexts = []

    def make(*, width: int = 1280, height: int = 900, locale: str = "zh-CN"):
        context = _chromium.new_context(
            viewport={"width": width, "height": height},
            locale=locale,
            timezone_id="Asia/Shanghai",
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot as a test artefact; returns its path."""

    def take(page, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
