"""Claim, return, reassign, close and the overdue route; statistics; the registration scan."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.core.exceptions import ConflictError, DomainError
from apps.core.models import AuditEvent
from apps.dual_notice.choices import (
    AssignmentOutcome,
    DualNoticeEventType,
    NoticeSource,
    NoticeTrigger,
    TaskStatus,
)
from apps.dual_notice.models import (
    ClaimDeadlineRule,
    ClaimTask,
    Notice,
    ScanWatermark,
    TaskAssignment,
)
from apps.dual_notice.selectors import department_statistics
from apps.dual_notice.services import (
    claim_task,
    close_task,
    reassign_task,
    return_task,
    route_overdue_tasks,
    scan_registrations,
)
from apps.enterprises.services import register_enterprise, update_enterprise

from .conftest import DUE_DAY, PUSH_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def food_task(mapping, depts, xiuying_enterprise, notify):
    notice = notify(xiuying_enterprise)
    return notice.tasks.get(matter__code="SPJY")


def test_deadline_counts_working_days_across_the_national_day_holiday(food_task):
    """Five working days from Tue 30 Sep 2031: 8, 9, 10, Sat 11 (adjusted) and Mon 13 Oct."""
    assert food_task.assigned_on == PUSH_DAY
    assert food_task.due_on == DUE_DAY
    assert food_task.assignments.get().due_on == DUE_DAY


def test_deadline_follows_the_rule_in_force_on_the_push_day(mapping, depts, hainan, notify):
    from tests.factories.enterprises import EnterpriseFactory

    ClaimDeadlineRule.objects.create(valid_from=datetime.date(2031, 9, 1), working_days=3)
    task = notify(EnterpriseFactory(region=hainan["haikou"], business_scope="餐饮服务")).tasks.get()
    # 8, 9, 10 October.
    assert task.due_on == datetime.date(2031, 10, 10)


def test_department_claims_its_task_and_it_is_audited(food_task, clerk):
    claim_task(food_task, actor=clerk, note="纳入日常监管", today=DUE_DAY)
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.CLAIMED
    assert food_task.claimed_by == clerk
    assert food_task.assignments.get().outcome == AssignmentOutcome.CLAIMED
    event = AuditEvent.objects.get(event_type=DualNoticeEventType.TASK_CLAIMED)
    assert event.actor == clerk
    assert event.before["status"] == "pending"
    assert event.after["status"] == "claimed"


def test_another_department_cannot_claim(food_task, other_clerk):
    with pytest.raises(PermissionDenied):
        claim_task(food_task, actor=other_clerk, today=PUSH_DAY)


def test_claiming_twice_is_a_conflict(food_task, clerk):
    claim_task(food_task, actor=clerk, today=PUSH_DAY)
    with pytest.raises(ConflictError):
        claim_task(food_task, actor=clerk, today=PUSH_DAY)


def test_return_needs_a_reason_and_goes_to_the_provincial_queue(food_task, clerk):
    with pytest.raises(DomainError, match="退回原因"):
        return_task(food_task, actor=clerk, reason="  ")
    return_task(food_task, actor=clerk, reason="本店仅销售预包装食品，属备案事项")
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.RETURNED
    assert food_task.department is None
    assert food_task.queue_reason == "本店仅销售预包装食品，属备案事项"
    assignment = food_task.assignments.get()
    assert assignment.outcome == AssignmentOutcome.RETURNED
    event = AuditEvent.objects.get(event_type=DualNoticeEventType.TASK_RETURNED)
    assert event.department_code == "460100-SCJG"


def test_unclaimed_task_is_routed_back_the_day_after_its_deadline(food_task):
    assert route_overdue_tasks(today=DUE_DAY) == 0
    assert route_overdue_tasks(today=DUE_DAY + datetime.timedelta(days=1)) == 2
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.OVERDUE
    assert food_task.department is None
    assert "2031-10-13" in food_task.queue_reason
    assert food_task.assignments.get().outcome == AssignmentOutcome.OVERDUE
    # Idempotent.
    assert route_overdue_tasks(today=DUE_DAY + datetime.timedelta(days=5)) == 0
    assert AuditEvent.objects.filter(event_type=DualNoticeEventType.TASK_OVERDUE).count() == 2


def test_a_late_claim_is_refused_and_routes_the_task_back(food_task, clerk):
    with pytest.raises(ConflictError, match="认领期限"):
        claim_task(food_task, actor=clerk, today=DUE_DAY + datetime.timedelta(days=1))
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.OVERDUE


def test_province_admin_reassigns_a_returned_task_with_a_fresh_deadline(
    food_task, clerk, province_admin, depts
):
    return_task(food_task, actor=clerk, reason="不属本局")
    with pytest.raises(PermissionDenied):
        reassign_task(food_task, depts["sy_scjg"], actor=clerk, today=PUSH_DAY)
    # Pushed on Fri 10 Oct: 11 (adjusted Saturday), 13, 14, 15, 16.
    reassign_task(
        food_task, depts["prov_scjg"], actor=province_admin, today=datetime.date(2031, 10, 10)
    )
    food_task.refresh_from_db()
    assert food_task.status == TaskStatus.PENDING
    assert food_task.department == depts["prov_scjg"]
    assert food_task.due_on == datetime.date(2031, 10, 16)
    assert [a.outcome for a in food_task.assignments.order_by("pk")] == [
        AssignmentOutcome.RETURNED,
        AssignmentOutcome.OPEN,
    ]


def test_province_admin_closes_an_unassigned_task(mapping, depts, hainan, notify, province_admin):
    from tests.factories.enterprises import EnterpriseFactory

    notice = notify(EnterpriseFactory(region=hainan["haikou"], business_scope="烟草制品零售"))
    task = notice.tasks.get()
    assert task.status == TaskStatus.UNASSIGNED
    with pytest.raises(DomainError):
        close_task(task, actor=province_admin, note="")
    close_task(task, actor=province_admin, note="已线下移交烟草专卖局")
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED


def test_statistics_per_department(
    mapping, depts, hainan, notify, clerk, hk_ga_clerk, province_admin
):
    from tests.factories.enterprises import EnterpriseFactory

    tasks = [
        notify(
            EnterpriseFactory(region=hainan["haikou"], business_scope=f"餐饮服务；住宿服务；{i}")
        )
        for i in range(3)
    ]
    food = [n.tasks.get(matter__code="SPJY") for n in tasks]
    hotel = [n.tasks.get(matter__code="TZHY") for n in tasks]
    claim_task(food[0], actor=clerk, today=PUSH_DAY)
    claim_task(food[1], actor=clerk, today=PUSH_DAY)
    return_task(food[2], actor=clerk, reason="不属本局")
    claim_task(hotel[0], actor=hk_ga_clerk, today=PUSH_DAY)
    route_overdue_tasks(today=DUE_DAY + datetime.timedelta(days=1))
    # Claimed after 2 and 4 hours: the median is 3.
    nine = timezone.make_aware(datetime.datetime(2031, 9, 30, 9))
    for task, hours in ((food[0], 2), (food[1], 4)):
        TaskAssignment.objects.filter(task=task).update(
            assigned_at=nine, closed_at=nine + datetime.timedelta(hours=hours)
        )

    rows = {r.department.code: r for r in department_statistics(province_admin)}
    scjg, ga = rows["460100-SCJG"], rows["460100-GA"]
    assert (scjg.assigned, scjg.claimed, scjg.returned, scjg.overdue, scjg.open) == (3, 2, 1, 0, 0)
    assert (ga.assigned, ga.claimed, ga.returned, ga.overdue) == (3, 1, 0, 2)
    assert scjg.claim_rate == 66.7
    assert scjg.median_claim_hours == 3.0
    # A clerk sees only its own department's figures.
    assert [r.department.code for r in department_statistics(clerk)] == ["460100-SCJG"]


# --------------------------------------------------------------------------- the scan


@pytest.fixture
def started_scan(mapping, depts):
    """Start the watermark one hour ago so that rows written by the test are read."""
    start = timezone.now() - datetime.timedelta(hours=1)
    scan_registrations(since=start)
    return start


def _later():
    return timezone.now() + datetime.timedelta(minutes=10)


def test_first_scan_only_starts_the_watermark(mapping, depts, xiuying_enterprise):
    result = scan_registrations()
    assert set(result.started) == {NoticeSource.REGISTRY, NoticeSource.QYDJ}
    assert not Notice.objects.exists()
    assert ScanWatermark.objects.count() == 2


def test_scan_issues_notices_for_registered_and_changed_enterprises(
    started_scan, hainan, province_admin
):
    import random

    from apps.core.uscc import generate_uscc

    uscc = generate_uscc(random.Random(8), region="460100")
    enterprise = register_enterprise(
        {
            "uscc": uscc,
            "name": "海口新设餐饮有限公司",
            "entity_type": "company",
            "region": hainan["xiuying"],
            "business_scope": "餐饮服务",
        },
        actor=province_admin,
    )
    result = scan_registrations(now=_later())
    assert result.issued[NoticeSource.REGISTRY] == 1
    notice = Notice.objects.get(enterprise=enterprise)
    assert notice.trigger == NoticeTrigger.ESTABLISHMENT
    assert notice.tasks.get().department.code == "460100-SCJG"

    # Nothing changed: nothing new.
    assert scan_registrations(now=_later()).issued[NoticeSource.REGISTRY] == 0

    update_enterprise(enterprise, {"business_scope": "餐饮服务；住宿服务"}, actor=province_admin)
    scan_registrations(now=_later())
    latest = Notice.objects.filter(enterprise=enterprise).order_by("-pk").first()
    assert latest.trigger == NoticeTrigger.SCOPE_CHANGE
    assert set(latest.tasks.values_list("matter__code", flat=True)) == {"SPJY", "TZHY"}

    # A change of another field keeps the scope: no new notice.
    update_enterprise(enterprise, {"address": "海口市秀英区新址"}, actor=province_admin)
    scan_registrations(now=_later())
    assert Notice.objects.filter(enterprise=enterprise).count() == 2


def test_scan_reads_qydj_registration_records(started_scan, depts, sanya_enterprise):
    from apps.records.stores import GenericStore
    from tests.factories.records import make_context, make_row

    store = GenericStore()
    row = make_row(
        1,
        business_key=sanya_enterprise.uscc,
        enterprise_id=sanya_enterprise.pk,
        subject_uscc=sanya_enterprise.uscc,
        subject_name=sanya_enterprise.name,
        decision_date=datetime.date(2026, 11, 2),
        values={"DJ_TYSHXYDM": sanya_enterprise.uscc, "DJ_JYFW": "道路货物运输；药品批发"},
    )
    # The registry row itself was created before the watermark moved: only QYDJ is new.
    ScanWatermark.objects.filter(source=NoticeSource.REGISTRY).update(last_updated_at=_later())
    store.load([row], make_context(depts["sy_scjg"], resource_code="QYDJ"))
    result = scan_registrations(now=_later())
    assert result.issued[NoticeSource.QYDJ] == 1
    notice = Notice.objects.get(enterprise=sanya_enterprise)
    assert notice.source == NoticeSource.QYDJ
    assert notice.registered_on == datetime.date(2026, 11, 2)
    assert {t.matter.code: t.department.code for t in notice.tasks.all()} == {
        "DLHY": "460000-JT",
        "YPPF": "460000-YJ",
    }


def test_tasks_in_queue_are_not_in_any_department(mapping, depts, hainan, notify):
    from tests.factories.enterprises import EnterpriseFactory

    notify(EnterpriseFactory(region=hainan["haikou"], business_scope="烟草制品零售"))
    task = ClaimTask.objects.get()
    assert task.in_queue
    assert task.assignments.count() == 0
