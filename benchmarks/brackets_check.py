"""The competition model against real elimination results: for every real
match of the 2019 World Cup stages (``benchmarks/data/eliminations``), the
two archers' levels are estimated from their own field's qualification scores
(the model's round-to-round noise in mind: ``engine.field``), and the exact
odds of the match between them give the chance the higher seed wins and the
chance of a shoot-off (the competition's model: one form of the day shared by
the qualification and the matches, ``engine.competition``; ``--fresh-form``
for a new form every match). Summed over the real matches, those are the figures a
simulation of the same fields expects; printed next to the real ones, with the
sampling error of the real figure under the model (no factor is tuned to them).

Run ``python benchmarks/brackets_check.py`` (about a minute); ``--draws N``
sets how many draws of each pair of levels (from their estimates' uncertainty)
each match is averaged over.
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ghost_simulator.engine import Ghost, get_round, match_round
from ghost_simulator.engine.competition import SAME_DAY_FORM
from ghost_simulator.engine.field import Entry, estimate_field, score_to_level
from ghost_simulator.engine.odds import (
    Opponents,
    cumulative_match_odds,
    set_match_odds,
)

DATA = Path(__file__).resolve().parent / "data" / "eliminations"
#: The qualification round of each bow at a World Cup: WA 720 at 70 m, and
#: the compound 720 at 50 m.
QUALIFICATION = {"recurve": "wa720_70", "compound": "wa720_50_c"}
GAPS = (("1-4", 1, 4), ("5-16", 5, 16), ("17-40", 17, 40), ("41+", 41, 10_000))


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def match_chances(
    bow: str,
    high: tuple[float, float],
    low: tuple[float, float],
    draws: int,
    rng: np.random.Generator,
    form: float | None = None,
) -> tuple[float, float]:
    """The higher seed's chance of winning and the chance of a shoot-off,
    averaged over ``draws`` pairs of levels drawn from the two estimates (an
    expected qualification score and its standard deviation, as
    ``engine.field`` estimates them; a drawn score is the level whose
    expected score it is)."""
    rnd = match_round(bow, False)
    qualification = get_round(QUALIFICATION[bow], bow=bow)
    win = shoot_off = 0.0
    for _ in range(draws):
        scores = [float(rng.normal(*high)), float(rng.normal(*low))]
        a, b = (
            round(float(h), 1) for h in score_to_level(qualification, "AGB", scores)
        )
        opponents = Opponents(rnd.distances[0], a, "AGB", bow, form=form)
        ghost = Ghost.from_handicap(b, "AGB", form, bow=bow)
        if bow == "compound":
            odds = cumulative_match_odds(opponents, ghost, rnd=rnd)
        else:
            odds = set_match_odds(opponents, ghost, rnd=rnd)
        win += odds.win
        shoot_off += odds.shoot_off
    return win / draws, shoot_off / draws


def line(label: str, real: Sequence[float], expected: Sequence[float]) -> str:
    n = len(real)
    if not n:
        return f"  {label:<18} no matches"
    observed = sum(real) / n
    mean = sum(expected) / n
    error = math.sqrt(sum(p * (1 - p) for p in expected)) / n
    z = (observed - mean) / error if error else math.nan
    return (
        f"  {label:<18} real {observed:6.1%}  model {mean:6.1%}"
        f"  (± {error:4.1%}, n {n:4d}, z {z:+5.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument(
        "--fresh-form",
        action="store_true",
        help="Draw a new form of the day for every match, and estimate the"
        " levels with the noise of any day (not the competition's model:"
        " engine.competition shares one form over the day).",
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    fields: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read(DATA / "fields.csv"):
        fields[row["event"] + "|" + row["bow"]].append(row)
    levels: dict[tuple[str, int], tuple[float, float]] = {}
    for key, rows in fields.items():
        bow = rows[0]["bow"]
        rows.sort(key=lambda r: int(r["rank"]))
        entries = [
            Entry(r["name"], float(r["score"]), n) for n, r in enumerate(rows, 1)
        ]
        rnd = get_round(QUALIFICATION[bow], bow=bow)
        form = None if args.fresh_form else SAME_DAY_FORM
        seeded, _figures = estimate_field(entries, rnd, "AGB", bow, form)
        for row, archer in zip(rows, seeded, strict=True):
            levels[(key, int(row["rank"]))] = (archer.expected_score, archer.score_sd)
    start = time.perf_counter()
    for bow in ("recurve", "compound"):
        real_win: dict[str, list[float]] = defaultdict(list)
        model_win: dict[str, list[float]] = defaultdict(list)
        real_off: list[float] = []
        model_off: list[float] = []
        for row in read(DATA / "matches.csv"):
            if row["bow"] != bow:
                continue
            key = row["event"] + "|" + bow
            high, low = int(row["seed_high"]), int(row["seed_low"])
            win, off = match_chances(
                bow,
                levels[(key, high)],
                levels[(key, low)],
                args.draws,
                rng,
                None if args.fresh_form else SAME_DAY_FORM,
            )
            gap = next(g for g, lo, hi in GAPS if lo <= low - high <= hi)
            for band in ("all", gap):
                real_win[band].append(1.0 if row["winner"] == "high" else 0.0)
                model_win[band].append(win)
            real_off.append(float(row["shoot_off"]))
            model_off.append(off)
        print(f"{bow}: {len(real_off)} real matches, 2019 World Cup stages")
        print(line("shoot-off share", real_off, model_off))
        print(line("higher seed wins", real_win["all"], model_win["all"]))
        for gap, _lo, _hi in GAPS:
            print(line(f"  seed gap {gap}", real_win[gap], model_win[gap]))
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
