"""Bulk CSV download of public lists: only entries in force, only public fields, masked, safe."""

# ruff: noqa: F811  (fixtures are imported from objection_support and then requested)

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.disclosure import services
from apps.disclosure.views import BulkDownloadThrottle

from .objection_support import _clean_cache, public_list  # noqa: F401

pytestmark = pytest.mark.django_db


def download(client, code="TJYYC", **headers):
    return client.get(reverse("disclosure:list-csv", args=[code]), **headers)


def rows_of(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_holds_public_fields_of_entries_in_force_masked(client, public_list):
    response = download(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == ["企业名称", "联系电话", "列入原因", "来源部门", "公示截止日期"]
    names = [row[0] for row in rows[1:]]
    assert names == ["海南甲贸易有限公司", "海南乙贸易有限公司"]  # the removed entry is gone
    assert all(row[1] == "138****5678" for row in rows[1:])
    flat = str(rows)
    assert "13812345678" not in flat
    assert "内部核查意见" not in flat  # a field the catalogue does not mark public
    assert rows[1][3] == "海口市市场监督管理局"


def test_cells_that_look_like_formulas_are_neutralised(client, public_list):
    rows = rows_of(download(client))
    reason = rows[2][2]
    assert reason.startswith("'=")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_cell(value):
    assert services.neutralise_cell(value) == "'" + value


def test_an_unknown_or_non_list_resource_answers_404(client, public_list):
    assert download(client, "NOPE").status_code == 404


def test_anonymous_bulk_downloads_are_rate_limited(client, public_list, monkeypatch):
    monkeypatch.setattr(BulkDownloadThrottle, "rate", "2/hour")
    statuses = [download(client).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert int(download(client)["Retry-After"]) > 0


def test_key_holders_download_on_their_quota(client, public_list, monkeypatch):
    monkeypatch.setattr(BulkDownloadThrottle, "rate", "1/hour")
    issued = services.issue_portal_key(
        name="下载", owner="某机构", contact_name="甲", contact_email="a@example.com",
        daily_quota=3, per_minute=10, actor=None,
    )  # fmt: skip
    statuses = [download(client, HTTP_X_API_KEY=issued.secret).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    cache.clear()


def test_the_download_page_lists_public_lists(client, public_list):
    body = client.get(reverse("disclosure:list-downloads")).content.decode()
    assert reverse("disclosure:list-csv", args=["TJYYC"]) in body
