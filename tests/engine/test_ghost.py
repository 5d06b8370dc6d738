"""The ghost: reproducible arrows, realistic spreads, and the original's min/max."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ghost_simulator.engine import handicaps
from ghost_simulator.engine.ghost import (
    MOST_PRESSURE,
    PRESSURE_POINTS,
    ArrowStream,
    Ghost,
    GhostError,
    simulate,
)
from ghost_simulator.engine.odds import ghost_round_pmf, mean_std, round_pmf
from ghost_simulator.engine.rounds import get_round

# -- the reproducibility promise: these must never change --------------------------


def test_stream_is_pcg64_raw_bits() -> None:
    """The uniforms are PCG64's raw 64-bit outputs, top 53 bits, centred."""
    assert ArrowStream(42).uniforms(4).tolist() == [
        0.7739560485559633,
        0.4388784397520524,
        0.8585979199113825,
        0.697368029059364,
    ]


@pytest.mark.parametrize(
    ("ghost", "codename", "seed", "first_ends", "total", "xs", "tens", "today"),
    [
        (
            lambda r: Ghost.from_handicap(40.0, model=1),
            "wa18",
            2026,
            [["X", "9", "9"], ["X", "9", "9"], ["9", "9", "8"]],
            530,
            6,
            13,
            37.633445586325436,
        ),
        (
            lambda r: Ghost.from_score(r, 600, model=1),
            "wa720_70",
            7,
            [
                ["9", "9", "8", "8", "7", "5"],
                ["X", "9", "9", "8", "7", "6"],
                ["9", "9", "8", "8", "8", "5"],
            ],
            587,
            5,
            11,
            30.836380000113085,
        ),
        (
            lambda r: Ghost.from_handicap(50.0, model=1),
            "york",
            99,
            [
                ["9", "5", "5", "5", "3", "3"],
                ["9", "7", "5", "3", "3", "3"],
                ["5", "5", "5", "3", "1", "1"],
            ],
            781,
            0,
            0,
            47.858159060093236,
        ),
        (
            lambda r: Ghost.from_min_max(15, 25, end_size=3, model=1),
            "wa18",
            5,
            [["7", "7", "6"], ["5", "5", "5"], ["8", "8", "8"]],
            397,
            0,
            0,
            None,
        ),
    ],
    ids=["handicap", "score", "imperial", "minmax"],
)
def test_golden_rounds(
    ghost, codename, seed, first_ends, total, xs, tens, today
) -> None:  # type: ignore[no-untyped-def]
    rnd = get_round(codename)
    shot = ghost(rnd).shoot(rnd, seed)
    assert [e.labels for e in shot.ends[:3]] == first_ends
    assert (shot.tally.total, shot.tally.xs, shot.tally.tens) == (total, xs, tens)
    if today is None:
        assert shot.handicap_today is None
    else:
        assert shot.handicap_today == pytest.approx(today, abs=1e-12)


def test_same_seed_same_arrows_other_seed_other_arrows() -> None:
    rnd, ghost = get_round("wa720_70"), Ghost.from_handicap(30)
    first, again = ghost.shoot(rnd, 11), ghost.shoot(rnd, 11)
    assert first.ends == again.ends
    assert first.ends != ghost.shoot(rnd, 12).ends


def test_simulate_run_zero_is_the_seeds_round() -> None:
    rnd, ghost = get_round("wa18"), Ghost.from_handicap(45)
    result = simulate(ghost, rnd, 5, 314)
    assert result.totals[0] == ghost.shoot(rnd, 314).tally.total
    assert result.tens[0] == ghost.shoot(rnd, 314).tally.tens
    assert result.xs[0] == ghost.shoot(rnd, 314).tally.xs


def test_shoot_off_arrows_do_not_change_the_round() -> None:
    rnd, ghost = get_round("wa18"), Ghost.from_handicap(20)
    plain, extra = ghost.shoot(rnd, 3), ghost.shoot(rnd, 3, shoot_off_arrows=4)
    assert plain.ends == extra.ends
    assert len(extra.shoot_off) == 4
    assert all(a.distance is not None for a in extra.shoot_off)


# -- invariants ----------------------------------------------------------------------

ROUNDS = [
    "wa18",
    "wa720_70",
    "wa720_50_c",
    "york",
    "wa18_triple",
    "portsmouth",
    "wa900",
]


