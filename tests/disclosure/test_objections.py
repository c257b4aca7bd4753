"""Objections end to end: submit with an attachment, the department answers, the objector looks up."""

# ruff: noqa: F811  (fixtures are imported from objection_support and then requested)

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.core.workdays import add_working_days
from apps.disclosure import services
from apps.disclosure.models import Objection, ObjectionRule, ObjectionStatus
from apps.organizations.choices import Role
from tests.factories.organizations import UserFactory

from .objection_support import (  # noqa: F401 (fixtures)
    PDF,
    PNG,
    _clean_cache,
    enterprise,
    objection_params,
    penalty,
    public_list,
)

pytestmark = pytest.mark.django_db


def create_url(penalty):
    params = objection_params(penalty)
    return reverse("disclosure:objection-create") + (
        f"?enterprise={params['enterprise']}&resource={params['resource']}&record={params['record']}"
    )


def target_of(penalty):
    params = objection_params(penalty)
    return services.find_disputed_record(params["enterprise"], params["resource"], params["record"])


def form_data(**extra):
    data = {
        "objector_name": "张三丰",
        "objector_phone": "13912345678",
        "objector_email": "zhang@example.com",
        "content": "处罚内容与事实不符，已于当日整改。",
        "consent": "on",
    }
    data.update(extra)
    return data


def submit(client, penalty, **files):
    return client.post(create_url(penalty), {**form_data(), **files})


def test_the_form_names_the_record_and_its_source_department(client, penalty, dept):
    response = client.get(create_url(penalty))
    assert response.status_code == 200
    body = response.content.decode()
    assert "测试处罚信息" in body
    assert dept.name in body
    assert penalty["enterprise"].uscc in body


