"""The random draw of targets and officers: a pure function of a seed and its inputs.

Anyone holding the seed and the inputs (published with the draw) reproduces it
with Python's standard library alone:

1. ``rng = random.Random(seed)`` (Mersenne Twister, seeded with the integer seed);
2. targets: the pool's entity ids sorted ascending; ``chosen = rng.sample(ids, n)``
   (every subset of size ``n`` equally likely; the order of ``chosen`` is the
   draw order);
3. for each chosen target, in draw order: the eligible officers are the
   active officers sorted by id, minus those with a declared conflict with the
   target and, where the plan avoids own areas, those whose areas (with the
   districts below them) contain the target's region; then ``k`` officers are
   picked one by one with ``rng.choice``, each time from the eligible officers
   not yet picked whose department is not yet represented on the target, or
   from all not yet picked when every remaining one shares a represented
   department (joint plans thus mix departments whenever possible).

The function never reads the database: ``services.draw_plan`` assembles the
inputs, stores them with the draw, and the verify page recomputes from them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from apps.core.exceptions import DomainError

ALGORITHM = "mt19937-sample-v1"

#: How many offending targets an error message names before "…".
MAX_NAMED = 5


class DrawError(DomainError):
    """The draw is impossible with these inputs (the message says why, naming the target)."""

    code = "draw_refused"


@dataclass(frozen=True)
class OfficerInput:
    """An officer as the draw sees it: id, department and the region ids it covers."""

    id: int
    department_id: int
    area_region_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class DrawInputs:
    """Everything the draw consumes; ``as_json``/``from_json`` round-trip it losslessly.

    - ``targets``: (enterprise id, region id) of every pool member;
    - ``officers``: the active officers of the participating departments;
    - ``conflicts``: (officer id, enterprise id) pairs that must never meet;
    - ``labels``: enterprise id -> "name (USCC)" for messages only (not an input of the lot).
    """

    targets: tuple[tuple[int, int], ...]
    officers: tuple[OfficerInput, ...]
    conflicts: frozenset[tuple[int, int]]
    sample_size: int
    officers_per_target: int
    avoid_own_area: bool
    mix_departments: bool
    labels: dict[int, str] = field(default_factory=dict, compare=False)

    def as_json(self) -> dict[str, Any]:
        """Canonical JSON form (sorted everywhere) stored on the draw."""
        return {
            "targets": [[e, r] for e, r in sorted(self.targets)],
            "officers": [
                [o.id, o.department_id, sorted(o.area_region_ids)]
                for o in sorted(self.officers, key=lambda o: o.id)
            ],
            "conflicts": sorted([o, e] for o, e in self.conflicts),
            "sample_size": self.sample_size,
            "officers_per_target": self.officers_per_target,
            "avoid_own_area": self.avoid_own_area,
            "mix_departments": self.mix_departments,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DrawInputs:
        """Rebuild the inputs stored by :meth:`as_json`."""
        return cls(
            targets=tuple((int(e), int(r)) for e, r in data["targets"]),
            officers=tuple(
                OfficerInput(int(o), int(d), frozenset(int(a) for a in areas))
                for o, d, areas in data["officers"]
            ),
            conflicts=frozenset((int(o), int(e)) for o, e in data["conflicts"]),
            sample_size=int(data["sample_size"]),
            officers_per_target=int(data["officers_per_target"]),
            avoid_own_area=bool(data["avoid_own_area"]),
            mix_departments=bool(data["mix_departments"]),
        )


@dataclass(frozen=True)
class DrawOutcome:
    """Targets in draw order with the officer ids drawn for each, in draw order."""

    assignments: tuple[tuple[int, tuple[int, ...]], ...]

    def as_json(self) -> list[list[Any]]:
        return [[e, list(officers)] for e, officers in self.assignments]

    @classmethod
    def from_json(cls, data: list[list[Any]]) -> DrawOutcome:
        return cls(tuple((int(e), tuple(int(o) for o in officers)) for e, officers in data))

    @property
    def target_ids(self) -> list[int]:
        return [e for e, _officers in self.assignments]


def parse_seed(seed: str | int) -> int:
    """The integer seed of a text seed (digits only, at most 40), or DrawError."""
    text = str(seed).strip()
    if not text.isdigit() or len(text) > 40:
        raise DrawError(
            gettext("随机种子“%(seed)s”无效：种子须为不超过 40 位的数字。") % {"seed": text},
            code="seed_invalid",
        )
    return int(text)


def check_inputs(inputs: DrawInputs) -> None:
    """Refuse inputs no draw can satisfy, before any random number is used."""
    pool_size = len(inputs.targets)
    k = inputs.officers_per_target
    if k < 2:
        raise DrawError(
            gettext("每户检查人员数为 %(k)s：每个检查对象至少应抽取 2 名执法检查人员。") % {"k": k},
            code="too_few_officers_per_target",
        )
    if pool_size == 0:
        raise DrawError(
            gettext("检查对象名录为空，无法抽取。"),
            code="pool_empty",
        )
    if inputs.sample_size < 1:
        raise DrawError(
            gettext("抽取户数为 %(n)s：至少应抽取 1 户。") % {"n": inputs.sample_size},
            code="sample_empty",
        )
    if inputs.sample_size > pool_size:
        raise DrawError(
            gettext("抽取户数 %(n)s 超过检查对象名录中的 %(size)s 户：抽取数量不能大于名录库。")
            % {"n": inputs.sample_size, "size": pool_size},
            code="sample_larger_than_pool",
        )
    if not inputs.officers:
        raise DrawError(
            gettext("参与部门的执法检查人员名录为空（没有在岗人员），无法抽取检查人员。"),
            code="no_officers",
        )
    if len(inputs.officers) < k:
        raise DrawError(
            gettext(
                "参与部门只有 %(count)s 名在岗执法检查人员，每个检查对象需要 %(k)s 名，无法抽取。"
            )
            % {"count": len(inputs.officers), "k": k},
            code="too_few_officers",
        )


def eligible_officers(inputs: DrawInputs, enterprise_id: int, region_id: int) -> list[OfficerInput]:
    """Officers (sorted by id) who may inspect the entity: no conflict, not their own area."""
    return [
        officer
        for officer in sorted(inputs.officers, key=lambda o: o.id)
        if (officer.id, enterprise_id) not in inputs.conflicts
        and not (inputs.avoid_own_area and region_id in officer.area_region_ids)
    ]


def _pick(rng: random.Random, eligible: list[OfficerInput], k: int, mix: bool) -> tuple[int, ...]:
    picked: list[OfficerInput] = []
    remaining = list(eligible)
    for _ in range(k):
        candidates = remaining
        if mix:
            used = {o.department_id for o in picked}
            fresh = [o for o in remaining if o.department_id not in used]
            candidates = fresh or remaining
        officer = rng.choice(candidates)
        picked.append(officer)
        remaining.remove(officer)
    return tuple(o.id for o in picked)


def compute_draw(seed: int, inputs: DrawInputs) -> DrawOutcome:
    """Draw the targets and their officers (see the module docstring for the exact steps)."""
    check_inputs(inputs)
    # Reproducibility is the point: the seed is published, so a CSPRNG would add nothing.
    rng = random.Random(seed)  # noqa: S311
    regions = dict(inputs.targets)
    chosen = rng.sample(sorted(regions), inputs.sample_size)
    assignments: list[tuple[int, tuple[int, ...]]] = []
    short: list[str] = []
    for enterprise_id in chosen:
        eligible = eligible_officers(inputs, enterprise_id, regions[enterprise_id])
        if len(eligible) < inputs.officers_per_target:
            label = inputs.labels.get(enterprise_id, str(enterprise_id))
            short.append(
                gettext("%(target)s（可抽取 %(count)s 名）")
                % {"target": label, "count": len(eligible)}
            )
            continue
        assignments.append(
            (
                enterprise_id,
                _pick(rng, eligible, inputs.officers_per_target, inputs.mix_departments),
            )
        )
    if short:
        named = "；".join(short[:MAX_NAMED]) + ("……" if len(short) > MAX_NAMED else "")
        raise DrawError(
            gettext(
                "%(n)s 个抽中的检查对象不足 %(k)s 名可抽取的执法检查人员（已排除回避关系"
                "和本人负责区域）：%(named)s。请补充执法检查人员或调整回避规则后再抽取。"
            )
            % {"n": len(short), "k": inputs.officers_per_target, "named": named},
            code="too_few_eligible_officers",
        )
    return DrawOutcome(tuple(assignments))
