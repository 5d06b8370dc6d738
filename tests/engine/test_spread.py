"""An archer's own spread: recovered from simulated archers of known form and
drift, the population's on too few rounds, shrunk in between; a ghost with
it keeps its mean; the odds with it stay even at equal levels."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ghost_simulator.engine import Ghost, GhostError, Match, get_round, handicaps
from ghost_simulator.engine.matches import ArcherModel, MatchError
from ghost_simulator.engine.odds import (
    Opponents,
    ghost_round_pmf,
    mean_std,
    set_match_odds,
)
from ghost_simulator.engine.rounds import match_round
from ghost_simulator.engine.spread import (
    MIN_ROUNDS,
    PRIOR_ROUNDS,
    ShotRound,
    SpreadError,
    estimate_spread,
    population,
)

WA18 = get_round("wa18")


def archer(
    form: float, drift: float, rounds: int, seed: int, level: float = 40.0
) -> list[ShotRound]:
    """Rounds shot by a simulated archer of that level, form and drift."""
    shooter = Ghost.from_handicap(level, form=form, drift=drift)
    return [
        ShotRound(
            WA18, tuple(e.total for e in shooter.shoot(WA18, seed * 1000 + n).ends)
        )
        for n in range(rounds)
    ]


@pytest.mark.parametrize(
    ("form", "drift"), [(6.0, 1.0), (1.5, 5.0), (4.0, 3.25)], ids=str
)
def test_a_known_archer_is_recovered(form: float, drift: float) -> None:
    """Eight archers of 40 rounds each: the raw estimates average within one
    handicap point of the truth (their spread from archer to archer is about
    1 point: 40 rounds are a small sample of a variance)."""
    found = [estimate_spread(archer(form, drift, 40, seed)) for seed in range(8)]
    assert all(s is not None and s.own and s.rounds == 40 for s in found)
    raw_form = np.mean([s.raw_form for s in found if s is not None])
    raw_drift = np.mean([s.raw_drift for s in found if s is not None])
    assert abs(raw_form - form) < 1.0
    assert abs(raw_drift - drift) < 1.0


def test_metronomes_and_streaky_archers_are_told_apart() -> None:
    steady = estimate_spread(archer(6.0, 1.0, 30, 1))
    streaky = estimate_spread(archer(1.5, 5.0, 30, 1))
    assert steady is not None
    assert streaky is not None
    assert steady.drift < steady.population_drift < streaky.drift
    assert streaky.form < steady.population_form < steady.form


def test_too_few_comparable_rounds_give_the_population() -> None:
    rounds = archer(6.0, 1.0, MIN_ROUNDS - 1, 2)
    # Rounds shot once each are not comparable, however many.
    rounds += [ShotRound(get_round(code), _shot(code)) for code in ("wa720_70", "york")]
    found = estimate_spread(rounds)
    assert found is not None
    assert found.rounds == MIN_ROUNDS - 1
    assert not found.own
    assert found.weight == 0
    assert found.raw_form is None
    pop = population(found.level, "recurve", "AGB")
    assert (found.form, found.drift) == (pop.form, pop.drift)
    assert estimate_spread([]) is None


def _shot(code: str) -> tuple[int, ...]:
    rnd = get_round(code)
    return tuple(e.total for e in Ghost.from_handicap(40).shoot(rnd, 5).ends)


def test_the_figures_lean_toward_the_population_by_how_few_rounds() -> None:
    few, many = (estimate_spread(archer(6.0, 1.0, n, 3)) for n in (10, 60))
    assert few is not None
    assert many is not None
    assert few.weight == pytest.approx(10 / (10 + PRIOR_ROUNDS))
    assert many.weight == pytest.approx(60 / (60 + PRIOR_ROUNDS))
    for found in (few, many):
        assert found.raw_form is not None
        assert found.raw_drift is not None
        expected = math.sqrt(
            found.weight * found.raw_form**2
            + (1 - found.weight) * found.population_form**2
        )
        assert found.form == pytest.approx(expected)
        low, high = sorted((found.raw_drift, found.population_drift))
        assert low <= found.drift <= high


@settings(max_examples=25)
@given(
    st.lists(
        st.lists(st.integers(0, 30), min_size=20, max_size=20),
        min_size=0,
        max_size=24,
    )
)
def test_any_rounds_give_finite_figures_never_below_zero(ends: list[list[int]]) -> None:
    found = estimate_spread([ShotRound(WA18, tuple(e)) for e in ends])
    if not ends:
        assert found is None
        return
    assert found is not None
    for value in (found.form, found.drift, found.level):
        assert math.isfinite(value)
    assert found.form >= 0
    assert found.drift >= 0
    assert 0 <= found.weight < 1


def test_rounds_read_from_what_was_entered() -> None:
    entries: list[object] = [["X", "10", "9"]] * 19 + [{"total": 21}]
    shot = ShotRound.from_entries(WA18, entries)
    assert shot.ends == (29,) * 19 + (21,)
    with pytest.raises(SpreadError, match="20 ends"):
        ShotRound.from_entries(WA18, entries[:3])
    with pytest.raises(SpreadError, match="Not an end"):
        ShotRound.from_entries(WA18, [["Q"]] * 20)


def test_a_ghost_like_me_averages_its_level_and_keeps_its_spread() -> None:
    found = estimate_spread(archer(6.0, 1.0, 20, 4))
    assert found is not None
    ghost = found.ghost()
    assert ghost.variability().form == found.form
    assert ghost.variability().drift == found.drift
    mean, _ = mean_std(ghost_round_pmf(ghost, WA18))
    assert mean == pytest.approx(handicaps.expected_score(WA18, found.level), abs=0.5)
    again = Ghost.from_dict(ghost.to_dict())
    assert again == ghost
    assert again.drift == found.drift
    on = found.on_round(WA18)
    assert on.own > on.typical  # more form than most: more spread day to day


def test_drift_is_checked_and_old_ghosts_store_as_before() -> None:
    assert "drift" not in Ghost.from_handicap(40).to_dict()
    with pytest.raises(GhostError):
        Ghost.from_handicap(40, drift=-1.0)
    with pytest.raises(GhostError):
        Ghost.from_handicap(40, drift=2.0, model=1)


@pytest.mark.parametrize("bow", ["recurve", "compound"])
def test_equal_archers_with_the_same_own_spread_have_even_chances(bow: str) -> None:
    rnd = match_round(bow, False)
    ghost = Ghost.from_handicap(30, bow=bow, form=5.0, drift=1.5)
    opponents = Opponents(rnd.distances[0], 30.0, "AGB", bow, form=5.0, drift=1.5)
    assert set_match_odds(opponents, ghost, rnd=rnd).win == pytest.approx(
        0.5, abs=0.005
    )


def test_the_match_keeps_how_the_odds_model_the_archer() -> None:
    match = Match("set", match_round("recurve", False), Ghost.from_handicap(30), 1)
    assert "archer" not in match.to_dict()  # stored as before by default
    match.archer = ArcherModel(form=5.0, drift=1.5)
    again = Match.from_dict(match.to_dict())
    assert again.archer == ArcherModel(form=5.0, drift=1.5)
    with pytest.raises(MatchError):
        ArcherModel(form=-1.0)
    with pytest.raises(MatchError):
        Match.from_dict({**match.to_dict(), "archer": {"drift": "lots"}})