@settings(max_examples=60, deadline=None)
@given(
    codename=st.sampled_from(ROUNDS),
    handicap=st.floats(-10, 120),
    seed=st.integers(0, 2**63 - 1),
    form=st.floats(0, 5),
    bow=st.sampled_from(["recurve", "compound"]),
)
def test_rounds_are_well_formed(
    codename: str, handicap: float, seed: int, form: float, bow: str
) -> None:
    rnd = get_round(codename, bow=bow)
    shot = Ghost.from_handicap(handicap, form=form).shoot(rnd, seed)
    assert len(shot.ends) == rnd.ends
    assert sum(e.total for e in shot.ends) == shot.tally.total <= rnd.max_score
    assert shot.running_totals()[-1] == shot.tally.total
    for (index, size), end in zip(rnd.end_plan(), shot.ends, strict=True):
        face = rnd.distances[index].face
        assert len(end.arrows) == size
        assert all(a.label in face.labels for a in end.arrows)
        assert [face.rank(a.label) for a in end.arrows] == sorted(
            face.rank(a.label) for a in end.arrows
        )  # highest first
        for a in end.arrows:
            assert a.value == face.values[a.label]
    assert shot.ends == Ghost.from_handicap(handicap, form=form).shoot(rnd, seed).ends


@settings(max_examples=40, deadline=None)
@given(low=st.integers(0, 29), width=st.integers(1, 30), seed=st.integers(0, 2**40))
def test_min_max_ends_stay_in_range(low: int, width: int, seed: int) -> None:
    high = min(low + width, 30)
    if high <= low:
        return
    rnd = get_round("wa18")
    shot = Ghost.from_min_max(low, high, end_size=3).shoot(rnd, seed)
    assert all(low <= e.total <= high for e in shot.ends)
    assert all(
        a.label in rnd.distances[0].face.labels for e in shot.ends for a in e.arrows
    )


# -- statistics: fixed seeds, tolerances from the exact distributions -------------


@pytest.mark.parametrize(
    ("codename", "handicap", "options"),
    [
        ("wa720_70", 35, {"steady": True}),
        ("wa720_70", 35, {}),
        ("wa720_70", 35, {"model": 1}),
        ("wa18", 20, {"steady": True}),
        ("wa18", 45, {"bow": "barebow"}),
        ("york", 60, {}),
        ("wa720_50_c", 10, {"bow": "compound"}),
    ],
)
def test_simulated_totals_match_the_exact_distribution(
    codename: str, handicap: float, options: dict[str, object]
) -> None:
    rnd = get_round(codename, bow=str(options.get("bow", "recurve")))
    ghost = Ghost.from_handicap(handicap, **options)
    runs = 20000
    totals = simulate(ghost, rnd, runs, seed=2024).totals
    mean, std = mean_std(ghost_round_pmf(ghost, rnd))
    # The sample mean is within 4 standard errors; the spread within 3%.
    assert abs(totals.mean() - mean) < 4 * std / np.sqrt(runs)
    assert totals.std() == pytest.approx(std, rel=0.03)
    table = handicaps.expected_score(rnd, handicap)
    if options.get("steady"):
        assert mean == pytest.approx(table, abs=1e-9)
    elif options.get("model") != 1:
        # Version 2 re-fits its base handicap: the mean is the table's.
        assert mean == pytest.approx(table, abs=0.3)


def test_zone_frequencies_match_the_ring_probabilities() -> None:
    """Chi-square of 100,000 arrows' zones against the handicap model."""
    rnd = get_round("wa18")
    ghost = Ghost.from_handicap(30, steady=True)
    arrows = [
        a
        for seed in range(0, 1700)
        for e in ghost.shoot(rnd, seed).ends
        for a in e.arrows
    ]
    face = rnd.distances[0].face
    observed = np.array([sum(a.label == z.label for a in arrows) for z in face.zones])
    expected = handicaps.distance_probabilities(rnd.distances[0], 30, "AGB") * len(
        arrows
    )
    keep = expected > 5
    chi2 = ((observed[keep] - expected[keep]) ** 2 / expected[keep]).sum()
    # 99.9th percentile of chi-square with (bins - 1) <= 11 degrees of freedom: 31.3
    assert chi2 < 31.3, (observed, expected.round())


def test_unsteadiness_widens_the_spread_like_a_real_archer() -> None:
    rnd = get_round("wa720_70")
    _, steady = mean_std(round_pmf(rnd, 35, "AGB"))
    _, version_1 = mean_std(ghost_round_pmf(Ghost.from_handicap(35, model=1), rnd))
    _, version_2 = mean_std(ghost_round_pmf(Ghost.from_handicap(35, model=2), rnd))
    _, version_3 = mean_std(ghost_round_pmf(Ghost.from_handicap(35), rnd))
    assert steady == pytest.approx(12.2, abs=0.05)
    assert version_1 == pytest.approx(18.1, abs=0.05)  # form 2.0 only
    assert version_2 == pytest.approx(26.37, abs=0.05)  # form, drift, bad arrows
    assert version_3 == pytest.approx(31.44, abs=0.05)  # more form, less drift


