"""The draw function: reproducible from the seed, uniform, never drawing a conflict."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from apps.inspections.draw import (
    MAX_NAMED,
    DrawError,
    DrawInputs,
    DrawOutcome,
    OfficerInput,
    compute_draw,
    parse_seed,
)

# Upper 0.1 % points of the chi-square distribution (df -> critical value), from
# the standard tables; a uniform draw exceeds them once in a thousand seeds.
CHI2_999 = {1: 10.828, 3: 16.266, 5: 20.515, 11: 31.264, 14: 36.123, 19: 43.820}


def chi_square(counts: list[int]) -> float:
    """Pearson's statistic of observed counts against equal expected counts."""
    expected = sum(counts) / len(counts)
    return sum((c - expected) ** 2 / expected for c in counts)


def inputs(**overrides) -> DrawInputs:
    base = {
        "targets": tuple((100 + i, 1 if i < 10 else 2) for i in range(20)),
        "officers": tuple(
            OfficerInput(i, 10 if i < 4 else 20, frozenset({1} if i == 0 else ())) for i in range(6)
        ),
        "conflicts": frozenset(),
        "sample_size": 5,
        "officers_per_target": 2,
        "avoid_own_area": False,
        "mix_departments": False,
    }
    base.update(overrides)
    return DrawInputs(**base)


def test_same_seed_gives_same_draw():
    assert compute_draw(12345, inputs()) == compute_draw(12345, inputs())


def test_another_seed_gives_another_draw():
    assert compute_draw(12345, inputs()) != compute_draw(12346, inputs())


def test_known_seed_gives_the_published_draw():
    """A fixed answer for a fixed seed: any change to the algorithm (or to Python's
    Mersenne Twister) breaks it, and then stored draws could no longer be verified.
    Such a change needs a new ``ALGORITHM`` name, never an edit of this answer."""
    assert compute_draw(20261128, inputs()).assignments == (
        (114, (3, 2)),
        (103, (4, 0)),
        (118, (1, 3)),
        (100, (0, 4)),
        (112, (1, 4)),
    )


def test_draw_does_not_depend_on_the_order_of_its_inputs():
    """The database may return pool members, officers and conflicts in any order."""
    ordered = inputs(conflicts=frozenset({(1, 105), (2, 105), (3, 110)}), avoid_own_area=True)
    shuffler = random.Random(3)
    for _ in range(20):
        targets = list(ordered.targets)
        officers = list(ordered.officers)
        shuffler.shuffle(targets)
        shuffler.shuffle(officers)
        shuffled = inputs(
            targets=tuple(targets),
            officers=tuple(officers),
            conflicts=frozenset(sorted(ordered.conflicts, reverse=True)),
            avoid_own_area=True,
        )
        assert compute_draw(2026, shuffled) == compute_draw(2026, ordered)


def test_inputs_round_trip_through_json():
    original = inputs(conflicts=frozenset({(1, 101)}), avoid_own_area=True)
    again = DrawInputs.from_json(original.as_json())
    assert again == original
    outcome = compute_draw(7, original)
    assert DrawOutcome.from_json(outcome.as_json()) == outcome


def test_draw_is_the_documented_standard_library_recipe():
    """Anyone can recompute a draw with random.Random(seed).sample over sorted ids."""
    outcome = compute_draw(99, inputs(officers=tuple(OfficerInput(i, 10) for i in range(3))))
    rng = random.Random(99)
    targets = rng.sample([100 + i for i in range(20)], 5)
    expected = []
    for target in targets:
        officers = [0, 1, 2]
        first = rng.choice(officers)
        officers.remove(first)
        second = rng.choice(officers)
        expected.append((target, (first, second)))
    assert outcome.assignments == tuple(expected)


def test_targets_are_drawn_uniformly():
    """Chi-square over 3,000 draws of 5 of 20 targets (fixed seeds): no target favoured."""
    counts = Counter()
    for seed in range(3000):
        counts.update(compute_draw(seed, inputs()).target_ids)
    observed = [counts[100 + i] for i in range(20)]
    assert sum(observed) == 3000 * 5
    assert chi_square(observed) < CHI2_999[19]


def test_officers_are_drawn_uniformly():
    """Every officer is as likely as any other to be drawn for a target."""
    counts = Counter()
    for seed in range(2000):
        for _target, officers in compute_draw(seed, inputs()).assignments:
            counts.update(officers)
    observed = [counts[i] for i in range(6)]
    assert chi_square(observed) < CHI2_999[5]


def test_every_subset_of_targets_is_equally_likely():
    """Chi-square over the 15 pairs of 2 drawn from 6 targets (3,000 fixed seeds): the draw
    is uniform over subsets, not only over single targets."""
    small = inputs(targets=tuple((100 + i, 1) for i in range(6)), sample_size=2)
    counts = Counter(frozenset(compute_draw(seed, small).target_ids) for seed in range(3000))
    pairs = [frozenset(pair) for pair in itertools.combinations(range(100, 106), 2)]
    assert set(counts) == set(pairs)
    assert chi_square([counts[pair] for pair in pairs]) < CHI2_999[14]


