"""Reference data: list types, listing grounds, dated regimes and the memoranda's measures.

Plain data (BRIEF.md sections 3 and 6), loaded by migration 0002 and by
``sync_reference_data``; administrators edit the rows afterwards (Django
admin). Every fact keeps its confidence tag ([V] checked in a primary text,
[S] secondary source, [R] recollection to verify) in ``note``.
Which department *line* implements a measure is this platform's mapping of
the memoranda's national bodies onto Hainan departments: always tagged [R].
"""

from __future__ import annotations

from typing import Any

LIST_TYPES: list[dict[str, Any]] = [
    {
        "code": "JYYC",
        "name": "经营异常名录",
        "name_en": "Abnormal operation list",
        "nature": "list",
        "resource_code": "JYYC",
        "legal_basis": "《企业经营异常名录管理暂行办法》（原工商总局令第68号，2014）；"
        "《企业信息公示暂行条例》第十八条",
        "description": "县级以上市场监督管理部门依法定四种情形列入；满 3 年未移出的转入严重违法失信名单。",
        "feedback_working_days": 20,
        "sort_order": 10,
    },
    {
        "code": "YZWF",
        "name": "严重违法失信名单",
        "name_en": "Serious illegal and dishonest list",
        "nature": "list",
        "resource_code": "YZWF",
        "legal_basis": "原工商总局令第83号（2016-04-01）；市场监管总局令第44号（2021-09-01）",
        "description": "列入日期决定适用的规则：2021-09-01 前列入的适用令83号，之后适用令44号。",
        "feedback_working_days": 20,
        "sort_order": 20,
    },
    {
        "code": "SXBZXR",
        "name": "失信被执行人",
        "name_en": "Dishonest judgment debtors",
        "nature": "list",
        "resource_code": "SXBZXR",
        "legal_basis": "《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）",
        "description": "人民法院发布、移除；平台不提出列入或移出建议。",
        "feedback_working_days": 20,
        "sort_order": 30,
    },
    {
        "code": "GTJYYC",
        "name": "个体工商户经营异常状态",
        "name_en": "Individual business marked abnormal",
        "nature": "mark",
        "resource_code": "",
        "legal_basis": "《个体工商户年度报告暂行办法》（原工商总局令第69号，2014）",
        "description": "个体工商户未报年报的，标记为经营异常状态（不是名录）；补报后 5 个工作日内恢复。",
        "feedback_working_days": 20,
        "sort_order": 40,
    },
]

GROUNDS: list[dict[str, Any]] = [
    {
        "list": "JYYC",
        "code": "1",
        "name": "未按规定报送年度报告",
        "legal_basis": "令68号第四条第（一）项",
        "decision_working_days": 10,
    },
    {
        "list": "JYYC",
        "code": "2",
        "name": "未在责令期限内公示即时信息",
        "legal_basis": "令68号第四条第（二）项",
        "decision_working_days": 10,
    },
    {
        "list": "JYYC",
        "code": "3",
        "name": "公示信息隐瞒真实情况、弄虚作假",
        "legal_basis": "令68号第四条第（三）项",
        "decision_working_days": 10,
    },
    {
        "list": "JYYC",
        "code": "4",
        "name": "通过登记的住所或经营场所无法联系",
        "legal_basis": "令68号第四条第（四）项",
        "decision_working_days": 10,
    },
    {
        "list": "YZWF",
        "code": "1",
        "name": "被列入经营异常名录届满3年仍未履行相关义务",
        "legal_basis": "令83号第五条第（一）项",
        "decision_working_days": 10,
    },
    {
        "list": "YZWF",
        "code": "9",
        "name": "其他严重违法失信情形",
        "legal_basis": "令83号第五条、令44号第二章",
        "decision_working_days": 10,
    },
    {
        "list": "GTJYYC",
        "code": "1",
        "name": "未按规定报送年度报告",
        "legal_basis": "令69号第十三条",
        "decision_working_days": 10,
    },
]

