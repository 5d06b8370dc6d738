"""An archer's own spread (``engine.spread``) from their stored rounds, and
what the pages, the API and the command line say of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..engine.rounds import Round, RoundError, get_round
from ..engine.spread import (
    MIN_ROUNDS,
    MOST_ROUNDS,
    ShotRound,
    Spread,
    SpreadError,
    estimate_spread,
)
from ..store import history as stored

#: Below this share of the population's value an archer counts as steadier
#: than most, above its inverse as streakier.
STEADIER = 0.8


def shot_rounds(archer_id: int) -> list[ShotRound]:
    """The archer's latest finished ranking rounds, oldest first, as the
    engine reads them (a round this release no longer knows is left out)."""
    rounds = []
    for entered in stored.latest_rounds(archer_id, MOST_ROUNDS):
        bow = entered.bow or "recurve"
        try:
            rnd = get_round(entered.round_code, bow=bow, half=entered.half)
            rounds.append(ShotRound.from_entries(rnd, entered.ends, bow))
        except (RoundError, SpreadError):
            continue
    return rounds


def own_spread(archer_id: int, scheme: str) -> Spread | None:
    """The archer's spread on ``scheme``'s handicap points; None when they
    have no finished ranking round."""
    return estimate_spread(shot_rounds(archer_id), scheme)


def streakiness(spread: Spread) -> str:
    """ "steadier", "typical" or "streakier": the archer's drift within a round
    against archers of their level (always "typical" on too few rounds)."""
    if not spread.own:
        return "typical"
    if spread.drift_ratio < STEADIER:
        return "steadier"
    if spread.drift_ratio > 1 / STEADIER:
        return "streakier"
    return "typical"


@dataclass(frozen=True)
class OnRound:
    """The spread as the progress page of one round shows it."""

    spread: Spread
    round: Round
    mean: float
    own: float  # ± points from one day to the next, the archer
    typical: float  # the same for archers of their level
    streaks: str
    needed: int  # comparable rounds still needed for their own figures


def on_round(spread: Spread, rnd: Round) -> OnRound:
    figures = spread.on_round(rnd)
    return OnRound(
        spread,
        rnd,
        figures.mean,
        figures.own,
        figures.typical,
        streakiness(spread),
        max(MIN_ROUNDS - spread.rounds, 0),
    )


def as_dict(spread: Spread, rnd: Round | None = None) -> dict[str, Any]:
    """The spread as the API and ``ghost-sim archers spread`` give it."""
    data: dict[str, Any] = {
        **spread.to_dict(),
        "min_rounds": MIN_ROUNDS,
        "streakiness": streakiness(spread),
    }
    if rnd is not None:
        figures = spread.on_round(rnd)
        data["on_round"] = {
            "round": rnd.ref.get("codename") or rnd.codename,
            "mean": figures.mean,
            "own": figures.own,
            "typical": figures.typical,
        }
    return data
