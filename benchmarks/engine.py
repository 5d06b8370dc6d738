"""Speed of the ghost engine, with baselines measured in the same run.

- Simulating 10,000 WA 720 (70 m) rounds, arrow by arrow (720,000 arrows),
  next to NumPy drawing the same number of values from a categorical
  distribution: the floor any arrow-by-arrow simulation has to stand on.
- An exact set-match win probability (convolutions, form by quadrature).
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
from ghost_simulator.engine.odds import Opponents, set_match_odds


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
    runs = 10_000
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

    one = best_of(args.repeat, lambda: ghost.shoot(rnd, 7))
    print(f"one WA 720 round shot end by end (Ghost.shoot): {one * 1000:.2f} ms")

    opponents = Opponents(match_round("recurve", False).distances[0], 30, "AGB")
    steady = Ghost.from_handicap(32, form=0)
    odds_steady = best_of(args.repeat, lambda: set_match_odds(opponents, steady))
    odds_form = best_of(
        args.repeat, lambda: set_match_odds(opponents, Ghost.from_handicap(32))
    )
    print(
        f"exact set-match win probability: {odds_steady * 1000:.2f} ms (steady ghost),"
        f" {odds_form * 1000:.2f} ms (with form, 24 quadrature nodes)"
    )

    solve = best_of(args.repeat, lambda: handicap_for_score(rnd, 600))
    print(f"handicap from a score (WA 720, 600): {solve * 1000:.2f} ms")


if __name__ == "__main__":
    main()
