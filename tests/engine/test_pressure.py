"""Under pressure: the deciding sets and shoot-offs of an archer's matches,
against what their own model expects."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ghost_simulator.engine import Ghost, Match, match_round
from ghost_simulator.engine.pressure import (
    CLOSE_TOTAL,
    MIN_LAST_ARROWS,
    MIN_SETS,
    MIN_SHOOT_OFFS,
    LastArrowSet,
    blurred_percentile,
    decided_by_shoot_off,
    last_arrow_percentile,
    last_arrow_statistic,
    mid_percentile,
    pressure_ends,
    under_pressure,
    verdict,
    wins_pmf,
)


def played(kind: str, deltas: Sequence[int], seed: int = 0) -> Match:
    """A match where each of the archer's ends beats the ghost's by that many
    points (negative: loses by), entered as totals."""
    rnd = match_round("recurve" if kind == "set" else "compound", False)
    bow = "recurve" if kind == "set" else "compound"
    match = Match(kind, rnd, Ghost.from_handicap(30, bow=bow), seed)
    top = 30
    for delta in deltas:
        ghost = match.ghost_round.ends[match.ends_shot].total
        match.add_end(total=min(max(ghost + delta, 0), top))
    return match


def test_the_set_at_4_4_is_found_and_the_others_are_not() -> None:
    # Win, lose, win, lose: 4-4 before the fifth set.
    match = played("set", [1, -1, 1, -1, 1])
    assert [p for p in match.set_points()] == [(2, 0), (0, 2), (2, 0), (0, 2), (2, 0)]
    assert pressure_ends(match) == [4]
    # Won 6-0 in three sets: no deciding set.
    assert pressure_ends(played("set", [1, 1, 1])) == []
    # 5-3 before the fifth: the archer can win it, the ghost cannot (a loss
    # goes to 5-5): not a set either side could win the match with.
    assert pressure_ends(played("set", [1, 1, 0, -1, -1])) == []


def test_a_close_cumulative_match_has_its_last_end_under_pressure() -> None:
    close = played("cumulative", [1, -1, CLOSE_TOTAL, 0, 2])
    assert pressure_ends(close) == [4]
    far = played("cumulative", [1, 1, 1, CLOSE_TOTAL, 0])
    assert pressure_ends(far) == []


def shoot_off(match: Match, win: bool) -> Match:
    ghost = match.ghost_shoot_off_arrows(1)[0]
    value = min(ghost.value + 1, 10) if win else max(ghost.value - 1, 0)
    if value == ghost.value:  # a 10 can only be tied: decided by closeness
        match.add_shoot_off(ghost.label, "archer" if win else "ghost")
    else:
        match.add_shoot_off(str(value) if value else "M")
    return match


def test_shoot_offs_won_and_lost_are_counted() -> None:
    won = shoot_off(played("set", [0, 0, 0, 0, 0]), win=True)
    lost = shoot_off(played("set", [1, -1, 1, -1, 0], seed=1), win=False)
    assert decided_by_shoot_off(won) is True
    assert decided_by_shoot_off(lost) is False
    assert decided_by_shoot_off(played("set", [1, 1, 1])) is None
    pressure = under_pressure([won, lost], "AGB")
    assert pressure.shoot_offs.count == 2
    assert pressure.shoot_offs.observed == 1
    assert 0 < pressure.shoot_offs.expected < 2
    assert all(0 < m.chance < 1 for m in pressure.shoot_off_moments)
    assert pressure.shoot_offs.verdict == "not_enough"  # fewer than 3
    # 4-4 before the fifth set of the second (1, -1, 1, -1): one deciding set;
    # the first was level all along (1-1 each set: 4-4 before the fifth too).
    assert pressure.sets.count == 2
    assert pressure.sets.verdict == "not_enough"


def test_unfinished_and_ranking_matches_are_left_out() -> None:
    unfinished = played("set", [1, -1, 1, -1])
    ranking = Match(
        "ranking", match_round("recurve", False), Ghost.from_handicap(30), 0
    )
    pressure = under_pressure([unfinished, ranking], "AGB")
    assert pressure.matches == 0
    assert not pressure.anything


def test_percentiles() -> None:
    pmf = np.array([0.25, 0.5, 0.25])
    assert mid_percentile(pmf, 0) == pytest.approx(12.5)
    assert mid_percentile(pmf, 1) == pytest.approx(50.0)
    assert mid_percentile(pmf, 3) == pytest.approx(100.0)
    assert blurred_percentile(pmf, 1, 0.0) == pytest.approx(50.0)
    assert blurred_percentile(pmf, 1, 4.0) == pytest.approx(50.0)
    # Uncertainty pulls extremes toward the middle.
    assert 12.5 < blurred_percentile(pmf, 0, 1.0) < 50
    assert wins_pmf([0.5, 0.5]) == pytest.approx([0.25, 0.5, 0.25])
    assert verdict(85, 10, MIN_SETS) == "calmer"
    assert verdict(15, 10, MIN_SETS) == "below"
    assert verdict(50, 10, MIN_SETS) == "as_level"
    assert verdict(99, MIN_SHOOT_OFFS - 1, MIN_SHOOT_OFFS) == "not_enough"


# -- an archer simulated at exactly their level ----------------------------------


def simulated(
    count: int,
    *,
    kind: str = "set",
    bow: str = "recurve",
    level: float = 30.0,
    seed: int = 1,
    choke: int = 0,
) -> list[Match]:
    """``count`` matches shot by the engine's own ghost standing in for the
    archer (a ghost of ``level`` and ``bow``) against ghosts of the same
    level; ``choke``: points taken off every end shot under pressure."""
    rnd = match_round(bow, False)
    archer = Ghost.from_handicap(level, bow=bow)
    matches = []
    for number in range(count):
        match = Match(
            kind, rnd, Ghost.from_handicap(level, bow=bow), seed * 10**5 + number
        )
        shot = archer.shoot(rnd, seed * 10**5 + 50_000 + number, shoot_off_arrows=8)
        for end in shot.ends:
            if match.expected_arrows() == 0:
                break
            probe = Match(kind, rnd, match.ghost, match.seed, [*match.archer_ends, end])
            if choke and match.ends_shot in pressure_ends(probe):
                match.add_end(total=max(end.total - choke, 0))
            else:
                match.add_end(list(end.labels))
        for index, arrow in enumerate(shot.shoot_off):
            if match.verdict().status != "shoot_off":
                break
            ghost = match.ghost_shoot_off_arrows(index + 1)[index]
            closer = (
                "archer" if (arrow.distance or 0) < (ghost.distance or 0) else "ghost"
            )
            match.add_shoot_off(arrow.label, closer)
        matches.append(match)
    return matches


@pytest.mark.parametrize(
    ("kind", "bow", "level"),
    [("set", "recurve", 30.0), ("cumulative", "compound", 20.0)],
)
def test_an_archer_at_their_level_sits_in_the_middle(
    kind: str, bow: str, level: float
) -> None:
    matches = simulated(150, kind=kind, bow=bow, level=level)
    pressure = under_pressure(matches, "AGB")
    assert pressure.sets.count >= 20
    assert pressure.shoot_offs.count >= MIN_SHOOT_OFFS
    assert pressure.sets.percentile is not None
    assert 10 < pressure.sets.percentile < 90
    assert pressure.sets.expected == pytest.approx(pressure.sets.observed, abs=0.6)
    assert pressure.shoot_offs.percentile is not None
    assert 5 < pressure.shoot_offs.percentile < 95
    # The level each set is measured against is the archer's, give or take.
    levels = [s.level for s in pressure.pressure_sets]
    assert sum(levels) / len(levels) == pytest.approx(level, abs=1.5)


def test_a_choker_is_below_their_level() -> None:
    pressure = under_pressure(simulated(150, choke=2), "AGB")
    assert pressure.sets.percentile is not None
    assert pressure.sets.percentile < 5
    assert pressure.sets.verdict == "below"
    assert pressure.sets.observed < pressure.sets.expected - 1


# -- the last arrow of a set -------------------------------------------------------


def test_arrows_in_the_order_shot_are_kept_and_the_end_is_unchanged() -> None:
    match = Match("set", match_round("recurve", False), Ghost.from_handicap(30), 3)
    match.add_end(["7", "X", "9"], in_order=True)
    match.add_end(["8", "10", "9"])
    first, second = match.archer_ends
    assert first.labels == ["X", "9", "7"]  # shown highest first, as always
    assert first.shot == ("7", "X", "9")
    assert second.shot is None
    assert first == Match("set", match.round, match.ghost, 3).add_end(
        ["X", "9", "7"]
    )  # the order does not make another end
    state = match.to_dict()
    assert state["in_order"] == [0]
    assert state["archer_ends"][:2] == [["7", "X", "9"], ["10", "9", "8"]]
    again = Match.from_dict(state)
    assert [e.shot for e in again.archer_ends] == [("7", "X", "9"), None]
    assert again.to_dict() == state
    # A correction in no order forgets it; one in order keeps it.
    match.correct_last_end(["9", "9", "10"], in_order=True)
    assert match.archer_ends[-1].shot == ("9", "9", "10")
    # Without any end in order the state is as it always was.
    assert "in_order" not in played("set", [1, 1]).to_dict()


def brute_force(sets: Sequence[Sequence[int]]) -> float:
    """The mid-percentile by enumerating every choice of last arrows."""
    import itertools

    observed = last_arrow_statistic(
        [LastArrowSet(0, i, tuple(v)) for i, v in enumerate(sets)]
    )
    below = equal = 0.0
    for choice in itertools.product(*[range(len(v)) for v in sets]):
        chance = float(np.prod([1 / len(v) for v in sets]))
        value = sum(len(v) * v[c] - sum(v) for v, c in zip(sets, choice, strict=True))
        if value < observed:
            below += chance
        elif value == observed:
            equal += chance
    return 100 * (below + equal / 2)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 10), min_size=2, max_size=3), min_size=1, max_size=5
    )
)
def test_the_last_arrow_percentile_is_exact(sets: list[list[int]]) -> None:
    found = last_arrow_percentile(
        [LastArrowSet(0, i, tuple(v)) for i, v in enumerate(sets)]
    )
    assert found == pytest.approx(brute_force(sets), abs=1e-9)
    assert 0 <= found <= 100


def ordered_matches(count: int, *, seed: int, drop: float = 0.0) -> list[Match]:
    """``count`` set matches whose ends the engine's ghost shot for the archer,
    entered in a random order of shooting (the model's arrows are alike:
    any order is one it could have shot); ``drop``: the chance the last
    arrow of a set scores one ring less (a real choke, not the model's)."""
    rng = np.random.default_rng(seed)
    rnd = match_round("recurve", False)
    archer = Ghost.from_handicap(35)
    matches = []
    for number in range(count):
        match = Match("set", rnd, Ghost.from_handicap(35), seed * 1000 + number)
        shot = archer.shoot(rnd, seed * 1000 + 500 + number)
        for end in shot.ends:
            if match.expected_arrows() == 0:
                break
            labels = [str(a.label) for a in end.arrows]
            rng.shuffle(labels)
            if rng.random() < drop and labels[-1] not in ("M", "1"):
                last = labels[-1]
                labels[-1] = "9" if last in ("X", "10") else str(int(last) - 1)
            match.add_end(labels, in_order=True)
        matches.append(match)
    return matches


def test_an_archer_whose_last_arrow_is_like_the_others_sits_in_the_middle() -> None:
    found = under_pressure(ordered_matches(60, seed=4), "AGB").last_arrows
    assert found.count >= 200
    assert found.percentile is not None
    assert 5 < found.percentile < 95
    assert found.observed == pytest.approx(found.expected, abs=0.25)


def test_an_archer_whose_last_arrow_drops_is_told_so() -> None:
    pressure = under_pressure(ordered_matches(60, seed=4, drop=0.4), "AGB")
    found = pressure.last_arrows
    assert found.percentile is not None
    assert found.percentile < 5
    assert found.verdict == "below"
    assert pressure.before_last is not None
    assert found.observed < pressure.before_last - 0.3
    assert pressure.to_dict()["last_arrows"]["before_last"] == pressure.before_last


def test_sets_in_no_order_and_cumulative_ends_are_not_read() -> None:
    unordered = played("set", [1, -1, 1, -1, 1])
    pressure = under_pressure([unordered], "AGB")
    assert pressure.last_arrows.count == 0
    assert pressure.last_arrows.verdict == "not_enough"
    cumulative = Match(
        "cumulative",
        match_round("compound", False),
        Ghost.from_handicap(20, bow="compound"),
        1,
    )
    while cumulative.expected_arrows():
        cumulative.add_end(["10", "9", "9"], in_order=True)
    assert under_pressure([cumulative], "AGB").last_arrows.count == 0
    # One match (five sets at most): read, but too few for a verdict.
    small = under_pressure(ordered_matches(1, seed=2), "AGB").last_arrows
    assert 0 < small.count < MIN_LAST_ARROWS
    assert small.percentile is not None
    assert small.verdict == "not_enough"
