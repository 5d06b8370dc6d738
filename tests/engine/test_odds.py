"""Exact odds: convolutions checked against brute force and against matches
actually played out by two ghosts under the engine's own rules (the archer
played by a ghost of their level, unsteady like the ghost unless steady)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from ghost_simulator.engine.constants import BOWS
from ghost_simulator.engine.ghost import Ghost
from ghost_simulator.engine.matches import Match, match_round
from ghost_simulator.engine.odds import (
    Opponents,
    arrow_pmf,
    compare,
    cumulative_match_odds,
    ghost_chain,
    ghost_round_pmf,
    needed_in_set,
    power,
    round_odds,
    round_pmf,
    set_match_odds,
    shoot_off_win,
)
from ghost_simulator.engine.rounds import get_round


def test_power_is_repeated_convolution() -> None:
    pmf = np.array([0.1, 0.2, 0.3, 0.4])
    for n in range(0, 7):
        brute = np.ones(1)
        for _ in range(n):
            brute = np.convolve(brute, pmf)
        assert power(pmf, n) == pytest.approx(brute)


def test_end_pmf_by_enumeration() -> None:
    distance = match_round("recurve", False).distances[0]
    pmf = arrow_pmf(distance, 30, "AGB")
    brute = np.zeros(31)
    for a, b, c in itertools.product(range(11), repeat=3):
        brute[a + b + c] += pmf[a] * pmf[b] * pmf[c]
    assert power(pmf, 3) == pytest.approx(brute)
    assert power(pmf, 3).sum() == pytest.approx(1.0)


def test_compare() -> None:
    a = np.array([0.5, 0.5])
    assert compare(a, a) == pytest.approx((0.25, 0.5, 0.25))
    assert compare(np.array([0, 0, 1.0]), np.array([1.0])) == pytest.approx((1, 0, 0))


def test_round_pmf_mean_is_expected_score() -> None:
    from ghost_simulator.engine.handicaps import expected_score

    rnd = get_round("wa1440_90")
    pmf = round_pmf(rnd, 40, "AGB")
    assert pmf.sum() == pytest.approx(1.0)
    assert np.arange(len(pmf)) @ pmf == pytest.approx(expected_score(rnd, 40))


@pytest.mark.parametrize("steady", [False, True], ids=["unsteady", "steady"])
@pytest.mark.parametrize("indoor", [False, True], ids=["outdoor", "indoor"])
@pytest.mark.parametrize("bow", BOWS)
def test_equal_opponents_have_even_odds(bow: str, indoor: bool, steady: bool) -> None:
    """The archer and the ghost are equals: at the same level, on every match
    format and bow, even chances (both unsteady, or both steady)."""
    rnd = match_round(bow, indoor)
    for handicap in (5, 30, 60):
        ghost = Ghost.from_handicap(handicap, bow=bow, steady=steady)
        opponents = Opponents(rnd.distances[0], handicap, "AGB", bow, steady)
        for compute in (set_match_odds, cumulative_match_odds):
            odds = compute(opponents, ghost, rnd=rnd)
            assert odds.win == pytest.approx(0.5, abs=1e-9), (compute, handicap)
            assert odds.win + odds.loss == pytest.approx(1.0)
            assert 0 < odds.shoot_off <= 1  # a longbow at 5 on 30 m: nearly sure
    ranking = get_round("wa18" if indoor else "wa720_70", bow=bow)
    for handicap in (5, 30, 60):
        ghost = Ghost.from_handicap(handicap, bow=bow, steady=steady)
        equal = round_odds(ranking, handicap, ghost, "AGB", steady=steady)
        assert equal.win == pytest.approx(0.5, abs=1e-9)


def test_a_steady_archer_is_the_underdog_against_an_unsteady_equal() -> None:
    """The bias the archer's model removes: steady against an unsteady ghost
    of the same level, the archer wins less than half (47.6% in a recurve set
    match at handicap 25)."""
    rnd = match_round("recurve", False)
    steady = Opponents(rnd.distances[0], 25, "AGB", steady=True)
    odds = set_match_odds(steady, Ghost.from_handicap(25))
    assert 0.45 < odds.win < 0.49


def test_better_archer_wins_more() -> None:
    distance = match_round("recurve", False).distances[0]
    ghost = Ghost.from_handicap(30)
    chances = [
        set_match_odds(Opponents(distance, h, "AGB"), ghost).win
        for h in (50, 40, 30, 20, 10)
    ]
    assert chances == sorted(chances)


def play(system: str, archer: Ghost, ghost: Ghost, seed: int) -> str:
    """Play a match with a ghost standing in for the archer."""
    bow = "recurve" if system == "set" else "compound"
    match = Match.elimination(bow, ghost, seed, system=system)
    shot = archer.shoot(match.round, seed + 10**9, 5)
    for end in shot.ends:
        if match.expected_arrows() == 0:
            break
        match.add_end(end.labels)
    for arrow in shot.shoot_off:
        if match.verdict().finished:
            break
        ghost_arrow = match.ghost_round.shoot_off[len(match.shoot_offs)]
        closer = "archer" if arrow.distance < ghost_arrow.distance else "ghost"  # type: ignore[operator]
        match.add_shoot_off(arrow.label, closer)
    return match.verdict().status


@pytest.mark.parametrize(
    ("system", "archer_handicap", "ghost_handicap", "options", "archer_steady"),
    [
        ("set", 25, 30, {}, False),
        ("set", 30, 30, {}, False),
        ("set", 40, 35, {"steady": True}, False),
        ("set", 40, 35, {}, True),
        ("set", 45, 45, {"model": 1}, False),
        ("cumulative", 20, 20, {"bow": "compound"}, False),
        ("cumulative", 5, 10, {"bow": "compound", "form": 4.0}, False),
    ],
)
def test_odds_agree_with_matches_played_out(
    system: str,
    archer_handicap: float,
    ghost_handicap: float,
    options: dict,
    archer_steady: bool,
) -> None:
    ghost = Ghost.from_handicap(ghost_handicap, **options)
    bow = "recurve" if system == "set" else "compound"
    distance = match_round(bow, False).distances[0]
    opponents = Opponents(distance, archer_handicap, "AGB", bow, archer_steady)
    compute = set_match_odds if system == "set" else cumulative_match_odds
    exact = compute(opponents, ghost)
    archer = Ghost.from_handicap(archer_handicap, bow=bow, steady=archer_steady)
    runs = 3000
    results = [play(system, archer, ghost, seed) for seed in range(runs)]
    won = results.count("won") / runs
    standard_error = np.sqrt(exact.win * (1 - exact.win) / runs)
    assert abs(won - exact.win) < 4 * standard_error, (won, exact)


def test_shoot_off_formula_against_sampling() -> None:
    rnd = match_round("recurve", False)
    ghost = Ghost.from_handicap(35, steady=True)
    archer = Ghost.from_handicap(20, steady=True)
    mine, theirs = ghost_chain(archer, rnd), ghost_chain(ghost, rnd)
    p = shoot_off_win(mine, theirs, np.outer(mine.prior, theirs.prior))
    wins = 0
    runs = 4000
    for seed in range(runs):
        a = archer.shoot(rnd, seed, 1).shoot_off[0]
        g = ghost.shoot(rnd, seed + 10**6, 1).shoot_off[0]
        wins += (a.value, -a.distance) > (g.value, -g.distance)  # type: ignore[operator]
    assert wins / runs == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / runs))


def test_live_odds_from_any_state() -> None:
    distance = match_round("recurve", False).distances[0]
    opponents = Opponents(distance, 30, "AGB", steady=True)
    ghost = Ghost.from_handicap(30, steady=True)
    assert (
        set_match_odds(
            opponents, ghost, archer_points=6, ghost_points=2, sets_shot=4
        ).win
        == 1.0
    )
    assert (
        set_match_odds(
            opponents, ghost, archer_points=2, ghost_points=6, sets_shot=4
        ).win
        == 0.0
    )
    at_five_all = set_match_odds(
        opponents, ghost, archer_points=5, ghost_points=5, sets_shot=5
    )
    assert at_five_all.shoot_off == pytest.approx(1.0)
    assert at_five_all.win == pytest.approx(0.5)
    ahead = set_match_odds(
        opponents, ghost, archer_points=4, ghost_points=0, sets_shot=2
    )
    behind = set_match_odds(
        opponents, ghost, archer_points=0, ghost_points=4, sets_shot=2
    )
    assert ahead.win == pytest.approx(behind.loss)
    assert ahead.win > 0.8


def test_ghost_shown_arrows_update_the_odds() -> None:
    distance = match_round("recurve", False).distances[0]
    opponents = Opponents(distance, 30, "AGB")
    ghost = Ghost.from_handicap(30, form=3.0)
    prior = set_match_odds(
        opponents, ghost, archer_points=1, ghost_points=1, sets_shot=1
    )
    hot = set_match_odds(
        opponents,
        ghost,
        archer_points=1,
        ghost_points=1,
        sets_shot=1,
        ghost_shown=[[10, 10, 10]],
    )
    cold = set_match_odds(
        opponents,
        ghost,
        archer_points=1,
        ghost_points=1,
        sets_shot=1,
        ghost_shown=[[6, 5, 4]],
    )
    assert hot.win < prior.win < cold.win


def test_needed_in_set() -> None:
    distance = match_round("recurve", False).distances[0]
    opponents = Opponents(distance, 30, "AGB")
    ghost = Ghost.from_handicap(30, steady=True)
    at_match_point = needed_in_set(opponents, ghost, archer_points=3, ghost_points=5)
    assert at_match_point["to_stay_in"] == at_match_point["to_win_set"]
    assert 20 <= at_match_point["to_stay_in"] <= 30  # type: ignore[operator]
    one_set_from_match_point = needed_in_set(
        opponents, ghost, archer_points=2, ghost_points=4
    )
    assert one_set_from_match_point["to_stay_in"] <= at_match_point["to_stay_in"]  # type: ignore[operator]
    assert (
        needed_in_set(opponents, ghost, archer_points=2, ghost_points=2)["to_stay_in"]
        is None
    )


def test_round_odds() -> None:
    rnd = get_round("wa18")
    equal = round_odds(
        rnd, 30, Ghost.from_handicap(30, steady=True), "AGB", steady=True
    )
    assert equal.win == pytest.approx(0.5)
    assert equal.shoot_off > 0
    assert round_odds(rnd, 10, Ghost.from_handicap(50), "AGB").win > 0.999


def test_min_max_and_perfect_ghosts_have_odds() -> None:
    distance = match_round("recurve", False).distances[0]
    opponents = Opponents(distance, 30, "AGB")
    assert set_match_odds(opponents, Ghost.perfect()).win == pytest.approx(
        0.0, abs=1e-9
    )
    easy = Ghost.from_min_max(5, 10, end_size=3)
    assert set_match_odds(opponents, easy).win > 0.99
    rnd = get_round("wa18")
    pmf = ghost_round_pmf(Ghost.from_min_max(20, 24, end_size=3), rnd)
    assert np.arange(len(pmf)) @ pmf == pytest.approx(22 * 20)


def test_live_odds_follow_the_match() -> None:
    from ghost_simulator.engine.odds import live_odds

    match = Match.elimination("recurve", Ghost.from_handicap(30), seed=4)
    start = live_odds(match, 30)
    distance = match.round.distances[0]
    assert start.win == pytest.approx(
        set_match_odds(Opponents(distance, 30, "AGB"), match.ghost).win
    )
    match.add_end(["X", "X", "X"])
    assert live_odds(match, 30).win > start.win
    while not match.verdict().finished and match.verdict().status != "shoot_off":
        match.add_end(["X", "X", "X"])
    assert live_odds(match, 30).win == (1.0 if match.verdict().status == "won" else 0.5)


def test_live_odds_cumulative_and_ranking() -> None:
    from ghost_simulator.engine.odds import live_odds

    match = Match.elimination("compound", Ghost.from_handicap(15), seed=2)
    before = live_odds(match, 15)
    assert before.win == pytest.approx(0.5, abs=1e-9)  # equals: even
    match.add_end(["M", "M", "M"])
    assert live_odds(match, 15).win < 0.05
    rnd = get_round("wa18", half=True)
    ranking = Match("ranking", rnd, Ghost.from_handicap(30, steady=True), 1)
    assert live_odds(ranking, 30, steady=True).win == pytest.approx(0.5)
    # Unsteady against a steady ghost of the same mean: a little ahead.
    assert 0.5 < live_odds(ranking, 30).win < 0.53
    ranking.add_end(["X", "X", "X"])
    assert live_odds(ranking, 30).win > 0.5


def test_live_odds_in_a_shoot_off() -> None:
    from ghost_simulator.engine.odds import live_odds

    match = Match.elimination("recurve", Ghost.from_handicap(30, steady=True), seed=1)
    for end in match.ghost_round.ends:
        match.add_end(total=end.total)
    assert match.verdict().status == "shoot_off"
    assert live_odds(match, 30, steady=True).win == pytest.approx(0.5)
    assert live_odds(match, 30).shoot_off == 1.0


def test_needed_in_total() -> None:
    from ghost_simulator.engine.odds import needed_in_total

    distance = match_round("compound", False).distances[0]
    opponents = Opponents(distance, 15, "AGB")
    ghost = Ghost.from_handicap(15, steady=True)
    level = needed_in_total(
        opponents, ghost, archer_total=0, ghost_total=0, arrows_left=15
    )
    behind = needed_in_total(
        opponents, ghost, archer_total=0, ghost_total=5, arrows_left=15
    )
    assert level is not None
    assert behind is not None
    assert behind > level
    hopeless = needed_in_total(
        opponents, ghost, archer_total=0, ghost_total=60, arrows_left=3
    )
    assert hopeless is None


def test_live_odds_are_calibrated_mid_match() -> None:
    """After two sets the live odds use what both sides have shown (their form
    and their current spell): matches whose odds said p are won a share p of
    the time, bin by bin."""
    from ghost_simulator.engine.odds import live_odds

    ghost = Ghost.from_handicap(35)
    archer = Ghost.from_handicap(35)  # as unsteady as the ghost
    predicted, won = [], []
    for seed in range(1500):
        match = Match.elimination("recurve", ghost, seed)
        shot = archer.shoot(match.round, seed + 10**9, 5)
        for end in shot.ends[:2]:
            match.add_end(end.labels)
        if match.verdict().finished:
            continue
        predicted.append(live_odds(match, 35).win)
        for end in shot.ends[2:]:
            if match.expected_arrows() == 0:
                break
            match.add_end(end.labels)
        for arrow in shot.shoot_off:
            if match.verdict().finished:
                break
            theirs = match.ghost_round.shoot_off[len(match.shoot_offs)]
            closer = "archer" if arrow.distance < theirs.distance else "ghost"  # type: ignore[operator]
            match.add_shoot_off(arrow.label, closer)
        won.append(match.verdict().status == "won")
    p, w = np.array(predicted), np.array(won)
    assert p.min() < 0.3  # the shown ends moved the odds
    assert p.max() > 0.7
    for low, high in ((0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 1.01)):
        inside = (p >= low) & (p < high)
        expected = p[inside].mean()
        standard_error = np.sqrt((p[inside] * (1 - p[inside])).sum()) / inside.sum()
        assert abs(w[inside].mean() - expected) < 4 * standard_error, (low, high)


def test_first_ends_in_one_pass_match_end_by_end() -> None:
    """The leaderboard's expected totals after each end (one pass, kept) are
    the chain's own, end by end; past the round's arrows, the whole round's;
    before any arrow, certainly 0."""
    from ghost_simulator.engine.odds import (
        first_ends_total_pmf,
        first_ends_totals,
        ghost_chain,
    )

    rnd = get_round("wa1440_90")
    ghost = Ghost.from_handicap(35)
    chain = ghost_chain(ghost, rnd)
    totals = first_ends_totals(ghost, rnd)
    plan = rnd.end_plan()
    assert len(totals) == len(plan)
    arrows = 0
    for number, (_, size) in enumerate(plan):
        arrows += size
        np.testing.assert_allclose(totals[number], chain.first_ends_pmf(arrows))
        np.testing.assert_allclose(
            first_ends_total_pmf(ghost, rnd, arrows - 1), totals[number]
        )
        assert not totals[number].flags.writeable
    assert first_ends_total_pmf(ghost, rnd, arrows + 50) is totals[-1]
    assert first_ends_total_pmf(ghost, rnd, 0).tolist() == [1.0]
    assert first_ends_totals(ghost, rnd) is totals  # kept
