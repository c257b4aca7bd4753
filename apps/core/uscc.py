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
from functools import cache
from operator import mul
from typing import Any

from django.utils.translation import get_language

# The 31 symbols of GB 32100: I, O, S, V and Z are never used.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_CHARS = frozenset(USCC_ALPHABET)
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}")

# GB 11714 values letters over the full alphabet (A=10 ... Z=35), unlike GB 32100
# (so M is 22 here and 21 there; BRIEF.md 1.2).
_ORG_VALUE = {
    c: (int(c) if c.isdigit() else ord(c) - 55) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHECK = {r: str(r) for r in range(1, 10)} | {10: "X", 11: "0"}
_ORG_BODY = re.compile(r"[0-9A-Z]{8}")
_ORG_CODE = re.compile(r"[0-9A-Z]{8}[0-9X]")

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_SEPARATORS = re.compile(r"[\s\-_./\\·—–‐‑]+")
_SCIENTIFIC = re.compile(r"^[0-9](?:[.,][0-9]+)?E[+]?[0-9]+$")
_DIGITS = re.compile(r"[0-9]+")


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
    """The GB 32100 check character for the first 17 characters (mod 31).

    Raises ``KeyError`` for a character outside the 31-symbol alphabet.
    """
    total = sum(map(mul, map(_USCC_VALUE.__getitem__, code17[:17]), _USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def orgcode_check_char(body8: str) -> str:
    """The GB 11714 check character (``0``-``9`` or ``X``) for an 8-character body.

    Raises ``KeyError`` for a character other than ``0``-``9`` and ``A``-``Z``.
    """
    total = sum(map(mul, map(_ORG_VALUE.__getitem__, body8[:8]), _ORG_WEIGHTS))
    return _ORG_CHECK[11 - total % 11]


def _mod_11_10_state(digits: str, state: int = 10) -> int:
    for char in digits:
        state = 2 * ((state + int(char)) % 10 or 10) % 11
    return state


def registration_number_check_digit(first14: str) -> str:
    """The ISO 7064 MOD 11,10 check digit of a 15-digit registration number."""
    return str((11 - _mod_11_10_state(first14)) % 10)


def make_uscc(body17: str) -> str:
    """Append the check character to 17 valid characters."""
    return body17 + uscc_check_char(body17)


def _p(code: str, zh: str, en: str) -> Problem:
    return Problem(code, zh, en)


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


def _structural_problems(code: str) -> list[Problem]:
    """Character set, registration authority and region digits of an 18-character code."""
    errors: list[Problem] = []
    bad_chars = sorted(set(code) - _USCC_CHARS)
    if bad_chars:
        shown = "".join(bad_chars)
        forbidden = any(c in "IOSVZ" for c in bad_chars)
        errors.append(
            _p(
                "charset",
                f"含有统一社会信用代码不使用的字符：{shown}"
                + ("（字母 I、O、S、V、Z 不使用）" if forbidden else "")
                + "。",
                f"Contains characters a USCC never uses: {shown}"
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
    if not _DIGITS.fullmatch(code[2:8]):
        errors.append(
            _p(
                "region",
                "第 3-8 位登记管理机关行政区划码必须是 6 位数字。",
                "Positions 3-8 (region of the registration authority) must be 6 digits.",
            )
        )
    return errors


def _check_digit_problem(code: str, expected: str) -> Problem:
    return _p(
        "check_digit",
        f"第 18 位校验码应为“{expected}”，实际为“{code[17]}”。",
        f"The check character (position 18) should be '{expected}', not '{code[17]}'.",
    )


def _inner_check_problem(code: str, expected: str) -> Problem:
    return _p(
        "inner_check_digit",
        f"第 9-17 位组织机构代码的校验位应为“{expected}”，实际为“{code[16]}”。",
        f"The organisation code inside (positions 9-17) should end in '{expected}', "
        f"not '{code[16]}'.",
    )


def _check_uscc(raw: str, code: str, allow_list: Collection[str]) -> IdentifierCheck:
    """Check an 18-character code; every failure found becomes one error."""
    parts = _uscc_parts(code)
    if _USCC_SHAPE.fullmatch(code) and code[0] in AUTHORITIES:
        structural: list[Problem] = []
    else:
        structural = _structural_problems(code)
    # The mod-31 check needs the 31-symbol alphabet; GB 11714 needs [0-9A-Z].
    expected = None if set(code) - _USCC_CHARS else uscc_check_char(code)
    inner_expected = orgcode_check_char(code[8:16]) if _ORG_BODY.fullmatch(code[8:16]) else None
    check_ok = expected == code[17]
    inner_ok = inner_expected == code[16]
    if not structural and check_ok and inner_ok:
        return IdentifierCheck(
            raw, code, IdentifierStatus.VALID, IdentifierKind.USCC, (), (), parts
        )

    if not structural and code in allow_list:
        warning = _p(
            "allow_listed",
            "该代码校验位不符，但已列入管理员核实的白名单。",
            "The check character does not match, but administrators put the code on the "
            "allow-list.",
        )
        return IdentifierCheck(
            raw, code, IdentifierStatus.LEGACY, IdentifierKind.USCC, (), (warning,), parts
        )

    early_pilot = code[8] == "M" and code[2:4] == "35"
    if not structural and not check_ok and inner_ok and early_pilot:
        warning = _p(
            "legacy_check_digit",
            "校验位不符合 GB 32100，但组织机构代码校验通过，符合早期试点地区代码的特征；"
            "已接收，需与登记机关数据库核实。",
            "The check character fails GB 32100 but the inner organisation-code check passes, "
            "as in early pilot codes; accepted and flagged for confirmation against the registry.",
        )
        return IdentifierCheck(
            raw, code, IdentifierStatus.LEGACY, IdentifierKind.USCC, (), (warning,), parts
        )

    errors = structural
    if expected is not None and not check_ok:
        if code.isdigit() and code.endswith("000"):
            errors.append(
                _p(
                    "excel_rounded",
                    "校验位不符，且代码以 000 结尾：很可能是 Excel 把代码当作数字处理，"
                    "末几位被舍入。请把该列设为文本格式后重新导出。",
                    "The check character fails and the code ends in 000: Excel probably treated "
                    "it as a number and rounded the last digits. Format the column as text and "
                    "export again.",
                )
            )
        errors.append(_check_digit_problem(code, expected))
    if inner_expected is not None and not inner_ok:
        errors.append(_inner_check_problem(code, inner_expected))
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
        f"The registration number's check digit (position 15) should be '{expected}', "
        f"not '{code[14]}'.",
    )
    return IdentifierCheck(
        raw, code, IdentifierStatus.INVALID, IdentifierKind.REGISTRATION_NUMBER, (error,), (), parts
    )


def _check_organization(raw: str, code: str) -> IdentifierCheck:
    parts = {"organization_code": code}
    if not _ORG_CODE.fullmatch(code):
        error = _p(
            "charset",
            "组织机构代码含有非法字符（前 8 位为数字或大写字母，校验位为数字或 X）。",
            "The organisation code contains invalid characters (8 digits or capital letters, "
            "then a digit or X).",
        )
    else:
        expected = orgcode_check_char(code[:8])
        if expected == code[8]:
            return IdentifierCheck(
                raw, code, IdentifierStatus.VALID, IdentifierKind.ORGANIZATION_CODE, (), (), parts
            )
        error = _p(
            "check_digit",
            f"组织机构代码校验位应为“{expected}”，实际为“{code[8]}”。",
            f"The organisation code's check character should be '{expected}', not '{code[8]}'.",
        )
    return IdentifierCheck(
        raw, code, IdentifierStatus.INVALID, IdentifierKind.ORGANIZATION_CODE, (error,), (), parts
    )


def check_identifier(raw: object, *, allow_list: Collection[str] | None = None) -> IdentifierCheck:
    """Normalise and check a USCC, 15-digit registration number or organisation code.

    The kind follows from the normalised length: 18 characters is a USCC, 15
    digits a registration number, 9 characters an organisation code.
    ``allow_list`` holds normalised USCCs that administrators confirmed
    (:class:`apps.core.models.UsccAllowListEntry`); see
    :func:`check_identifier_with_registry` to load it.
    """
    raw_text = str(raw if raw is not None else "")
    stripped = raw_text.translate(_FULLWIDTH).strip().upper().replace(" ", "")
    if _SCIENTIFIC.match(stripped):
        error = _p(
            "excel_scientific",
            "代码被写成了科学计数法（如 9.13101127033980E+17）：Excel 把它当作数字处理，"
            "末几位已丢失。请把该列设为文本格式后重新导出。",
            "The code is in scientific notation (e.g. 9.13101127033980E+17): Excel turned it "
            "into a number and lost the last digits. Format the column as text and export again.",
        )
        return IdentifierCheck(raw_text, stripped, IdentifierStatus.INVALID, None, (error,))
    code = normalize_code(raw_text)
    if len(code) == 18:
        return _check_uscc(raw_text, code, allow_list or ())
    if len(code) == 15 and _DIGITS.fullmatch(code):
        return _check_registration_number(raw_text, code)
    if len(code) == 9:
        return _check_organization(raw_text, code)
    if not code:
        error = _p("empty", "代码为空。", "The code is empty.")
    else:
        error = _p(
            "length",
            f"长度为 {len(code)} 位：统一社会信用代码为 18 位，注册号为 15 位数字，"
            "组织机构代码为 9 位。",
            f"Length is {len(code)}: a USCC has 18 characters, a registration number 15 digits, "
            "an organisation code 9 characters.",
        )
    return IdentifierCheck(raw_text, code, IdentifierStatus.INVALID, None, (error,))


def load_allow_list() -> frozenset[str]:
    """The administrators' allow-list of confirmed legacy codes (one query)."""
    from .models import UsccAllowListEntry

    return frozenset(UsccAllowListEntry.objects.values_list("code", flat=True))


def check_identifier_with_registry(raw: object) -> IdentifierCheck:
    """:func:`check_identifier` with the allow-list loaded from the database."""
    return check_identifier(raw, allow_list=load_allow_list())


# --- Generators for tests and demo data -------------------------------------------
#
# Bulk demo loads generate millions of codes, so the weighted sums of every
# 3-character (and 4-digit) block are tabled once: a code then costs two random
# draws and a few look-ups (about 0.3 µs of arithmetic instead of 35 multiplications).


@dataclass(frozen=True)
class _Blocks:
    """Strings of one block size with their partial GB 11714 and GB 32100 sums."""

    text: tuple[str, ...]
    org_first: tuple[int, ...]  # at body positions 3-5 (letters) or 1-4 (digits)
    org_second: tuple[int, ...]  # at body positions 6-8 (letters) or 5-8 (digits)
    uscc_first: tuple[int, ...]
    uscc_second: tuple[int, ...]


def _sums(texts: list[str], values: dict[str, int], weights: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sum(map(mul, map(values.__getitem__, t), weights)) for t in texts)


def _blocks(texts: list[str], first: int) -> _Blocks:
    """Table ``texts`` as the body block at ``first`` and as the block right after it."""
    width = len(texts[0])
    second = first + width
    return _Blocks(
        text=tuple(texts),
        org_first=_sums(texts, _ORG_VALUE, _ORG_WEIGHTS[first:second]),
        org_second=_sums(texts, _ORG_VALUE, _ORG_WEIGHTS[second : second + width]),
        # The body starts at position 9 of the USCC (index 8).
        uscc_first=_sums(texts, _USCC_VALUE, _USCC_WEIGHTS[8 + first : 8 + second]),
        uscc_second=_sums(texts, _USCC_VALUE, _USCC_WEIGHTS[8 + second : 8 + second + width]),
    )


@cache
def _letter_blocks() -> _Blocks:
    """Blocks for ``MA`` + 6 code characters (post-2015 bodies assigned at registration)."""
    alphabet = USCC_ALPHABET
    return _blocks([a + b + c for a in alphabet for b in alphabet for c in alphabet], 2)


@cache
def _digit_blocks() -> _Blocks:
    """Blocks for 8-digit bodies (organisation codes issued before 2015)."""
    return _blocks([f"{i:04d}" for i in range(10_000)], 0)


_MA_ORG_SUM = _ORG_VALUE["M"] * _ORG_WEIGHTS[0] + _ORG_VALUE["A"] * _ORG_WEIGHTS[1]
_CHECK_WEIGHT = _USCC_WEIGHTS[16]
_ORG_CHECK_USCC_VALUE = {r: _USCC_VALUE[c] for r, c in _ORG_CHECK.items()}


@cache
def _prefix_sums(authority: str, category: str, region: str) -> tuple[str, int, int]:
    """The first 8 characters and their GB 32100 sums without and with an ``MA`` body."""
    prefix = f"{authority}{category}{region}"
    if not (
        len(authority) == len(category) == 1
        and {authority, category} <= _USCC_CHARS
        and _DIGITS.fullmatch(region)
        and len(region) == 6
    ):
        raise ValueError(f"not a valid USCC prefix: {prefix!r}")
    base = sum(map(mul, map(_USCC_VALUE.__getitem__, prefix), _USCC_WEIGHTS))
    with_ma = base + _USCC_VALUE["M"] * _USCC_WEIGHTS[8] + _USCC_VALUE["A"] * _USCC_WEIGHTS[9]
    return prefix, base, with_ma


def generate_uscc(
    rng: random.Random, *, authority: str = "9", category: str = "1", region: str = "460100"
) -> str:
    """A valid USCC with a valid inner organisation code, for tests and demo data.

    Six in ten bodies are ``MA`` + 6 code characters (assigned at registration
    since 2015), the rest 8 digits (older organisation codes). Deterministic
    for a seeded ``rng``; codes are random, so callers needing uniqueness
    must check for repeats.
    """
    prefix, base, with_ma = _prefix_sums(authority, category, region)
    if rng.random() < 0.6:
        blocks, body, total, org_total = _letter_blocks(), "MA", with_ma, _MA_ORG_SUM
        first, second = divmod(rng.randrange(29_791**2), 29_791)
    else:
        blocks, body, total, org_total = _digit_blocks(), "", base, 0
        first, second = divmod(rng.randrange(10**8), 10_000)
    remainder = 11 - (org_total + blocks.org_first[first] + blocks.org_second[second]) % 11
    total += (
        blocks.uscc_first[first]
        + blocks.uscc_second[second]
        + _ORG_CHECK_USCC_VALUE[remainder] * _CHECK_WEIGHT
    )
    return (
        f"{prefix}{body}{blocks.text[first]}{blocks.text[second]}"
        f"{_ORG_CHECK[remainder]}{USCC_ALPHABET[(31 - total % 31) % 31]}"
    )


@cache
def _registration_prefix_state(prefix: str) -> int:
    if not (_DIGITS.fullmatch(prefix) and len(prefix) == 7):
        raise ValueError(f"region must be 6 digits and kind_digit one digit: {prefix!r}")
    return _mod_11_10_state(prefix)


def generate_registration_number(
    rng: random.Random, region: str = "460100", kind_digit: str = "1"
) -> str:
    """A valid 15-digit registration number (GS 15-2006) with a random 7-digit sequence."""
    prefix = f"{region}{kind_digit}"
    sequence = f"{rng.randrange(10**7):07d}"
    state = _mod_11_10_state(sequence, _registration_prefix_state(prefix))
    return f"{prefix}{sequence}{(11 - state) % 10}"
