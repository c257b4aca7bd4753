"""Hypothesis strategies for catalogue rows: valid values per field rule and mutations.

Used by test_validation.py and test_agreement.py.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from hypothesis import strategies as st

from apps.catalogue.choices import FieldType
from apps.catalogue.validation import FieldRule, RowValidator
from apps.core.uscc import (
    AUTHORITIES,
    USCC_ALPHABET,
    generate_registration_number,
    generate_uscc,
    make_uscc,
    orgcode_check_char,
)


def valid_uscc(first16: str) -> str:
    """A USCC valid under apps.core.uscc: both the inner GB 11714 and the mod-31 check."""
    return make_uscc(first16 + orgcode_check_char(first16[8:16]))


def ric_with_check(first17: str) -> str:
    """Append the resident identity number check digit (ISO 7064 MOD 11-2)."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return first17 + "10X98765432"[total % 11]


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def spelled(draw, text: str) -> str:
    """Harmless variations: full-width characters and surrounding whitespace."""
    if draw(st.booleans()):
        text = fullwidth(text)
    return (
        draw(st.sampled_from(["", " ", "\u3000"])) + text + draw(st.sampled_from(["", " ", "\t"]))
    )


# Every registration authority and category of GB 32100, a few issuing regions
# (Danzhou's pre-2015 469003 and the Fujian pilot 350100 included); the core
# generator makes both check characters right.
_PREFIXES = [(a, c) for a, (_, categories) in AUTHORITIES.items() for c in categories]
usccs = st.builds(
    lambda prefix, region, seed: generate_uscc(
        random.Random(seed), authority=prefix[0], category=prefix[1], region=region
    ),
    st.sampled_from(_PREFIXES),
    st.sampled_from(["460100", "460200", "469003", "469027", "350100", "110108"]),
    st.integers(0, 2**32 - 1),
).filter(lambda code: code[8:17] != "0" * 9)


def _legacy_uscc(body: str, seed: int) -> str:
    """An early pilot code: inner check right, mod-31 check wrong (accepted with a warning)."""
    right = valid_uscc("91350100M" + body)
    wrong = random.Random(seed).choice([c for c in USCC_ALPHABET if c != right[17]])
    return right[:17] + wrong


legacy_usccs = st.builds(
    _legacy_uscc,
    st.text(alphabet=USCC_ALPHABET, min_size=7, max_size=7),
    st.integers(0, 2**32 - 1),
)
registration_numbers = st.builds(
    lambda region, kind, seed: generate_registration_number(random.Random(seed), region, kind),
    st.sampled_from(["460100", "460200", "469003"]),
    st.sampled_from("0123456789"),
    st.integers(0, 2**32 - 1),
)
organization_codes = st.builds(
    lambda body, dash: body + dash + orgcode_check_char(body),
    st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=8),
    st.sampled_from(["", "-"]),
)
ric_numbers = st.builds(
    lambda birth, seq: ric_with_check("460100" + birth.strftime("%Y%m%d") + seq),
    st.dates(dt.date(1920, 1, 1), dt.date(2010, 12, 31)),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)


def _date_text(day: dt.date, form: int) -> str:
    return [
        day.isoformat(),
        day.strftime("%Y%m%d"),
        f"{day.year}/{day.month}/{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
    ][form]


def valid_value(rule: FieldRule):
    """A strategy of values the rule accepts."""
    kind = rule.data_type
    if kind in (FieldType.STRING, FieldType.TEXT):
        if rule.pattern:
            return st.from_regex(rule.pattern, fullmatch=True).filter(
                lambda s: (
                    s == s.strip()
                    and s
                    and len(s) <= (rule.max_length or 10**6)
                    and len(s) >= (rule.min_length or 0)
                )
            )
        low = max(rule.min_length or 1, 1)
        high = min(rule.max_length or 80, max(low, 40))
        return (
            st.text(st.characters(blacklist_categories=("Cs",)), min_size=low, max_size=high)
            .filter(lambda s: s.strip() == s and len(s) >= low and s)
            .flatmap(lambda s: st.sampled_from([s, " " + s + " "]))
        )
    if kind == FieldType.ENUM:
        names = []
        for item in rule.enum_values:
            names += [item["code"], item.get("label") or item["code"], *item.get("aliases", [])]
        return st.sampled_from(names).flatmap(spelled)
    if kind in (FieldType.INTEGER, FieldType.DECIMAL):
        places = 0 if kind == FieldType.INTEGER else (rule.decimal_places or 0)
        int_digits = (rule.max_digits - places) if rule.max_digits else 8
        low = rule.min_value if rule.min_value is not None else -(Decimal(10) ** int_digits - 1)
        high = min(
            rule.max_value if rule.max_value is not None else Decimal(10) ** int_digits - 1,
            Decimal(10) ** int_digits - Decimal(1) / Decimal(10) ** places,
        )
        numbers = st.decimals(low, high, places=places, allow_nan=False, allow_infinity=False)
        # Decimal("-0.00") would be a negative zero, which the catalogue refuses.
        text = numbers.map(lambda n: format(abs(n) if n == 0 else n, "f"))
        variants = [text.flatmap(spelled)]
        if rule.unit:
            variants.append(text.map(lambda s: s + rule.unit))
        if kind == FieldType.INTEGER or places == 0:
            variants.append(numbers.map(int))
        return st.one_of(*variants)
    if kind == FieldType.DATE:
        return st.builds(
            _date_text, st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), st.integers(0, 3)
        ).flatmap(spelled)
    if kind == FieldType.DATETIME:
        return st.builds(
            lambda moment, sep: moment.strftime(f"%Y-%m-%d{sep}%H:%M:%S"),
            st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2099, 1, 1)),
            st.sampled_from([" ", "T"]),
        )
    if kind == FieldType.USCC:
        return st.one_of(usccs, usccs, usccs, legacy_usccs).flatmap(spelled)
    if kind == FieldType.IDENTIFIER:
        return st.one_of(usccs, legacy_usccs, registration_numbers, organization_codes).flatmap(
            spelled
        )
    if kind == FieldType.ID_NUMBER:
        return ric_numbers
    if kind == FieldType.PHONE:
        return st.from_regex(r"1[3-9][0-9]{9}|0898-[2-9][0-9]{7}", fullmatch=True)
    if kind == FieldType.EMAIL:
        return st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.(cn|com)", fullmatch=True)
    if kind == FieldType.REGION_CODE:
        return st.from_regex(r"46[0-9]{4}", fullmatch=True)
    if kind == FieldType.BOOLEAN:
        return st.sampled_from([True, False, "是", "否", "Y", "n"])
    raise AssertionError(kind)


