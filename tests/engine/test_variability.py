"""Model versions 2 and 3: a ghost as unsteady as a real archer, whose mean
stays exactly its handicap's, and whose arrows never change for a given seed."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ghost_simulator.engine import handicaps
from ghost_simulator.engine.ghost import Ghost, simulate
from ghost_simulator.engine.odds import ghost_round_pmf, mean_std
from ghost_simulator.engine.rounds import get_round
from ghost_simulator.engine.variability import (
    CURRENT_MODEL,
    agb_equivalent,
    level_variability,
)

# -- the reproducibility promise, versions 2 and 3: these must never change ---------

GOLDEN_IDS = ["handicap", "score", "imperial", "compound", "AA", "steady"]


GOLDEN_CASES = [
    (
        lambda r: Ghost.from_handicap(40.0),
        "wa18",
        "recurve",
        2026,
        [["10", "9", "9"], ["9", "9", "9"], ["9", "8", "7"]],
        (538, 5, 15, 36.45016837948815, 32.88287046959104),
        ["9", "X"],
    ),
    (
        lambda r: Ghost.from_score(r, 600),
        "wa720_70",
        "recurve",
        7,
        [
            ["10", "9", "8", "8", "7", "5"],
            ["9", "9", "8", "8", "8", "8"],
            ["10", "10", "9", "7", "7", "6"],
        ],
        (595, 4, 15, 31.61053215319766, 31.420945637414032),
        ["7", "8"],
    ),
    (
        lambda r: Ghost.from_handicap(50.0),
        "york",
        "recurve",
        99,
        [
            ["7", "5", "5", "3", "3", "M"],
            ["7", "7", "7", "7", "5", "M"],
            ["7", "7", "7", "5", "3", "3"],
        ],
        (816, 0, 0, 46.78723859013985, 50.61943298514705),
        ["7", "9"],
    ),
    (
        lambda r: Ghost.from_handicap(5.0, bow="compound"),
        "wa720_50_c",
        "compound",
        3,
        [
            ["10", "10", "10", "10", "10", "10"],
            ["10", "10", "10", "10", "9", "9"],
            ["X", "X", "X", "9", "9", "9"],
        ],
        (695, 14, 47, 5.41290930476522, 3.6885834116361105),
        ["10", "10"],
    ),
    (
        lambda r: Ghost.from_handicap(80.0, scheme="AA"),
        "wa18",
        "recurve",
        11,
        [["10", "9", "8"], ["X", "10", "9"], ["9", "8", "8"]],
        (526, 5, 16, 72.25793227552415, 77.52255713864112),
        ["8", "10"],
    ),
    (
        lambda r: Ghost.from_handicap(40.0, steady=True),
        "wa18",
        "recurve",
        2026,
        [["9", "9", "8"], ["9", "9", "8"], ["9", "7", "7"]],
        (516, 5, 10, 40.0, 40.0),
        ["9", "10"],
    ),
]


@pytest.mark.parametrize(
    ("ghost", "codename", "bow", "seed", "first_ends", "total", "shoot_off"),
    GOLDEN_CASES,
    ids=GOLDEN_IDS,
)
def test_golden_rounds_version_2(  # type: ignore[no-untyped-def]
    ghost, codename, bow, seed, first_ends, total, shoot_off
) -> None:
    rnd = get_round(codename, bow=bow)
    shot = replace(ghost(rnd), model=2).shoot(rnd, seed, shoot_off_arrows=2)
    assert shot.ghost.model == 2
    assert [e.labels for e in shot.ends[:3]] == first_ends
    score, xs, tens, today, first_level = total
    assert (shot.tally.total, shot.tally.xs, shot.tally.tens) == (score, xs, tens)
    assert shot.handicap_today == pytest.approx(today, abs=1e-12)
    assert shot.end_handicaps is not None
    assert shot.end_handicaps[0] == pytest.approx(first_level, abs=1e-12)
    assert [a.label for a in shot.shoot_off] == shoot_off


#: Version 3's golden rounds: the same ghosts, rounds and seeds as version 2's.
GOLDEN_V3 = [
    (
        [["10", "9", "9"], ["9", "9", "9"], ["9", "8", "8"]],
        (543, 5, 16, 35.266891172650865, 31.817126874412942),
        ["9", "X"],
    ),
    (
        [
            ["10", "9", "8", "8", "7", "5"],
            ["9", "9", "8", "8", "8", "7"],
            ["10", "10", "8", "7", "7", "6"],
        ],
        (588, 3, 13, 32.38468430628223, 32.076635473279396),
        ["7", "8"],
    ),
    (
        [
            ["7", "5", "5", "3", "3", "M"],
            ["7", "7", "7", "7", "5", "M"],
            ["7", "7", "7", "5", "3", "3"],
        ],
        (828, 0, 0, 45.71631812018647, 49.24659271190474),
        ["7", "9"],
    ),
    (
        [
            ["10", "10", "10", "10", "10", "10"],
            ["10", "10", "10", "10", "9", "9"],
            ["X", "X", "X", "9", "9", "9"],
        ],
        (696, 14, 48, 5.4587881164058, 3.878699295429924),
        ["10", "10"],
    ),
    (
        [["10", "9", "8"], ["X", "10", "9"], ["8", "8", "8"]],
        (517, 3, 15, 69.6772430340322, 74.75520144576632),
        ["8", "10"],
    ),
    (
        [["9", "9", "8"], ["9", "9", "8"], ["9", "7", "7"]],
        (516, 5, 10, 40.0, 40.0),
        ["9", "10"],
    ),
]


@pytest.mark.parametrize("case", range(len(GOLDEN_V3)), ids=GOLDEN_IDS)
def test_golden_rounds_version_3(case: int) -> None:
    """The current model (new ghosts get it): pinned as version 2's are."""
    ghost, codename, bow, seed, *_ = GOLDEN_CASES[case]
    first_ends, total, shoot_off = GOLDEN_V3[case]
    rnd = get_round(codename, bow=bow)
    shot = ghost(rnd).shoot(rnd, seed, shoot_off_arrows=2)
    assert shot.ghost.model == 3 == CURRENT_MODEL
    assert [e.labels for e in shot.ends[:3]] == first_ends
    score, xs, tens, today, first_level = total
    assert (shot.tally.total, shot.tally.xs, shot.tally.tens) == (score, xs, tens)
    assert shot.handicap_today == pytest.approx(today, abs=1e-12)
    assert shot.end_handicaps is not None
    assert shot.end_handicaps[0] == pytest.approx(first_level, abs=1e-12)
    assert [a.label for a in shot.shoot_off] == shoot_off


