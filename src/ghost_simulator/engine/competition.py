"""A field's elimination bracket shot out many times: who wins, how often the
higher seed goes through (by how far apart the seeds are), how often a match
needs a shoot-off.

Each run draws every archer's true level afresh from what their
qualification score says of it (:func:`.field.estimate_field`: the estimate
and its posterior uncertainty, so that a field's uncertainty shows in the
figures), keeps the seeding of the scores themselves, and shoots the whole
bracket (:func:`.brackets.play_day`), every match a real match of the engine
between two ghosts (:func:`.brackets.play_out`): the set system for
recurve, barebow, longbow and traditional, 15 arrows cumulative for
compound (as :meth:`.matches.Match.elimination` chooses), indoors when the
qualification round is. The levels drawn are kept to a tenth of a handicap
point, as ghosts are shown. The same seed gives the same figures.

**One competition, one form.** The qualification and the matches are shot
on the same day or the next: the form of the day (the model's day-to-day
offset, ``variability``) is shared between them, not drawn again for every
match. So the levels are estimated from the scores with one day's noise
(arrows and drift, ``SAME_DAY_FORM``), which makes them the levels *of that
competition*, and the matches draw no new form. This is a structural choice,
not a fitted factor; checked against the 1,082 individual matches of the
2019 World Cup stages (``benchmarks/brackets_check.py``, with the real
figures' sampling errors under the model): the higher seed wins 71.7% of the
recurve matches against 70.1% real (z -1.0) and 71.1% of the compound
matches against 69.1% (z -1.0), every seed-gap band within 1.5 standard
errors; shoot-offs 11.8% against 14.1% recurve (z +1.8) and 8.8% against
11.4% compound (z +1.9), short but inside two standard errors. Drawing a
fresh form for every match instead gives 61.5% recurve (z +4.7), the levels
too close once the qualification's form is taken for noise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import handicaps
from .brackets import play_day, play_out
from .constants import BOWS, DEFAULT_SCHEME
from .field import Entry, FieldEstimate, Seeded, estimate_field, score_to_level
from .ghost import Ghost
from .matches import Match, MatchError, default_system
from .rounds import Round

#: The form of the day within one competition (see the module): shared by the
#: qualification and the matches, so none is drawn again.
SAME_DAY_FORM = 0.0
#: The most runs a simulation takes.
MOST_RUNS = 10_000
#: Seed gaps the higher seed's win rate is told by: label, smallest, largest.
GAPS: tuple[tuple[str, int, int | None], ...] = (
    ("1-4", 1, 4),
    ("5-16", 5, 16),
    ("17-40", 17, 40),
    ("41+", 41, None),
)


class CompetitionError(ValueError):
    """A simulation that cannot be run as asked."""


def gap_label(gap: int) -> str:
    """The gap bucket of two seeds ``gap`` places apart."""
    for label, low, high in GAPS:
        if gap >= low and (high is None or gap <= high):
            return label
    raise ValueError(f"Seeds are at least one place apart, not {gap}.")


@dataclass
class _Count:
    matches: int = 0
    higher_won: int = 0

    def to_dict(self) -> dict[str, Any]:
        rate = self.higher_won / self.matches if self.matches else None
        return {"matches": self.matches, "rate": rate}


@dataclass
class _Tally:
    """What the matches of every run add up to."""

    shoot_offs: int = 0
    higher: _Count = field(default_factory=_Count)
    by_gap: dict[str, _Count] = field(
        default_factory=lambda: {label: _Count() for label, _, _ in GAPS}
    )

    def add(self, top: int, bottom: int, winner: int, shoot_off: bool) -> None:
        self.shoot_offs += shoot_off
        better = min(top, bottom)
        for count in (self.higher, self.by_gap[gap_label(abs(top - bottom))]):
            count.matches += 1
            count.higher_won += winner == better


def _decider(
    ghosts: Sequence[Ghost], base: int, bow: str, indoor: bool, tally: _Tally
) -> Callable[[int, int, int], int]:
    """How one run's matches are decided: the top line's ghost shoots as the
    archer against the bottom line's, match ``number`` on seed ``base +
    number``; each match is added to ``tally``."""

    def decide(top: int, bottom: int, number: int) -> int:
        seed = base + number
        match = Match.elimination(bow, ghosts[bottom - 1], seed, indoor=indoor)
        status = play_out(match, ghosts[top - 1], seed)
        if status not in ("won", "lost"):  # pragma: no cover - matches decide
            raise MatchError("A bracket's match ended tied.", "undecided")
        winner = top if status == "won" else bottom
        tally.add(top, bottom, winner, bool(match.shoot_offs))
        return winner

    return decide


@dataclass(frozen=True)
class SeedFigures:
    archer: Seeded
    wins: int
    finals: int


@dataclass(frozen=True)
class BracketFigures:
    """What the runs of a bracket came to."""

    round: Round
    bow: str
    scheme: str
    system: str
    runs: int
    seed: int
    matches_per_run: int
    shoot_offs: int
    higher_seed: _Count
    by_gap: dict[str, _Count]
    seeds: list[SeedFigures]
    estimate: FieldEstimate

    @property
    def matches(self) -> int:
        return self.matches_per_run * self.runs

    @property
    def shoot_off_rate(self) -> float:
        return self.shoot_offs / self.matches

    def to_dict(self) -> dict[str, Any]:
        higher = self.higher_seed.to_dict()
        return {
            "round": self.round.codename,
            "round_name": self.round.name,
            "bow": self.bow,
            "scheme": self.scheme,
            "system": self.system,
            "indoor": self.round.indoor,
            "field": len(self.seeds),
            "runs": self.runs,
            "seed": self.seed,
            "matches": {"per_run": self.matches_per_run, "total": self.matches},
            "shoot_offs": self.shoot_offs,
            "shoot_off_rate": self.shoot_off_rate,
            "higher_seed_win_rate": higher["rate"],
            "higher_seed_win_rate_by_gap": {
                label: count.to_dict() for label, count in self.by_gap.items()
            },
            "field_estimate": {
                "mean_score": self.estimate.mean,
                "score_sd": self.estimate.observed_variance**0.5,
                "noise_sd": self.estimate.noise_variance**0.5,
                "true_sd": self.estimate.true_variance**0.5,
            },
            "seeds": [
                {
                    "seed": s.archer.seed,
                    "name": s.archer.name,
                    "score": s.archer.score,
                    "score_level": s.archer.raw_level,
                    "level": s.archer.level,
                    "level_score": s.archer.expected_score,
                    "level_score_sd": s.archer.score_sd,
                    "wins": s.wins,
                    "win_share": s.wins / self.runs,
                    "finals": s.finals,
                    "final_share": s.finals / self.runs,
                }
                for s in self.seeds
            ],
        }


def simulate_bracket(
    entries: Sequence[Entry],
    rnd: Round,
    bow: str,
    runs: int,
    seed: int,
    scheme: str = DEFAULT_SCHEME,
) -> BracketFigures:
    """Shoot the field's bracket ``runs`` times (see the module): ``rnd`` is
    the qualification round the scores were shot on (for ``bow``)."""
    if bow not in BOWS:
        raise CompetitionError(f"Unknown bow {bow!r}: choose one of {', '.join(BOWS)}.")
    if not 1 <= runs <= MOST_RUNS:
        raise CompetitionError(
            f"A simulation has 1 to {MOST_RUNS:,} runs, not {runs:,}."
        )
    handicaps.scheme(scheme)
    archers, estimate = estimate_field(entries, rnd, scheme, bow, SAME_DAY_FORM)
    size = len(archers)
    rng = np.random.default_rng(seed)
    expected = np.array([a.expected_score for a in archers])
    spread = np.array([a.score_sd for a in archers])
    drawn = expected + spread * rng.standard_normal((runs, size))
    levels = score_to_level(rnd, scheme, np.clip(drawn, 0.0, rnd.max_score))
    # On the tenths ghosts are shown on: a ghost met before is not worked
    # out again (a tenth of a point is far inside any level's uncertainty).
    levels = np.round(levels, 1)
    run_seeds = rng.integers(0, 2**62, size=runs)
    indoor = rnd.indoor

    tally = _Tally()
    wins = [0] * size
    finals = [0] * size
    per_run = 0
    for run in range(runs):
        ghosts = [
            Ghost.from_handicap(float(h), scheme, SAME_DAY_FORM, bow=bow)
            for h in levels[run]
        ]
        decide = _decider(ghosts, int(run_seeds[run]), bow, indoor, tally)
        day = play_day(size, decide)
        per_run = day.matches_shot()
        wins[day.champion - 1] += 1
        finals[day.champion - 1] += 1
        finals[day.runner_up - 1] += 1

    return BracketFigures(
        round=rnd,
        bow=bow,
        scheme=scheme,
        system=default_system(bow),
        runs=runs,
        seed=seed,
        matches_per_run=per_run,
        shoot_offs=tally.shoot_offs,
        higher_seed=tally.higher,
        by_gap=tally.by_gap,
        seeds=[
            SeedFigures(archer, wins[index], finals[index])
            for index, archer in enumerate(archers)
        ],
        estimate=estimate,
    )
