"""Realistic Hainan market entities for demo and benchmark data.

:class:`DemoEnterpriseGenerator` yields rows (tuples in :data:`apps.enterprises.loader.COLUMNS` order)
from a seeded :class:`random.Random`; the same seed gives the same rows.
USCCs are unique by construction, not by luck: entity number ``i`` of a run
maps through a bijection (an affine permutation modulo the size of the code
space) to the organisation-code body, so no two rows of a run share a body.

Shapes follow the registry (BRIEF.md 1, 7):

- companies ``91…`` ("海南<字号><行业>有限公司"), branches ("…海口分公司"),
  sole proprietorships, partnerships, foreign-invested companies;
- individual businesses ``92…`` ("海口市美兰区<字号>餐饮店");
- farmers' cooperatives ``93…`` ("<乡镇><品类>种植专业合作社");
- entities set up before the 2015 code reform carry a 15-digit 注册号 and a
  digit-only organisation code; later ones get ``MA5…`` bodies;
- Danzhou entities from before 2016 keep the old region code 469003 in their
  USCC (Danzhou became prefecture-level 460400 in 2015); Yangpu entities are
  registered under Danzhou's codes but filed in the Yangpu zone (46YP00).
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from apps.core.uscc import (
    orgcode_check_char,
    registration_number_check_digit,
    uscc_check_char,
)

from .choices import EnterpriseStatus, EntityType

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
NEW_BODY_SPACE = 31**5  # "MA5" + five code characters
OLD_BODY_SPACE = 10**8  # eight digits
REGNO_SEQUENCE_SPACE = 10**7  # seven digits after the kind digit
CODE_REFORM = datetime.date(2015, 10, 1)
DANZHOU_UPGRADE = datetime.date(2016, 1, 1)
FIRST_DATE = datetime.date(1995, 1, 1)
LAST_DATE = datetime.date(2026, 11, 27)

SURNAMES = (
    "王陈吴林李黄符邢云羊张刘杨赵周徐孙马朱胡郭何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡钟莫冼"
    "吉卢文庞麦韦蒙苏叶"
)
# Hainan surnames (王, 陈, 吴, 林, 符, 邢, 云, 羊) come first and are drawn more often.
SURNAME_WEIGHTS = tuple(12 if i < 8 else 3 for i in range(len(SURNAMES)))
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞海波建国志坚文俊春燕小龙"
    "晓东家豪子轩雨欣梓涵浩然思远嘉怡诗琪一鸣天佑振宇德福亚清昌盛开成发贵运良琼椰"
)
TRADE_CHARS = (
    "椰海鹏华兴盛达泰瑞祥恒通源丰鑫宏金隆德福新天和信锦美乐嘉博润安康顺晟昌远航蓝星南岛"
    "湾琼崖鹿凯腾旺佳宇宸正诚益众聚合创汇富弘泓澜帆港滨岚翠绿园林山湖洲鸿运禾田耀明光"
)
# (business word, GB/T 4754 industry code, business scope)
COMPANY_LINES = (
    (
        "科技",
        "I6513",
        "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务",
    ),
    ("网络科技", "I6420", "互联网信息服务；网络技术服务；软件开发；广告设计、代理；数据处理服务"),
    ("贸易", "F5191", "国内贸易代理；货物进出口；技术进出口；日用百货销售；五金产品批发"),
    ("国际贸易", "F5191", "货物进出口；技术进出口；进出口代理；离岸贸易经营；国内贸易代理"),
    ("免税品经营", "F5299", "免税商品销售；日用百货销售；化妆品零售；食品销售"),
    (
        "旅游开发",
        "N7850",
        "旅游开发项目策划咨询；游览景区管理；休闲观光活动；旅行社服务网点旅游招徕",
    ),
    ("酒店管理", "H6110", "酒店管理；住宿服务；餐饮服务；会议及展览服务；停车场服务"),
    ("房地产开发", "K7010", "房地产开发经营；物业管理；住房租赁；非居住房地产租赁"),
    ("建筑工程", "E4890", "建设工程施工；建筑劳务分包；住宅室内装饰装修；园林绿化工程施工"),
    (
        "农业开发",
        "A0149",
        "热带作物种植；水果种植；蔬菜种植；农业专业及辅助性活动；农产品的生产、销售",
    ),
    ("热带农业", "A0149", "热带作物种植；槟榔种植；橡胶种植；农副产品销售"),
    ("渔业", "A0411", "水产养殖；水产品批发；水产品零售；远洋捕捞"),
    ("物流", "G5990", "普通货物仓储服务；道路货物运输；国内货物运输代理；装卸搬运"),
    ("供应链管理", "L7212", "供应链管理服务；国内贸易代理；货物进出口；仓储服务"),
    ("餐饮管理", "H6210", "餐饮服务；餐饮管理；食品销售；外卖递送服务"),
    ("文化传媒", "R8710", "组织文化艺术交流活动；广告制作；广告发布；影视策划；会议及展览服务"),
    ("医药", "F5151", "药品批发；医疗器械销售；保健食品销售；第二类医疗器械零售"),
    ("投资", "L7212", "以自有资金从事投资活动；企业管理咨询；财务咨询"),
    ("新能源", "D4415", "太阳能发电技术服务；新能源汽车充电桩销售；储能技术服务"),
    ("游艇服务", "N7869", "游艇租赁；游艇销售；水上运输设备租赁服务；休闲观光活动"),
    ("环保科技", "N7723", "环境保护专用设备销售；固体废物治理；水污染治理；技术服务"),
    ("教育咨询", "P8391", "教育咨询服务；业务培训；组织文化艺术交流活动"),
    ("汽车销售", "F5261", "汽车新车销售；二手车经销；汽车零配件零售；机动车修理和维护"),
    ("海洋科技", "M7320", "海洋工程装备研发；海洋生物活性物质提取；技术服务"),
)
SHOP_LINES = (
    ("餐饮店", "H6210", "餐饮服务；小餐饮"),
    ("海南粉店", "H6210", "餐饮服务；小吃服务"),
    ("老爸茶店", "H6230", "茶饮服务；小餐饮"),
    ("便利店", "F5212", "食品销售；日用百货销售；烟草制品零售"),
    ("水果店", "F5223", "新鲜水果零售；食用农产品零售"),
    ("海鲜店", "F5224", "水产品零售；餐饮服务"),
    ("五金店", "F5234", "五金产品零售；建筑材料销售"),
    ("汽车修理店", "O8111", "机动车修理和维护；汽车零配件零售"),
    ("理发店", "O8060", "理发服务；美容服务"),
    ("服装店", "F5232", "服装服饰零售；鞋帽零售"),
    ("民宿", "H6190", "住宿服务；民宿服务"),
    ("手机店", "F5274", "移动终端设备销售；通讯设备修理"),
    ("药店", "F5251", "药品零售；医疗器械销售"),
    ("商行", "F5299", "日用百货销售；食品销售；农副产品销售"),
)
COOP_CROPS = ("槟榔", "胡椒", "橡胶", "椰子", "芒果", "荔枝", "菠萝", "香蕉", "火龙果", "莲雾")
COOP_CROPS += ("咖啡", "冬季瓜菜", "黄灯笼辣椒", "菠萝蜜", "百香果", "红毛丹", "沉香", "益智")
COOP_BREEDS = ("文昌鸡", "黑山羊", "和乐蟹", "加积鸭", "东山羊", "五脚猪", "罗非鱼", "石斑鱼")
STREETS = (
    "国兴大道",
    "滨海大道",
    "龙昆南路",
    "海秀中路",
    "南沙路",
    "椰海大道",
    "解放路",
    "人民大道",
    "迎宾路",
    "三亚湾路",
    "解放一路",
    "中山路",
    "兴业路",
    "椰林路",
    "新华路",
    "文明路",
    "建设路",
    "和平路",
)


@dataclass(frozen=True)
class RegionProfile:
    """How entities of one region look.

    - ``code``: the region's code in the platform; ``uscc_code``: the code of
      its registration authority in USCCs and 注册号; ``old_uscc_code``: the
      code used before ``DANZHOU_UPGRADE`` (Danzhou's 469003);
    - ``place``: the prefix of local names ("海口市美兰区", "琼海市");
    - ``towns``: townships for cooperatives and addresses; ``weight``: share
      of the entities.
    """

    code: str
    name: str
    place: str
    authority: str
    uscc_code: str
    weight: float
    towns: tuple[str, ...] = ()
    old_uscc_code: str = ""
    city_short: str = ""


PROFILES = (
    RegionProfile("460000", "海南省", "海南", "海南省市场监督管理局", "460000", 4),
    RegionProfile(
        "460100", "海口市", "海口市", "海口市市场监督管理局", "460100", 10, (), "", "海口"
    ),
    RegionProfile(
        "460105",
        "秀英区",
        "海口市秀英区",
        "海口市秀英区市场监督管理局",
        "460105",
        5,
        ("石山镇", "永兴镇", "东山镇"),
        "",
        "海口",
    ),
    RegionProfile(
        "460106",
        "龙华区",
        "海口市龙华区",
        "海口市龙华区市场监督管理局",
        "460106",
        9,
        ("遵谭镇", "新坡镇", "龙泉镇", "龙桥镇"),
        "",
        "海口",
    ),
    RegionProfile(
        "460107",
        "琼山区",
        "海口市琼山区",
        "海口市琼山区市场监督管理局",
        "460107",
        6,
        ("云龙镇", "三门坡镇", "红旗镇", "旧州镇", "甲子镇", "大坡镇"),
        "",
        "海口",
    ),
    RegionProfile(
        "460108",
        "美兰区",
        "海口市美兰区",
        "海口市美兰区市场监督管理局",
        "460108",
        9,
        ("演丰镇", "大致坡镇", "三江镇", "灵山镇"),
        "",
        "海口",
    ),
    RegionProfile(
        "460200", "三亚市", "三亚市", "三亚市市场监督管理局", "460200", 6, (), "", "三亚"
    ),
    RegionProfile(
        "460202",
        "海棠区",
        "三亚市海棠区",
        "三亚市海棠区市场监督管理局",
        "460202",
        2,
        ("林旺", "藤桥"),
        "",
        "三亚",
    ),
    RegionProfile(
        "460203",
        "吉阳区",
        "三亚市吉阳区",
        "三亚市吉阳区市场监督管理局",
        "460203",
        4,
        (),
        "",
        "三亚",
    ),
    RegionProfile(
        "460204",
        "天涯区",
        "三亚市天涯区",
        "三亚市天涯区市场监督管理局",
        "460204",
        3,
        ("育才",),
        "",
        "三亚",
    ),
    RegionProfile(
        "460205",
        "崖州区",
        "三亚市崖州区",
        "三亚市崖州区市场监督管理局",
        "460205",
        2,
        ("崖城", "梅山"),
        "",
        "三亚",
    ),
    RegionProfile(
        "460300", "三沙市", "三沙市", "三沙市市场监督管理局", "460300", 0.1, (), "", "三沙"
    ),
    RegionProfile(
        "460400",
        "儋州市",
        "儋州市",
        "儋州市市场监督管理局",
        "460400",
        5,
        ("那大镇", "白马井镇", "中和镇", "和庆镇", "南丰镇", "王五镇", "光村镇", "海头镇"),
        "469003",
        "儋州",
    ),
    RegionProfile(
        "46YP00",
        "洋浦经济开发区",
        "洋浦经济开发区",
        "洋浦经济开发区市场监督管理局",
        "460400",
        2,
        ("三都",),
        "469003",
        "洋浦",
    ),
    RegionProfile(
        "469001",
        "五指山市",
        "五指山市",
        "五指山市市场监督管理局",
        "469001",
        1,
        ("南圣镇", "毛阳镇", "番阳镇", "水满乡"),
        "",
        "五指山",
    ),
    RegionProfile(
        "469002",
        "琼海市",
        "琼海市",
        "琼海市市场监督管理局",
        "469002",
        3,
        ("嘉积镇", "博鳌镇", "潭门镇", "万泉镇", "中原镇", "长坡镇"),
        "",
        "琼海",
    ),
    RegionProfile(
        "469005",
        "文昌市",
        "文昌市",
        "文昌市市场监督管理局",
        "469005",
        3,
        ("文城镇", "龙楼镇", "会文镇", "东郊镇", "锦山镇", "抱罗镇"),
        "",
        "文昌",
    ),
    RegionProfile(
        "469006",
        "万宁市",
        "万宁市",
        "万宁市市场监督管理局",
        "469006",
        3,
        ("万城镇", "兴隆华侨农场", "和乐镇", "后安镇", "礼纪镇"),
        "",
        "万宁",
    ),
    RegionProfile(
        "469007",
        "东方市",
        "东方市",
        "东方市市场监督管理局",
        "469007",
        2,
        ("八所镇", "东河镇", "感城镇", "板桥镇"),
        "",
        "东方",
    ),
    RegionProfile(
        "469021",
        "定安县",
        "定安县",
        "定安县市场监督管理局",
        "469021",
        1.5,
        ("定城镇", "新竹镇", "龙湖镇", "黄竹镇"),
        "",
        "定安",
    ),
    RegionProfile(
        "469022",
        "屯昌县",
        "屯昌县",
        "屯昌县市场监督管理局",
        "469022",
        1,
        ("屯城镇", "枫木镇", "乌坡镇"),
        "",
        "屯昌",
    ),
    RegionProfile(
        "469023",
        "澄迈县",
        "澄迈县",
        "澄迈县市场监督管理局",
        "469023",
        3,
        ("金江镇", "老城镇", "福山镇", "桥头镇", "永发镇"),
        "",
        "澄迈",
    ),
    RegionProfile(
        "469024",
        "临高县",
        "临高县",
        "临高县市场监督管理局",
        "469024",
        1.5,
        ("临城镇", "博厚镇", "新盈镇", "调楼镇"),
        "",
        "临高",
    ),
    RegionProfile(
        "469025",
        "白沙黎族自治县",
        "白沙黎族自治县",
        "白沙黎族自治县市场监督管理局",
        "469025",
        0.8,
        ("牙叉镇", "七坊镇", "邦溪镇"),
        "",
        "白沙",
    ),
    RegionProfile(
        "469026",
        "昌江黎族自治县",
        "昌江黎族自治县",
        "昌江黎族自治县市场监督管理局",
        "469026",
        1,
        ("石碌镇", "叉河镇", "海尾镇"),
        "",
        "昌江",
    ),
    RegionProfile(
        "469027",
        "乐东黎族自治县",
        "乐东黎族自治县",
        "乐东黎族自治县市场监督管理局",
        "469027",
        1.5,
        ("抱由镇", "九所镇", "利国镇", "黄流镇"),
        "",
        "乐东",
    ),
    RegionProfile(
        "469028",
        "陵水黎族自治县",
        "陵水黎族自治县",
        "陵水黎族自治县市场监督管理局",
        "469028",
        1.5,
        ("椰林镇", "英州镇", "新村镇", "光坡镇"),
        "",
        "陵水",
    ),
    RegionProfile(
        "469029",
        "保亭黎族苗族自治县",
        "保亭黎族苗族自治县",
        "保亭黎族苗族自治县市场监督管理局",
        "469029",
        0.8,
        ("保城镇", "什玲镇", "加茂镇"),
        "",
        "保亭",
    ),
    RegionProfile(
        "469030",
        "琼中黎族苗族自治县",
        "琼中黎族苗族自治县",
        "琼中黎族苗族自治县市场监督管理局",
        "469030",
        0.8,
        ("营根镇", "湾岭镇", "黎母山镇"),
        "",
        "琼中",
    ),
)
PROFILE_BY_CODE = {p.code: p for p in PROFILES}

# (entity type, USCC positions 1-2, share)
KINDS = (
    (EntityType.COMPANY, "91", 56),
    (EntityType.INDIVIDUAL_BUSINESS, "92", 30),
    (EntityType.BRANCH, "91", 5),
    (EntityType.FARMERS_COOPERATIVE, "93", 3),
    (EntityType.SOLE_PROPRIETORSHIP, "91", 2.5),
    (EntityType.PARTNERSHIP, "91", 2),
    (EntityType.FOREIGN_INVESTED, "91", 1.5),
)
# 注册号 position 7 by kind (GS 15-2006): 0-3 domestic, 4-5 foreign, 6-9 individual.
REGNO_KIND_DIGITS = {
    EntityType.COMPANY: "12",
    EntityType.BRANCH: "01",
    EntityType.SOLE_PROPRIETORSHIP: "3",
    EntityType.PARTNERSHIP: "3",
    EntityType.FARMERS_COOPERATIVE: "3",
    EntityType.FOREIGN_INVESTED: "4",
    EntityType.INDIVIDUAL_BUSINESS: "6789",
}
STATUSES = (
    (EnterpriseStatus.ACTIVE, 84),
    (EnterpriseStatus.DEREGISTERED, 9),
    (EnterpriseStatus.REVOKED, 4),
    (EnterpriseStatus.SUSPENDED, 1),
    (EnterpriseStatus.LIQUIDATING, 1),
    (EnterpriseStatus.MOVED_OUT, 1),
)
# Registered capital in 万元 and its share among companies.
CAPITALS = (1, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 5000, 10000, 50000)
CAPITAL_WEIGHTS = (3, 3, 6, 12, 8, 6, 12, 16, 8, 5, 8, 6, 3, 2, 1, 0.3)
BRANCH_CITIES = ("海口", "三亚", "儋州", "琼海", "文昌", "万宁", "澄迈", "洋浦")


def _encode(value: int, width: int) -> str:
    chars = []
    for _ in range(width):
        value, digit = divmod(value, 31)
        chars.append(USCC_ALPHABET[digit])
    return "".join(reversed(chars))


def _coprime_multiplier(rng: random.Random, modulus: int, factors: tuple[int, ...]) -> int:
    """A multiplier coprime to ``modulus`` (given its prime factors), so ``a*i+b`` is a bijection."""
    while True:
        a = rng.randrange(modulus // 3, modulus - 1)
        if all(a % f for f in factors):
            return a


@dataclass
class DemoEnterpriseGenerator:
    """Yield demo enterprise rows for the regions present (``{code: region id}``).

    Only profiles whose region exists are used, so a test database holding a
    slice of Hainan works as well as the full fixtures.
    """

    region_ids: dict[str, int]
    seed: int = 0
    rng: random.Random = field(init=False)
    profiles: list[RegionProfile] = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 (demo data, reproducible by seed)
        self.profiles = [p for p in PROFILES if p.code in self.region_ids]
        if not self.profiles:
            raise ValueError("no Hainan region present")
        rng = self.rng
        self._profile_cum = list(itertools.accumulate(p.weight for p in self.profiles))
        self._local_profiles = [p for p in self.profiles if p.code != "460000"] or self.profiles
        self._local_cum = list(itertools.accumulate(p.weight for p in self._local_profiles))
        self._kind_cum = list(itertools.accumulate(k[2] for k in KINDS))
        self._status_cum = list(itertools.accumulate(s[1] for s in STATUSES))
        self._capital_cum = list(itertools.accumulate(CAPITAL_WEIGHTS))
        self._surname_cum = list(itertools.accumulate(SURNAME_WEIGHTS))
        # Affine permutations of the code spaces: bodies unique within a run.
        self._new_a = _coprime_multiplier(rng, NEW_BODY_SPACE, (31,))
        self._new_b = rng.randrange(NEW_BODY_SPACE)
        self._old_a = _coprime_multiplier(rng, OLD_BODY_SPACE, (2, 5))
        self._old_b = rng.randrange(OLD_BODY_SPACE)
        self._reg_a = _coprime_multiplier(rng, REGNO_SEQUENCE_SPACE, (2, 5))
        self._reg_b = rng.randrange(REGNO_SEQUENCE_SPACE)
        # Later years see more registrations (Hainan free trade port, 2018 on).
        self._years = list(range(FIRST_DATE.year, LAST_DATE.year + 1))
        self._year_cum = list(
            itertools.accumulate(
                (1.0 + max(0, y - 2000) * 0.25) * (2.0 if y >= 2018 else 1.0) for y in self._years
            )
        )
        self._recent_companies: list[str] = []

    # ------------------------------------------------------------------ pieces

    def _person(self) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, cum_weights=self._surname_cum)[0]
        given = rng.choice(GIVEN_CHARS)
        if rng.random() < 0.7:
            given += rng.choice(GIVEN_CHARS)
        return surname + given

    def _trade_name(self) -> str:
        rng = self.rng
        name = rng.choice(TRADE_CHARS) + rng.choice(TRADE_CHARS)
        if rng.random() < 0.15:
            name += rng.choice(TRADE_CHARS)
        return name

    def _date(self) -> datetime.date:
        rng = self.rng
        year = rng.choices(self._years, cum_weights=self._year_cum)[0]
        start = datetime.date(year, 1, 1)
        end = min(datetime.date(year, 12, 31), LAST_DATE)
        return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))

    def _later(self, day: datetime.date) -> datetime.date:
        span = (LAST_DATE - day).days
        return day + datetime.timedelta(days=self.rng.randrange(1, span + 1)) if span > 0 else day

    def _body(self, index: int, new_style: bool) -> str:
        if new_style:
            body8 = "MA5" + _encode((self._new_a * index + self._new_b) % NEW_BODY_SPACE, 5)
        else:
            body8 = f"{(self._old_a * index + self._old_b) % OLD_BODY_SPACE:08d}"
        return body8 + orgcode_check_char(body8)

    def _registration_number(self, index: int, region_code: str, kind: str) -> str:
        digits = REGNO_KIND_DIGITS[kind]
        first = digits[index % len(digits)]
        sequence = (self._reg_a * index + self._reg_b) % REGNO_SEQUENCE_SPACE
        body = f"{region_code}{first}{sequence:07d}"
        return body + registration_number_check_digit(body)

    # ------------------------------------------------------------------ rows

    def rows(self, count: int, start: int = 0) -> Iterator[tuple]:
        """Yield ``count`` rows, entity numbers ``start`` .. ``start + count - 1``."""
        for index in range(start, start + count):
            yield self.row(index)

    def row(self, index: int) -> tuple:
        """One entity; ``index`` must be unique within a run (it decides the codes)."""
        rng = self.rng
        kind, prefix, _share = rng.choices(KINDS, cum_weights=self._kind_cum)[0]
        if kind in (EntityType.COMPANY, EntityType.FOREIGN_INVESTED):
            profile = rng.choices(self.profiles, cum_weights=self._profile_cum)[0]
        else:
            profile = rng.choices(self._local_profiles, cum_weights=self._local_cum)[0]
        established = self._date()
        new_style = established >= CODE_REFORM
        uscc_region = profile.uscc_code
        if profile.old_uscc_code and established < DANZHOU_UPGRADE:
            uscc_region = profile.old_uscc_code
        organization_code = self._body(index, new_style)
        code17 = prefix + uscc_region + organization_code
        uscc = code17 + uscc_check_char(code17)
        registration_number = (
            "" if new_style else self._registration_number(index, uscc_region, kind)
        )
        person = self._person()
        town = rng.choice(profile.towns) if profile.towns else ""
        capital: Decimal | None = None
        currency = "CNY"
        term_to: datetime.date | None = None
        if kind == EntityType.INDIVIDUAL_BUSINESS:
            line, industry, scope = rng.choice(SHOP_LINES)
            name = f"{profile.place}{town if rng.random() < 0.3 else ''}{self._trade_name()}{line}"
            if rng.random() < 0.4:
                capital = Decimal(rng.choice((1, 2, 3, 5, 10, 20)))
        elif kind == EntityType.FARMERS_COOPERATIVE:
            place = town or profile.place
            if rng.random() < 0.75:
                crop = rng.choice(COOP_CROPS)
                name = f"{profile.place if town and rng.random() < 0.5 else ''}{place}{crop}种植专业合作社"
                industry, scope = (
                    "A0149",
                    f"组织收购、销售成员种植的{crop}；引进新技术、新品种；开展技术培训、技术交流和咨询服务",
                )
            else:
                breed = rng.choice(COOP_BREEDS)
                name = f"{place}{self._trade_name()}{breed}养殖专业合作社"
                industry, scope = (
                    "A0399",
                    f"组织成员开展{breed}养殖；组织收购、销售成员的产品；技术培训和信息服务",
                )
            capital = Decimal(rng.choice((10, 20, 50, 100, 200, 500)))
        else:
            line, industry, scope = rng.choice(COMPANY_LINES)
            trade = self._trade_name()
            capital = Decimal(rng.choices(CAPITALS, cum_weights=self._capital_cum)[0])
            if kind == EntityType.BRANCH and self._recent_companies:
                parent = rng.choice(self._recent_companies)
                name = f"{parent}{rng.choice(BRANCH_CITIES)}分公司"
                capital = None
            elif kind == EntityType.BRANCH:
                name = f"海南{trade}{line}有限公司{profile.city_short or '海口'}分公司"
                capital = None
            elif kind == EntityType.SOLE_PROPRIETORSHIP:
                name = f"{profile.city_short or '海口'}{trade}{line}（个人独资）"
                capital = Decimal(rng.choice((1, 5, 10, 30, 50)))
            elif kind == EntityType.PARTNERSHIP:
                name = (
                    f"海南{trade}{rng.choice(('投资', '创业投资', '股权投资'))}合伙企业（有限合伙）"
                )
                industry, scope = (
                    "L7212",
                    "以私募基金从事股权投资、投资管理、资产管理等活动；以自有资金从事投资活动",
                )
            elif kind == EntityType.FOREIGN_INVESTED:
                name = f"海南{trade}{line}有限公司"
                if rng.random() < 0.5:
                    currency = "USD"
            elif rng.random() < 0.2 and profile.city_short:
                name = f"{profile.city_short}{trade}{line}有限公司"
            elif rng.random() < 0.05:
                name = f"海南{trade}{line}股份有限公司"
                capital = Decimal(rng.choice((1000, 5000, 10000, 30000)))
            else:
                name = f"海南{trade}{line}有限公司"
            if kind == EntityType.COMPANY:
                if len(self._recent_companies) < 500:
                    self._recent_companies.append(name)
                else:
                    self._recent_companies[index % 500] = name
            if rng.random() < 0.6:
                years = rng.choice((20, 30, 50))
                try:
                    term_to = established.replace(year=established.year + years)
                except ValueError:  # 29 February
                    term_to = established.replace(year=established.year + years, day=28)
        status = rng.choices(STATUSES, cum_weights=self._status_cum)[0][0]
        deregistered_on = (
            self._later(established) if status == EnterpriseStatus.DEREGISTERED else None
        )
        revoked_on = self._later(established) if status == EnterpriseStatus.REVOKED else None
        approved_on = established
        if status == EnterpriseStatus.ACTIVE and rng.random() < 0.3:
            approved_on = self._later(established)
        address = (
            f"海南省{profile.place if profile.code != '460000' else '海口市龙华区'}"
            f"{town}{rng.choice(STREETS)}{rng.randrange(1, 300)}号"
        )
        return (
            uscc,
            registration_number,
            organization_code,
            name,
            str(kind),
            person,
            capital,
            currency,
            established,
            approved_on,
            term_to,
            deregistered_on,
            revoked_on,
            str(status),
            profile.authority,
            self.region_ids[profile.code],
            address,
            scope,
            industry,
        )