def test_old_ghosts_keep_model_1() -> None:
    """A ghost stored before model versions existed replays with version 1."""
    stored = {
        "kind": "handicap",
        "handicap": 40.0,
        "scheme": "AGB",
        "form": 2.0,
        "min_end": None,
        "max_end": None,
        "source": {},
    }
    old = Ghost.from_dict(stored)
    assert old.model == 1
    assert old == Ghost.from_handicap(40.0, form=2.0, model=1)
    rnd = get_round("wa18")
    assert old.shoot(rnd, 2026).tally.total == 530  # version 1's golden round
    assert Ghost.from_dict(Ghost.from_handicap(40).to_dict()).model == CURRENT_MODEL


@settings(max_examples=30, deadline=None)
@given(
    handicap=st.floats(-20, 110),
    seed=st.integers(0, 2**63 - 1),
    bow=st.sampled_from(["recurve", "compound", "barebow", "longbow"]),
    extra=st.integers(0, 7),
)
def test_shoot_off_arrows_and_simulate_agree_with_shoot(
    handicap: float, seed: int, bow: str, extra: int
) -> None:
    rnd = get_round("wa18", bow=bow)
    ghost = Ghost.from_handicap(handicap, bow=bow)
    plain = ghost.shoot(rnd, seed)
    longer = ghost.shoot(rnd, seed, shoot_off_arrows=extra)
    assert plain.ends == longer.ends
    assert len(longer.shoot_off) == extra
    assert simulate(ghost, rnd, 2, seed).totals[0] == plain.tally.total
    assert simulate(ghost, rnd, 2, seed).ends[0].tolist() == [
        e.total for e in plain.ends
    ]


