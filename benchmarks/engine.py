"""Speed of the ghost engine, with baselines measured in the same run.

- Simulating 100,000 WA 720 (70 m) rounds, arrow by arrow (7.2 million
  arrows, with form, drift and bad arrows), next to NumPy drawing the same
  number of values from a categorical distribution: the floor any
  arrow-by-arrow simulation has to stand on (goal: within 3x). Writing them
  all as CSV (``ghost-sim simulate --output``) is timed too.
- An exact set-match win probability (hidden-state forward pass).
- Solving a handicap from a score (bisection on exact expected scores).

    python benchmarks/engine.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from ghost_simulator.engine import Ghost, get_round, match_round
from ghost_simulator.engine.ghost import simulate
from ghost_simulator.engine.handicaps import distance_probabilities, handicap_for_score
from ghost_simulator.engine.odds import (
    Opponents,
    ghost_chain,
    ghost_round_pmf,
    set_match_odds,
)
from ghost_simulator.engine.variability import base_handicap, odds_base_handicap


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """Median wall time of ``repeat`` runs after one warm-up."""
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    rnd = get_round("wa720_70")
    ghost = Ghost.from_handicap(35)
    runs = 100_000
    arrows = runs * rnd.arrows
    probabilities = distance_probabilities(rnd.distances[0], 35, "AGB")
    rng = np.random.default_rng(1)

    sim = best_of(args.repeat, lambda: simulate(ghost, rnd, runs, seed=1))
    floor = best_of(
        args.repeat,
        lambda: rng.choice(len(probabilities), size=arrows, p=probabilities),
    )
    print(f"simulate {runs:,} WA 720 rounds ({arrows:,} arrows)")
    for label, seconds in (("ghost engine", sim), ("numpy categorical", floor)):
        rate = arrows / seconds / 1e6
        print(f"  {label:<18} {seconds * 1000:8.1f} ms  {rate:6.2f} M arrows/s")
    print(f"  engine / floor     {sim / floor:8.2f}x")
    steady = Ghost.from_handicap(35, steady=True)
    plain = best_of(args.repeat, lambda: simulate(steady, rnd, runs, seed=1))
    print(f"  steady ghost       {plain * 1000:8.1f} ms  ({plain / floor:.2f}x)")
    one = best_of(args.repeat, lambda: ghost.shoot(rnd, 7))
    print(f"one WA 720 round shot end by end (Ghost.shoot): {one * 1000:.2f} ms")

    opponents = Opponents(match_round("recurve", False).distances[0], 30, "AGB")

    def fresh_odds(ghost: Ghost) -> Callable[[], object]:
        def work() -> object:
            # The whole computation, nothing kept: both sides' chains and the
            # base handicaps their means are fitted with (as at a level the
            # server has not met, which is every end: the archer's level
            # moves with their arrows).
            ghost_chain.cache_clear()
            odds_base_handicap.cache_clear()
            base_handicap.cache_clear()
            return set_match_odds(opponents, ghost)

        return work

    timings = {
        label: best_of(args.repeat, fresh_odds(g))
        for label, g in (
            ("steady", Ghost.from_handicap(32, steady=True)),
            ("model 1, form only", Ghost.from_handicap(32, model=1)),
            ("model 2, form, drift and bad arrows", Ghost.from_handicap(32, model=2)),
            ("model 3 (current)", Ghost.from_handicap(32)),
        )
    }
    print("exact set-match win probability, both sides new (the archer as")
    print("unsteady as their level, at handicap 30):")
    for label, seconds in timings.items():
        print(f"  {label:<36} {seconds * 1000:7.2f} ms")
    wa18 = get_round("wa18")
    pmf = best_of(
        args.repeat, lambda: ghost_round_totals(Ghost.from_handicap(40), wa18)
    )
    print(f"exact WA 18 m total distribution (model 2): {pmf * 1000:.1f} ms")

    solve = best_of(args.repeat, lambda: handicap_for_score(rnd, 600))
    print(f"handicap from a score (WA 720, 600): {solve * 1000:.2f} ms")


def ghost_round_totals(ghost: Ghost, rnd: object) -> object:
    ghost_chain.cache_clear()
    return ghost_round_pmf(ghost, rnd)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