def test_objection_workflow_end_to_end(client, penalty, dept, clerk, other_clerk):
    """Submit with a PDF -> receipt -> department queue -> answer -> status look-up."""
    response = submit(
        client, penalty, attachments=SimpleUploadedFile("证明.pdf", PDF, "application/pdf")
    )
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    body = receipt.content.decode()
    reference = re.search(r'id="reference">([A-Z0-9]+)<', body).group(1)
    code = re.search(r'id="verification-code">([A-Z0-9]+)<', body).group(1)
    objection = Objection.objects.get(reference=reference)
    assert objection.department == dept
    assert objection.status == ObjectionStatus.PENDING
    assert objection.attachments.get().content_type == "application/pdf"
    assert objection.verification_hash != code  # only a keyed hash is stored
    # The receipt is shown once.
    assert client.get(reverse("disclosure:objection-submitted")).status_code == 302

    # The objector sees "pending" with the code, and with the phone number.
    lookup = reverse("disclosure:objection-lookup")
    page = client.post(lookup, {"reference": reference, "code": code}).content.decode()
    assert "待处理" in page
    page = client.post(lookup, {"reference": reference, "code": "139-1234-5678"}).content.decode()
    assert "待处理" in page
    # A wrong code says nothing about the objection.
    page = client.post(lookup, {"reference": reference, "code": "WRONG123"}).content.decode()
    assert "不匹配" in page and dept.name not in page

    # Another department's clerk does not even see it.
    client.force_login(other_clerk)
    assert objection not in client.get(reverse("disclosure:objection-list")).context["page"]
    detail_url = reverse("disclosure:objection-detail", args=[objection.pk])
    assert client.get(detail_url).status_code == 404
    assert client.post(detail_url, {"outcome": "corrected", "note": "x"}).status_code == 404
    attachment = objection.attachments.get()
    url = reverse("disclosure:objection-attachment", args=[objection.pk, attachment.pk])
    assert client.get(url).status_code == 404

    # The source department sees it in its queue, masked, and answers it.
    client.force_login(clerk)
    queue = client.get(reverse("disclosure:objection-list")).content.decode()
    assert reference in queue
    assert "139****5678" in queue and "13912345678" not in queue
    assert b"".join(client.get(url).streaming_content) == PDF
    response = client.post(detail_url, {"outcome": "rejected", "note": ""})
    assert response.status_code == 200
    assert "必须说明理由" in response.content.decode()
    response = client.post(detail_url, {"outcome": "rejected", "note": "经核实，原处罚决定无误。"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.REJECTED
    assert objection.answered_by == clerk
    assert mail.outbox == [] or mail.outbox[0].to == ["zhang@example.com"]

    # The objector sees the answer.
    page = client.post(lookup, {"reference": reference, "code": code}).content.decode()
    assert "不予更正" in page and "原处罚决定无误" in page

    # Every step is audited; the public submission names no contact details.
    events = AuditEvent.objects.filter(target_id=str(objection.pk)).order_by("pk")
    assert [e.event_type for e in events] == ["objection.submitted", "objection.answered"]
    assert "13912345678" not in str(events[0].after)
    assert events[1].actor == clerk


def test_an_answered_objection_cannot_be_answered_again(penalty, clerk):
    target = target_of(penalty)
    submitted = services.submit_objection(
        target, objector_name="李四", objector_phone="13800000000", objector_email="",
        content="有误",
    )  # fmt: skip
    services.answer_objection(submitted.objection, outcome="corrected", note="已更正", actor=clerk)
    from apps.core.exceptions import ConflictError

    with pytest.raises(ConflictError):
        services.answer_objection(submitted.objection, outcome="rejected", note="x", actor=clerk)


def test_the_objector_is_emailed_on_answer(penalty, clerk, django_capture_on_commit_callbacks):
    target = target_of(penalty)
    submitted = services.submit_objection(
        target, objector_name="李四", objector_phone="13800000000",
        objector_email="li@example.com", content="有误",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_objection(
            submitted.objection, outcome="corrected", note="已更正处罚内容", actor=clerk
        )
    assert len(mail.outbox) == 1
    assert submitted.objection.reference in mail.outbox[0].subject
    assert submitted.verification_code not in mail.outbox[0].body


def test_the_deadline_follows_the_rule_valid_on_the_submission_day(penalty):
    today = timezone.localdate()
    ObjectionRule.objects.create(valid_from=today, answer_working_days=3, basis="测试")
    submitted = services.submit_objection(
        target_of(penalty),
        objector_name="王五", objector_phone="13800000001", objector_email="", content="有误",
    )  # fmt: skip
    assert submitted.objection.due_date == add_working_days(
        submitted.objection.submitted_at.astimezone().date(), 3
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"enterprise": "91460000MA5T00000X"}, "enterprise"),
        ({"resource": "NOPE"}, "resource"),
        ({"record": "abc"}, "record"),
        ({"record": "999999999"}, "record"),
    ],
)
def test_a_wrong_target_answers_400_naming_the_parameter(client, penalty, params, field):
    query = {**objection_params(penalty), **params}
    response = client.get(reverse("disclosure:objection-create"), query)
    assert response.status_code == 400
    assert f"参数 {field}" in response.content.decode()


def test_a_record_of_another_enterprise_cannot_be_disputed(client, penalty, public_list):
    from apps.records.models import GenericRecord

    foreign = GenericRecord.objects.filter(resource_code="TJYYC").first()
    query = {**objection_params(penalty), "record": foreign.pk}
    assert client.get(reverse("disclosure:objection-create"), query).status_code == 400


def test_a_record_its_store_does_not_show_cannot_be_disputed(client, public_list):
    from apps.records.models import GenericRecord

    for record in GenericRecord.objects.filter(resource_code="TJYYC").select_related("enterprise"):
        query = {"enterprise": record.enterprise.uscc, "resource": "TJYYC", "record": record.pk}
        response = client.get(reverse("disclosure:objection-create"), query)
        expected = 400 if record.payload.get("removed") else 200
        assert response.status_code == expected


