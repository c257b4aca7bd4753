"""The unified social credit code (GB 32100-2015) and the older identifiers.

:func:`check_identifier` answers with one of three outcomes, never a boolean
(BRIEF.md section 1):

- ``valid``: a well-formed USCC whose mod-31 check character is right, a
  15-digit registration number (GS 15-2006) whose ISO 7064 MOD 11,10 check
  digit is right, or a 9-character organisation code (GB 11714) whose check
  character is right;
- ``legacy``: a USCC that fails its mod-31 check character but passes the
  inner GB 11714 check in the pattern of the early pilot codes (position 9 is
  ``M`` and the region starts with ``35``), or that administrators put on the
  allow-list; accepted with a warning and flagged for confirmation against the
  registry;
- ``invalid``: with a reason for every failure found.

Positions 3-8 are the region code of the *issuing* authority at the time of
issue and never change afterwards, so they are never compared with today's
region list (Danzhou's codes issued before 2015 keep ``469003``).

python-stdnum's ``stdnum.cn.uscc`` computes the same check character but
refuses codes whose first eight characters are not digits, which the standard
allows (``A``, ``N``, ``Y`` in position 1); the tests use it as a cross-check
for digit-first codes only.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import get_language

# The 31 symbols of GB 32100: I, O, S, V and Z are never used.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# GB 11714 values letters over the full alphabet (A=10 ... Z=35), unlike GB 32100.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY = re.compile(r"^[0-9A-Z]{8}$")

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_SEPARATORS = re.compile(r"[\s\-_./\\·—–]+")
_SCIENTIFIC = re.compile(r"^[0-9](?:\.[0-9]+)?E\+?[0-9]+$")


class IdentifierStatus(StrEnum):
    """Outcome of checking an identifier."""

    VALID = "valid"
    LEGACY = "legacy"
    INVALID = "invalid"


class IdentifierKind(StrEnum):
    """Which identifier a code is."""

    USCC = "uscc"
    REGISTRATION_NUMBER = "registration_number"
    ORGANIZATION_CODE = "organization_code"


@dataclass(frozen=True)
class Problem:
    """One error or warning: a stable code and a message in Chinese and English."""

    code: str
    message_zh: str
    message_en: str

    @property
    def message(self) -> str:
        """The message in the active language (Chinese unless English is active)."""
        language = get_language() or "zh-hans"
        return self.message_en if language.startswith("en") else self.message_zh

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "message_en": self.message_en}


@dataclass(frozen=True)
class IdentifierCheck:
    """The answer of :func:`check_identifier`."""

    raw: str
    normalized: str
    status: IdentifierStatus
    kind: IdentifierKind | None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    parts: dict[str, Any] = field(default_factory=dict)

    @property
    def is_acceptable(self) -> bool:
        """Valid or legacy: the code may be stored (legacy with its warning)."""
        return self.status != IdentifierStatus.INVALID


# GB 32100 positions 1-2 (BRIEF.md 1.3): authority -> (name, {category: name}).
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": (
        "机构编制",
        {"1": "机关", "2": "事业单位", "3": "编办直接管理机构编制的群众团体", "9": "其他"},
    ),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": (
        "市场监管（原工商）",
        {"1": "企业", "2": "个体工商户", "3": "农民专业合作社", "9": "其他"},
    ),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业",
        {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    ),
    "Y": ("其他", {"1": "其他"}),
}

# GS 15-2006: the 7th digit of a registration number (BRIEF.md 1.5).
REGISTRATION_KINDS = {
    "0": "内资企业（国有、集体、联营）",
    "1": "内资企业（国有或法人投资公司）",
    "2": "内资企业（自然人投资公司）",
    "3": "内资企业（其他非公司企业）",
    "4": "外商投资企业",
    "5": "外商投资企业（常驻代表机构等）",
    "6": "个体工商户",
    "7": "个体工商户",
    "8": "个体工商户",
    "9": "个体工商户",
}


def normalize_code(raw: object) -> str:
    """Upper-case, half-width, without spaces, hyphens or other separators."""
    text = str(raw if raw is not None else "").translate(_FULLWIDTH)
    return _SEPARATORS.sub("", text).upper()


def uscc_check_char(code17: str) -> str:
    """The GB 32100 check character for the first 17 characters (mod 31)."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(code17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def orgcode_check_char(body8: str) -> str:
    """The GB 11714 check character for an 8-character organisation-code body."""
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(body8, _ORG_WEIGHTS, strict=True)
    )
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def registration_number_check_digit(first14: str) -> str:
    """The ISO 7064 MOD 11,10 check digit of a 15-digit registration number."""
    product = 10
    for char in first14:
        total = (product + int(char)) % 10 or 10
        product = 2 * total % 11
    return str((11 - product) % 10)


def make_uscc(body17: str) -> str:
    """Append the check character to 17 valid characters."""
    return body17 + uscc_check_char(body17)


def _p(code: str, zh: str, en: str) -> Problem:
    return Problem(code, zh, en)