REGIMES: list[dict[str, Any]] = [
    {
        "list": "JYYC",
        "name": "经营异常名录（2014）",
        "legal_basis": "原工商总局令第68号",
        "valid_from": "2014-10-01",
        "valid_to": None,
        "max_months": None,
        "early_removal_after_months": 0,
        "escalate_after_months": 36,
        "escalate_to": "YZWF",
        "warning_days": 60,
        "listing_working_days": 10,
        "removal_working_days": 5,
        "note": "[S] 列入：情形发生或核实后 10 个工作日内；满 3 年未移出转入严重违法失信名单，"
        "届满前 60 日内预警（BRIEF 3.1 [S24][S25]）。[R] 移出申请 5 个工作日内决定（另有 7 日之说）。",
    },
    {
        "list": "YZWF",
        "name": "严重违法失信企业名单（2016）",
        "legal_basis": "原工商总局令第83号",
        "valid_from": "2016-04-01",
        "valid_to": "2021-08-31",
        "max_months": 60,
        "early_removal_after_months": 0,
        "escalate_after_months": None,
        "escalate_to": None,
        "warning_days": None,
        "listing_working_days": 10,
        "removal_working_days": 5,
        "note": "[V] 列入满 5 年未再发生违法行为的移出；因满 3 年未移出经营异常名录而列入的，"
        "整改后可申请提前移出（BRIEF 3.2 [S27]）。[R] 移出决定期限。",
    },
    {
        "list": "YZWF",
        "name": "市场监督管理严重违法失信名单（2021）",
        "legal_basis": "市场监管总局令第44号",
        "valid_from": "2021-09-01",
        "valid_to": None,
        "max_months": 36,
        "early_removal_after_months": 12,
        "escalate_after_months": None,
        "escalate_to": None,
        "warning_days": None,
        "listing_working_days": 10,
        "removal_working_days": 5,
        "note": "[S] 列入满 1 年可申请提前移出；[R] 列入期限 3 年；2025 年 10 月修订草案待定（BRIEF 3.2 [S29][S30]）。",
    },
    {
        "list": "SXBZXR",
        "name": "失信被执行人（法院发布）",
        "legal_basis": "发改财金〔2016〕141号",
        "valid_from": "2016-01-20",
        "valid_to": None,
        "max_months": None,
        "early_removal_after_months": None,
        "escalate_after_months": None,
        "escalate_to": None,
        "warning_days": None,
        "listing_working_days": 10,
        "removal_working_days": 5,
        "note": "[V] 法院发布与移除，平台只接收（BRIEF 6 [S44]）。",
    },
    {
        "list": "GTJYYC",
        "name": "个体工商户经营异常状态（2014）",
        "legal_basis": "原工商总局令第69号",
        "valid_from": "2014-10-01",
        "valid_to": None,
        "max_months": None,
        "early_removal_after_months": 0,
        "escalate_after_months": None,
        "escalate_to": None,
        "warning_days": None,
        "listing_working_days": 10,
        "removal_working_days": 5,
        "note": "[V] 补报后 5 个工作日内恢复正常记载状态（BRIEF 3.1 [S26]）；[R] 标记期限 10 个工作日沿用企业规定。",
    },
]

_M38 = "2015-2045"
_M44 = "2016-141"
_LINE_NOTE = "[R] 实施部门条线为本平台对备忘录中央部门的对应，需核实。"