def test_home_panel_counts_the_departments_open_objections(client, penalty, clerk, other_clerk):
    for _ in range(2):
        services.submit_objection(
            target_of(penalty),
            objector_name="赵六", objector_phone="13800000002", objector_email="", content="有误",
        )  # fmt: skip
    client.force_login(clerk)
    body = client.get(reverse("home")).content.decode()
    assert "待处理 2 件" in body
    # The panel is in the page body, once, never inside <title>.
    title = body[body.index("<title>") : body.index("</title>")]
    assert "公示信息异议" not in title
    assert body.count('id="objection-panel-heading"') == 1
    client.force_login(other_clerk)
    body = client.get(reverse("home")).content.decode()
    assert "待处理 0 件" in body


def test_auditors_read_the_queue_with_contact_details_masked(client, penalty, auditor):
    submitted = services.submit_objection(
        target_of(penalty),
        objector_name="钱七", objector_phone="13800000003", objector_email="qian@example.com",
        content="有误",
    )  # fmt: skip
    client.force_login(auditor)
    url = reverse("disclosure:objection-detail", args=[submitted.objection.pk])
    body = client.get(url).content.decode()
    assert "13800000003" not in body and "138****0003" in body
    assert "q***@example.com" in body
    assert client.post(url, {"outcome": "corrected", "note": "x"}).status_code == 403


def test_city_admin_reads_its_regions_objections(client, penalty, city_admin):
    services.submit_objection(
        target_of(penalty),
        objector_name="孙八", objector_phone="13800000004", objector_email="", content="有误",
    )  # fmt: skip
    client.force_login(city_admin)
    assert client.get(reverse("disclosure:objection-list")).context["page"].paginator.count == 1
    sanya_admin = UserFactory(username="sy_admin", role=Role.REGION_ADMIN)
    client.force_login(sanya_admin)
    assert client.get(reverse("disclosure:objection-list")).context["page"].paginator.count == 0


def test_status_api_needs_reference_and_code(api_client, penalty):
    submitted = services.submit_objection(
        target_of(penalty),
        objector_name="周九", objector_phone="13800000005", objector_email="", content="有误",
    )  # fmt: skip
    url = reverse("disclosure-api:objection-status")
    ok = api_client.post(
        url, {"reference": submitted.objection.reference, "code": submitted.verification_code}
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "pending"
    assert "objector_phone" not in ok.json()
    bad = api_client.post(url, {"reference": submitted.objection.reference, "code": "X"})
    assert bad.status_code == 404


def test_status_api_look_ups_are_rate_limited(api_client, penalty, monkeypatch):
    from apps.disclosure.api.views import ObjectionLookupThrottle

    monkeypatch.setattr(ObjectionLookupThrottle, "rate", "2/hour")
    url = reverse("disclosure-api:objection-status")
    statuses = [
        api_client.post(url, {"reference": "YY1", "code": "X"}).status_code for _ in range(3)
    ]
    assert statuses == [404, 404, 429]


def test_the_deadline_rule_saved_in_the_admin_is_audited(client, province_admin):
    province_admin.is_staff = province_admin.is_superuser = True
    province_admin.save()
    client.force_login(province_admin)
    response = client.post(
        reverse("admin:disclosure_objectionrule_add"),
        {"valid_from": "2030-01-01", "answer_working_days": "10", "basis": "新规程"},
    )
    assert response.status_code == 302
    assert ObjectionRule.objects.get(valid_from="2030-01-01").answer_working_days == 10
    assert AuditEvent.objects.filter(event_type="objection.rule_changed").count() == 1


def test_the_queue_costs_the_same_queries_for_one_or_many_objections(client, penalty, clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def submit_one():
        services.submit_objection(
            target_of(penalty), objector_name="吴十", objector_phone="13800000006",
            objector_email="", content="有误",
        )  # fmt: skip

    client.force_login(clerk)
    url = reverse("disclosure:objection-list")
    submit_one()
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        submit_one()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).context["page"].paginator.count == 6
    assert len(many) == len(one)
