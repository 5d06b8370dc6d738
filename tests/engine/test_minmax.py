"""The original app's min/max ghost on every round: it draws only totals the
face can score, each within its end's range, and its matches always finish.

A min/max ghost used to crash on 82 of the 228 rounds (it drew totals the face
cannot score, and shoot-off arrows for ranking rounds). The oracles here are
written from the rules, not from ``minmax``'s code: a face's scorable totals
are every sum of its arrow values, and version 1's totals are the first
release's rule ``lo + min(int(u * span), span - 1)``.
"""

from __future__ import annotations

import itertools
import zlib
from collections import Counter
from functools import cache

import numpy as np
import numpy.typing as npt
import pytest

from ghost_simulator.engine import minmax
from ghost_simulator.engine.constants import BOWS
from ghost_simulator.engine.faces import Face
from ghost_simulator.engine.ghost import ArrowStream, Ghost, GhostError, simulate
from ghost_simulator.engine.matches import Match
from ghost_simulator.engine.odds import (
    Opponents,
    arrow_pmf,
    cumulative_match_odds,
    ghost_chain,
    ghost_round_pmf,
    mean_std,
    set_match_odds,
)
from ghost_simulator.engine.rounds import Round, all_rounds, get_round, match_round
from ghost_simulator.engine.scoring import End

CLEAR_ERRORS = {"no_scorable_total", "max_too_high"}
RANKING_BOWS = ("recurve", "compound")
MODELS = (1, 2)


# -- oracles, from the rules -------------------------------------------------------


@cache
def face_totals(face: Face, arrows: int) -> frozenset[int]:
    """Every total ``arrows`` arrows can make on the face: sums of its values."""
    values = sorted(set(face.values.values()))
    return frozenset(
        sum(combo) for combo in itertools.combinations_with_replacement(values, arrows)
    )


def nearest(face: Face, arrows: int, total: int) -> int:
    """The scorable total nearest ``total``, the lower one on a tie."""
    return min(face_totals(face, arrows), key=lambda t: (abs(t - total), t))


def old_rule(lo: int, hi: int, u: float) -> int:
    """The first release's end total from its uniform draw."""
    span = hi - lo + 1
    return lo + min(int(u * span), span - 1)


def in_range(face: Face, arrows: int, lo: int, hi: int, end_size: int) -> list[int]:
    """The scorable totals in an end's range (its share, for a shorter end)."""
    low, high = minmax.end_range(lo, hi, arrows, end_size)
    return [t for t in range(low, high + 1) if t in face_totals(face, arrows)]


def outdoor_ranking(rnd: Round) -> bool:
    return not rnd.indoor


def top_per_end(rnd: Round) -> int:
    return max(rnd.end_size * d.face.max_value for d in rnd.distances)


