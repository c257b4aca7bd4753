"""Pure publicity rules of penalties: kinds, severity, the applicable regime and the window.

Nothing here writes; the store and the services call these functions and
store the results on the :class:`~apps.penalties.models.Penalty` row.

**Kinds (处罚类别).** A decision carries every kind named in 处罚类别
(``CF_CFLB``, the main kind) plus any kind named in 处罚内容 (``CF_NR``), plus
罚款 when a fine amount is sent, 没收违法所得 when a confiscated amount is sent.

**Severity** (the catalogue's :class:`~apps.catalogue.choices.Severity`),
derived per kind, unless staff set it explicitly on the record:

- 警告 -> ``warning_only``;
- 通报批评 -> ``low``; 罚款 -> ``low`` when the fine is at most
  :data:`LOW_FINE_WAN` (3,000 yuan, the summary-procedure ceiling of
  Administrative Penalty Law 2021 art. 51 for organisations), else ``general``;
- 吊销许可证件, 责令关闭, 责令停产停业, 限制开展生产经营活动, 限制从业,
  降低资质等级, 行政拘留 -> ``serious`` (the heavier penalties of NDRC
  527/2019 and SAMR Order 44);
- every other kind -> ``general``;
- a ``general`` kind in a special sector (food, drugs, medical devices,
  cosmetics, special equipment, work safety, fire: keywords in 违法行为类型 /
  违法事实 / 处罚依据, or a department of line YJ or YJGL) -> ``special_sector``
  (falling back to the general rule where the line has no special-sector
  regime); a ``serious`` kind there stays ``serious`` but is also measured
  against the special-sector regime, and the longer of the two governs, so a
  licence revoked for unsafe food never waits less for repair than a fine.

**Regime.** For each kind, :func:`apps.catalogue.selectors.regime_for` with the
kind as category, the kind's severity and the deciding department's line. When
no regime matches that severity the search falls back along
:data:`SEVERITY_FALLBACK` (e.g. a non-market-regulation warning falls back to
the general rule: only the SCJG line has the "warning not published" rule).
**The longest applies**: among the kinds' regimes the one with the latest
maximum end (then the latest minimum end) governs the whole decision.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.catalogue.choices import Severity

from .choices import PenaltyKind

#: Fines up to this amount (万元, i.e. 3,000 yuan) count as 较低数额罚款.
LOW_FINE_WAN = Decimal("0.3")

SERIOUS_KINDS = frozenset(
    {
        PenaltyKind.REVOKE_LICENCE,
        PenaltyKind.CLOSE,
        PenaltyKind.SUSPEND_BUSINESS,
        PenaltyKind.RESTRICT_BUSINESS,
        PenaltyKind.RESTRICT_PRACTICE,
        PenaltyKind.DOWNGRADE,
        PenaltyKind.DETENTION,
    }
)

SPECIAL_SECTOR_KEYWORDS = (
    "食品",
    "药品",
    "医疗器械",
    "化妆品",
    "特种设备",
    "安全生产",
    "消防",
)
#: Department lines whose penalties are special-sector by nature (drugs, work safety).
SPECIAL_SECTOR_LINES = frozenset({"YJ", "YJGL"})

#: When no regime matches a severity, try these next (in order).
SEVERITY_FALLBACK: dict[str, tuple[str, ...]] = {
    Severity.WARNING_ONLY: (Severity.LOW, Severity.GENERAL),
    Severity.LOW: (Severity.GENERAL,),
    Severity.SPECIAL_SECTOR: (Severity.GENERAL,),
    Severity.SERIOUS: (),
    Severity.GENERAL: (),
    Severity.ANY: (),
}

#: Rank of severities when one value must describe a decision of several kinds.
SEVERITY_RANK = {
    Severity.WARNING_ONLY: 0,
    Severity.LOW: 1,
    Severity.GENERAL: 2,
    Severity.SPECIAL_SECTOR: 3,
    Severity.SERIOUS: 4,
    Severity.ANY: 2,
}

_KIND_ORDER = [choice.value for choice in PenaltyKind]
_SPLIT = re.compile(r"[;；,，、/\s]+")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole calendar months; the 31st clamps to the end of a shorter month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def penalty_kinds(
    main: str,
    *,
    content: str = "",
    fine: Decimal | None = None,
    confiscated: Decimal | None = None,
) -> list[str]:
    """Every kind a decision carries, in the order of the law's list (see module docstring)."""
    found: set[str] = set()
    for part in _SPLIT.split(main or ""):
        if part in _KIND_ORDER:
            found.add(part)
    for kind in _KIND_ORDER:
        if kind != PenaltyKind.OTHER and kind in (content or ""):
            found.add(kind)
    if fine:
        found.add(PenaltyKind.FINE)
    if confiscated:
        found.add(PenaltyKind.CONFISCATE_GAINS)
    if not found:
        found.add(PenaltyKind.OTHER)
    return [kind for kind in _KIND_ORDER if kind in found]


