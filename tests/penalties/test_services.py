"""Revocation, correction and credit repair through the services (history and audit)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.catalogue.choices import Severity
from apps.core.exceptions import ConflictError, DomainError
from apps.core.models import AuditEvent
from apps.penalties import services
from apps.penalties.choices import ApplicationStatus, PenaltyEvent, RepairStatus
from apps.penalties.models import Penalty
from apps.records.models import RecordRevision

from .conftest import pdf

pytestmark = pytest.mark.django_db

D = datetime.date


def _revisions(penalty):
    return RecordRevision.objects.filter(
        content_type=ContentType.objects.get_for_model(Penalty), object_id=penalty.pk
    ).order_by("revision")


def _apply(penalty, on):
    return services.apply_for_repair(
        penalty,
        applicant_name=penalty.subject_name,
        contact_name="李联系",
        contact_phone="0898-66666666",
        statement="已缴清罚款并整改。",
        evidence=pdf(),
        on=on,
    )


def test_revoked_penalty_leaves_public_view_and_is_kept_in_history(repairable, clerk):
    day = D(2026, 3, 1)
    assert Penalty.objects.public_on(day).filter(pk=repairable.pk).exists()
    services.revoke_penalty(repairable, reason="复议撤销", actor=clerk)
    assert not Penalty.objects.public_on(day).filter(pk=repairable.pk).exists()
    revision = _revisions(repairable).get()
    assert revision.after["revocation_reason"] == "复议撤销"
    event = AuditEvent.objects.get(event_type=PenaltyEvent.REVOKED)
    assert event.actor == clerk and event.message == "复议撤销"
    assert event.department_code == "460100-SCJG"


def test_revocation_needs_a_reason_and_happens_once(repairable, clerk):
    with pytest.raises(DomainError, match="理由"):
        services.revoke_penalty(repairable, reason="  ", actor=clerk)
    services.revoke_penalty(repairable, reason="撤销", actor=clerk)
    with pytest.raises(ConflictError, match="不能重复撤销"):
        services.revoke_penalty(repairable, reason="再次", actor=clerk)


def test_resending_the_file_does_not_undo_a_revocation(load_penalty, dept, clerk):
    penalty = load_penalty(dept, decided=D(2026, 1, 5), fine="5", document_number="琼撤〔2026〕1号")
    services.revoke_penalty(penalty, reason="撤销", actor=clerk)
    again = load_penalty(dept, decided=D(2026, 1, 5), fine="5", document_number="琼撤〔2026〕1号")
    assert again.pk == penalty.pk and again.revoked_at is not None
    assert not Penalty.objects.public_on(D(2026, 3, 1)).filter(pk=penalty.pk).exists()


def test_correction_recomputes_the_window_and_keeps_old_and_new(repairable, clerk):
    assert repairable.max_until == D(2029, 1, 5)
    services.correct_penalty(repairable, {"fine_amount": "0.1"}, reason="金额录入错误", actor=clerk)
    repairable.refresh_from_db()
    assert repairable.severity == Severity.LOW
    assert repairable.max_until == D(2026, 4, 5)
    revision = _revisions(repairable).get()
    assert revision.before["fine_amount"] == "5.000000"
    assert revision.after["max_until"] == "2026-04-05"
    assert AuditEvent.objects.filter(event_type=PenaltyEvent.CORRECTED).count() == 1


def test_staff_set_severity_wins_and_survives_a_reload(load_penalty, dept, clerk):
    penalty = load_penalty(dept, decided=D(2025, 1, 5), fine="5", document_number="琼重〔2025〕1号")
    services.correct_penalty(
        penalty, {"severity_override": Severity.SERIOUS}, reason="情节严重", actor=clerk
    )
    penalty.refresh_from_db()
    assert penalty.severity == Severity.SERIOUS and penalty.regime.severity == Severity.SERIOUS
    reloaded = load_penalty(
        dept, decided=D(2025, 1, 5), fine="6", document_number="琼重〔2025〕1号"
    )
    assert reloaded.severity == Severity.SERIOUS


def test_correction_refuses_unknown_fields_and_bad_values(repairable, clerk):
    with pytest.raises(DomainError, match="不能更正"):
        services.correct_penalty(repairable, {"document_number": "x"}, reason="r", actor=clerk)
    with pytest.raises(DomainError, match="CF_CFLB"):
        services.correct_penalty(repairable, {"category": "打板子"}, reason="r", actor=clerk)
    with pytest.raises(DomainError, match="CF_NR_FK"):
        services.correct_penalty(repairable, {"fine_amount": "-1"}, reason="r", actor=clerk)


def test_repair_is_refused_before_the_minimum_with_the_first_allowed_day(repairable):
    with pytest.raises(DomainError, match="2026-07-05") as info:
        _apply(repairable, D(2026, 7, 4))
    assert info.value.code == "before_minimum"


def test_repair_is_not_available_where_the_regime_has_none(load_penalty, dept):
    low = load_penalty(dept, decided=D(2026, 1, 5), fine="0.1")
    with pytest.raises(DomainError, match="不适用信用修复"):
        _apply(low, D(2026, 2, 1))


def test_approved_repair_ends_publicity_early_and_every_step_is_recorded(repairable, clerk):
    application = _apply(repairable, D(2026, 7, 6))
    repairable.refresh_from_db()
    assert repairable.repair_status == RepairStatus.PENDING
    with pytest.raises(ConflictError, match="待审核"):
        _apply(repairable, D(2026, 7, 7))
    services.approve_repair(application, reason="已履行，准予修复", actor=clerk, on=D(2026, 7, 10))
    repairable.refresh_from_db()
    assert repairable.repair_status == RepairStatus.APPROVED
    assert repairable.repaired_on == D(2026, 7, 10)
    public = Penalty.objects.filter(pk=repairable.pk)
    assert public.public_on(D(2026, 7, 9)).exists()
    assert not public.public_on(D(2026, 7, 10)).exists()
    assert repairable.public_until() == D(2026, 7, 10)
    kinds = list(
        AuditEvent.objects.filter(event_type__startswith="penalty.")
        .order_by("pk")
        .values_list("event_type", flat=True)
    )
    assert kinds == [PenaltyEvent.REPAIR_APPLIED, PenaltyEvent.REPAIR_APPROVED]
    with pytest.raises(ConflictError, match="不能重复审核"):
        services.reject_repair(application, reason="x", actor=clerk)


def test_rejected_repair_keeps_the_record_public_and_allows_a_new_application(repairable, clerk):
    application = _apply(repairable, D(2026, 7, 6))
    services.reject_repair(application, reason="罚款未缴清", actor=clerk, on=D(2026, 7, 8))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert Penalty.objects.public_on(D(2026, 8, 1)).filter(pk=repairable.pk).exists()
    assert _apply(repairable, D(2026, 8, 1)).status == ApplicationStatus.PENDING


def test_review_deadline_counts_working_days_across_the_spring_festival(repairable):
    # Friday 2026-02-13; Spring Festival 2026-02-15..23 off, Saturdays 02-14 and 02-28 worked.
    food = repairable
    Penalty.objects.filter(pk=food.pk).update(repair_from=D(2026, 2, 1))
    food.refresh_from_db()
    application = _apply(food, D(2026, 2, 13))
    assert application.review_due == D(2026, 3, 12)


def test_review_deadline_counts_working_days_across_the_national_day_and_year_end(
    load_penalty, dept
):
    penalty = load_penalty(dept, decided=D(2024, 12, 31), fine="5")
    assert penalty.repair_from == D(2025, 6, 30)
    application = _apply(penalty, D(2025, 9, 30))
    # 2025-10-01..08 off, Saturday 10-11 worked: fifteen working days end on 10-28.
    assert application.review_due == D(2025, 10, 28)


def test_revoked_or_expired_penalties_cannot_be_repaired(repairable, clerk):
    with pytest.raises(DomainError, match="不在公示期内"):
        _apply(repairable, D(2029, 1, 5))
    services.revoke_penalty(repairable, reason="撤销", actor=clerk)
    repairable.refresh_from_db()
    with pytest.raises(DomainError, match="已撤销"):
        _apply(repairable, D(2026, 8, 1))
