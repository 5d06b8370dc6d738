"""The ghost ladder keeps its promise: played out by a simulated archer (a
ghost of a fixed level), it wins the target share of its matches; an archer
who improves is followed within a few matches."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ghost_simulator.engine.ladder import (
    Estimate,
    Ladder,
    LadderError,
    LadderFormat,
    next_ghost,
    simulate_ladder,
)
from ghost_simulator.engine.matches import Match


@pytest.mark.parametrize(
    "fmt",
    [
        LadderFormat("set"),
        LadderFormat("cumulative", bow="compound", indoor=True),
        LadderFormat("ranking", round_code="wa18_triple"),
    ],
    ids=["set", "cumulative", "ranking"],
)
@pytest.mark.parametrize("target", [0.05, 0.3, 0.5, 0.7, 0.95])
def test_the_next_ghost_gives_the_target_by_the_exact_odds(
    fmt: LadderFormat, target: float
) -> None:
    ghost = next_ghost(fmt, 35, target)
    assert round(ghost, 1) == ghost  # on the tenths the app shows
    assert fmt.win_chance(35, ghost) == pytest.approx(target, abs=0.01)
    if target == 0.5:  # equals: the ghost is the archer's level
        assert ghost == 35


@pytest.mark.parametrize(
    ("fmt", "target", "matches"),
    [
        (LadderFormat("set"), 0.5, 2000),
        (LadderFormat("set"), 0.3, 2000),
        # A compound ladder's odds cost more to work out at each new level:
        # 1,000 matches (the win rate's standard error 1.4 points).
        (LadderFormat("cumulative", bow="compound"), 0.7, 1000),
    ],
    ids=["set-50", "set-30", "cumulative-70"],
)
def test_a_fixed_archer_wins_the_target_share(
    fmt: LadderFormat, target: float, matches: int
) -> None:
    ladder = simulate_ladder(fmt, 30, target, matches, seed=7)
    assert len(ladder.rungs) == matches
    assert abs(ladder.win_rate - target) <= 0.03, ladder.win_rate
    # The level it believes stays on the archer's, without a bias.
    believed = np.array([r.estimate for r in ladder.rungs[50:]])
    assert believed.mean() == pytest.approx(30, abs=0.5)
    # Its own chances were what it aimed at.
    assert np.mean([r.chance for r in ladder.rungs]) == pytest.approx(target, abs=0.01)


def test_an_improving_archer_is_followed() -> None:
    """A tenth of a handicap point better every match (ten points in a
    hundred matches): the ladder's belief lags about one point behind."""

    def improving(number: int) -> float:
        return 45 - 0.1 * number

    fmt = LadderFormat("set")
    ladder = simulate_ladder(fmt, 45, 0.5, 200, seed=2, true_level=improving)
    lag = np.array([r.estimate - improving(r.number - 1) for r in ladder.rungs])
    assert lag[30:].mean() < 1.5
    assert abs(ladder.win_rate - 0.5) < 0.1


def test_a_sudden_jump_is_followed_within_a_few_matches() -> None:
    def jump(number: int) -> float:
        return 40 if number < 40 else 33

    fmt = LadderFormat("set")
    lags = []
    for seed in range(6):
        ladder = simulate_ladder(fmt, 40, 0.5, 52, seed=seed, true_level=jump)
        lags.append([r.estimate - jump(r.number - 1) for r in ladder.rungs[40:]])
    # Seven points better from match 41: ten matches later the belief is, on
    # average over six ladders, within two points of it.
    assert np.mean([lag[10] for lag in lags]) < 2.0
    assert np.mean([lag[0] for lag in lags]) > 5.0  # it did not know at first


def test_a_ladder_records_each_match() -> None:
    fmt = LadderFormat("set")
    ladder = Ladder.start(fmt, 30, 0.5)
    ghost = ladder.next_ghost()
    match = fmt.match(ghost, 11)
    for _ in range(5):
        if not match.expected_arrows():
            break
        match.add_end(["10", "10", "10"])
    rung = ladder.record(match, ghost)
    assert rung.result == "won"
    assert rung.chance == pytest.approx(0.5, abs=0.01)
    assert ladder.estimate.level < 30  # all tens: better than believed
    assert ladder.estimate.uncertainty < 8
    unfinished = fmt.match(ghost, 12)
    with pytest.raises(Exception, match="finished"):
        ladder.record(unfinished, ghost)
    assert len(ladder.rungs) == 1


@pytest.mark.parametrize("target", [0.04, 0.96, -1, math.nan, math.inf])
def test_targets_outside_five_to_ninety_five_percent_are_refused(
    target: float,
) -> None:
    with pytest.raises(LadderError, match="5%"):
        Ladder.start(LadderFormat("set"), 30, target)


def test_bad_formats_are_refused() -> None:
    with pytest.raises(LadderError, match="set, cumulative, ranking"):
        LadderFormat("duel")
    with pytest.raises(LadderError, match="needs a round"):
        LadderFormat("ranking")
    with pytest.raises(LadderError, match="Unknown bow"):
        LadderFormat("set", bow="crossbow")
    with pytest.raises(LadderError, match="at least one match"):
        simulate_ladder(LadderFormat("set"), 30, 0.5, 0, seed=1)


@given(
    level=st.floats(-10, 100),
    uncertainty=st.floats(0.1, 20),
    earned=st.floats(-20, 120),
    noise=st.floats(0.5, 30),
)
def test_an_estimate_moves_toward_what_it_measured(
    level: float, uncertainty: float, earned: float, noise: float
) -> None:
    after = Estimate(level, uncertainty).after(earned, noise)
    low, high = sorted((level, earned))
    assert low - 1e-9 <= after.level <= high + 1e-9
    assert 0 < after.uncertainty < math.hypot(uncertainty, 1.5) + 1e-9


def test_matches_are_real_matches() -> None:
    fmt = LadderFormat("ranking", round_code="wa18")
    match = fmt.match(40.0, 3)
    assert isinstance(match, Match)
    assert match.kind == "ranking"
    assert match.ghost.handicap == 40.0
