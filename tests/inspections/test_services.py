"""Services: pools, plans, draws with audit, results through the CCJC store, follow-ups."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.exceptions import ConflictError, DomainError
from apps.core.models import AuditEvent
from apps.core.workdays import add_working_days
from apps.inspections import services
from apps.inspections.choices import (
    FollowUpState,
    InspectionEvent,
    PlanStatus,
    ResultOutcome,
    RiskGrade,
    TaskStatus,
)
from apps.inspections.models import ResultDeadline, Task
from apps.inspections.selectors import verify_draw
from apps.records.models import GenericRecord
from apps.records.registry import get_store

pytestmark = pytest.mark.django_db


def completed_day() -> datetime.date:
    return timezone.localdate()


def test_pool_is_a_snapshot_of_the_filtered_registry(dept, entities, clerk, hainan):
    pool = services.build_pool(
        department=dept,
        name="海口（含秀英）",
        filters=services.PoolFilters(region_codes=["460100"]),
        actor=clerk,
    )
    expected = {e.pk for e in entities["haikou"] + entities["xiuying"]}
    assert set(pool.members.values_list("enterprise_id", flat=True)) == expected
    assert pool.member_count == 12
    # A later registration does not change the frozen pool.
    from tests.factories.enterprises import EnterpriseFactory

    EnterpriseFactory(region=hainan["haikou"])
    assert pool.members.count() == 12


def test_pool_filters_by_risk_grade_and_status(dept, entities, clerk):
    target = entities["sanya"][0]
    services.mark_risk(
        target,
        grade=RiskGrade.D,
        assessed_on=datetime.date(2026, 1, 5),
        department=dept,
        actor=clerk,
    )
    services.mark_risk(
        entities["sanya"][1],
        grade=RiskGrade.D,
        assessed_on=datetime.date(2026, 1, 5),
        department=dept,
        actor=clerk,
    )
    # The later mark wins: the second entity is now graded A.
    services.mark_risk(
        entities["sanya"][1],
        grade=RiskGrade.A,
        assessed_on=datetime.date(2026, 6, 1),
        department=dept,
        actor=clerk,
    )
    pool = services.build_pool(
        department=dept,
        name="高风险",
        filters=services.PoolFilters(risk_grades=["D"], statuses=["active"]),
        actor=clerk,
    )
    assert list(pool.members.values_list("enterprise_id", flat=True)) == [target.pk]


def test_pool_filters_by_list_membership(dept, entities, clerk, monkeypatch):
    listed = entities["haikou"][2]

    def badges(ids, *, on):
        return {listed.pk: ["经营异常名录"]} if listed.pk in ids else {}

    monkeypatch.setattr("apps.inspections.services.pools.list_badges", badges)
    pool = services.build_pool(
        department=dept,
        name="异常名录",
        filters=services.PoolFilters(lists=["经营异常名录"]),
        actor=clerk,
    )
    assert list(pool.members.values_list("enterprise_id", flat=True)) == [listed.pk]


def test_pool_filters_by_entity_type_and_industry_prefix(dept, entities, clerk, hainan):
    from tests.factories.enterprises import EnterpriseFactory

    shop = EnterpriseFactory(
        region=hainan["haikou"], entity_type="individual_business", industry_code="F5211"
    )
    EnterpriseFactory(
        region=hainan["haikou"], entity_type="individual_business", industry_code="H6210"
    )
    EnterpriseFactory(region=hainan["haikou"], industry_code="F5212")
    pool = services.build_pool(
        department=dept,
        name="批发零售个体户",
        filters=services.PoolFilters(
            entity_types=["individual_business"], industry_prefixes=["f52"]
        ),
        actor=clerk,
    )
    assert list(pool.members.values_list("enterprise_id", flat=True)) == [shop.pk]
    assert pool.filters == {"entity_types": ["individual_business"], "industry_prefixes": ["f52"]}


def test_pool_with_an_unknown_region_code_is_refused(dept, entities, clerk):
    with pytest.raises(DomainError, match="未知的区划代码 469999"):
        services.build_pool(
            department=dept,
            name="未知区划",
            filters=services.PoolFilters(region_codes=["460100", "469999"]),
            actor=clerk,
        )


def test_pool_leaves_out_entities_drawn_since_the_given_day(make_plan, officers, dept, clerk):
    """Anti-duplication: current tasks of any plan count; a redrawn round's tasks do not."""
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="1")
    services.draw_plan(plan, actor=clerk, seed="2", reason="检查人员调整")
    current = set(
        Task.objects.filter(draw__is_current=True).values_list("enterprise_id", flat=True)
    )
    cancelled = set(
        Task.objects.filter(status=TaskStatus.CANCELLED).values_list("enterprise_id", flat=True)
    )
    assert cancelled - current  # some first-round targets were not drawn again
    fresh = services.build_pool(
        department=dept,
        name="未被抽中",
        filters=services.PoolFilters(not_drawn_since=timezone.localdate()),
        actor=clerk,
    )
    members = set(fresh.members.values_list("enterprise_id", flat=True))
    assert fresh.member_count == 16 - len(current)
    assert not members & current
    assert cancelled - current <= members
    assert fresh.filters == {"not_drawn_since": [timezone.localdate().isoformat()]}
    # Tasks drawn before the day do not count.
    Task.objects.update(created_at=timezone.now() - datetime.timedelta(days=10))
    older = services.build_pool(
        department=dept,
        name="五天内未被抽中",
        filters=services.PoolFilters(
            not_drawn_since=timezone.localdate() - datetime.timedelta(days=5)
        ),
        actor=clerk,
    )
    assert older.member_count == 16