# -- the levels ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "handicap", "bow", "form", "drift", "bad"),
    [
        (2, 5, "recurve", 3.0, 2.0, 0.0),  # elite
        (2, 40, "recurve", 3.0, 3.5, 0.003),  # club and national
        (2, 90, "recurve", 3.0, 4.5, 0.003),  # novice
        (2, 0, "compound", 2.25, 2.0, 0.0),
        (2, 20, "compound", 2.25, 3.5, 0.003),
        (2, 40, "barebow", 3.0, 2.0, 0.0),
        (2, 65, "longbow", 3.0, 2.75, 0.0015),  # half way from elite to club
        (3, 5, "recurve", 4.0, 1.75, 0.0),
        (3, 40, "recurve", 4.0, 3.25, 0.003),
        (3, 90, "recurve", 4.0, 4.25, 0.003),
        (3, 0, "compound", 2.5, 1.75, 0.0),
        (3, 20, "compound", 2.5, 3.25, 0.003),
        (3, 40, "barebow", 4.0, 1.75, 0.0),
        (3, 65, "longbow", 4.0, 2.5, 0.0015),
    ],
)
def test_level_variability(
    model: int, handicap: float, bow: str, form: float, drift: float, bad: float
) -> None:
    var = level_variability(handicap, bow, "AGB", model=model)
    assert (var.form, var.drift, var.bad_rate) == pytest.approx((form, drift, bad))
    assert var.bad_offset == 40
    assert var.end_correlation(3) == pytest.approx(0.75, abs=0.005)
    assert var.end_correlation(6) == pytest.approx(0.57, abs=0.005)
    assert Ghost.from_handicap(handicap, bow=bow, model=model).variability() == var


def test_other_schemes_are_as_unsteady_as_archery_gb() -> None:
    """An AA ghost of the same group size has the same unsteadiness, in AA
    points, and its bad arrows are worse (lower on AA's scale)."""
    rnd = get_round("wa720_70")
    agb = handicaps.handicap_for_score(rnd, 600, "AGB")
    aa = handicaps.handicap_for_score(rnd, 600, "AA")
    equivalent, slope = agb_equivalent(aa, "AA")
    assert equivalent == pytest.approx(agb, abs=0.5)
    assert slope < 0
    var = level_variability(aa, "recurve", "AA")
    assert var.drift * abs(slope) == pytest.approx(3.25)
    assert var.bad_offset < 0
    assert var.form * abs(slope) == pytest.approx(4.0)


def test_steady_ghost_is_the_plain_handicap_model() -> None:
    rnd = get_round("wa1440_90")
    ghost = Ghost.from_handicap(45, steady=True)
    assert ghost.variability().steady
    assert ghost.base_handicap(rnd) == 45
    mean, _ = mean_std(ghost_round_pmf(ghost, rnd))
    assert mean == pytest.approx(handicaps.expected_score(rnd, 45), abs=1e-9)
    assert "steady" in ghost.label


# -- means stay exact; the spread is a real archer's ------------------------------


@pytest.mark.parametrize(
    ("codename", "bow", "handicap"),
    [
        ("wa18", "recurve", 38),
        ("wa18", "compound", 10),
        ("wa720_70", "recurve", 20),
        ("wa1440_90", "recurve", 55),
        ("portsmouth", "barebow", 60),
        ("york", "longbow", 85),
    ],
)
def test_means_stay_exact(codename: str, bow: str, handicap: float) -> None:
    rnd = get_round(codename, bow=bow)
    ghost = Ghost.from_handicap(handicap, bow=bow)
    table = handicaps.expected_score(rnd, handicap)
    assert ghost.base_handicap(rnd) != handicap
    exact, _ = mean_std(ghost_round_pmf(ghost, rnd))
    assert exact == pytest.approx(table, abs=0.3)
    totals = simulate(ghost, rnd, 20000, seed=7).totals
    standard_error = totals.std() / np.sqrt(len(totals))
    assert abs(totals.mean() - table) < max(1.0, 4 * standard_error)


