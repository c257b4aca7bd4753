"""Routing a business scope to licensing matters and departments."""

from __future__ import annotations

import datetime

import pytest

from apps.core.models import AuditEvent
from apps.dual_notice.choices import DualNoticeEventType, NoticeTrigger, TaskStatus
from apps.dual_notice.models import ClaimTask, Notice
from apps.dual_notice.routing import match_matters, scope_hash, scope_items
from tests.factories.enterprises import EnterpriseFactory

from .conftest import DUE_DAY

pytestmark = pytest.mark.django_db


def _routes(notice):
    return {
        t.matter.code: (t.department.code if t.department else None, t.status)
        for t in notice.tasks.select_related("matter", "department")
    }


def test_scope_items_split_on_chinese_and_ascii_separators():
    assert scope_items("餐饮服务；住宿服务;  食品销售，\n会议服务。") == [
        "餐饮服务",
        "住宿服务",
        "食品销售",
        "会议服务",
    ]
    assert scope_hash("餐饮服务；住宿服务") == scope_hash(" 餐饮服务;住宿服务 ")


def test_district_enterprise_goes_to_the_city_departments(
    mapping, depts, xiuying_enterprise, notify
):
    """Xiuying has no departments of its own: the Haikou ones of each line approve."""
    notice = notify(xiuying_enterprise)
    assert _routes(notice) == {
        "SPJY": ("460100-SCJG", TaskStatus.PENDING),
        "TZHY": ("460100-GA", TaskStatus.PENDING),
    }
    assert notice.registrar == depts["hk_scjg"]
    assert notice.trigger == NoticeTrigger.ESTABLISHMENT
    assert set(notice.tasks.values_list("due_on", flat=True)) == {DUE_DAY}


def test_line_without_city_department_falls_back_to_the_province(
    mapping, depts, sanya_enterprise, notify
):
    """Sanya has market regulation but no transport department: freight goes to the province."""
    notice = notify(sanya_enterprise)
    assert _routes(notice) == {
        "DLHY": ("460000-JT", TaskStatus.PENDING),
        "SPJY": ("460200-SCJG", TaskStatus.PENDING),
    }
    freight = notice.tasks.get(matter__code="DLHY")
    assert freight.matched_text == "道路货物运输（不含危险货物）"


def test_several_matters_from_one_scope_each_get_one_task(mapping, depts, hainan, notify):
    enterprise = EnterpriseFactory(
        region=hainan["haikou"],
        business_scope="食品销售；餐饮服务；药品批发；住宿服务；烟草制品零售",
    )
    notice = notify(enterprise)
    assert _routes(notice) == {
        "SPJY": ("460100-SCJG", TaskStatus.PENDING),
        "YPPF": ("460000-YJ", TaskStatus.PENDING),
        "TZHY": ("460100-GA", TaskStatus.PENDING),
        # No tobacco monopoly department on the platform: the provincial queue.
        "YCLS": (None, TaskStatus.UNASSIGNED),
    }
    assert notice.tasks.get(matter__code="SPJY").matched_text == "食品销售"


def test_provincial_matter_skips_the_city_department(mapping, depts, hainan, notify):
    from tests.factories.organizations import DepartmentFactory

    DepartmentFactory(code="460100-YJ", name="海口药监", line="YJ", region=hainan["haikou"])
    enterprise = EnterpriseFactory(region=hainan["haikou"], business_scope="药品批发")
    assert _routes(notify(enterprise)) == {"YPPF": ("460000-YJ", TaskStatus.PENDING)}


def test_no_match_issues_a_notice_without_tasks(mapping, depts, hainan, notify):
    enterprise = EnterpriseFactory(region=hainan["haikou"], business_scope="软件开发；技术服务")
    notice = notify(enterprise)
    assert notice is not None
    assert not notice.tasks.exists()
    event = AuditEvent.objects.get(event_type=DualNoticeEventType.NOTICE_ISSUED)
    assert event.enterprise_uscc == enterprise.uscc
    assert event.after["tasks"] == []


def test_exclusion_phrase_suppresses_the_match(mapping, depts):
    on = datetime.date(2026, 1, 5)
    assert match_matters("食品销售（仅销售预包装食品）", on=on) == []
    assert [
        m.matter.code for m in match_matters("食品销售(仅销售预包装食品)；食品销售", on=on)
    ] == ["SPJY"]


def test_industry_code_prefix_matches_without_a_phrase(mapping, depts):
    found = match_matters("住宅室内装饰装修", "E4890", on=datetime.date(2026, 1, 5))
    assert [(m.matter.code, m.matched_text) for m in found] == [("JZZZ", "行业代码 E4890")]


def test_matters_outside_their_validity_are_ignored(mapping, depts):
    mapping["hotel"].valid_to = datetime.date(2020, 1, 1)
    mapping["hotel"].save()
    assert match_matters("住宿服务", on=datetime.date(2026, 1, 5)) == []
    assert [m.matter.code for m in match_matters("住宿服务", on=datetime.date(2019, 6, 1))] == [
        "TZHY"
    ]


def test_same_scope_twice_issues_one_notice_and_a_change_issues_another(
    mapping, depts, xiuying_enterprise, notify
):
    first = notify(xiuying_enterprise)
    assert notify(xiuying_enterprise) is None
    assert notify(xiuying_enterprise, scope="餐饮服务;住宿服务;会议及展览服务") is None
    second = notify(xiuying_enterprise, scope="餐饮服务；住宿服务；道路货物运输")
    assert second.trigger == NoticeTrigger.SCOPE_CHANGE
    assert Notice.objects.filter(enterprise=xiuying_enterprise).count() == 2
    assert set(ClaimTask.objects.filter(notice=second).values_list("matter__code", flat=True)) == {
        "SPJY",
        "TZHY",
        "DLHY",
    }
    assert first.number != second.number


def test_empty_scope_issues_nothing(mapping, depts, xiuying_enterprise, notify):
    assert notify(xiuying_enterprise, scope="  ") is None
