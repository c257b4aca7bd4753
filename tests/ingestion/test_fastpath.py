"""The validator's fast path: memoising per distinct raw text, and when it stops."""

from __future__ import annotations

import pytest

from apps.catalogue.validation import validator_for
from apps.ingestion import fastpath
from apps.ingestion.fastpath import FastRowValidator
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _row(uscc: str, n: int) -> dict:
    return {
        "XK_XDR_MC": f"海南测试{n % 7}有限公司",
        "XK_XDR_SHXYM": uscc,
        "XK_XKWS": f"琼许字〔2024〕{n}号",
        "XK_JDRQ": "2024-03-01",
    }


def test_counterparties_named_once_before_repeating_stay_memoised(resource, monkeypatch):
    """A file sorted by document number names every counterparty once before any repeats."""
    monkeypatch.setattr(fastpath, "CACHE_LIMIT", 50)
    monkeypatch.setattr(fastpath, "PROBE", 20)
    fast = FastRowValidator(validator_for(resource.current_version))
    codes = [EnterpriseFactory.build().uscc for _ in range(30)]
    for n in range(300):
        assert fast.values(_row(codes[n % 30], n)) is not None
    cache = fast.caches["XK_XDR_SHXYM"]
    assert cache.enabled
    assert cache.hits == 270


def test_a_field_that_never_repeats_stops_being_memoised_once_the_cache_is_full(
    resource, monkeypatch
):
    monkeypatch.setattr(fastpath, "CACHE_LIMIT", 50)
    monkeypatch.setattr(fastpath, "PROBE", 20)
    fast = FastRowValidator(validator_for(resource.current_version))
    uscc = EnterpriseFactory.build().uscc
    for n in range(120):
        assert fast.values(_row(uscc, n)) is not None
    cache = fast.caches["XK_XKWS"]
    assert not cache.enabled
    assert cache.entries == {}


def test_memoised_and_fresh_verdicts_convert_alike(resource):
    fast = FastRowValidator(validator_for(resource.current_version))
    uscc = EnterpriseFactory.build().uscc
    first = fast.values(_row(uscc, 1))
    again = fast.values(_row(uscc, 1))
    assert first == again
    assert first == validator_for(resource.current_version).validate(_row(uscc, 1)).values