# -- defining ghosts -------------------------------------------------------------------


def test_score_ghost_expects_that_score() -> None:
    rnd = get_round("wa18")
    ghost = Ghost.from_score(rnd, 560)
    assert handicaps.expected_score(rnd, ghost.handicap) == pytest.approx(560)
    assert ghost.label == f"handicap {ghost.handicap:.1f} (AGB), 560 on wa18"


def test_perfect_ghost() -> None:
    rnd = get_round("wa720_70")
    shot = Ghost.perfect().shoot(rnd, 1)
    assert shot.tally.total == 720
    assert shot.tally.xs == 72
    assert all(
        a.distance <= rnd.distances[0].face.zones[0].radius
        for e in shot.ends
        for a in e.arrows
    )  # type: ignore[operator]


def test_history_ghost() -> None:
    wa18 = get_round("wa18")
    ghost = Ghost.from_history([(wa18, 540.0), (wa18, 560.0)], method="best")
    assert ghost.handicap == pytest.approx(handicaps.handicap_for_score(wa18, 560))


@pytest.mark.parametrize(
    ("low", "high", "outdoor", "message"),
    [
        (-1, 20, False, "minimum points per end must be 0 or more"),
        (20, 20, False, "maximum points per end must be greater than the minimum"),
        (25, 18, False, "greater than the minimum"),
        (10, 31, False, "cannot exceed 30 indoors and in elimination matches"),
        (10, 61, True, "cannot exceed 60 in an outdoor ranking round"),
    ],
)
def test_min_max_follows_the_original_rules(
    low: int, high: int, outdoor: bool, message: str
) -> None:
    with pytest.raises(GhostError, match=message):
        Ghost.from_min_max(
            low, high, end_size=6 if outdoor else 3, outdoor_ranking=outdoor
        )


def test_min_max_accepts_the_original_limits() -> None:
    assert Ghost.from_min_max(0, 30, end_size=3).max_end == 30
    assert Ghost.from_min_max(40, 60, end_size=6, outdoor_ranking=True).max_end == 60


def test_min_max_is_uniform() -> None:
    rnd = get_round("wa18")
    ghost = Ghost.from_min_max(20, 25, end_size=3)
    ends = [e.total for seed in range(300) for e in ghost.shoot(rnd, seed).ends]
    counts = np.bincount(ends, minlength=26)[20:26]
    assert counts.min() > 0.8 * len(ends) / 6
    assert counts.max() < 1.2 * len(ends) / 6


def test_bad_ghosts() -> None:
    with pytest.raises(handicaps.HandicapError, match="outside the AGB scale"):
        Ghost.from_handicap(1000)
    with pytest.raises(GhostError, match="cannot be negative"):
        Ghost.from_handicap(30, form=-1)
    with pytest.raises(GhostError, match="Seeds are whole numbers"):
        Ghost.from_handicap(30).shoot(get_round("wa18"), -1)


def test_ghost_round_trips_through_a_dict() -> None:
    ghost = Ghost.from_score(get_round("wa18"), 550, scheme="AA")
    assert Ghost.from_dict(ghost.to_dict()) == ghost
    assert Ghost.from_dict(ghost.to_dict()).source == ghost.source


# -- a ghost that feels pressure --------------------------------------------------


def test_pressure_is_off_by_default_and_kept_when_on() -> None:
    plain = Ghost.from_handicap(30)
    assert plain.pressure is None
    assert "pressure" not in plain.to_dict()  # states stored before stay as they were
    pressed = Ghost.from_handicap(30, pressure=PRESSURE_POINTS)
    assert pressed.to_dict()["pressure"] == PRESSURE_POINTS
    assert Ghost.from_dict(pressed.to_dict()) == pressed
    assert pressed != plain
    assert "feels pressure" in pressed.label


