"""Staff pages: render, scope, the check page, decisions through forms, the home panel."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.joint_punishment import services
from apps.joint_punishment.models import CheckLog, Feedback, ListEntry, Proposal
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    "name",
    [
        "joint_punishment:home",
        "joint_punishment:listtype-list",
        "joint_punishment:measure-list",
        "joint_punishment:entry-list",
        "joint_punishment:entry-create",
        "joint_punishment:proposal-list",
        "joint_punishment:check",
        "joint_punishment:checklog-list",
        "joint_punishment:obligation-list",
        "joint_punishment:feedback-list",
        "joint_punishment:feedback-create",
        "joint_punishment:feedback-rates",
    ],
)
def test_pages_render_for_a_clerk_and_require_login(client, login, clerk, name):
    assert client.get(reverse(name)).status_code == 302
    assert login(clerk).get(reverse(name)).status_code == 200


def test_entry_pages_are_scoped(login, clerk, other_dept, company, make_entry):
    mine = make_entry(company, "JYYC", D(2024, 3, 1))
    theirs = make_entry(EnterpriseFactory(), "JYYC", D(2024, 3, 1), department=other_dept)
    client = login(clerk)
    page = client.get(reverse("joint_punishment:entry-list"))
    assert [e.pk for e in page.context["page"].object_list] == [mine.pk]
    assert page.context["page"].object_list[0].listed_now is True
    assert client.get(reverse("joint_punishment:entry-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("joint_punishment:entry-detail", args=[theirs.pk])).status_code == 404


def test_removal_form_refuses_a_date_before_listing_and_shows_the_rule(
    login, clerk, company, make_entry
):
    entry = make_entry(company, "JYYC", D(2024, 3, 1))
    response = login(clerk).post(
        reverse("joint_punishment:entry-remove", args=[entry.pk]),
        {
            "removed_on": "2024-01-01",
            "removal_authority": "海口市市场监督管理局",
            "removal_document": "琼移1号",
            "removal_reason": "补报",
        },
        follow=True,
    )
    assert "早于列入日期 2024-03-01" in response.content.decode()
    entry.refresh_from_db()
    assert entry.removed_on is None


def test_auditor_cannot_post_a_removal(login, auditor, company, make_entry):
    entry = make_entry(company, "JYYC", D(2024, 3, 1))
    response = login(auditor).post(
        reverse("joint_punishment:entry-remove", args=[entry.pk]),
        {
            "removed_on": "2024-05-01",
            "removal_authority": "a",
            "removal_document": "b",
            "removal_reason": "c",
        },
    )
    assert response.status_code == 403


def test_check_page_shows_lists_and_measures_and_logs(login, clerk, company, make_entry):
    make_entry(company, "YZWF", timezone.localdate() - datetime.timedelta(days=30), ground="9")
    response = login(clerk).post(
        reverse("joint_punishment:check"),
        {"codes": f"{company.uscc}\nBAD", "purpose": "股权出质登记"},
    )
    body = response.content.decode()
    assert "严重违法失信名单" in body and "M38-01" in body and "M38-04" not in body
    assert "长度为 3 位" in body
    assert CheckLog.objects.filter(channel="web", purpose="股权出质登记").count() == 2


def test_proposal_confirm_form_lists_the_entity(login, clerk, company, dept):
    services.run_rules(D(2025, 7, 1))
    proposal = Proposal.objects.get()
    client = login(clerk)
    assert (
        client.get(reverse("joint_punishment:proposal-list")).context["page"].paginator.count == 1
    )
    client.post(
        reverse("joint_punishment:proposal-confirm", args=[proposal.pk]),
        {"decided_on": "2025-07-08", "document": "琼市监异〔2025〕5号", "note": ""},
    )
    assert ListEntry.objects.filter(enterprise=company, listed_on=D(2025, 7, 8)).exists()


def test_listing_and_feedback_forms(login, clerk, company):
    client = login(clerk)
    response = client.post(
        reverse("joint_punishment:entry-create"),
        {
            "list_type": ListEntry._meta.get_field("list_type")
            .related_model.objects.get(code="YZWF")
            .pk,
            "uscc": company.uscc,
            "ground": "9",
            "listed_on": str(timezone.localdate()),
            "listing_authority": "海口市市场监督管理局",
            "listing_document": "琼市监严〔2026〕1号",
            "listing_reason": "虚假宣传",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("joint_punishment:feedback-create"),
        {
            "uscc": company.uscc,
            "measure": "M38-03",
            "business_context": "双随机抽查",
            "applied_on": str(timezone.localdate()),
            "outcome": "applied",
        },
    )
    assert response.status_code == 302
    assert Feedback.objects.filter(department__code="460100-SCJG").count() == 1


def test_home_page_panel_shows_overdue_obligations_to_their_department(
    login, finance_clerk, clerk, company, make_entry
):
    make_entry(company, "YZWF", D(2024, 3, 1), ground="9")
    body = login(finance_clerk).get("/").content.decode()
    assert "联合惩戒待办" in body and "逾期未反馈的惩戒措施任务 1 条" in body
    # The department's own tasks need no department name.
    assert "· 海口市财政局" not in body


def test_home_panel_names_the_department_of_each_overdue_obligation_for_an_auditor(
    login, auditor, finance, statistics, company, make_entry
):
    make_entry(company, "YZWF", D(2024, 3, 1), ground="9")
    body = login(auditor).get("/").content.decode()
    # One listing, several implementing departments: each line says whose task it is.
    assert "逾期未反馈的惩戒措施任务" in body
    assert "· 海口市财政局" in body


def test_demo_command_is_idempotent(hainan, dept):
    for _ in range(50):
        EnterpriseFactory(region=hainan["haikou"], established_on=D(2015, 1, 1))
    call_command("demo_joint_punishment")
    counts = (ListEntry.objects.count(), Proposal.objects.count(), Feedback.objects.count())
    assert counts[0] > 40 and counts[1] > 0
    call_command("demo_joint_punishment")
    assert (ListEntry.objects.count(), Proposal.objects.count(), Feedback.objects.count()) == counts


def test_run_list_rules_command(company, dept, capsys):
    call_command("run_list_rules", "--on", "2025-07-01", "--dry-run")
    assert Proposal.objects.count() == 0
    call_command("run_list_rules", "--on", "2025-07-01")
    assert Proposal.objects.count() == 1
