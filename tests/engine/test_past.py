"""The archer's own past as the ghost: a replayed round, and ghosts at the
level of past scores."""

from __future__ import annotations

import pytest

from ghost_simulator.engine import handicaps
from ghost_simulator.engine.ghost import Ghost, GhostError, simulate
from ghost_simulator.engine.matches import Match, match_round
from ghost_simulator.engine.odds import ghost_round_pmf, mean_std, round_odds
from ghost_simulator.engine.rounds import get_round


def past_round(codename: str = "wa18", seed: int = 5) -> Match:
    """A round the archer shot: a steady ghost's arrows stand in for theirs."""
    rnd = get_round(codename)
    match = Match("ranking", rnd, Ghost.from_handicap(40), seed)
    shot = Ghost.from_handicap(30, steady=True).shoot(rnd, seed + 1)
    for number, end in enumerate(shot.ends):
        if number == 3:
            match.add_end(total=end.total)  # one end typed as a total
        else:
            match.add_end(end.labels)
    return match


def test_a_replayed_round_shoots_the_same_arrows() -> None:
    past = past_round()
    ghost = Ghost.from_past(past, match="abc", date="2026-11-01")
    assert ghost.kind == "replay"
    assert ghost.handicap == pytest.approx(past.archer_handicap())
    assert ghost.source == {
        "round": "wa18",
        "total": past.archer_tally().total,
        "match": "abc",
        "date": "2026-11-01",
    }
    again = Match("ranking", past.round, ghost, 99)
    ends = again.ghost_round.ends
    assert [e.total for e in ends] == [e.total for e in past.archer_ends]
    for number, (mine, theirs) in enumerate(zip(past.archer_ends, ends, strict=True)):
        if number != 3:
            assert theirs.labels == mine.labels
        assert all(a.distance is not None for a in theirs.arrows)  # drawn on a face
    assert again.ghost_round.tally.total == past.archer_tally().total
    label = {**ghost.to_dict()}
    assert Ghost.from_dict(label) == ghost  # JSON lists come back as tuples
    assert Match.from_dict(again.to_dict()).ghost_round.ends == ends


def test_an_end_typed_as_a_total_is_split_evenly() -> None:
    ghost = Ghost.from_past(past_round())
    assert ghost.replay is not None
    fourth = ghost.replay[3]
    values = [get_round("wa18").distances[0].face.values[label] for label in fourth]
    assert max(values) - min(values) <= 1


def test_a_short_past_match_is_completed_by_its_level() -> None:
    """A set match that ended after three sets: the ghost replays them, then
    shoots on at the level they earned."""
    past = Match.elimination("recurve", Ghost.from_handicap(80), seed=1)
    for _ in range(3):
        past.add_end(["X", "10", "10"])
    assert past.verdict().finished
    ghost = Ghost.from_past(past)
    rematch = Match.elimination("recurve", ghost, seed=2)
    ends = rematch.ghost_round.ends
    assert [e.labels for e in ends[:3]] == [["X", "10", "10"]] * 3
    assert len(ends) == 5
    assert len(rematch.ghost_round.shoot_off) == 5


def test_a_past_round_replays_only_on_its_own_round() -> None:
    ghost = Ghost.from_past(past_round())
    with pytest.raises(GhostError, match="another round"):
        ghost.shoot(get_round("wa720_70"), 1)
    with pytest.raises(GhostError, match="another"):
        ghost.shoot(match_round("recurve", False), 1)
    empty = Match("ranking", get_round("wa18"), Ghost.from_handicap(40), 1)
    with pytest.raises(GhostError, match="no arrows"):
        Ghost.from_past(empty)


def test_odds_treat_the_past_self_as_a_steady_archer_of_its_level() -> None:
    past = past_round()
    ghost = Ghost.from_past(past)
    steady = Ghost.from_handicap(ghost.handicap or 0, steady=True)
    rnd = past.round
    assert round_odds(rnd, 35, ghost, "AGB") == round_odds(rnd, 35, steady, "AGB")
    assert mean_std(ghost_round_pmf(ghost, rnd)) == pytest.approx(
        mean_std(ghost_round_pmf(steady, rnd))
    )
    totals = simulate(ghost, rnd, 3, seed=4).totals
    assert totals.tolist() == [past.archer_tally().total] * 3


def test_handicap_from_the_last_five_scores() -> None:
    wa18 = get_round("wa18")
    scores = [(wa18, s) for s in (400.0, 500.0, 520.0, 530.0, 540.0, 550.0, 560.0)]
    earned = [handicaps.handicap_for_score(wa18, s) for _, s in scores]
    assert handicaps.handicap_from_scores(scores, method="last5") == pytest.approx(
        sum(earned[-5:]) / 5
    )
    assert handicaps.handicap_from_scores(scores, method="best") == min(earned)
    perfect = handicaps.handicap_from_scores([(wa18, 600.0)], method="average")
    assert perfect < handicaps.handicap_for_score(wa18, 599.5)  # no error at 600
    with pytest.raises(handicaps.HandicapError, match="last5"):
        handicaps.handicap_from_scores(scores, method="median")