@pytest.mark.parametrize(
    "make",
    [
        lambda: Ghost.from_handicap(30, pressure=0),
        lambda: Ghost.from_handicap(30, pressure=-1),
        lambda: Ghost.from_handicap(30, pressure=MOST_PRESSURE + 1),
        lambda: Ghost.from_handicap(30, pressure=True),
        lambda: Ghost.from_handicap(30, pressure=2, model=1),
        lambda: Ghost("minmax", min_end=20, max_end=28, pressure=2),
        lambda: Ghost("perfect", pressure=2),
    ],
)
def test_pressure_is_refused_where_it_means_nothing(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(GhostError) as caught:
        make()
    assert caught.value.code == "bad_pressure"


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 2**40), st.floats(10, 70), st.sampled_from(["recurve", "compound"])
)
def test_only_the_last_arrow_of_each_end_is_shot_worse(
    seed: int, handicap: float, bow: str
) -> None:
    """The same draws: every arrow but each end's last lands where the plain
    ghost's does, and the last lands farther out on the same line (never
    scoring more); shoot-off arrows feel nothing."""
    from ghost_simulator.engine import match_round

    rnd = match_round(bow, False)
    plain = Ghost.from_handicap(handicap, bow=bow).shoot(rnd, seed, shoot_off_arrows=2)
    pressed = Ghost.from_handicap(handicap, bow=bow, pressure=PRESSURE_POINTS).shoot(
        rnd, seed, shoot_off_arrows=2
    )
    for mine, theirs in zip(pressed.ends, plain.ends, strict=True):
        mine_values = [a.value for a in mine.arrows]
        theirs_values = [a.value for a in theirs.arrows]
        assert all(m <= t for m, t in zip(mine_values, theirs_values, strict=True))
        # One arrow at most is another: the end's last, and it scores less.
        gone = Counter(theirs_values) - Counter(mine_values)
        came = Counter(mine_values) - Counter(theirs_values)
        assert sum(gone.values()) == sum(came.values()) <= 1
        assert all(new < old for new in came for old in gone)
    assert pressed.shoot_off == plain.shoot_off


def test_the_pressure_costs_what_the_odds_say_and_the_documented_points() -> None:
    """Simulated sets against the odds' own distribution of a set, and the
    figures PRESSURE_POINTS's documentation gives."""
    from ghost_simulator.engine import match_round
    from ghost_simulator.engine.odds import arrow_pmf, ghost_chain

    rnd = match_round("recurve", False)
    plain = Ghost.from_handicap(30)
    pressed = Ghost.from_handicap(30, pressure=PRESSURE_POINTS)
    sim_plain = simulate(plain, rnd, 40_000, 11)
    sim_pressed = simulate(pressed, rnd, 40_000, 11)  # the same draws: paired
    drop = float((sim_plain.ends - sim_pressed.ends).mean())

    def set_mean(ghost: Ghost) -> float:
        chain = ghost_chain(ghost, rnd)
        return mean_std(chain.prior @ chain.end_pmfs(0, 3))[0]

    expected = set_mean(plain) - set_mean(pressed)
    assert drop == pytest.approx(expected, abs=0.01)
    assert 0.13 < expected < 0.19
    distance = rnd.distances[0]

    def arrow_mean(handicap: float) -> float:
        pmf = arrow_pmf(distance, handicap, "AGB")
        return float(np.arange(len(pmf)) @ pmf)

    for level, figure in ((20, 0.11), (30, 0.16), (45, 0.27)):
        cost = arrow_mean(level) - arrow_mean(level + PRESSURE_POINTS)
        assert cost == pytest.approx(figure, abs=0.005)


def test_the_odds_read_a_pressed_ghosts_arrows_in_any_order() -> None:
    """An end's values do not say which arrow was last: the likelihood is the
    average over each being it."""
    from ghost_simulator.engine import match_round
    from ghost_simulator.engine.odds import ghost_chain

    rnd = match_round("recurve", False)
    chain = ghost_chain(Ghost.from_handicap(30, pressure=PRESSURE_POINTS), rnd)
    plain, pressed = chain.arrow_pmfs(0), chain.arrow_pmfs(0, pressed=True)
    values = [10, 9, 7]
    expected = (
        sum(
            pressed[:, values[last]]
            * np.prod([plain[:, v] for i, v in enumerate(values) if i != last], axis=0)
            for last in range(3)
        )
        / 3
    )
    assert np.allclose(chain.likelihood(0, values, 3), expected)
    # A shoot-off arrow is shot under no pressure of the ghost's.
    assert np.allclose(chain.likelihood(0, [9], 1, shoot_off=True), plain[:, 9])
    # The end's total: the distribution of two plain arrows and a pressed one.
    total = chain.end_pmfs(0, 3)
    assert np.allclose(total.sum(axis=1), 1.0)
    assert np.allclose(chain.likelihood(0, 26, 3), total[:, 26])