MEASURES: list[dict[str, Any]] = [
    {
        "code": "M38-01",
        "category": "任职限制",
        "content": "企业法定代表人、负责人三年内不得担任其他企业的法定代表人、负责人",
        "legal_basis": "《企业信息公示暂行条例》（2014）第十七条",
        "memorandum": _M38,
        "lists": ["YZWF"],
        "lines": ["SCJG"],
        "note": "[S] BRIEF 3.2 [S28]。",
    },
    {
        "code": "M38-02",
        "category": "市场准入",
        "content": "在安全生产、旅行社等 12 个领域限制其法定代表人、负责人担任法定代表人、董事、监事、高级管理人员",
        "legal_basis": "发改财金〔2015〕2045号",
        "memorandum": _M38,
        "lists": ["YZWF"],
        "lines": ["YJGL", "LW"],
        "note": "[S] BRIEF 6 [S43]。" + _LINE_NOTE,
    },
    {
        "code": "M38-03",
        "category": "重点监管",
        "content": "列为重点监管对象，提高双随机抽查比例和频次",
        "legal_basis": "发改财金〔2015〕2045号；国办发〔2015〕58号",
        "memorandum": _M38,
        "lists": ["JYYC", "YZWF"],
        "lines": ["SCJG"],
        "note": "[S] BRIEF 5.1 [S35]、6 [S43]。",
    },
    {
        "code": "M38-04",
        "category": "政府采购",
        "content": "限制参与政府采购活动",
        "legal_basis": "发改财金〔2015〕2045号；《政府采购法》第二十二条",
        "memorandum": _M38,
        "lists": ["YZWF"],
        "lines": ["CZ"],
        "note": "[S] BRIEF 6 [S43]。" + _LINE_NOTE,
    },
    {
        "code": "M38-05",
        "category": "招标投标",
        "content": "限制参与依法必须招标项目的投标",
        "legal_basis": "发改财金〔2015〕2045号",
        "memorandum": _M38,
        "lists": ["YZWF"],
        "lines": ["FGW", "ZJ", "JT", "SWU"],
        "note": "[S] BRIEF 6 [S43]。" + _LINE_NOTE,
    },
    {
        "code": "M38-06",
        "category": "国有土地",
        "content": "限制取得国有土地使用权（出让、划拨）",
        "legal_basis": "发改财金〔2015〕2045号",
        "memorandum": _M38,
        "lists": ["YZWF"],
        "lines": ["ZRZY"],
        "note": "[S] BRIEF 6 [S43]。" + _LINE_NOTE,
    },
    {
        "code": "M38-07",
        "category": "融资信贷",
        "content": "在授信、融资审批中作为审慎性参考",
        "legal_basis": "发改财金〔2015〕2045号",
        "memorandum": _M38,
        "lists": ["JYYC", "YZWF"],
        "lines": ["RMYH"],
        "note": "[S] BRIEF 6 [S43]。" + _LINE_NOTE,
    },
    {
        "code": "M38-08",
        "category": "荣誉评选",
        "content": "不予授予荣誉称号，取消参加评先评优资格",
        "legal_basis": "发改财金〔2015〕2045号",
        "memorandum": _M38,
        "lists": ["YZWF"],
        "lines": ["FGW", "RS"],
        "note": "[S] BRIEF 6 [S43]。" + _LINE_NOTE,
    },
    {
        "code": "M38-09",
        "category": "互联网信息服务",
        "content": "限制新设互联网信息服务许可",
        "legal_basis": "发改财金〔2015〕2045号",
        "memorandum": _M38,
        "lists": ["YZWF"],
        "lines": ["GXT"],
        "note": "[S] BRIEF 6 [S43]。" + _LINE_NOTE,
    },
    {
        "code": "M44-01",
        "category": "高消费限制",
        "content": "限制乘坐飞机、列车软卧、G 字头动车组列车全部座位及其他动车组一等以上座位",
        "legal_basis": "发改财金〔2016〕141号；《最高人民法院关于限制被执行人高消费的若干规定》",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["JT"],
        "note": "[V] 备忘录 [S44]；措施内容 [S44b]。" + _LINE_NOTE,
    },
    {
        "code": "M44-02",
        "category": "高消费限制",
        "content": "限制在星级以上宾馆、高尔夫球场等场所消费，限制参加旅游团出境旅游",
        "legal_basis": "发改财金〔2016〕141号",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["LW"],
        "note": "[S] [S44b]。" + _LINE_NOTE,
    },
    {
        "code": "M44-03",
        "category": "高消费限制",
        "content": "限制子女就读高收费私立学校",
        "legal_basis": "发改财金〔2016〕141号",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["JY"],
        "note": "[S] [S44b]。" + _LINE_NOTE,
    },
    {
        "code": "M44-04",
        "category": "高消费限制",
        "content": "限制新建、扩建、高档装修房屋，限制购买非经营必需车辆",
        "legal_basis": "发改财金〔2016〕141号",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["ZJ", "GA"],
        "note": "[S] [S44b]。" + _LINE_NOTE,
    },
    {
        "code": "M44-05",
        "category": "政府采购",
        "content": "限制参与政府采购活动",
        "legal_basis": "发改财金〔2016〕141号",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["CZ"],
        "note": "[S] [S44b]。" + _LINE_NOTE,
    },
    {
        "code": "M44-06",
        "category": "招标投标",
        "content": "限制参与工程建设项目招标投标",
        "legal_basis": "发改财金〔2016〕141号",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["FGW", "ZJ", "JT", "SWU"],
        "note": "[S] [S44b]。" + _LINE_NOTE,
    },
    {
        "code": "M44-07",
        "category": "国有土地",
        "content": "限制取得国有建设用地使用权",
        "legal_basis": "发改财金〔2016〕141号",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["ZRZY"],
        "note": "[S] [S44b]。" + _LINE_NOTE,
    },
    {
        "code": "M44-08",
        "category": "财政补贴",
        "content": "限制申请政府补贴资金和社会保障资金支持",
        "legal_basis": "发改财金〔2016〕141号",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["CZ", "FGW", "GXT"],
        "note": "[S] [S44b]。" + _LINE_NOTE,
    },
    {
        "code": "M44-09",
        "category": "任职限制",
        "content": "限制担任企业法定代表人、董事、监事、高级管理人员",
        "legal_basis": "发改财金〔2016〕141号",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["SCJG"],
        "note": "[S] [S44b]。",
    },
    {
        "code": "M44-10",
        "category": "从业任职",
        "content": "限制招录（聘）为公务员或事业单位工作人员",
        "legal_basis": "发改财金〔2016〕141号",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["RS"],
        "note": "[S] [S44b]。" + _LINE_NOTE,
    },
    {
        "code": "M44-11",
        "category": "融资信贷",
        "content": "在融资授信、发行债券等方面予以限制",
        "legal_basis": "发改财金〔2016〕141号",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["RMYH", "FGW"],
        "note": "[S] [S44b]。" + _LINE_NOTE,
    },
    {
        "code": "M44-12",
        "category": "出境限制",
        "content": "对失信被执行人（法定代表人）限制出境",
        "legal_basis": "发改财金〔2016〕141号；《民事诉讼法》",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["GA"],
        "note": "[S] [S44b]。" + _LINE_NOTE,
    },
    {
        "code": "M44-13",
        "category": "荣誉评选",
        "content": "不得授予文明单位、道德模范等荣誉称号",
        "legal_basis": "发改财金〔2016〕141号",
        "memorandum": _M44,
        "lists": ["SXBZXR"],
        "lines": ["FGW", "RS"],
        "note": "[S] [S44b]。" + _LINE_NOTE,
    },
]