def test_pool_with_a_future_not_drawn_since_day_is_refused(dept, entities, clerk):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="晚于今天"):
        services.build_pool(
            department=dept,
            name="未来",
            filters=services.PoolFilters(not_drawn_since=tomorrow),
            actor=clerk,
        )


def test_empty_pool_is_refused(dept, entities, clerk):
    with pytest.raises(DomainError, match="没有选中任何市场主体"):
        services.build_pool(
            department=dept,
            name="空",
            filters=services.PoolFilters(industry_prefixes=["Z9"]),
            actor=clerk,
        )


def test_plan_with_a_count_above_the_pool_is_refused(make_plan):
    with pytest.raises(DomainError, match="抽取户数”：17 超过检查对象名录“全市企业”中的 16 户"):
        make_plan(sample_count=17)


def test_plan_with_one_officer_per_target_is_refused(make_plan):
    with pytest.raises(DomainError, match="每个检查对象至少应有 2 名执法检查人员"):
        make_plan(officers_per_target=1)


def test_plan_needs_exactly_one_of_count_and_ratio(make_plan):
    with pytest.raises(DomainError, match="须填写且只填写其中一项"):
        make_plan(sample_count=4, sample_ratio=Decimal("5"))


def test_ratio_is_rounded_up(make_plan):
    plan = make_plan(sample_count=None, sample_ratio=Decimal("10"))
    assert plan.sample_size(16) == 2


def test_draw_creates_tasks_with_two_officers_and_is_audited(make_plan, officers, clerk):
    plan = make_plan()
    draw = services.draw_plan(plan, actor=clerk, seed="20261128")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAWN
    tasks = list(plan.tasks.prefetch_related("assignments"))
    assert len(tasks) == 4
    for task in tasks:
        assignments = list(task.assignments.all())
        assert len(assignments) == 2
        # A single-department plan draws its own officers only.
        assert {a.officer.department_id for a in assignments} == {plan.lead_department_id}
    event = AuditEvent.objects.get(event_type=InspectionEvent.DRAWN)
    assert event.after["seed"] == "20261128"
    assert verify_draw(draw).ok


def test_draw_is_reproducible_from_the_seed_and_the_pool(make_plan, officers, clerk):
    first = services.draw_plan(make_plan(), actor=clerk, seed="4242")
    second = services.draw_plan(make_plan(name="同一名录再抽"), actor=clerk, seed="4242")
    assert first.outcome == second.outcome
    assert first.inputs == second.inputs


def test_verify_detects_a_tampered_outcome(make_plan, officers, clerk):
    draw = services.draw_plan(make_plan(), actor=clerk, seed="5")
    outcome = draw.outcome
    outcome[0][0], outcome[1][0] = outcome[1][0], outcome[0][0]
    draw.outcome = outcome
    draw.save()
    check = verify_draw(draw)
    assert not check.reproduced
    assert not check.ok


def test_conflicts_are_never_drawn_on_the_plan(make_plan, officers, entities, clerk):
    hk0 = officers["hk0"]
    for enterprise in entities["all"]:
        services.declare_conflict(hk0, enterprise, reason="近亲属任职", actor=clerk)
    for seed in range(15):
        plan = make_plan(name=f"计划{seed}")
        services.draw_plan(plan, actor=clerk, seed=str(seed))
        assert not plan.tasks.filter(assignments__officer=hk0).exists()