def conditions_met(validator: RowValidator, rule: FieldRule, row: dict) -> bool:
    condition = rule.required_when
    if not condition:
        return False
    return validator._condition_met(condition, row)


@st.composite
def valid_rows(draw, validator: RowValidator) -> dict:
    """A row the validator accepts: every required field, conditional ones when triggered."""
    row = {code: draw(valid_value(rule)) for code, rule in validator.rules.items()}
    for code, rule in validator.rules.items():
        if rule.required or conditions_met(validator, rule, row):
            continue
        if draw(st.booleans()):
            row[code] = draw(st.sampled_from([None, "", "  "])) if draw(st.booleans()) else None
            if row[code] is None and draw(st.booleans()):
                del row[code]
    return row


def invalid_values(rule: FieldRule):
    """Values likely to break the rule (some may still be valid: tests compare, not assume)."""
    near = []
    if rule.max_length:
        near.append(st.just("x" * (rule.max_length + 1)))
        near.append(st.just("x" * rule.max_length))
    if rule.data_type in (FieldType.INTEGER, FieldType.DECIMAL):
        near += [
            st.sampled_from(
                ["-0", "007", "1.", ".5", "1e3", "1,000", "１２.５元", "-1", "0.0000001"]
            ),
            st.floats(allow_nan=False, allow_infinity=False),
            st.integers(-(10**22), 10**22),
        ]
    if rule.data_type in (FieldType.DATE, FieldType.DATETIME):
        near.append(
            st.sampled_from(
                ["2019-02-29", "2000-02-29", "1900-02-29", "2017-13-01", "2017-06-31",
                 "20170632", "1899-12-31", "2017-6-1", "2017-06-19 24:00:00", "2017-06-19 23:59"]
            )
        )  # fmt: skip
    if rule.data_type in (FieldType.USCC, FieldType.IDENTIFIER):
        near.append(
            st.sampled_from(
                ["00000000000000000X", "111111111111111111", "91460100000000000X",
                 "91460100MA5T0000I1", "9146010MA5T00001"]
            )
        )  # fmt: skip
        # Wrong mod-31 check character (legacy when it looks like an early pilot code),
        # and a wrong inner organisation-code check under a right mod-31 character.
        near.append(usccs.map(lambda c: c[:17] + ("0" if c[17] != "0" else "1")))
        near.append(usccs.map(lambda c: make_uscc(c[:16] + ("0" if c[16] != "0" else "1"))))
    if rule.data_type == FieldType.IDENTIFIER:
        near.append(registration_numbers.map(lambda n: n[:14] + ("0" if n[14] != "0" else "1")))
        near.append(organization_codes.map(lambda c: c[:-1] + ("0" if c[-1] != "0" else "1")))
    if rule.data_type == FieldType.ID_NUMBER:
        near.append(ric_numbers.map(lambda n: n[:17] + ("0" if n[17] != "0" else "1")))
        near.append(st.sampled_from(["460100199902301234", "E12345678", "12345678"]))
    if rule.data_type == FieldType.ENUM:
        near.append(st.sampled_from(["未知", "9", "ＸＹＺ"]))
    return st.one_of(
        *near,
        st.text(max_size=30),
        st.sampled_from([None, "", True, 1.5, [], {}, 3]),
    )


@st.composite
def mutated_rows(draw, validator: RowValidator) -> dict:
    """A valid row with one to three fields changed, dropped or an unknown key added."""
    row = draw(valid_rows(validator))
    codes = list(validator.rules)
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["value", "value", "drop", "unknown"]))
        code = draw(st.sampled_from(codes))
        if action == "value":
            row[code] = draw(invalid_values(validator.rules[code]))
        elif action == "drop":
            row.pop(code, None)
        else:
            row["NOT_A_FIELD"] = "x"
    return row