def sync_reference_data(registry: Any) -> dict[str, int]:
    """Create missing reference rows; existing rows (maybe edited by administrators) are kept.

    ``registry`` is a Django apps registry (``django.apps.apps`` or a
    migration's ``apps``), so a data migration can call it too.
    """
    list_type_model = registry.get_model("joint_punishment", "ListType")
    ground_model = registry.get_model("joint_punishment", "ListingGround")
    regime_model = registry.get_model("joint_punishment", "ListRegime")
    measure_model = registry.get_model("joint_punishment", "Measure")
    counts = dict.fromkeys(["list_types", "grounds", "regimes", "measures"], 0)
    by_code = {}
    for data in LIST_TYPES:
        obj, created = list_type_model.objects.get_or_create(
            code=data["code"], defaults={k: v for k, v in data.items() if k != "code"}
        )
        by_code[obj.code] = obj
        counts["list_types"] += created
    for data in GROUNDS:
        _obj, created = ground_model.objects.get_or_create(
            list_type=by_code[data["list"]],
            code=data["code"],
            defaults={
                "name": data["name"],
                "legal_basis": data["legal_basis"],
                "decision_working_days": data["decision_working_days"],
            },
        )
        counts["grounds"] += created
    for data in REGIMES:
        defaults = {k: v for k, v in data.items() if k not in ("list", "valid_from", "escalate_to")}
        defaults["escalate_to"] = by_code[data["escalate_to"]] if data["escalate_to"] else None
        _obj, created = regime_model.objects.get_or_create(
            list_type=by_code[data["list"]], valid_from=data["valid_from"], defaults=defaults
        )
        counts["regimes"] += created
    for data in MEASURES:
        obj, created = measure_model.objects.get_or_create(
            code=data["code"],
            defaults={
                "category": data["category"],
                "content": data["content"],
                "legal_basis": data["legal_basis"],
                "memorandum": data["memorandum"],
                "implementing_lines": data["lines"],
                "note": data["note"],
            },
        )
        if created:
            obj.list_types.set([by_code[code] for code in data["lists"]])
        counts["measures"] += created
    return counts
