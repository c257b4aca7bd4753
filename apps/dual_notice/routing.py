"""From a business scope to licensing matters, and from a matter to its department.

Pure reads: no state changes here (services.py writes).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass

from apps.organizations.models import Department, Region

from .choices import ApprovalLevel
from .models import LicensingMatter

# Scope items are separated by 「；」 in registrations; older records use commas
# or full stops, and files bring line breaks. 「、」 stays inside an item.
_ITEM_SEPARATORS = re.compile(r"[；;。，,\n\r]+")
# Parenthesised qualifiers are part of an item: normalise full-width brackets.
_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def scope_items(scope: str) -> list[str]:
    """The items of a business scope, stripped, in order, without empties."""
    text = (scope or "").translate(_BRACKETS)
    return [item.strip() for item in _ITEM_SEPARATORS.split(text) if item.strip()]


def normalise_scope(scope: str) -> str:
    """A canonical form of the scope (items joined by 「；」) for comparison."""
    return "；".join(scope_items(scope))


def scope_hash(scope: str, industry_code: str = "") -> str:
    """SHA-256 of the canonical scope and industry code: equal scopes, equal hashes."""
    payload = f"{normalise_scope(scope)}|{(industry_code or '').strip().upper()}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MatchedMatter:
    """A matter the scope needs, with the scope item or industry code that triggered it."""

    matter: LicensingMatter
    matched_text: str


def match_matters(scope: str, industry_code: str = "", *, on: datetime.date) -> list[MatchedMatter]:
    """The licensing matters in force on ``on`` that the scope (or industry code) needs.

    An item matches a keyword when it contains the phrase and none of its
    exclusions. Each matter appears once, with the first item that matched;
    the industry code is tried only for matters no item matched.
    """
    items = scope_items(scope)
    code = (industry_code or "").strip().upper()
    matters = LicensingMatter.objects.in_force(on).prefetch_related("keywords")
    found: list[MatchedMatter] = []
    for matter in matters:
        hit = ""
        for item in items:
            for keyword in matter.keywords.all():
                if keyword.phrase in item and not any(x and x in item for x in keyword.exclusions):
                    hit = item
                    break
            if hit:
                break
        if not hit and code:
            prefix = next((p for p in matter.industry_code_prefixes if code.startswith(p)), "")
            if prefix:
                hit = f"行业代码 {code}"
        if hit:
            found.append(MatchedMatter(matter, hit[:255]))
    return found


def region_chain(region: Region) -> list[int]:
    """The region and its ancestors, nearest first (district, city, province)."""
    chain: list[int] = []
    current: Region | None = region
    seen: set[int] = set()
    while current is not None and current.pk not in seen:
        chain.append(current.pk)
        seen.add(current.pk)
        current = current.parent
    return chain


def province_region_id(chain: list[int]) -> int | None:
    """The top of a region chain (the province)."""
    return chain[-1] if chain else None


def resolve_department(
    line: str, region: Region, level: str = ApprovalLevel.LOCAL
) -> Department | None:
    """The department of ``line`` that approves for an enterprise registered in ``region``.

    Local matters go to the line's department nearest the region (county or
    district, then city, then the province); provincial matters to the
    provincial department. None when the line has no active department at all.
    """
    chain = region_chain(region)
    if level == ApprovalLevel.PROVINCIAL:
        chain = chain[-1:]
    candidates: dict[int, Department] = {}
    for department in (
        Department.objects.active().filter(line=line, region_id__in=chain).order_by("code")
    ):
        candidates.setdefault(department.region_id, department)
    for region_id in chain:
        if region_id in candidates:
            return candidates[region_id]
    return None