def test_own_area_rule_keeps_officers_out_of_their_region(make_plan, officers, entities, clerk):
    # hk0 covers Haikou (with Xiuying below it): never drawn for a Haikou or Xiuying entity.
    for seed in range(10):
        plan = make_plan(name=f"回避{seed}", avoid_own_area=True, sample_count=12)
        services.draw_plan(plan, actor=clerk, seed=str(seed))
        drawn = Task.objects.filter(plan=plan, assignments__officer=officers["hk0"])
        assert not drawn.filter(enterprise__region__code__in=["460100", "460105"]).exists()


def test_joint_plan_draws_officers_from_different_departments(
    make_plan, officers, other_dept, clerk
):
    plan = make_plan(other_departments=[other_dept], sample_count=8)
    services.draw_plan(plan, actor=clerk, seed="77")
    assert plan.is_joint
    for task in plan.tasks.prefetch_related("assignments__officer"):
        departments = {a.officer.department_id for a in task.assignments.all()}
        assert departments == {plan.lead_department_id, other_dept.pk}


def test_inactive_officers_are_never_drawn(make_plan, officers, dept, clerk):
    hk2 = officers["hk2"]
    services.save_officer(
        department=dept,
        name=hk2.name,
        certificate_number=hk2.certificate_number,
        is_active=False,
        officer=hk2,
        actor=clerk,
    )
    services.save_officer(
        department=dept, name="海口执法员3", certificate_number="HK-0003", actor=clerk
    )
    for seed in range(10):
        plan = make_plan(name=f"在岗{seed}", sample_count=8)
        draw = services.draw_plan(plan, actor=clerk, seed=str(seed))
        assert hk2.pk not in [officer for officer, *_rest in draw.inputs["officers"]]
        assert not plan.tasks.filter(assignments__officer=hk2).exists()


def test_later_changes_to_officers_and_conflicts_do_not_break_verification(
    make_plan, officers, clerk
):
    """The draw keeps its inputs: a conflict declared afterwards or an officer leaving
    changes later draws, never the verification of this one."""
    draw = services.draw_plan(make_plan(), actor=clerk, seed="606")
    drawn_officer = draw.tasks.first().assignments.first().officer
    services.declare_conflict(
        drawn_officer, draw.tasks.first().enterprise, reason="事后申报", actor=clerk
    )
    services.save_officer(
        department=drawn_officer.department,
        name=drawn_officer.name,
        certificate_number=drawn_officer.certificate_number,
        is_active=False,
        officer=drawn_officer,
        actor=clerk,
    )
    assert verify_draw(draw).ok


def test_bad_seed_is_refused_and_nothing_is_drawn(make_plan, officers, clerk):
    plan = make_plan()
    with pytest.raises(DomainError, match="随机种子“-5”无效"):
        services.draw_plan(plan, actor=clerk, seed="-5")
    assert not plan.draws.exists() and not plan.tasks.exists()


def test_draw_without_officers_is_refused(make_plan, clerk):
    with pytest.raises(DomainError, match="执法检查人员名录为空"):
        services.draw_plan(make_plan(), actor=clerk)


def test_draw_with_fewer_than_two_eligible_officers_names_the_target(
    make_plan, officers, entities, clerk
):
    target = entities["haikou"][0]
    for key in ("hk0", "hk1"):
        services.declare_conflict(officers[key], target, reason="曾任该企业顾问", actor=clerk)
    plan = make_plan(sample_count=16)
    with pytest.raises(DomainError, match=f"不足 2 名可抽取的执法检查人员.*{target.uscc}"):
        services.draw_plan(plan, actor=clerk, seed="1")
    assert not plan.draws.exists()


def test_redraw_needs_a_reason_and_cancels_the_old_tasks(make_plan, officers, clerk):
    plan = make_plan()
    first = services.draw_plan(plan, actor=clerk, seed="1")
    with pytest.raises(DomainError, match="重新抽取必须说明理由"):
        services.draw_plan(plan, actor=clerk, seed="2")
    second = services.draw_plan(plan, actor=clerk, seed="2", reason="一名检查人员长期病假")
    first.refresh_from_db()
    assert not first.is_current and second.is_current and second.round == 2
    assert set(first.tasks.values_list("status", flat=True)) == {TaskStatus.CANCELLED}
    event = AuditEvent.objects.get(event_type=InspectionEvent.REDRAWN)
    assert event.message == "一名检查人员长期病假"
    assert event.before == {"round": 1, "seed": "1"}


def test_redraw_after_a_result_is_refused(make_plan, officers, clerk, ccjc):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="1")
    task = plan.tasks.first()
    services.enter_result(
        task, outcome=ResultOutcome.NORMAL, completed_on=completed_day(), actor=clerk
    )
    with pytest.raises(ConflictError, match="已有检查结果录入"):
        services.draw_plan(plan, actor=clerk, seed="2", reason="再抽")


