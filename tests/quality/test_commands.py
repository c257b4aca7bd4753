"""``manage.py demo_quality`` runs end to end and is idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from apps.quality.models import RankingNotice, SamplingCheck

pytestmark = pytest.mark.django_db


def test_demo_quality_is_idempotent(load, province_admin):
    for _ in range(3):
        load()
    out = io.StringIO()
    call_command("demo_quality", stdout=out)
    assert "数据质量演示" in out.getvalue()
    assert SamplingCheck.objects.count() == 1
    assert RankingNotice.objects.filter(is_published=True).count() == 1
    call_command("demo_quality", stdout=io.StringIO())
    assert SamplingCheck.objects.count() == 1
    assert RankingNotice.objects.count() == 1