def is_special_sector(texts: Iterable[str], line: str = "") -> bool:
    """Whether a decision belongs to a special sector (keywords in its texts, or the line)."""
    if line in SPECIAL_SECTOR_LINES:
        return True
    joined = " ".join(t for t in texts if t)
    return any(keyword in joined for keyword in SPECIAL_SECTOR_KEYWORDS)


def kind_severity(kind: str, *, fine: Decimal | None, special_sector: bool) -> str:
    """The severity class of one kind of penalty (see module docstring)."""
    if kind == PenaltyKind.WARNING:
        return Severity.WARNING_ONLY
    if kind == PenaltyKind.CRITICISM:
        return Severity.LOW
    if kind == PenaltyKind.FINE and fine is not None and fine <= LOW_FINE_WAN:
        return Severity.LOW
    base = Severity.SERIOUS if kind in SERIOUS_KINDS else Severity.GENERAL
    if special_sector:
        return Severity.SPECIAL_SECTOR if base == Severity.GENERAL else base
    return base


@dataclass(frozen=True)
class Window:
    """The publicity outcome of one decision.

    - ``severity``: the decision's severity (the governing kind's, or the staff's);
    - ``regime_id``: the governing regime (None: no regime applies);
    - ``min_until``: earliest end of publicity (repair possible from here at the earliest);
    - ``max_until``: the day the record leaves public view by itself
      (equal to the decision date: never published; None: no regime, not published);
    - ``repair_from``: first day a repair application is accepted (None: no repair).
    """

    severity: str
    regime_id: int | None
    min_until: datetime.date | None
    max_until: datetime.date | None
    repair_from: datetime.date | None


class RegimeCache:
    """Memoised :func:`~apps.catalogue.selectors.regime_for` for one resource.

    Which regime applies only changes at a regime's ``valid_from``/``valid_to``,
    so results are cached per (interval between those dates, category,
    severity, line): a load of many rows asks the database a handful of times.
    """

    def __init__(self, resource_code: str) -> None:
        from apps.catalogue.models import PublicityRegime

        self.resource_code = resource_code
        bounds: set[datetime.date] = set()
        self.regimes: dict[int, Any] = {}
        for regime in PublicityRegime.objects.filter(resource__code=resource_code):
            self.regimes[regime.pk] = regime
            bounds.add(regime.valid_from)
            if regime.valid_to:
                bounds.add(regime.valid_to)
        self.bounds = sorted(bounds)
        self._memo: dict[tuple, Any] = {}

    def regime_for(self, decision_date: datetime.date, category: str, severity: str, line: str):
        from apps.catalogue.selectors import regime_for

        interval = bisect.bisect_right(self.bounds, decision_date)
        key = (interval, category, severity, line)
        if key not in self._memo:
            self._memo[key] = regime_for(
                self.resource_code,
                decision_date=decision_date,
                category=category,
                severity=severity,
                line=line,
            )
        return self._memo[key]

    def regime_with_fallback(
        self, decision_date: datetime.date, category: str, severity: str, line: str
    ):
        for candidate in (severity, *SEVERITY_FALLBACK.get(severity, ())):
            regime = self.regime_for(decision_date, category, candidate, line)
            if regime is not None:
                return regime
        return None


def window_for(
    *,
    decision_date: datetime.date,
    kinds: list[str],
    fine: Decimal | None,
    special_sector: bool,
    line: str,
    regimes: RegimeCache,
    severity_override: str = "",
    reported_end: datetime.date | None = None,
) -> Window:
    """The governing regime and publicity dates of a decision: the longest of its kinds."""
    best = None
    best_key: tuple | None = None
    severities = []
    for kind in kinds:
        severity = severity_override or kind_severity(
            kind, fine=fine, special_sector=special_sector
        )
        severities.append(severity)
        candidates = [regimes.regime_with_fallback(decision_date, kind, severity, line)]
        if special_sector and severity == Severity.SERIOUS:
            # A serious penalty in a special sector keeps the sector's longer minimum
            # (国市监信规〔2021〕3号: food, drugs, special equipment wait a year for
            # repair): never a shorter wait than a plain fine of the same sector.
            candidates.append(
                regimes.regime_for(decision_date, kind, Severity.SPECIAL_SECTOR, line)
            )
        for regime in candidates:
            if regime is None:
                continue
            key = (regime.max_months, regime.min_months, SEVERITY_RANK.get(severity, 0))
            if best_key is None or key > best_key:
                best, best_key = (regime, severity), key
    if best is None:
        decision_severity = severity_override or max(
            severities or [Severity.GENERAL], key=lambda s: SEVERITY_RANK.get(s, 0)
        )
        # No regime: the department's own publicity end (CF_GSJZQ) is the only bound.
        return Window(decision_severity, None, reported_end, reported_end, None)
    regime, severity = best
    max_until = add_months(decision_date, regime.max_months)
    min_until = min(add_months(decision_date, regime.min_months), max_until)
    repair_from = None
    if regime.repair_after_months is not None and regime.max_months > 0:
        repair_from = max(add_months(decision_date, regime.repair_after_months), min_until)
    return Window(severity, regime.pk, min_until, max_until, repair_from)