def test_eligible_officers_stay_uniform_when_conflicts_exclude_others():
    """Officers 0 and 1 are excluded for every target: never drawn, and the remaining
    four are drawn equally often (chi-square, 2,000 fixed seeds)."""
    conflicts = frozenset((officer, 100 + i) for officer in (0, 1) for i in range(20))
    counts = Counter()
    for seed in range(2000):
        for _target, officers in compute_draw(seed, inputs(conflicts=conflicts)).assignments:
            counts.update(officers)
    assert counts[0] == counts[1] == 0
    assert chi_square([counts[i] for i in range(2, 6)]) < CHI2_999[3]


def test_chi_square_detects_a_biased_draw():
    """The test has power: a draw favouring the first targets fails it."""
    counts = Counter()
    rng = random.Random(1)
    for _ in range(3000):
        population = [100 + i for i in range(20)] + [100, 101, 102]
        counts.update(set(rng.sample(population, 5)))
    observed = [counts[100 + i] for i in range(20)]
    assert chi_square(observed) > CHI2_999[19]


def test_conflicts_are_never_drawn():
    conflicts = frozenset((officer, target) for officer in (1, 2, 3) for target in range(100, 110))
    for seed in range(500):
        for target, officers in compute_draw(
            seed, inputs(conflicts=conflicts, sample_size=10)
        ).assignments:
            assert not any((o, target) in conflicts for o in officers)


def test_own_area_is_avoided_when_the_rule_says_so():
    for seed in range(300):
        outcome = compute_draw(seed, inputs(avoid_own_area=True, sample_size=20))
        for target, officers in outcome.assignments:
            if target < 110:  # region 1, officer 0's area
                assert 0 not in officers


def test_joint_draw_mixes_departments():
    for seed in range(300):
        outcome = compute_draw(seed, inputs(mix_departments=True))
        for _target, officers in outcome.assignments:
            departments = {10 if o < 4 else 20 for o in officers}
            assert departments == {10, 20}


def test_joint_draw_is_uniform_within_each_department():
    """Mixing departments changes who is paired, not the lot inside a department: the
    four officers of one department and the two of the other are each drawn equally
    often (chi-square, 2,000 fixed seeds)."""
    counts = Counter()
    for seed in range(2000):
        for _target, officers in compute_draw(seed, inputs(mix_departments=True)).assignments:
            counts.update(officers)
    assert chi_square([counts[i] for i in range(4)]) < CHI2_999[3]
    assert chi_square([counts[4], counts[5]]) < CHI2_999[1]


def test_draw_larger_than_pool_is_refused():
    with pytest.raises(DrawError, match="抽取户数 21 超过检查对象名录中的 20 户") as caught:
        compute_draw(1, inputs(sample_size=21))
    assert caught.value.code == "sample_larger_than_pool"


def test_draw_of_the_whole_pool_takes_every_target_once():
    outcome = compute_draw(1, inputs(sample_size=20))
    assert sorted(outcome.target_ids) == [100 + i for i in range(20)]


def test_three_officers_per_target_are_three_different_officers():
    for seed in range(200):
        for _target, officers in compute_draw(seed, inputs(officers_per_target=3)).assignments:
            assert len(set(officers)) == 3


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        ({"targets": ()}, "pool_empty", "检查对象名录为空"),
        ({"sample_size": 0}, "sample_empty", "至少应抽取 1 户"),
        (
            {"officers": (OfficerInput(1, 10), OfficerInput(2, 10)), "officers_per_target": 3},
            "too_few_officers",
            "只有 2 名在岗执法检查人员，每个检查对象需要 3 名",
        ),
    ],
)
def test_impossible_inputs_are_refused_before_drawing(overrides, code, message):
    with pytest.raises(DrawError, match=message) as caught:
        compute_draw(1, inputs(**overrides))
    assert caught.value.code == code


def test_empty_officer_list_is_refused():
    with pytest.raises(DrawError, match="执法检查人员名录为空") as caught:
        compute_draw(1, inputs(officers=()))
    assert caught.value.code == "no_officers"


def test_target_with_fewer_than_two_eligible_officers_is_refused():
    conflicts = frozenset((o, t) for o in range(5) for t in range(100, 120))
    with pytest.raises(DrawError, match="不足 2 名可抽取的执法检查人员") as caught:
        compute_draw(1, inputs(conflicts=conflicts, labels={100: "海南甲公司（9146…）"}))
    assert caught.value.code == "too_few_eligible_officers"
    assert caught.value.message.startswith("5 个抽中的检查对象")


def test_refusal_names_the_first_short_targets_in_draw_order():
    """Twenty short targets: the message names the first five drawn, then elides."""
    conflicts = frozenset((o, t) for o in range(5) for t in range(100, 120))
    labels = {100 + i: f"企业{i}" for i in range(20)}
    with pytest.raises(DrawError) as caught:
        compute_draw(1, inputs(conflicts=conflicts, sample_size=20, labels=labels))
    message = caught.value.message
    assert message.startswith("20 个抽中的检查对象")
    first = random.Random(1).sample([100 + i for i in range(20)], 20)[:MAX_NAMED]
    named = "；".join(f"{labels[t]}（可抽取 1 名）" for t in first)
    assert named + "……" in message
    assert message.count("（可抽取") == MAX_NAMED


def test_one_officer_per_target_is_refused():
    with pytest.raises(DrawError, match="至少应抽取 2 名"):
        compute_draw(1, inputs(officers_per_target=1))


@pytest.mark.parametrize("seed", ["abc", "-1", "1" * 41, ""])
def test_bad_seed_is_refused(seed):
    with pytest.raises(DrawError, match="随机种子"):
        parse_seed(seed)