def test_score_to_beat_is_the_mean() -> None:
    rnd = get_round("wa18")
    ghost = Ghost.from_score(rnd, 560)
    totals = simulate(ghost, rnd, 20000, seed=1).totals
    assert abs(totals.mean() - 560) < 1.0


def test_round_to_round_spread_of_a_527_ghost() -> None:
    """WA 18 m recurve at about 527: version 1 varied 11.3 points from round to
    round, version 2 16.3; version 3 meets real archers' 18 to 20."""
    rnd = get_round("wa18")
    v1 = simulate(Ghost.from_score(rnd, 527, model=1), rnd, 20000, seed=3).totals
    v2 = simulate(Ghost.from_score(rnd, 527, model=2), rnd, 20000, seed=3).totals
    v3 = simulate(Ghost.from_score(rnd, 527), rnd, 20000, seed=3).totals
    assert v1.std() == pytest.approx(11.3, abs=0.3)
    assert v2.std() == pytest.approx(16.3, abs=0.4)
    assert 18.0 <= v3.std() <= 20.0
    _, exact = mean_std(ghost_round_pmf(Ghost.from_score(rnd, 527), rnd))
    assert v3.std() == pytest.approx(exact, rel=0.03)
    assert v3.mean() == pytest.approx(527, abs=0.5)


def half_ratio(ghost: Ghost, codename: str, bow: str, runs: int = 20000) -> float:
    """Var(first half - second half) against what independent arrows predict
    from each round's own arrows (twice a half's arrows times the variance of
    the round's arrow values), as a study of real results measures it."""
    rnd = get_round(codename, bow=bow)
    arrows = simulate(ghost, rnd, runs, seed=11, keep_arrows=True).arrows
    assert arrows is not None
    half = rnd.arrows // 2
    gap = arrows[:, :half].sum(axis=1) - arrows[:, half:].sum(axis=1)
    predicted = rnd.arrows * arrows.var(axis=1, ddof=1).mean()
    return float(gap.var() / predicted)


@pytest.mark.parametrize(
    ("handicap", "bow", "codename", "low", "high"),
    [
        # Real archers (issue 15): elite recurve 1.10 to 1.25, club 1.34 to
        # 1.53, novices more than club.
        (8, "recurve", "wa720_70", 1.10, 1.25),  # elite
        (20, "recurve", "wa18", 1.10, 1.25),  # near the elite
        (40, "recurve", "wa720_70", 1.34, 1.53),  # club and national
        (30, "recurve", "wa18", 1.34, 1.53),
        (80, "recurve", "wa18", 1.34, 1.65),  # novice (at 70 m: 1.31, see README)
        (0, "compound", "wa720_50_c", 1.0, 1.25),
        (20, "compound", "wa720_50_c", 1.3, 1.53),
    ],
)
def test_halves_differ_like_a_real_archers(
    handicap: float, bow: str, codename: str, low: float, high: float
) -> None:
    ratio = half_ratio(Ghost.from_handicap(handicap, bow=bow), codename, bow)
    assert low <= ratio <= high
    steady = Ghost.from_handicap(handicap, bow=bow, steady=True)
    assert half_ratio(steady, codename, bow) == pytest.approx(1.0, abs=0.04)


def test_drift_carries_from_end_to_end() -> None:
    rnd = get_round("wa18")
    ghost = Ghost.from_handicap(40)
    pairs = []
    for seed in range(300):
        levels = ghost.shoot(rnd, seed).end_handicaps
        assert levels is not None
        day = np.mean(levels)
        pairs += [(a - day, b - day) for a, b in itertools.pairwise(levels)]
    x, y = np.array(pairs).T
    # 0.91 per arrow: 0.75 between 3-arrow ends (less a little for the day's
    # mean taken out of 20 ends).
    assert np.corrcoef(x, y)[0, 1] == pytest.approx(0.68, abs=0.05)