def _check_organization_code(code: str) -> tuple[list[Problem], bool]:
    """Problems of a 9-character organisation code, and whether its check passes."""
    problems: list[Problem] = []
    body, check = code[:8], code[8]
    if not _ORG_BODY.match(body) or not re.match(r"^[0-9X]$", check):
        problems.append(
            _p(
                "charset",
                "组织机构代码含有非法字符（本体 8 位为数字或大写字母，校验位为数字或 X）。",
                "The organisation code contains invalid characters (8 digits or capital letters, then a digit or X).",
            )
        )
        return problems, False
    ok = orgcode_check_char(body) == check
    return problems, ok


def _uscc_parts(code: str) -> dict[str, Any]:
    authority = code[0]
    authority_name, categories = AUTHORITIES.get(authority, ("", {}))
    return {
        "authority_code": authority,
        "authority": authority_name,
        "category_code": code[1],
        "category": categories.get(code[1], ""),
        "region_code": code[2:8],
        "organization_code": code[8:17],
        "check_char": code[17],
    }


def _check_uscc(raw: str, code: str, allow_list: Collection[str]) -> IdentifierCheck:
    errors: list[Problem] = []
    warnings: list[Problem] = []
    bad_chars = sorted({c for c in code if c not in _USCC_VALUE})
    if bad_chars:
        forbidden = [c for c in bad_chars if c in "IOSVZ"]
        errors.append(
            _p(
                "charset",
                f"含有统一社会信用代码不使用的字符：{''.join(bad_chars)}"
                + ("（字母 I、O、S、V、Z 不使用）" if forbidden else "")
                + "。",
                f"Contains characters a USCC never uses: {''.join(bad_chars)}"
                + (" (the letters I, O, S, V and Z are not used)" if forbidden else "")
                + ".",
            )
        )
    if code[0] not in AUTHORITIES:
        errors.append(
            _p(
                "authority",
                f"第 1 位登记管理部门代码“{code[0]}”不在 GB 32100 规定的范围内。",
                f"Position 1 (registration authority) '{code[0]}' is not defined by GB 32100.",
            )
        )
    if not code[2:8].isdigit():
        errors.append(
            _p(
                "region",
                "第 3-8 位登记管理机关行政区划码必须是 6 位数字。",
                "Positions 3-8 (region of the registration authority) must be 6 digits.",
            )
        )
    parts = _uscc_parts(code)
    if errors:
        return IdentifierCheck(
            raw, code, IdentifierStatus.INVALID, IdentifierKind.USCC, tuple(errors), (), parts
        )

    inner_problems, inner_ok = _check_organization_code(code[8:17])
    check_ok = uscc_check_char(code[:17]) == code[17]
    if check_ok and inner_ok:
        return IdentifierCheck(
            raw, code, IdentifierStatus.VALID, IdentifierKind.USCC, (), (), parts
        )

    if code in allow_list:
        warnings.append(
            _p(
                "allow_listed",
                "该代码校验位不符，但已列入管理员核实的白名单。",
                "The check character does not match, but administrators put the code on the allow-list.",
            )
        )
        return IdentifierCheck(
            raw, code, IdentifierStatus.LEGACY, IdentifierKind.USCC, (), tuple(warnings), parts
        )

    early_pilot = code[8] == "M" and code[2:4] == "35"
    if not check_ok and inner_ok and early_pilot:
        warnings.append(
            _p(
                "legacy_check_digit",
                "校验位不符合 GB 32100，但组织机构代码校验通过，符合早期试点地区代码的特征；"
                "已接收，需与登记机关数据库核实。",
                "The check character fails GB 32100 but the inner organisation-code check passes, as in "
                "early pilot codes; accepted and flagged for confirmation against the registry.",
            )
        )
        return IdentifierCheck(
            raw, code, IdentifierStatus.LEGACY, IdentifierKind.USCC, (), tuple(warnings), parts
        )

    if not check_ok:
        if code.isdigit() and code.endswith("000"):
            errors.append(
                _p(
                    "excel_rounded",
                    "校验位不符，且代码以 000 结尾：很可能是 Excel 把代码当作数字处理，末几位被舍入。"
                    "请把该列设为文本格式后重新导出。",
                    "The check character fails and the code ends in 000: Excel probably treated it as a "
                    "number and rounded the last digits. Format the column as text and export again.",
                )
            )
        errors.append(
            _p(
                "check_digit",
                f"第 18 位校验码应为“{uscc_check_char(code[:17])}”，实际为“{code[17]}”。",
                f"The check character (position 18) should be '{uscc_check_char(code[:17])}', "
                f"not '{code[17]}'.",
            )
        )
    errors.extend(inner_problems)
    if not inner_ok and not inner_problems:
        errors.append(
            _p(
                "inner_check_digit",
                f"第 9-17 位组织机构代码的校验位应为“{orgcode_check_char(code[8:16])}”，实际为“{code[16]}”。",
                f"The organisation code inside (positions 9-17) should end in "
                f"'{orgcode_check_char(code[8:16])}', not '{code[16]}'.",
            )
        )
    return IdentifierCheck(
        raw, code, IdentifierStatus.INVALID, IdentifierKind.USCC, tuple(errors), (), parts
    )