def test_result_is_published_through_the_ccjc_store(make_plan, officers, clerk, ccjc):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    task = plan.tasks.select_related("enterprise").first()
    result = services.enter_result(
        task,
        outcome=ResultOutcome.PROBLEMS,
        details="未按规定公示年度报告中的从业人数",
        completed_on=completed_day(),
        actor=clerk,
    )
    record = GenericRecord.objects.get(pk=result.record_id)
    assert record.resource_code == "CCJC"
    assert record.channel == "form"
    assert record.enterprise_id == task.enterprise_id
    assert record.department_id == clerk.department_id
    assert record.payload["CC_RWBH"] == task.code
    assert record.payload["CC_JHBH"] == plan.code
    # The catalogue validator folds full-width punctuation, as for any delivered row.
    assert record.payload["CC_JCJGNR"] == "发现问题,已责令改正:未按规定公示年度报告中的从业人数"
    assert record.payload["CC_JCJG"] == "海口市市场监督管理局"
    assert result.publish_by == add_working_days(result.completed_on, 20)
    assert result.published_in_time
    # The portal reads the registered store's public projection.
    public = get_store("inspection", "CCJC").public_records(
        task.enterprise_id, on=timezone.localdate()
    )
    assert [r.values["CC_RWBH"] for r in public if r.resource_code == "CCJC"] == [task.code]


def test_corrected_result_updates_the_same_record(make_plan, officers, clerk, ccjc):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    task = plan.tasks.first()
    first = services.enter_result(
        task, outcome=ResultOutcome.NORMAL, completed_on=completed_day(), actor=clerk
    )
    second = services.enter_result(
        task, outcome=ResultOutcome.NOT_PUBLISHED, completed_on=completed_day(), actor=clerk
    )
    assert first.record_id == second.record_id
    assert GenericRecord.objects.filter(resource_code="CCJC").count() == 1
    assert GenericRecord.objects.get().payload["CC_JCJGNR"] == "未按规定公示应当公示的信息"


def test_deadline_comes_from_the_administrators_table(make_plan, officers, clerk, ccjc):
    ResultDeadline.objects.create(valid_from=datetime.date(2026, 1, 1), working_days=10)
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    result = services.enter_result(
        plan.tasks.first(), outcome=ResultOutcome.NORMAL, completed_on=completed_day(), actor=clerk
    )
    assert result.publish_by == add_working_days(result.completed_on, 10)


def test_address_not_found_proposes_an_abnormal_listing(make_plan, officers, clerk, ccjc, dept):
    from apps.joint_punishment.models import Proposal

    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    task = plan.tasks.select_related("enterprise").first()
    result = services.enter_result(
        task, outcome=ResultOutcome.NOT_FOUND, completed_on=completed_day(), actor=clerk
    )
    follow_up = result.follow_ups.get()
    assert follow_up.enterprise_id == task.enterprise_id
    assert follow_up.state == FollowUpState.PROPOSED
    proposal = Proposal.objects.get(pk=follow_up.proposal_id)
    assert proposal.enterprise_id == task.enterprise_id
    assert proposal.list_type.code == "JYYC" and proposal.ground.code == "4"
    assert proposal.department == dept  # the registrar of the entity's region
    assert proposal.basis_date == result.completed_on
    assert proposal.decide_by == add_working_days(result.completed_on, 10)
    assert task.code in proposal.reason
    assert AuditEvent.objects.filter(event_type=InspectionEvent.FOLLOW_UP_CREATED).count() == 1
    assert AuditEvent.objects.filter(event_type=InspectionEvent.FOLLOW_UP_PROPOSED).count() == 1
    # Entering the same result again duplicates neither the follow-up nor the proposal.
    services.enter_result(
        task, outcome=ResultOutcome.NOT_FOUND, completed_on=completed_day(), actor=clerk
    )
    assert result.follow_ups.count() == 1
    assert Proposal.objects.filter(key=f"inspection:{task.code}").count() == 1


def test_false_information_proposes_an_abnormal_listing_on_ground_three(
    make_plan, officers, clerk, ccjc, dept
):
    """SAIC Order 68 art. 4 (3): information found false by a spot check (BRIEF.md 3.1)."""
    from apps.joint_punishment.models import Proposal

    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    task = plan.tasks.first()
    result = services.enter_result(
        task,
        outcome=ResultOutcome.FALSE_INFO,
        details="年报公示的从业人数与社保缴费记录不符",
        completed_on=completed_day(),
        actor=clerk,
    )
    follow_up = result.follow_ups.get()
    assert follow_up.state == FollowUpState.PROPOSED
    assert "公示信息隐瞒真实情况、弄虚作假" in follow_up.note
    proposal = Proposal.objects.get(pk=follow_up.proposal_id)
    assert proposal.list_type.code == "JYYC" and proposal.ground.code == "3"
    assert proposal.department == dept
    assert proposal.decide_by == add_working_days(result.completed_on, 10)
    assert "年报公示的从业人数与社保缴费记录不符" in proposal.reason


