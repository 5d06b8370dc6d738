"""Real elimination matches: shoot-off share and higher-seed win rate.

Reads ``benchmarks/data/eliminations/matches.csv`` (real
individual elimination matches, one row a match, see ``SOURCES.md`` beside
it) and prints, for recurve and for compound separately:

- the number of matches,
- the share that went to a shoot-off,
- how often the better seed won, overall and by seed gap
  (``seed_low - seed_high``: 1-4, 5-16, 17-40, 41+),

each with n and its binomial standard error ``sqrt(p (1 - p) / n)``. The
errors treat matches as independent; they are not quite (the same archers
shoot several matches), so read them as a lower bound.

    python benchmarks/brackets_real.py [--csv PATH]
"""

from __future__ import annotations

import argparse
import csv
import math
from collections.abc import Sequence
from pathlib import Path

DEFAULT_CSV = (
    Path(__file__).resolve().parent.parent / "benchmarks/data/eliminations/matches.csv"
)
BOWS = ("recurve", "compound")
#: Seed-gap bands (inclusive), ``None`` for no upper bound.
GAP_BANDS: tuple[tuple[int, int | None], ...] = ((1, 4), (5, 16), (17, 40), (41, None))


def share(hits: int, n: int) -> str:
    """``p ± se (k/n)`` for ``hits`` successes out of ``n``."""
    if n == 0:
        return "n/a (0/0)"
    p = hits / n
    se = math.sqrt(p * (1 - p) / n)
    return f"{p:6.1%} ± {se:5.1%}  ({hits}/{n})"


def band_label(low: int, high: int | None) -> str:
    return f"{low}+" if high is None else f"{low}-{high}"


def report(rows: Sequence[dict[str, str]], bow: str) -> list[str]:
    matches = [row for row in rows if row["bow"] == bow]
    n = len(matches)
    fields = {row["event"] for row in matches}
    shoot_offs = sum(row["shoot_off"] == "1" for row in matches)
    high_wins = sum(row["winner"] == "high" for row in matches)
    lines = [
        f"{bow.capitalize()}: {n} matches from {len(fields)} fields (event x gender)",
        f"  shoot-off share         {share(shoot_offs, n)}",
        f"  higher seed wins        {share(high_wins, n)}",
    ]
    for low, high in GAP_BANDS:
        top = math.inf if high is None else high
        band = [
            row
            for row in matches
            if low <= int(row["seed_low"]) - int(row["seed_high"]) <= top
        ]
        wins = sum(row["winner"] == "high" for row in band)
        lines.append(
            f"    seed gap {band_label(low, high):>6}    {share(wins, len(band))}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    args = parser.parse_args()
    with args.csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for index, bow in enumerate(BOWS):
        if index:
            print()
        print("\n".join(report(rows, bow)))


if __name__ == "__main__":
    main()