def _check_registration_number(raw: str, code: str) -> IdentifierCheck:
    parts = {
        "region_code": code[:6],
        "kind_digit": code[6],
        "kind": REGISTRATION_KINDS.get(code[6], ""),
    }
    expected = registration_number_check_digit(code[:14])
    if expected == code[14]:
        return IdentifierCheck(
            raw, code, IdentifierStatus.VALID, IdentifierKind.REGISTRATION_NUMBER, (), (), parts
        )
    error = _p(
        "check_digit",
        f"注册号第 15 位校验码应为“{expected}”，实际为“{code[14]}”。",
        f"The registration number's check digit (position 15) should be '{expected}', not '{code[14]}'.",
    )
    return IdentifierCheck(
        raw, code, IdentifierStatus.INVALID, IdentifierKind.REGISTRATION_NUMBER, (error,), (), parts
    )


def _check_organization(raw: str, code: str) -> IdentifierCheck:
    problems, ok = _check_organization_code(code)
    parts = {"organization_code": code}
    if ok:
        return IdentifierCheck(
            raw, code, IdentifierStatus.VALID, IdentifierKind.ORGANIZATION_CODE, (), (), parts
        )
    if not problems:
        problems.append(
            _p(
                "check_digit",
                f"组织机构代码校验位应为“{orgcode_check_char(code[:8])}”，实际为“{code[8]}”。",
                f"The organisation code's check character should be '{orgcode_check_char(code[:8])}', "
                f"not '{code[8]}'.",
            )
        )
    return IdentifierCheck(
        raw,
        code,
        IdentifierStatus.INVALID,
        IdentifierKind.ORGANIZATION_CODE,
        tuple(problems),
        (),
        parts,
    )


def check_identifier(raw: object, *, allow_list: Collection[str] | None = None) -> IdentifierCheck:
    """Normalise and check a USCC, 15-digit registration number or organisation code.

    ``allow_list`` holds normalised USCCs that administrators confirmed
    (:class:`apps.core.models.UsccAllowListEntry`); see
    :func:`check_identifier_with_registry` to load it.
    """
    raw_text = str(raw if raw is not None else "")
    stripped = raw_text.translate(_FULLWIDTH).strip().upper()
    if _SCIENTIFIC.match(stripped.replace(" ", "")):
        error = _p(
            "excel_scientific",
            "代码被写成了科学计数法（如 9.13101127033980E+17）：Excel 把它当作数字处理，"
            "末几位已丢失。请把该列设为文本格式后重新导出。",
            "The code is in scientific notation (e.g. 9.13101127033980E+17): Excel treated it as a number "
            "and lost the last digits. Format the column as text and export again.",
        )
        return IdentifierCheck(raw_text, stripped, IdentifierStatus.INVALID, None, (error,))
    code = normalize_code(raw_text)
    if len(code) == 18:
        return _check_uscc(raw_text, code, allow_list or ())
    if len(code) == 15 and code.isdigit():
        return _check_registration_number(raw_text, code)
    if len(code) == 9:
        return _check_organization(raw_text, code)
    if not code:
        error = _p("empty", "代码为空。", "The code is empty.")
    else:
        error = _p(
            "length",
            f"长度为 {len(code)} 位：统一社会信用代码为 18 位，注册号为 15 位数字，组织机构代码为 9 位。",
            f"Length is {len(code)}: a USCC has 18 characters, a registration number 15 digits, an "
            "organisation code 9 characters.",
        )
    return IdentifierCheck(raw_text, code, IdentifierStatus.INVALID, None, (error,))


def load_allow_list() -> frozenset[str]:
    """The administrators' allow-list of confirmed legacy codes."""
    from .models import UsccAllowListEntry

    return frozenset(UsccAllowListEntry.objects.values_list("code", flat=True))


def check_identifier_with_registry(raw: object) -> IdentifierCheck:
    """:func:`check_identifier` with the allow-list loaded from the database."""
    return check_identifier(raw, allow_list=load_allow_list())


# --- Generators for tests and demo data -------------------------------------------

_ORG_BODY_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _organization_code(rng: random.Random) -> str:
    """A valid organisation code: post-2015 registrations use an ``MA`` body."""
    if rng.random() < 0.6:
        body = "MA" + "".join(rng.choice(_ORG_BODY_ALPHABET) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    return body + orgcode_check_char(body)


def generate_uscc(
    rng: random.Random, *, authority: str = "9", category: str = "1", region: str = "460100"
) -> str:
    """A valid USCC with a valid inner organisation code, for tests and demo data."""
    return make_uscc(f"{authority}{category}{region}{_organization_code(rng)}")


def generate_registration_number(
    rng: random.Random, region: str = "460100", kind_digit: str = "1"
) -> str:
    """A valid 15-digit registration number (GS 15-2006)."""
    first14 = f"{region}{kind_digit}{rng.randrange(10**7):07d}"
    return first14 + registration_number_check_digit(first14)
