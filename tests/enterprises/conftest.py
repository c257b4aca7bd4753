"""Fixtures of the enterprise tests."""

from __future__ import annotations

import pytest

from apps.core.uscc import check_identifier
from tests.factories.enterprises import EnterpriseFactory

# GB 32100's worked example (BRIEF.md 1.2) and an early pilot code that fails
# the mod-31 check but passes the inner GB 11714 check (BRIEF.md 1.4).
VALID_USCC = "91350100M000100Y43"
LEGACY_USCC = "91350100M0001TGQXM"


@pytest.fixture
def haikou_company(hainan):
    """An active Haikou company with a real-looking Chinese name."""
    return EnterpriseFactory(
        name="海南椰风海韵旅游开发有限公司",
        legal_representative="符海南",
        region=hainan["haikou"],
        registration_number="",
    )


@pytest.fixture
def sanya_company(hainan):
    """A Sanya company: outside the Haikou administrator's region."""
    return EnterpriseFactory(
        name="三亚鹿回头酒店管理有限公司",
        legal_representative="林三亚",
        region=hainan["sanya"],
        registration_authority="三亚市市场监督管理局",
    )


def assert_valid_uscc(code: str) -> None:
    result = check_identifier(code)
    assert result.status == "valid", (code, result.errors)
