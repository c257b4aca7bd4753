"""The Hainan regions and departments fixtures and their loader."""

from __future__ import annotations

import json
import re

from apps.core.models import AuditEvent
from apps.organizations.choices import DepartmentLevel, RegionLevel
from apps.organizations.models import Department, Region
from apps.organizations.services import fixtures_dir, load_hainan_fixtures

EXPECTED_REGIONS = {
    "460000": ("海南省", None),
    "460100": ("海口市", "460000"),
    "460105": ("秀英区", "460100"),
    "460106": ("龙华区", "460100"),
    "460107": ("琼山区", "460100"),
    "460108": ("美兰区", "460100"),
    "460200": ("三亚市", "460000"),
    "460202": ("海棠区", "460200"),
    "460203": ("吉阳区", "460200"),
    "460204": ("天涯区", "460200"),
    "460205": ("崖州区", "460200"),
    "460300": ("三沙市", "460000"),
    "460302": ("西沙区", "460300"),
    "460303": ("南沙区", "460300"),
    "460400": ("儋州市", "460000"),
    "46YP00": ("洋浦经济开发区", "460400"),
    "469001": ("五指山市", "460000"),
    "469002": ("琼海市", "460000"),
    "469005": ("文昌市", "460000"),
    "469006": ("万宁市", "460000"),
    "469007": ("东方市", "460000"),
    "469021": ("定安县", "460000"),
    "469022": ("屯昌县", "460000"),
    "469023": ("澄迈县", "460000"),
    "469024": ("临高县", "460000"),
    "469025": ("白沙黎族自治县", "460000"),
    "469026": ("昌江黎族自治县", "460000"),
    "469027": ("乐东黎族自治县", "460000"),
    "469028": ("陵水黎族自治县", "460000"),
    "469029": ("保亭黎族苗族自治县", "460000"),
    "469030": ("琼中黎族苗族自治县", "460000"),
}
CITIES = {"460100", "460200", "460300", "460400"}
UNIT_MINIMUM = {"SCJG", "FGW", "SW", "STHJ", "ZJ", "RS", "NY", "WJW", "YJGL", "GA", "FY"}
PROVINCIAL_LINES = {
    "SCJG", "FGW", "GXT", "CZ", "SW", "STHJ", "ZJ", "JT", "ZRZY", "SWT", "RS", "NY", "WJW",
    "YJ", "YJGL", "LW", "GA", "SF", "JY", "SWU", "LY", "ZSCQ", "TJ", "HG", "RMYH", "FY",
}  # fmt: skip


def test_every_hainan_region_is_present_with_its_code_and_parent(loaded):
    regions = {r.code: r for r in Region.objects.select_related("parent")}
    assert set(regions) == set(EXPECTED_REGIONS)
    for code, (name, parent) in EXPECTED_REGIONS.items():
        assert regions[code].name == name
        assert (regions[code].parent.code if regions[code].parent else None) == parent


def test_the_province_group_code_469000_is_not_a_region(loaded):
    assert not Region.objects.filter(code="469000").exists()


def test_yangpu_carries_the_platform_code_under_danzhou(loaded):
    yangpu = Region.objects.get(code="46YP00")
    assert yangpu.level == RegionLevel.ZONE
    assert yangpu.is_gb2260 is False
    assert yangpu.parent.code == "460400"
    assert Region.objects.filter(is_gb2260=False).count() == 1


def test_danzhou_keeps_its_former_code(loaded):
    danzhou = Region.objects.get(code="460400")
    assert danzhou.former_codes == ["469003"]
    assert danzhou.level == RegionLevel.PREFECTURE


def test_levels_of_cities_districts_and_counties(loaded):
    assert (
        set(Region.objects.filter(level=RegionLevel.PREFECTURE).values_list("code", flat=True))
        == CITIES
    )
    assert Region.objects.filter(level=RegionLevel.COUNTY).count() == 15
    assert Region.objects.filter(level=RegionLevel.DISTRICT).count() == 10


