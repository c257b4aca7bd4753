"""The check API, entries, proposals, feedback and rates over HTTP; scoping."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from apps.core.uscc import generate_registration_number
from apps.joint_punishment import services
from apps.joint_punishment.models import CheckLog, Obligation, Proposal
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.organizations import make_api_token

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = timezone.localdate()
CHECK = "/api/v1/joint-punishment/check/"


@pytest.fixture
def serious(company, make_entry):
    """``company`` in the serious list since last year (2021 regime)."""
    return make_entry(company, "YZWF", TODAY - datetime.timedelta(days=200), ground="9")


def _token_client(api_client, department):
    _, key = make_api_token(department, name="业务系统")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


def test_check_for_a_department_that_implements_a_measure(api_client, finance, company, serious):
    response = _token_client(api_client, finance).post(
        CHECK, {"uscc": company.uscc, "purpose": "政府采购资格审查"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["department"] == "460100-CZ" and body["count"] == 1 and body["errors"] == 0
    item = body["results"][0]
    assert item["ok"] and item["listed"] and item["name"] == company.name
    assert [entry["list"] for entry in item["lists"]] == ["YZWF"]
    assert [m["code"] for m in item["measures"]] == ["M38-04"]
    assert item["measures"][0]["triggered_by"] == ["YZWF"]


def test_check_for_a_department_that_implements_no_measure(
    api_client, statistics, company, serious
):
    item = (
        _token_client(api_client, statistics)
        .post(CHECK, {"uscc": company.uscc, "purpose": "统计执法"}, format="json")
        .json()["results"][0]
    )
    assert [entry["list"] for entry in item["lists"]] == ["YZWF"]
    assert item["measures"] == []


def test_market_regulation_sees_its_own_measures_for_both_lists(
    api_login, clerk, company, make_entry
):
    make_entry(company, "JYYC", TODAY - datetime.timedelta(days=400))
    make_entry(company, "YZWF", TODAY - datetime.timedelta(days=10), ground="9")
    item = (
        api_login(clerk)
        .post(CHECK, {"uscc": company.uscc, "purpose": "变更登记"}, format="json")
        .json()["results"][0]
    )
    assert [entry["list"] for entry in item["lists"]] == ["JYYC", "YZWF"]
    codes = {m["code"]: m["triggered_by"] for m in item["measures"]}
    assert codes == {"M38-01": ["YZWF"], "M38-03": ["JYYC", "YZWF"]}


def test_batch_with_bad_items_answers_every_item_and_logs_the_batch(
    api_client, finance, company, serious, hainan
):
    clean = EnterpriseFactory(region=hainan["haikou"])
    unknown = EnterpriseFactory.build().uscc
    codes = [
        company.uscc,
        "9146010",
        clean.uscc.lower(),
        unknown,
        generate_registration_number(random.Random(5)),
        "9.13101127033980E+17",
    ]
    response = _token_client(api_client, finance).post(
        CHECK, {"usccs": codes, "purpose": "招标投标资格审查"}, format="json"
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["ok"] for r in results] == [True, False, True, False, False, False]
    assert results[1]["error"]["code"] == "invalid_uscc"
    assert results[2]["listed"] is False and results[2]["lists"] == []
    assert results[3]["error"]["code"] == "unknown_uscc"
    assert results[4]["error"]["code"] == "not_uscc"
    assert results[5]["error"]["rule"] == "excel_scientific"
    logs = CheckLog.objects.order_by("pk")
    assert logs.count() == 6 and len({log.batch for log in logs}) == 1
    first = logs[0]
    assert (first.department, first.purpose, first.lists) == (finance, "招标投标资格审查", ["YZWF"])
    assert first.user is None and "业务系统" in first.actor_name
    assert [log.error_code for log in logs][1:] == [
        "invalid_uscc",
        "",
        "unknown_uscc",
        "not_uscc",
        "invalid_uscc",
    ]


def test_items_that_are_not_code_strings_get_their_own_error_not_a_failed_batch(
    api_client, finance, company
):
    codes = [company.uscc, 914601000000000000, None, {"uscc": company.uscc}, "9" * 10_000]
    response = _token_client(api_client, finance).post(
        CHECK, {"usccs": codes, "purpose": "政府采购资格审查"}, format="json"
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["ok"] for r in results] == [True, False, False, False, False]
    assert all(r["error"]["code"] == "invalid_uscc" for r in results[1:])
    assert results[1]["uscc"] == "914601000000000000"
    assert CheckLog.objects.count() == 5


def test_batch_over_1000_and_missing_purpose_are_refused(api_login, clerk, company):
    client = api_login(clerk)
    too_many = client.post(CHECK, {"usccs": [company.uscc] * 1001, "purpose": "x"}, format="json")
    assert too_many.status_code == 400
    assert client.post(CHECK, {"uscc": company.uscc}, format="json").status_code == 400
    assert client.post(CHECK, {"purpose": "x"}, format="json").status_code == 400
    assert not CheckLog.objects.exists()


def test_check_requires_authentication(api_client, company):
    assert api_client.post(
        CHECK, {"uscc": company.uscc, "purpose": "x"}, format="json"
    ).status_code in (401, 403)


def test_entries_api_is_scoped_to_the_listing_department(
    api_login, clerk, other_clerk, other_dept, company, make_entry
):
    mine = make_entry(company, "JYYC", D(2024, 3, 1))
    theirs = make_entry(EnterpriseFactory(), "JYYC", D(2024, 3, 1), department=other_dept)
    client = api_login(clerk)
    listed = client.get("/api/v1/joint-punishment/entries/").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert listed["results"][0]["in_force"] is True
    assert client.get(f"/api/v1/joint-punishment/entries/{theirs.pk}/").status_code == 404


def test_api_removal_dated_before_listing_is_a_400_with_the_rule(
    api_login, clerk, company, make_entry
):
    entry = make_entry(company, "JYYC", D(2024, 3, 1))
    response = api_login(clerk).post(
        f"/api/v1/joint-punishment/entries/{entry.pk}/remove/",
        {
            "removed_on": "2024-02-01",
            "removal_authority": "海口市市场监督管理局",
            "removal_document": "琼移1号",
            "removal_reason": "补报",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "早于列入日期 2024-03-01" in response.json()["detail"]


def test_api_removal_by_uscc_without_listing_is_refused(api_login, clerk, company):
    response = api_login(clerk).post(
        "/api/v1/joint-punishment/removals/",
        {
            "list_type": "JYYC",
            "uscc": company.uscc,
            "removed_on": "2025-01-06",
            "removal_authority": "海口市市场监督管理局",
            "removal_document": "琼移2号",
            "removal_reason": "补报",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "没有可以移出的列入决定" in response.json()["detail"]


def test_auditor_reads_but_cannot_remove(api_login, auditor, company, make_entry):
    entry = make_entry(company, "JYYC", D(2024, 3, 1))
    client = api_login(auditor)
    assert client.get(f"/api/v1/joint-punishment/entries/{entry.pk}/").status_code == 200
    response = client.post(
        f"/api/v1/joint-punishment/entries/{entry.pk}/remove/",
        {
            "removed_on": "2024-05-01",
            "removal_authority": "a",
            "removal_document": "b",
            "removal_reason": "c",
        },
        format="json",
    )
    assert response.status_code == 403


def test_listing_through_the_api_for_the_token_department(api_client, dept, company):
    response = _token_client(api_client, dept).post(
        "/api/v1/joint-punishment/entries/",
        {
            "list_type": "JYYC",
            "uscc": company.uscc,
            "ground": "3",
            "listed_on": "2025-03-03",
            "listing_authority": "海口市市场监督管理局",
            "listing_document": "琼市监异〔2025〕3号",
            "listing_reason": "抽查发现公示信息不实",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["department"] == "460100-SCJG" and response.json()["ground"] == "3"


def test_proposals_are_confirmed_by_the_competent_department_only(
    api_login, clerk, other_clerk, company, dept
):
    services.run_rules(D(2025, 7, 1))
    proposal = Proposal.objects.get()
    payload = {"decided_on": "2025-07-08", "document": "琼市监异〔2025〕9号"}
    url = f"/api/v1/joint-punishment/proposals/{proposal.pk}/confirm/"
    assert api_login(other_clerk).post(url, payload, format="json").status_code == 404
    response = api_login(clerk).post(url, payload, format="json")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert api_login(clerk).post(url, payload, format="json").status_code == 409


def test_feedback_api_fulfils_the_obligation_and_rates_count_it(
    api_client, finance, company, serious
):
    client = _token_client(api_client, finance)
    response = client.post(
        "/api/v1/joint-punishment/feedback/",
        {
            "uscc": company.uscc,
            "measure": "M38-04",
            "business_context": "政府采购资格审查",
            "business_reference": "HNCG-2026-001",
            "applied_on": str(TODAY),
            "outcome": "applied",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    obligation = Obligation.objects.get(entry=serious, department=finance)
    assert obligation.fulfilled_at is not None
    refused = client.post(
        "/api/v1/joint-punishment/feedback/",
        {
            "uscc": company.uscc,
            "measure": "M38-04",
            "business_context": "x",
            "applied_on": str(TODAY),
            "outcome": "not_applicable",
        },
        format="json",
    )
    assert refused.status_code == 400
    rates = {
        r["department"]: r for r in client.get("/api/v1/joint-punishment/feedback-rates/").json()
    }
    assert rates["460100-CZ"]["due"] == 1 and rates["460100-CZ"]["rate"] == 1.0


def test_overdue_obligations_are_listed_for_their_department_only(
    api_login, finance_clerk, clerk, company, make_entry
):
    make_entry(company, "YZWF", D(2024, 3, 1), ground="9")
    overdue = (
        api_login(finance_clerk).get("/api/v1/joint-punishment/obligations/?overdue=true").json()
    )
    assert [row["department"] for row in overdue["results"]] == ["460100-CZ"]
    rates = api_login(finance_clerk).get("/api/v1/joint-punishment/feedback-rates/").json()
    assert rates == [
        {
            "department": "460100-CZ",
            "department_name": "海口市财政局",
            "due": 1,
            "fulfilled": 0,
            "on_time": 0,
            "overdue": 1,
            "rate": 0.0,
            "on_time_rate": 0.0,
        }
    ]


def test_reference_endpoints(api_login, clerk):
    client = api_login(clerk)
    types = {
        t["code"]: t for t in client.get("/api/v1/joint-punishment/list-types/").json()["results"]
    }
    assert {"JYYC", "YZWF", "SXBZXR", "GTJYYC"} <= set(types)
    assert [g["code"] for g in types["JYYC"]["grounds"]] == ["1", "2", "3", "4"]
    assert [r["valid_from"] for r in types["YZWF"]["regimes"]] == ["2016-04-01", "2021-09-01"]
    measures = client.get("/api/v1/joint-punishment/measures/?list_type=SXBZXR&line=GA").json()
    assert [m["code"] for m in measures["results"]] == ["M44-04", "M44-12"]
