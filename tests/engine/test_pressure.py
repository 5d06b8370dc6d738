"""Under pressure: the deciding sets and shoot-offs of an archer's matches,
against what their own model expects."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from ghost_simulator.engine import Ghost, Match, match_round
from ghost_simulator.engine.pressure import (
    CLOSE_TOTAL,
    MIN_SETS,
    MIN_SHOOT_OFFS,
    blurred_percentile,
    decided_by_shoot_off,
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
