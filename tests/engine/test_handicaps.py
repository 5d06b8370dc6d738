"""Handicaps: ring probabilities agree exactly with archeryutils' expected scores."""

from __future__ import annotations

import numpy as np
import pytest
from archeryutils import handicaps as hc

from ghost_simulator.engine import handicaps
from ghost_simulator.engine.constants import SCHEMES
from ghost_simulator.engine.rounds import all_rounds, get_round


def distinct_faces() -> list[str]:
    """One round per distinct (scoring system, size) pair: every face the app knows."""
    seen: dict[tuple[str, float], str] = {}
    for codename, rnd in all_rounds().items():
        for d in rnd.distances:
            seen.setdefault((d.face.system, d.face.diameter), codename)
    return sorted(set(seen.values()))


@pytest.mark.parametrize("codename", distinct_faces())
@pytest.mark.parametrize("scheme", SCHEMES)
def test_expected_score_agrees_with_archeryutils_on_every_face(
    codename: str, scheme: str
) -> None:
    rnd = get_round(codename)
    au_round = rnd.to_archeryutils()
    levels = [0.0, 25.0, 50.0, 80.0] if scheme.startswith("AGB") else [0.0, 50.0, 100.0]
    for handicap in levels:
        ours = handicaps.expected_score(rnd, handicap, scheme)
        theirs = float(
            hc.handicap_scheme(scheme).score_for_round(
                handicap, au_round, rounded_score=False
            )
        )
        assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-9)


def test_zone_probabilities_sum_to_one() -> None:
    for codename in distinct_faces():
        for d in get_round(codename).distances:
            p = handicaps.distance_probabilities(d, 40.0, "AGB")
            assert p.min() >= 0
            assert p.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("codename", "score"), [("wa18", 560), ("wa720_70", 600), ("york", 900)]
)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_handicap_for_score_inverts_expected_score(
    codename: str, score: float, scheme: str
) -> None:
    rnd = get_round(codename)
    handicap = handicaps.handicap_for_score(rnd, score, scheme)
    assert handicaps.expected_score(rnd, handicap, scheme) == pytest.approx(
        score, abs=1e-6
    )


def test_handicap_for_score_agrees_with_archeryutils() -> None:
    rnd = get_round("wa720_70")
    ours = handicaps.handicap_for_score(rnd, 560, "AGB")
    theirs = hc.handicap_scheme("AGB").handicap_from_score(560, rnd.to_archeryutils())
    assert ours == pytest.approx(theirs, abs=0.01)


def test_impossible_scores_are_clear_errors() -> None:
    rnd = get_round("wa18")
    with pytest.raises(handicaps.HandicapError, match="out of reach"):
        handicaps.handicap_for_score(rnd, 601, "AGB")
    with pytest.raises(handicaps.HandicapError, match="out of reach"):
        handicaps.handicap_for_score(rnd, -5, "AGB")
    with pytest.raises(handicaps.HandicapError, match="outside the AGB scale"):
        handicaps.check_handicap(400, "AGB")
    with pytest.raises(handicaps.HandicapError, match="Unknown handicap scheme"):
        handicaps.scheme("XYZ")


def test_handicap_from_past_scores() -> None:
    wa18, wa70 = get_round("wa18"), get_round("wa720_70")
    scores = [(wa18, 540.0), (wa70, 600.0)]
    each = [handicaps.handicap_for_score(r, s) for r, s in scores]
    assert handicaps.handicap_from_scores(scores) == pytest.approx(np.mean(each))
    assert handicaps.handicap_from_scores(scores, method="best") == pytest.approx(
        min(each)
    )
    assert handicaps.handicap_from_scores(scores, "AA", "best") == pytest.approx(
        max(handicaps.handicap_for_score(r, s, "AA") for r, s in scores)
    )
    with pytest.raises(handicaps.HandicapError):
        handicaps.handicap_from_scores([])


@pytest.mark.parametrize(("code", "score"), [("wa18", 540), ("wa720_70", 600)])
def test_the_archers_arrow_diameter_moves_the_handicap_as_archeryutils_says(
    code: str, score: int
) -> None:
    """A wider arrow cuts more lines, so it scores more at a given handicap:
    the same score is then worth a worse (higher) AGB handicap, and a thinner
    arrow's the better (lower) one. Our figures are archeryutils' own."""
    rnd = get_round(code)
    au_round = rnd.to_archeryutils()
    agb = hc.handicap_scheme("AGB")
    thin = handicaps.handicap_earned(rnd, score, "AGB", 0.0045)
    wide = handicaps.handicap_earned(rnd, score, "AGB", 0.0093)
    assert thin < wide
    for diameter, ours in ((0.0045, thin), (0.0093, wide)):
        theirs = agb.handicap_from_score(score, au_round, arw_d=diameter)
        assert ours == pytest.approx(theirs, abs=0.01)
        for level in (10.0, 40.0, 70.0):
            expected = agb.score_for_round(
                level, au_round, arw_d=diameter, rounded_score=False
            )
            assert handicaps.expected_score(
                rnd, level, "AGB", diameter
            ) == pytest.approx(float(expected), rel=1e-12)
    # No diameter: the scheme's standard arrow, as before.
    standard = agb.arw_d_in if rnd.distances[0].indoor else agb.arw_d_out
    assert handicaps.handicap_earned(rnd, score, "AGB") == pytest.approx(
        handicaps.handicap_earned(rnd, score, "AGB", standard)
    )
