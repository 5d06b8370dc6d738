"""How real the ghost is: the figures issue 7 set, measured on simulated rounds.

- Round-to-round spread of a WA 18 m recurve ghost at about 527 (steady,
  models 1, 2 and 3).
- How much more the two halves of a round differ than independent arrows
  predict (Var(first half - second half) over twice a half's arrows times the
  variance of the round's own arrow values, as a study of real results
  measures it), by level.
- Means against the Archery GB tables, for ghosts given a handicap or a score.

    python benchmarks/realism.py [--runs 40000] [--model 3]

(``--model`` is the version whose halves and means are measured.)
"""

from __future__ import annotations

import argparse

from ghost_simulator.engine import Ghost, get_round
from ghost_simulator.engine.constants import CURRENT_MODEL
from ghost_simulator.engine.ghost import simulate
from ghost_simulator.engine.handicaps import expected_score


def half_ratio(ghost: Ghost, codename: str, bow: str, runs: int) -> float:
    rnd = get_round(codename, bow=bow)
    arrows = simulate(ghost, rnd, runs, seed=11, keep_arrows=True).arrows
    assert arrows is not None
    half = rnd.arrows // 2
    gap = arrows[:, :half].sum(axis=1) - arrows[:, half:].sum(axis=1)
    return float(gap.var() / (rnd.arrows * arrows.var(axis=1, ddof=1).mean()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40_000)
    parser.add_argument("--model", type=int, default=CURRENT_MODEL)
    args = parser.parse_args()
    runs, model = args.runs, args.model

    wa18 = get_round("wa18")
    print(f"WA 18 m recurve ghost at 527, {runs:,} rounds: mean, spread")
    for label, ghost in (
        ("steady (handicap tables)", Ghost.from_score(wa18, 527, steady=True)),
        ("model 1 (form 2.0)", Ghost.from_score(wa18, 527, model=1)),
        ("model 2 (form, drift, bad)", Ghost.from_score(wa18, 527, model=2)),
        ("model 3 (more form, less drift)", Ghost.from_score(wa18, 527, model=3)),
    ):
        totals = simulate(ghost, wa18, runs, seed=3).totals
        print(f"  {label:<32} {totals.mean():7.1f} {totals.std():6.1f}")

    print(
        f"Model {model}: halves differ, in variance, x times what independent"
        " arrows predict"
    )
    for bow, codename, levels in (
        ("recurve", "wa18", (10, 20, 30, 40, 60, 80)),
        ("recurve", "wa720_70", (5, 15, 25, 40, 60, 80)),
        ("compound", "wa18", (0, 12, 20, 30)),
        ("compound", "wa720_50_c", (0, 12, 20, 30)),
    ):
        ratios = [
            (
                h,
                half_ratio(
                    Ghost.from_handicap(h, bow=bow, model=model), codename, bow, runs
                ),
            )
            for h in levels
        ]
        shown = "  ".join(f"{h:g}: {ratio:.2f}" for h, ratio in ratios)
        print(f"  {bow:<9} ({codename}) by handicap  {shown}")

    print(f"Model {model}: means against the tables (simulated - table)")
    for codename, bow, handicap in (
        ("wa18", "recurve", 38),
        ("wa720_70", "recurve", 20),
        ("wa720_50_c", "compound", 10),
        ("wa1440_90", "recurve", 55),
        ("portsmouth", "barebow", 60),
        ("york", "longbow", 85),
    ):
        rnd = get_round(codename, bow=bow)
        table = expected_score(rnd, handicap)
        ghost = Ghost.from_handicap(handicap, bow=bow, model=model)
        totals = simulate(ghost, rnd, runs, 5).totals
        print(
            f"  {codename:<11} {bow:<9} handicap {handicap:>3}: table {table:7.1f}"
            f"  simulated {totals.mean():7.1f}  ({totals.mean() - table:+.2f})"
        )
    for score in (480, 527, 560, 580):
        ghost = Ghost.from_score(wa18, score, model=model)
        totals = simulate(ghost, wa18, runs, seed=9).totals
        print(
            f"  wa18 score to beat {score}: simulated {totals.mean():7.1f}"
            f"  ({totals.mean() - score:+.2f}), spread {totals.std():.1f}"
        )


if __name__ == "__main__":
    main()