def test_department_codes_follow_the_contract(loaded):
    departments = list(Department.objects.select_related("region", "parent"))
    assert departments
    for d in departments:
        match = re.fullmatch(r"(\d{6}|46YP00)-([A-Z]+)", d.code)
        assert match, d.code
        assert match.group(1) == d.region.code
        assert match.group(2) == d.line
        if d.region.code == "460000":
            assert d.level == DepartmentLevel.PROVINCIAL
            assert d.parent is None
        else:
            assert d.parent.code == f"460000-{d.line}"
            expected = DepartmentLevel.CITY if d.region.code in CITIES else DepartmentLevel.COUNTY
            assert d.level == expected


def test_the_province_has_every_line_and_each_unit_its_minimum_set(loaded):
    lines_by_region: dict[str, set[str]] = {}
    for region_code, line in Department.objects.values_list("region__code", "line"):
        lines_by_region.setdefault(region_code, set()).add(line)
    assert lines_by_region["460000"] == PROVINCIAL_LINES
    units = {
        code
        for code, (_, parent) in EXPECTED_REGIONS.items()
        if parent == "460000" or code == "46YP00"
    }
    for code in units - {"460300"}:
        assert lines_by_region[code] >= UNIT_MINIMUM, code
    assert lines_by_region["460300"] >= {"SCJG", "FGW", "GA", "FY"}


def test_courts_of_haikou_and_sanya_are_intermediate_courts(loaded):
    assert Department.objects.get(code="460100-FY").name == "海口市中级人民法院"
    assert Department.objects.get(code="460200-FY").name == "三亚市中级人民法院"
    assert Department.objects.get(code="469001-FY").name == "五指山市人民法院"
    assert Department.objects.get(code="46YP00-SCJG").name == "洋浦经济开发区市场监督管理局"


def test_no_contact_data_is_invented(loaded):
    assert not Department.objects.exclude(liaison_phone="").exists()
    assert not Department.objects.exclude(liaison_email="").exists()


def test_loading_twice_changes_nothing(loaded):
    assert loaded.regions_created == len(EXPECTED_REGIONS)
    events = AuditEvent.objects.count()
    assert events == loaded.departments_created
    second = load_hainan_fixtures()
    assert second.total_changes == 0
    assert second.departments_unchanged == loaded.departments_created
    assert AuditEvent.objects.count() == events


def test_department_creation_is_audited(loaded):
    event = AuditEvent.objects.get(department_code="460100-SCJG")
    assert event.event_type == "department.created"
    assert event.after["code"] == "460100-SCJG"


def test_a_changed_fixture_name_is_applied_and_audited(loaded, tmp_path):
    for name in ("hainan_regions.json", "hainan_departments.json"):
        data = json.loads((fixtures_dir() / name).read_text(encoding="utf-8"))
        if name == "hainan_departments.json":
            for row in data["departments"]:
                if row["code"] == "460100-SCJG":
                    row["name"] = "海口市市场监督管理局（更名）"
        (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    summary = load_hainan_fixtures(directory=tmp_path)
    assert summary.departments_changed == 1
    assert Department.objects.get(code="460100-SCJG").name.endswith("（更名）")
    event = AuditEvent.objects.get(event_type="department.changed")
    assert event.after == {"name": "海口市市场监督管理局（更名）"}


def test_loading_keeps_liaison_data_entered_by_departments(loaded):
    Department.objects.filter(code="460100-SCJG").update(liaison_name="王芳")
    load_hainan_fixtures()
    assert Department.objects.get(code="460100-SCJG").liaison_name == "王芳"


def test_dry_run_writes_nothing(db):
    summary = load_hainan_fixtures(dry_run=True)
    assert summary.regions_created == len(EXPECTED_REGIONS)
    assert not Region.objects.exists()
    assert not AuditEvent.objects.exists()