@pytest.mark.parametrize(
    "outcome", [ResultOutcome.NOT_PUBLISHED, ResultOutcome.PROBLEMS, ResultOutcome.CLOSED]
)
def test_other_findings_open_no_listing_follow_up(make_plan, officers, clerk, ccjc, outcome):
    """Not publishing is ground (2) only after an order to publish expires: no direct proposal."""
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    result = services.enter_result(
        plan.tasks.first(),
        outcome=outcome,
        details="责令限期公示",
        completed_on=completed_day(),
        actor=clerk,
    )
    assert not result.follow_ups.exists()


def test_confirmed_proposal_puts_the_entity_in_a_later_pool_by_list(
    make_plan, officers, clerk, ccjc, dept
):
    from apps.joint_punishment import services as joint_services
    from apps.joint_punishment.models import Proposal

    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    task = plan.tasks.first()
    result = services.enter_result(
        task, outcome=ResultOutcome.NOT_FOUND, completed_on=completed_day(), actor=clerk
    )
    proposal = Proposal.objects.get(pk=result.follow_ups.get().proposal_id)
    joint_services.confirm_proposal(
        proposal, actor=clerk, decided_on=completed_day(), document="琼海市监异〔2026〕1号"
    )
    pool = services.build_pool(
        department=dept,
        name="异常名录企业",
        filters=services.PoolFilters(lists=["经营异常名录"]),
        actor=clerk,
    )
    assert list(pool.members.values_list("enterprise_id", flat=True)) == [task.enterprise_id]


def test_follow_up_stays_pending_without_the_list_reference_data(make_plan, officers, clerk, ccjc):
    from apps.joint_punishment.models import ListingGround, Proposal

    ListingGround.objects.filter(list_type__code="JYYC", code="4").delete()
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    result = services.enter_result(
        plan.tasks.first(),
        outcome=ResultOutcome.NOT_FOUND,
        completed_on=completed_day(),
        actor=clerk,
    )
    follow_up = result.follow_ups.get()
    assert follow_up.state == FollowUpState.PENDING and follow_up.proposal_id is None
    assert not Proposal.objects.exists()


def test_normal_result_opens_no_follow_up(make_plan, officers, clerk, ccjc):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    result = services.enter_result(
        plan.tasks.first(), outcome=ResultOutcome.NORMAL, completed_on=completed_day(), actor=clerk
    )
    assert not result.follow_ups.exists()


def test_result_with_problems_needs_details(make_plan, officers, clerk, ccjc):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    with pytest.raises(
        DomainError, match="问题及处理情况”：检查结果为“发现问题，已责令改正”时必须填写"
    ):
        services.enter_result(
            plan.tasks.first(),
            outcome=ResultOutcome.PROBLEMS,
            completed_on=completed_day(),
            actor=clerk,
        )


def test_result_in_the_future_is_refused(make_plan, officers, clerk, ccjc):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    with pytest.raises(DomainError, match="完成日期"):
        services.enter_result(
            plan.tasks.first(),
            outcome=ResultOutcome.NORMAL,
            completed_on=completed_day() + datetime.timedelta(days=3),
            actor=clerk,
        )


def test_plan_completes_when_every_task_has_a_result(make_plan, officers, clerk, ccjc):
    plan = make_plan(sample_count=2)
    services.draw_plan(plan, actor=clerk, seed="3")
    for task in plan.tasks.all():
        services.enter_result(
            task, outcome=ResultOutcome.NORMAL, completed_on=completed_day(), actor=clerk
        )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED


def test_result_without_the_catalogue_resource_is_refused(make_plan, officers, clerk):
    plan = make_plan()
    services.draw_plan(plan, actor=clerk, seed="3")
    with pytest.raises(DomainError, match="没有已发布的 CCJC"):
        services.enter_result(
            plan.tasks.first(),
            outcome=ResultOutcome.NORMAL,
            completed_on=completed_day(),
            actor=clerk,
        )
    assert not GenericRecord.objects.exists()


def test_duplicate_certificate_number_is_refused(dept, officers, clerk):
    with pytest.raises(DomainError, match="执法证号”：HK-0000 已登记"):
        services.save_officer(
            department=dept, name="重复", certificate_number="HK-0000", actor=clerk
        )