def ranges_for(rnd: Round) -> dict[str, tuple[int, int]]:
    """Ranges relative to the round's end size and face, and the original's
    limits (30 indoors and in matches, 60 in outdoor ranking rounds)."""
    top = top_per_end(rnd)
    limit = 60 if outdoor_ranking(rnd) else 30
    cap = min(top, limit)
    scale = max(1, top // 30)
    return {
        "whole": (0, cap),
        "one_to_five": (1, 5),
        "low_scaled": (scale, 5 * scale),
        "middle": (cap // 2 - 1, cap // 2 + 1),
        "near_top": (cap - 2, cap),
        "original_limit": (limit - 10, limit),
        "above_top": (top - 3, top + 1),
    }


def expected_error(
    rnd: Round, lo: int, hi: int, model: int, *, ranking: bool = True
) -> str | None:
    """The clear error a min/max ghost on the round must raise, if any."""
    limit = 60 if ranking and outdoor_ranking(rnd) else 30
    if hi > limit or hi > top_per_end(rnd):
        return "max_too_high"
    if model >= 2:
        for index, size in rnd.end_plan():
            face = rnd.distances[index].face
            if not in_range(face, size, lo, hi, rnd.end_size):
                return "no_scorable_total"
    return None


def make_ghost(
    rnd: Round, lo: int, hi: int, model: int, *, ranking: bool = True
) -> Ghost | GhostError:
    """The min/max ghost for the round, or the error that refuses it."""
    try:
        return Ghost.from_min_max(
            lo,
            hi,
            rnd=rnd,
            outdoor_ranking=ranking and outdoor_ranking(rnd),
            model=model,
        )
    except GhostError as exc:
        return exc


def end_draws(rnd: Round, seed: int, shoot_offs: int = 0) -> list[float]:
    """Each end's total draw (then each shoot-off arrow's): for min/max ghosts,
    arrow k's distance draw is draw 2k + 2, and an end's first arrow's is the
    end's."""
    u = ArrowStream(seed).uniforms(2 + 2 * (rnd.arrows + shoot_offs))
    starts = itertools.accumulate(
        [0] + [size for _, size in rnd.end_plan()] + [1] * shoot_offs
    )
    return [float(u[2 + 2 * k]) for k in list(starts)[:-1]]


def v1_total(face: Face, size: int, lo: int, hi: int, end_size: int, u: float) -> int:
    """Version 1: the old rule (its share, for a shorter end), or where the face
    cannot score that, the nearest it can."""
    total = old_rule(lo, hi, u)
    if size < end_size:
        total = round(total * size / end_size)
    return nearest(face, size, total)


def check_arrows(face: Face, size: int, end: End) -> None:
    """The ghost's end: ``size`` arrows, each a value on the face, highest first."""
    assert len(end.arrows) == size
    for a in end.arrows:
        assert a.label in face.labels, (a.label, face.labels)
        assert a.value == face.values[a.label]
    assert [face.rank(a.label) for a in end.arrows] == sorted(
        face.rank(a.label) for a in end.arrows
    )
    assert end.total in face_totals(face, size)


def round_seed(codename: str) -> int:
    return zlib.crc32(codename.encode())


# -- 1. every round, every range: a clear error, or a round that finishes ------------


def check_ghost_end(
    rnd: Round, ghost: Ghost, number: int, end: End, draw: float
) -> None:
    """The ghost's end ``number``: arrows on the face, its total scorable and
    (version 2) in the end's range, or (version 1) the old rule's."""
    assert ghost.min_end is not None
    assert ghost.max_end is not None
    lo, hi = ghost.min_end, ghost.max_end
    index, size = rnd.end_plan()[number]
    face = rnd.distances[index].face
    check_arrows(face, size, end)
    if ghost.model == 1:
        assert end.total == v1_total(face, size, lo, hi, rnd.end_size, draw), number
    else:
        assert end.total in in_range(face, size, lo, hi, rnd.end_size), number


def shoot_ranking(rnd: Round, ghost: Ghost, seed: int) -> None:
    """Play a ranking round against the ghost end by end, checking each end the
    ghost reveals."""
    match = Match("ranking", rnd, ghost, seed)
    plan = rnd.end_plan()
    draws = end_draws(rnd, seed)
    for number, (index, size) in enumerate(plan):
        top = size * rnd.distances[index].face.max_value
        match.add_end(total=top if number % 2 else 0)  # refused unless due
        check_ghost_end(rnd, ghost, number, match.ghost_ends[-1], draws[number])
    assert match.verdict().finished
    assert match.ghost_round.shoot_off == []  # a ranking round has no shoot-off


def shoot_round(rnd: Round, ghost: Ghost, seed: int) -> None:
    """The same checks on the round the ghost shoots, without a match."""
    shot = ghost.shoot(rnd, seed)
    assert len(shot.ends) == rnd.ends
    assert shot.shoot_off == []
    for number, (end, draw) in enumerate(
        zip(shot.ends, end_draws(rnd, seed), strict=True)
    ):
        check_ghost_end(rnd, ghost, number, end, draw)


def outcomes_for(codename: str) -> Counter[tuple[str, int, str]]:
    """Every bow, half and range of the round, both model versions: (range,
    model, error code or "ok") counts. Asserts as it goes."""
    seed = round_seed(codename)
    outcomes: Counter[tuple[str, int, str]] = Counter()
    for bow, half in itertools.product(RANKING_BOWS, (False, True)):
        rnd = get_round(codename, bow=bow, half=half)
        for number, (name, (lo, hi)) in enumerate(ranges_for(rnd).items()):
            for model in MODELS:
                expected = expected_error(rnd, lo, hi, model)
                ghost = make_ghost(rnd, lo, hi, model)
                if isinstance(ghost, GhostError):
                    assert ghost.code in CLEAR_ERRORS, (bow, half, name, str(ghost))
                    assert ghost.code == expected, (bow, half, name, str(ghost))
                    outcomes[(name, model, ghost.code)] += 1
                    continue
                assert expected is None, (bow, half, name, model, expected)
                if (number + model) % 2:  # each model half the time: a match
                    shoot_ranking(rnd, ghost, seed + model)
                else:
                    shoot_round(rnd, ghost, seed + model)
                outcomes[(name, model, "ok")] += 1
    return outcomes


@pytest.mark.parametrize("codename", list(all_rounds()))
def test_min_max_ghost_shoots_every_round_or_says_why(codename: str) -> None:
    outcomes = outcomes_for(codename)
    # A range from 0 always holds a scorable total: all misses.
    assert outcomes[("whole", 1, "ok")] == outcomes[("whole", 2, "ok")] == 4


def test_the_round_list_is_the_full_one() -> None:
    assert len(all_rounds()) == 228


def test_scorable_totals_are_the_sums_of_the_faces_values() -> None:
    faces = {
        d.face
        for codename in all_rounds()
        for bow in RANKING_BOWS
        for d in get_round(codename, bow=bow).distances
    } | {
        match_round(bow, indoor).distances[0].face for bow in BOWS for indoor in (0, 1)
    }
    for face in faces:
        for arrows in (1, 2, 3, 6):
            assert minmax.scorable_totals(face, arrows) == face_totals(face, arrows)


def test_six_arrows_on_a_six_ring_face_cannot_make_four() -> None:
    rnd = get_round("wa720_50_c")
    face = rnd.distances[0].face
    assert 4 not in face_totals(face, 6)
    for model in MODELS:
        ghost = Ghost.from_min_max(1, 9, rnd=rnd, outdoor_ranking=True, model=model)
        for seed in range(40):
            totals = [e.total for e in ghost.shoot(rnd, seed).ends]
            assert set(totals) <= {0, 5, 6, 7, 8, 9}
            if model == 2:
                assert set(totals) <= {5, 6, 7, 8, 9}


# -- 2. elimination matches: ties, shoot-offs that go on, and a decision -------------


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("indoor", [False, True], ids=["outdoor", "indoor"])
@pytest.mark.parametrize("bow", BOWS)
def test_tied_elimination_goes_on_until_decided(
    bow: str, indoor: bool, model: int
) -> None:
    rnd = match_round(bow, indoor)
    face = rnd.distances[0].face
    played = 0
    for number, (lo, hi) in enumerate([(0, 30), (1, 5), (12, 16), (27, 30), (28, 29)]):
        seed = 1000 * number + 17
        ghost = make_ghost(rnd, lo, hi, model, ranking=False)
        if isinstance(ghost, GhostError):
            assert ghost.code in CLEAR_ERRORS
            assert ghost.code == expected_error(rnd, lo, hi, model, ranking=False)
            continue
        played += 1
        match = Match.elimination(bow, ghost, seed, indoor=indoor)
        assert match.round == rnd
        ahead = 9
        shot = ghost.shoot(rnd, seed, shoot_off_arrows=ahead)
        draws = end_draws(rnd, seed, ahead)
        # The archer matches the ghost end for end: a tie, so a shoot-off.
        for end in shot.ends:
            match.add_end(total=end.total)
        assert match.verdict().status == "shoot_off"
        assert match.expected_arrows() == 0
        # Eight equally close shoot-off arrows: more than the five shot ahead.
        for index in range(ahead - 1):
            ghost_arrow = shot.shoot_off[index]
            result = match.add_shoot_off(ghost_arrow.label, closer="equal")
            assert result.ghost == ghost_arrow
            assert result.result == "again"
            assert match.verdict().status == "shoot_off"
        for index, a in enumerate(shot.shoot_off):
            assert a.label in face.labels
            assert a.value == face.values[a.label]
            u = draws[len(rnd.end_plan()) + index]
            if model == 1:
                assert a.value == v1_total(face, 1, lo, hi, rnd.end_size, u)
            else:
                options = in_range(face, 1, lo, hi, rnd.end_size)
                if not options:  # its share of the range: the nearest to it
                    low, high = minmax.end_range(lo, hi, 1, rnd.end_size)
                    options = [nearest(face, 1, (low + high) // 2)]
                assert a.value in options, (lo, hi, a.value, options)
        # The ninth is decided: same value, the archer closer.
        last = shot.shoot_off[ahead - 1]
        match.add_shoot_off(last.label, closer="archer")
        verdict = match.verdict()
        assert verdict.finished
        assert verdict.status == "won"
        assert verdict.reason == "shoot-off"
        assert [s.ghost for s in match.shoot_offs] == shot.shoot_off
        # A stored match replays to the same verdict.
        assert Match.from_dict(match.to_dict()).verdict() == verdict
    assert played >= 3


def oracle_end_pmf(
    face: Face, arrows: int, bounds: tuple[int, int], end_size: int, model: int
) -> npt.NDArray[np.float64]:
    """An end's (or, ``arrows`` 1, a shoot-off arrow's) total distribution,
    from the rules."""
    lo, hi = bounds
    pmf = np.zeros(arrows * face.max_value + 1)
    if model == 1:
        for total in range(lo, hi + 1):
            share = round(total * arrows / end_size) if arrows < end_size else total
            pmf[nearest(face, arrows, share)] += 1 / (hi - lo + 1)
        return pmf
    options = in_range(face, arrows, lo, hi, end_size)
    if not options:  # a shoot-off arrow: the value nearest its share's middle
        low, high = minmax.end_range(lo, hi, arrows, end_size)
        options = [nearest(face, arrows, (low + high) // 2)]
    pmf[options] = 1 / len(options)
    return pmf


def beats(
    a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]
) -> tuple[float, float]:
    """P(A > B) and P(A == B) for independent totals."""
    size = max(len(a), len(b))
    a, b = np.pad(a, (0, size - len(a))), np.pad(b, (0, size - len(b)))
    joint = np.outer(a, b)
    return float(np.tril(joint, -1).sum()), float(np.trace(joint))


def oracle_match(
    bow: str, archer_arrow: npt.NDArray[np.float64], ghost: Ghost, rnd: Round
) -> tuple[float, float]:
    """P(the archer wins) and P(a shoot-off) against a min/max ghost, whose
    ends and shoot-off arrow are independent draws."""
    assert ghost.min_end is not None
    assert ghost.max_end is not None
    bounds = (ghost.min_end, ghost.max_end)
    face = rnd.distances[0].face
    ghost_set = oracle_end_pmf(face, 3, bounds, 3, ghost.model)
    win, tie = beats(archer_arrow, oracle_end_pmf(face, 1, bounds, 3, ghost.model))
    shoot_off_win = win + tie / 2  # equal values: either may be closer
    archer_set = np.convolve(np.convolve(archer_arrow, archer_arrow), archer_arrow)
    if bow == "compound":  # the total of 5 ends
        archer, ghosts = archer_set, ghost_set
        for _ in range(4):
            archer, ghosts = (
                np.convolve(archer, archer_set),
                np.convolve(ghosts, ghost_set),
            )
        above, level = beats(archer, ghosts)
        return above + level * shoot_off_win, level
    above, level = beats(archer_set, ghost_set)
    steps = ((2, 0, above), (1, 1, level), (0, 2, 1 - above - level))
    states, won = {(0, 0): 1.0}, 0.0
    for _ in range(5):
        following: dict[tuple[int, int], float] = {}
        for (x, y), p in states.items():
            for dx, dy, q in steps:
                if x + dx >= 6 and y + dy < 6:
                    won += p * q
                elif y + dy < 6:
                    key = (x + dx, y + dy)
                    following[key] = following.get(key, 0.0) + p * q
        states = following
    level = states.get((5, 5), 0.0)
    return won + level * shoot_off_win, level


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("indoor", [False, True], ids=["outdoor", "indoor"])
@pytest.mark.parametrize("bow", BOWS)
def test_match_odds_against_min_max_ghosts_are_exact(
    bow: str, indoor: bool, model: int
) -> None:
    rnd = match_round(bow, indoor)
    face = rnd.distances[0].face
    # The oracle's archer shoots the plain model: a steady archer.
    opponents = Opponents(rnd.distances[0], 40.0, "AGB", bow, steady=True)
    for bounds in [(1, 13), (12, 22), (26, 30)]:
        ghost = Ghost.from_min_max(*bounds, rnd=rnd, model=model)
        chain = ghost_chain(ghost, rnd)
        for arrows, shoot_off in ((3, False), (1, True)):
            pmf = chain.end_pmfs(0, arrows, shoot_off)[0]
            assert set(np.flatnonzero(pmf).tolist()) <= face_totals(face, arrows)
            expected = oracle_end_pmf(face, arrows, bounds, 3, model)
            np.testing.assert_allclose(pmf, expected, atol=1e-12)
        archer_arrow = arrow_pmf(rnd.distances[0], 40.0, "AGB")  # steady at 40
        win, tied = oracle_match(bow, archer_arrow, ghost, rnd)
        odds = (
            cumulative_match_odds(opponents, ghost, rnd=rnd)
            if bow == "compound"
            else set_match_odds(opponents, ghost, rnd=rnd)
        )
        assert odds.shoot_off == pytest.approx(tied, abs=1e-9), bounds
        assert odds.win == pytest.approx(win, abs=1e-9), (bounds, odds)
        assert -1e-12 <= odds.loss <= 1.0 + 1e-12


# -- 3. version 1 replays the first release's totals ---------------------------------


V1_CASES = [
    (codename, bow, lo, hi)
    for codename, bow in itertools.product(
        ("wa18", "wa18_triple"), ("recurve", "compound")
    )
    for lo, hi in [(1, 13), (15, 25), (0, 30), (9, 12)]
] + [("worcester", "recurve", 1, 13), ("worcester", "recurve", 9, 12)]


@pytest.mark.parametrize(("codename", "bow", "lo", "hi"), V1_CASES)
def test_version_1_replays_the_old_rule_or_the_nearest_scorable(
    codename: str, bow: str, lo: int, hi: int
) -> None:
    rnd = get_round(codename, bow=bow)
    face = rnd.distances[0].face
    assert hi <= 3 * face.max_value
    ghost = Ghost.from_min_max(lo, hi, end_size=3, model=1)
    replayed = moved = 0
    for seed in range(12):
        ends = ghost.shoot(rnd, seed).ends
        for end, u in zip(ends, end_draws(rnd, seed), strict=True):
            old = old_rule(lo, hi, u)
            assert lo <= old <= hi
            if old in face_totals(face, 3):
                assert end.total == old
                replayed += 1
            else:
                below = max(t for t in face_totals(face, 3) if t < old)
                above = min(t for t in face_totals(face, 3) if t > old)
                assert end.total == (below if old - below <= above - old else above)
                moved += 1
            check_arrows(face, 3, end)
    assert replayed > 0
    if codename == "wa18_triple" and (lo, hi) == (1, 13):
        assert moved > 0  # 1 to 5 and 11 cannot be made with three arrows


def test_version_1_moves_unscorable_totals_to_the_nearest_lower_on_a_tie() -> None:
    face = get_round("wa18_triple").distances[0].face
    # Three arrows on a triple spot: 0, 6 to 10, 12 to 30.
    assert face_totals(face, 3) == frozenset({0, *range(6, 11), *range(12, 31)})
    expected = {1: 0, 2: 0, 3: 0, 4: 6, 5: 6, 11: 10}
    for total, moved in expected.items():
        u = (total + 0.5) / 31  # the old rule's draw for ``total`` in 0..30
        assert old_rule(0, 30, u) == total
        assert minmax.draw_total(1, face, 3, (0, 30), 3, u) == moved


# -- 4. version 2 is uniform over the scorable totals in range -----------------------


CHI2_999 = {8: 26.12, 13: 34.53}  # 99.9th percentiles of chi-square by d.o.f.


@pytest.mark.parametrize(
    ("codename", "lo", "hi", "outdoor", "options", "runs"),
    [
        ("wa720_50_c", 0, 12, True, [0, *range(5, 13)], 340),
        ("wa18_triple", 1, 20, False, [*range(6, 11), *range(12, 21)], 200),
    ],
)
def test_version_2_is_uniform_over_the_scorable_totals(
    codename: str, lo: int, hi: int, outdoor: bool, options: list[int], runs: int
) -> None:
    rnd = get_round(codename)
    face = rnd.distances[0].face
    size = rnd.end_size
    assert in_range(face, size, lo, hi, size) == options
    assert len(options) < hi - lo + 1  # the range holds unscorable totals
    ghost = Ghost.from_min_max(lo, hi, rnd=rnd, outdoor_ranking=outdoor)
    ends = simulate(ghost, rnd, runs, seed=4242).ends.ravel()
    assert set(ends.tolist()) == set(options)
    observed = np.array([(ends == t).sum() for t in options])
    expected = len(ends) / len(options)
    chi2 = float(((observed - expected) ** 2 / expected).sum())
    assert chi2 < CHI2_999[len(options) - 1], observed


# -- 5. exact odds agree with simulation ---------------------------------------------


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(
    ("codename", "half", "lo", "hi", "outdoor"),
    [
        ("wa18_triple", True, 1, 20, False),
        ("wa720_50_c", True, 0, 12, True),
        ("york", True, 40, 54, True),  # six odd values: no odd total above 45
        ("american", True, 30, 54, True),  # a last end of three arrows
    ],
)
def test_exact_totals_match_simulation(
    codename: str, half: bool, lo: int, hi: int, outdoor: bool, model: int
) -> None:
    rnd = get_round(codename, half=half)
    ghost = Ghost.from_min_max(lo, hi, rnd=rnd, outdoor_ranking=outdoor, model=model)
    pmf = ghost_round_pmf(ghost, rnd)
    assert pmf.sum() == pytest.approx(1.0)
    chain = ghost_chain(ghost, rnd)
    for index, size in set(rnd.end_plan()):
        support = set(np.flatnonzero(chain.end_pmfs(index, size)[0]).tolist())
        face = rnd.distances[index].face
        assert support <= face_totals(face, size)
        if model == 2:
            assert support == set(in_range(face, size, lo, hi, rnd.end_size))
    runs = 3000
    totals = simulate(ghost, rnd, runs, seed=77).totals
    mean, std = mean_std(pmf)
    assert abs(totals.mean() - mean) < 4 * std / np.sqrt(runs)
    assert totals.std() == pytest.approx(std, rel=0.03)


# -- 6. a range with no scorable total says which end and which range ----------------


def test_a_range_with_no_scorable_total_names_the_end_and_the_range() -> None:
    rnd = get_round("wa18_triple")
    with pytest.raises(GhostError, match=r"end 1 score between 1 and 5") as info:
        Ghost.from_min_max(1, 5, rnd=rnd)
    assert info.value.code == "no_scorable_total"
    assert info.value.params == {"arrows": 3, "low": 1, "high": 5}
    assert "triple spot" in str(info.value)


def test_a_short_end_with_no_scorable_share_is_named() -> None:
    # Half an American: 5 ends of 6 at 60 yd, then 2 of 6 and 1 of 3 at 50 yd.
    rnd = get_round("american", half=True)
    assert rnd.end_plan()[-1] == (1, 3)
    face = rnd.distances[1].face
    assert 52 in face_totals(face, 6)  # 9 9 9 9 9 7
    assert 26 not in face_totals(face, 3)  # > 18 takes 3 hits: odd values, odd sum
    with pytest.raises(GhostError, match=r"end 8 score between 26 and 26") as info:
        Ghost.from_min_max(52, 53, rnd=rnd, outdoor_ranking=True)
    assert info.value.code == "no_scorable_total"
    assert info.value.params == {"arrows": 3, "low": 26, "high": 26}
    # Version 1 takes the nearest scorable total instead.
    ghost = Ghost.from_min_max(52, 53, rnd=rnd, outdoor_ranking=True, model=1)
    assert ghost.shoot(rnd, 3).ends[-1].total == 25  # 26 is a tie: the lower
