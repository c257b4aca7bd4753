"""Pages and API of data quality: scoping, links behind figures, sampling, notices."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.quality.choices import PeriodKind
from apps.quality.models import RankingNotice, SamplingCheck
from apps.quality.scoring import Period, compute_scorecards
from apps.quality.services import draw_sample, schedule_sampling_check

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH = Period.containing(PeriodKind.MONTH, D(2026, 3, 1))


@pytest.fixture
def scored(load, full_check, dept, other_dept):
    load()
    load(values={"L_NR": ""})
    load(department=other_dept, values={"L_LB": "9"})
    full_check()
    compute_scorecards([MARCH])


def test_province_overview_shows_charts_linking_to_departments(login, province_admin, scored, dept):
    response = login(province_admin).get(reverse("quality:home"), {"period": "2026-03"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-chart="chart-departments"' in body
    assert "chart.umd.js" in body
    assert reverse("quality:department", args=[dept.code]) + "?period=2026-03" in body
    assert response.context["province"].records == 3


def test_city_admin_and_clerk_land_on_their_own_view(login, city_admin, clerk, scored, dept):
    response = login(city_admin).get(reverse("quality:home"))
    assert response.status_code == 302
    assert response.url == reverse("quality:region", args=["460100"])
    response = login(clerk).get(reverse("quality:home"))
    assert response.url == reverse("quality:department", args=[dept.code])


def test_clerk_sees_own_department_not_another(login, clerk, scored, dept, other_dept):
    client = login(clerk)
    own = client.get(reverse("quality:department", args=[dept.code]), {"period": "2026-03"})
    assert own.status_code == 200
    assert own.context["card"].records == 2
    assert client.get(reverse("quality:department", args=[other_dept.code])).status_code == 404
    assert client.get(reverse("quality:region", args=["460200"])).status_code == 404


def test_issue_list_is_scoped_and_links_to_the_record(login, clerk, scored, dept):
    response = login(clerk).get(reverse("quality:issue-list"), {"status": "open"})
    issues = list(response.context["page"].object_list)
    assert issues and {i.department_id for i in issues} == {dept.pk}
    assert reverse("records:record-detail", args=[issues[0].object_id]) in response.content.decode()


def test_region_page_lists_its_departments(login, city_admin, scored, dept):
    response = login(city_admin).get(
        reverse("quality:region", args=["460100"]), {"period": "2026-03"}
    )
    assert response.status_code == 200
    assert [c.department_id for c in response.context["departments"]] == [dept.pk]


def test_coverage_and_feed_pages(login, province_admin, scored):
    client = login(province_admin)
    assert client.get(reverse("quality:coverage"), {"period": "2026-03"}).status_code == 200
    response = client.get(reverse("quality:feeds"))
    assert response.status_code == 200
    assert any(row.resource_code == "LIC" for row in response.context["rows"])


def test_coverage_without_a_target_is_not_called_missed(login, province_admin, load, full_check):
    """No coverage target in force for the period: no "target None%" and no 未达标 badge."""
    from apps.quality.models import QualityTarget

    QualityTarget.objects.filter(key="coverage").delete()
    load()
    full_check()
    compute_scorecards([MARCH])
    client = login(province_admin)
    for url in (reverse("quality:home"), reverse("quality:coverage")):
        body = client.get(url, {"period": "2026-03"}).content.decode()
        assert "None" not in body
        assert "未达标" not in body
        assert "未设定" in body


def test_only_the_province_schedules_sampling(login, clerk, province_admin, scored):
    data = {
        "title": "三月抽查",
        "check_date": "2026-03-31",
        "period_start": "2026-03-01",
        "sample_size": 2,
        "seed": "s1",
    }
    assert login(clerk).post(reverse("quality:sampling-create"), data).status_code == 403
    response = login(province_admin).post(reverse("quality:sampling-create"), data)
    check = SamplingCheck.objects.get()
    assert response.url == reverse("quality:sampling-detail", args=[check.pk])
    bad = login(province_admin).post(
        reverse("quality:sampling-create"), data | {"period_start": "2026-04-02"}
    )
    assert bad.status_code == 400
    assert "不能晚于" in bad.content.decode()


def test_sampling_pages_review_and_reports(login, province_admin, clerk, scored, dept, other_dept):
    check = schedule_sampling_check(
        title="三月抽查",
        check_date=D(2026, 3, 31),
        period_start=D(2026, 3, 1),
        sample_size=5,
        reviewers=[clerk],
        actor=province_admin,
        seed="s1",
    )
    draw_sample(check, actor=province_admin)
    client = login(clerk)
    review = client.get(reverse("quality:sampling-review", args=[check.pk]), {"mine": 1})
    samples = list(review.context["page"].object_list)
    # The only reviewer is assigned every department (round-robin), so sees all samples.
    assert len(samples) == 3 and all(s.reviewer_id == clerk.pk for s in samples)
    response = client.post(
        reverse("quality:sample-verdict", args=[check.pk, samples[0].pk]),
        {"verdict": "correct", "note": ""},
    )
    assert response.status_code == 302
    samples[0].refresh_from_db()
    assert samples[0].verdict == "correct"
    assert client.get(reverse("quality:sampling-report", args=[check.pk, "pdf"])).status_code == 403
    admin = login(province_admin)
    detail = admin.get(reverse("quality:sampling-detail", args=[check.pk]))
    assert "无数据" not in detail.content.decode() or other_dept.name in detail.content.decode()
    xlsx = admin.get(reverse("quality:sampling-report", args=[check.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = admin.get(reverse("quality:sampling-report", args=[check.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")


def test_ranking_notice_is_drafted_then_published_to_staff(login, province_admin, clerk, scored):
    admin = login(province_admin)
    response = admin.post(
        reverse("quality:ranking-create"), {"period_kind": "month", "period": "2026-03"}
    )
    notice = RankingNotice.objects.get()
    assert response.url == reverse("quality:ranking-detail", args=[notice.pk])
    assert notice.rows["departments"][0]["rank"] == 1
    staff = login(clerk)
    assert staff.get(reverse("quality:ranking-detail", args=[notice.pk])).status_code == 404
    login(province_admin).post(reverse("quality:ranking-publish", args=[notice.pk]))
    staff = login(clerk)
    assert staff.get(reverse("quality:ranking-detail", args=[notice.pk])).status_code == 200


def test_api_scorecards_are_scoped(api_login, clerk, province_admin, scored, dept):
    url = reverse("quality-api:scorecard-list")
    everything = api_login(province_admin).get(url, {"period": "2026-03"}).json()
    kinds = {row["scope_kind"] for row in everything["results"]}
    assert kinds == {"department", "region", "province"}
    own = api_login(clerk).get(url, {"period": "2026-03"}).json()
    assert {row["department"] for row in own["results"]} == {dept.code}


def test_api_failing_record_ids(api_login, province_admin, scored):
    url = reverse("quality-api:issue-failing-records")
    data = api_login(province_admin).get(url, {"rule": "SPEC_VALUE"}).json()
    assert data[0]["record_type"] == "records.genericrecord"
    assert len(data[0]["object_ids"]) == 1


def test_api_sampling_results_report_no_data(api_login, province_admin, clerk, scored, other_dept):
    client = api_login(province_admin)
    created = client.post(
        reverse("quality-api:sampling-check-list"),
        {
            "title": "API 抽查",
            "check_date": "2026-03-31",
            "period_start": "2026-03-01",
            "sample_size": 3,
            "seed": "x",
            "reviewers": [clerk.username],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    check = SamplingCheck.objects.get(pk=created.json()["id"])
    from apps.records.models import GenericRecord

    GenericRecord.objects.filter(department=other_dept).delete()
    draw_sample(check, actor=province_admin)
    rows = client.get(reverse("quality-api:sampling-check-results", args=[check.pk])).json()
    sanya = next(r for r in rows if r["department"] == other_dept.code)
    assert sanya["has_data"] is False and sanya["accuracy"] is None and sanya["rank"] is None
    clerk_post = api_login(clerk).post(
        reverse("quality-api:sampling-check-list"),
        {"title": "x", "check_date": "2026-03-31", "period_start": "2026-03-01", "sample_size": 1},
        format="json",
    )
    assert clerk_post.status_code == 403


def test_api_feeds(api_login, clerk, scored, dept):
    rows = api_login(clerk).get(reverse("quality-api:feeds")).json()
    assert {row["department"] for row in rows} == {dept.code}


def test_home_panel_shows_score_and_open_issues(login, clerk, scored):
    response = login(clerk).get(reverse("home"))
    body = response.content.decode()
    assert "未解决的质量问题 1 个" in body
    assert reverse("quality:home") in body


def test_api_region_admin_sees_their_region_and_out_of_scope_issue_is_404(
    api_login, city_admin, clerk, scored, dept, other_dept
):
    from apps.quality.models import QualityIssue

    rows = (
        api_login(city_admin)
        .get(
            reverse("quality-api:scorecard-list"), {"period": "2026-03", "scope_kind": "department"}
        )
        .json()["results"]
    )
    assert {row["department"] for row in rows} == {dept.code}
    regions = (
        api_login(city_admin)
        .get(reverse("quality-api:scorecard-list"), {"period": "2026-03", "scope_kind": "region"})
        .json()["results"]
    )
    assert {row["region"] for row in regions} == {"460100"}
    sanya_issue = QualityIssue.objects.filter(department=other_dept).first()
    url = reverse("quality-api:issue-detail", args=[sanya_issue.pk])
    assert api_login(clerk).get(url).status_code == 404
    assert api_login(city_admin).get(url).status_code == 404


def test_auditor_reads_everything_but_schedules_nothing(api_login, login, auditor, scored):
    client = api_login(auditor)
    assert client.get(reverse("quality-api:issue-list")).json()["count"] == 2
    response = client.post(
        reverse("quality-api:sampling-check-list"),
        {"title": "x", "check_date": "2026-03-31", "period_start": "2026-03-01", "sample_size": 1},
        format="json",
    )
    assert response.status_code == 403
    page = login(auditor).get(reverse("quality:home"), {"period": "2026-03"})
    assert page.status_code == 200
    assert login(auditor).post(reverse("quality:run-now")).status_code == 403
