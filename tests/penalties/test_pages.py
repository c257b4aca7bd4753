"""Staff pages (scoped) and the public repair form."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.penalties.choices import ApplicationStatus, RepairStatus
from apps.penalties.models import Penalty, RepairApplication

from .conftest import pdf

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_limits():
    """The public form counts submissions per client in the cache; start each test at zero."""
    cache.clear()
    yield
    cache.clear()


def _form(penalty, **overrides):
    data = {
        "uscc": penalty.subject_uscc.lower(),
        "document_number": penalty.document_number,
        "applicant_name": penalty.subject_name,
        "contact_name": "李联系",
        "contact_phone": "0898-66666666",
        "contact_email": "",
        "statement": "已缴清罚款，整改完毕，承诺守法经营。",
        "evidence": pdf(),
        "pledge": "on",
    }
    data.update(overrides)
    return data


def test_penalty_list_shows_only_own_department(login, clerk, load_penalty, dept, other_dept):
    own = load_penalty(dept, decided=D(2026, 1, 5), fine="5")
    other = load_penalty(other_dept, decided=D(2026, 1, 5), fine="5")
    page = login(clerk).get(reverse("penalties:penalty-list"))
    assert page.status_code == 200
    assert own.document_number in page.content.decode()
    assert other.document_number not in page.content.decode()


def test_list_filters_by_kind_and_public_day(login, province_admin, load_penalty, dept):
    fine = load_penalty(dept, decided=D(2026, 1, 5), fine="5")
    warning = load_penalty(dept, decided=D(2026, 1, 5), category="警告")
    client = login(province_admin)
    body = client.get(reverse("penalties:penalty-list"), {"category": "警告"}).content.decode()
    assert warning.document_number in body and fine.document_number not in body
    body = client.get(
        reverse("penalties:penalty-list"), {"public_on": "2026-02-01"}
    ).content.decode()
    assert fine.document_number in body and warning.document_number not in body


def test_other_departments_penalty_is_404(login, other_clerk, repairable):
    client = login(other_clerk)
    assert client.get(reverse("penalties:penalty-detail", args=[repairable.pk])).status_code == 404
    assert client.get(reverse("penalties:penalty-revoke", args=[repairable.pk])).status_code == 404


def test_detail_shows_window_regime_and_history(login, clerk, repairable):
    from apps.penalties import services

    services.correct_penalty(repairable, {"content": "罚款五万元"}, reason="补正", actor=clerk)
    body = login(clerk).get(reverse("penalties:penalty-detail", args=[repairable.pk])).content
    text = body.decode()
    assert "市场监管其他处罚" in text and "2029-01-05" in text and "2026-07-05" in text
    assert "补正" in text and "罚款五万元" in text


def test_revoke_form_revokes_with_reason(login, clerk, repairable):
    client = login(clerk)
    url = reverse("penalties:penalty-revoke", args=[repairable.pk])
    assert "理由" in client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "行政复议决定撤销"})
    assert response.status_code == 302
    repairable.refresh_from_db()
    assert repairable.revocation_reason == "行政复议决定撤销"


def test_auditor_reads_but_may_not_revoke(login, auditor, repairable):
    client = login(auditor)
    assert client.get(reverse("penalties:penalty-detail", args=[repairable.pk])).status_code == 200
    url = reverse("penalties:penalty-revoke", args=[repairable.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_correct_form_recomputes_publicity(login, clerk, repairable):
    url = reverse("penalties:penalty-correct", args=[repairable.pk])
    client = login(clerk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "decision_date": "2026-01-05",
            "category": "罚款",
            "content": "罚款 0.1 万元",
            "violation_type": repairable.violation_type,
            "fine_amount": "0.1",
            "confiscated_amount": "",
            "severity_override": "",
            "reason": "金额更正",
        },
    )
    assert response.status_code == 302, response.content.decode()
    repairable.refresh_from_db()
    assert repairable.max_until == D(2026, 4, 5)


def test_public_repair_form_needs_no_login_and_files_an_application(client, repairable):
    url = reverse("penalties:repair-apply")
    assert client.get(url).status_code == 200
    response = client.post(url, _form(repairable))
    assert response.status_code == 200
    assert "已提交" in response.content.decode()
    application = RepairApplication.objects.get()
    assert application.penalty == repairable and application.status == ApplicationStatus.PENDING
    assert application.evidence.name.endswith(".pdf")
    assert "proof" not in application.evidence.name


def test_public_form_refuses_before_the_minimum_with_a_clear_message(client, load_penalty, dept):
    recent = load_penalty(dept, decided=D(2026, 10, 1), fine="5")
    response = client.post(reverse("penalties:repair-apply"), _form(recent))
    text = response.content.decode()
    assert "最短公示期尚未届满" in text and "2027-04-01" in text
    assert not RepairApplication.objects.exists()


def test_public_form_refuses_fake_or_large_evidence(client, repairable):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("proof.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    text = client.post(reverse("penalties:repair-apply"), _form(repairable, evidence=fake))
    assert "内容与扩展名不符" in text.content.decode()
    exe = SimpleUploadedFile("proof.exe", b"MZ", content_type="application/octet-stream")
    text = client.post(reverse("penalties:repair-apply"), _form(repairable, evidence=exe))
    assert "只接受 PDF、JPG 或 PNG" in text.content.decode()
    big = pdf(size=10 * 1024 * 1024 + 1)
    text = client.post(reverse("penalties:repair-apply"), _form(repairable, evidence=big))
    assert "超过 10 MB" in text.content.decode()
    assert not RepairApplication.objects.exists()


def test_public_form_names_an_unknown_decision(client, repairable):
    text = client.post(
        reverse("penalties:repair-apply"), _form(repairable, document_number="不存在〔2026〕1号")
    ).content.decode()
    assert "未找到" in text


def test_public_form_submissions_are_limited_per_client(client, repairable, monkeypatch):
    from apps.penalties import views

    monkeypatch.setattr(views, "APPLY_LIMIT", (2, 3600))
    url = reverse("penalties:repair-apply")
    unknown = {"document_number": "不存在〔2026〕1号"}
    for _ in range(2):
        assert client.post(url, _form(repairable, **unknown)).status_code == 200
    refused = client.post(url, _form(repairable), REMOTE_ADDR="127.0.0.1")
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "提交的申请过多" in refused.content.decode()
    assert not RepairApplication.objects.exists()
    # Another client still applies.
    assert client.post(url, _form(repairable), REMOTE_ADDR="10.0.0.7").status_code == 200
    assert RepairApplication.objects.count() == 1


def _application(client, penalty):
    client.post(reverse("penalties:repair-apply"), _form(penalty))
    return RepairApplication.objects.get()


def test_department_reviews_in_its_queue_and_approval_ends_publicity(
    client, login, clerk, other_clerk, repairable
):
    application = _application(client, repairable)
    staff = login(other_clerk)
    assert staff.get(reverse("penalties:repair-detail", args=[application.pk])).status_code == 404
    assert (
        application.applicant_name
        not in staff.get(reverse("penalties:repair-list")).content.decode()
    )
    staff = login(clerk)
    queue = staff.get(reverse("penalties:repair-list")).content.decode()
    assert application.applicant_name in queue
    evidence = staff.get(reverse("penalties:repair-evidence", args=[application.pk]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).startswith(b"%PDF")
    response = staff.post(
        reverse("penalties:repair-detail", args=[application.pk]),
        {"decision": "approve", "reason": "材料齐全，准予修复"},
    )
    assert response.status_code == 302
    repairable.refresh_from_db()
    assert repairable.repair_status == RepairStatus.APPROVED
    assert not Penalty.objects.public_on(repairable.repaired_on).filter(pk=repairable.pk).exists()
    detail = staff.get(reverse("penalties:penalty-detail", args=[repairable.pk])).content.decode()
    assert "申请信用修复" in detail and "信用修复通过" in detail


def test_home_panel_counts_pending_applications(client, login, clerk, repairable):
    _application(client, repairable)
    home = login(clerk).get(reverse("home")).content.decode()
    assert "待审核 1 件" in home


def test_detail_masks_a_natural_persons_id_number(login, clerk, load_penalty, dept):
    from apps.enterprises.choices import SubjectKind

    person = load_penalty(
        dept,
        decided=D(2026, 1, 5),
        fine="1",
        subject_kind=SubjectKind.NATURAL_PERSON,
        CF_XDR_ZJLX="身份证",
        CF_XDR_ZJHM="460100199001011234",
    )
    text = login(clerk).get(reverse("penalties:penalty-detail", args=[person.pk])).content.decode()
    assert "460100199001011234" not in text and "1234" in text
