"""Build the field-level score data the engine draws elimination fields from.

Two steps, both plain Python (no third-party package):

``python benchmarks/data/field_levels/build.py --from-transcription``
    writes ``scores.csv`` (one row per archer's real qualification score:
    level, round, bow, event, source, score) from ``transcription.txt`` (the
    hand transcription of the indoor fields, see ``SOURCES.md``) and from the
    2019 World Cup qualification lists already transcribed in
    ``../eliminations/fields.csv`` (the international outdoor fields).

``python benchmarks/data/field_levels/build.py``
    reads ``scores.csv`` and writes the package data file
    ``src/ghost_simulator/engine/data/field_levels.json``: for each (level,
    round, bow) the scores sorted lowest first (or, past
    :data:`MAX_RAW_SCORES` scores, 201 evenly spaced quantiles), their number
    and the events they come from.

``--check`` rebuilds the JSON in memory and fails if the file on disk differs.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
TRANSCRIPTION = HERE / "transcription.txt"
SCORES_CSV = HERE / "scores.csv"
WORLD_CUP_FIELDS = HERE.parent / "eliminations" / "fields.csv"
OUTPUT = ROOT / "src" / "ghost_simulator" / "engine" / "data" / "field_levels.json"

LEVELS = ("club", "regional", "national", "international")
#: The rounds the data covers and their highest possible totals.
MAX_SCORES = {"wa720_70": 720, "wa720_50_c": 720, "wa18": 600, "wa18_compound": 600}
#: Past this many scores a (level, round, bow) is stored as quantiles.
MAX_RAW_SCORES = 2000
#: How many evenly spaced quantiles (0 %, 0.5 %, ... 100 %) are then stored.
N_QUANTILES = 201

COLUMNS = ("level", "round", "bow", "event", "source", "score")

#: The 2019 World Cup stages of ``../eliminations/fields.csv``: ianseo
#: tournament id of each stage (see ``../eliminations/SOURCES.md``).
WORLD_CUP_IDS = {
    "World Cup 2019 Stage 1 Medellin": "4792",
    "World Cup 2019 Stage 2 Shanghai": "4795",
    "World Cup 2019 Stage 3 Antalya": "4797",
    "World Cup 2019 Stage 4 Berlin": "4803",
}
WORLD_CUP_REPO = "shermanlo77/archeryrating@0951b71ff31f58071b6d465cbda3ad29415c1fe5"
WORLD_CUP_ROUNDS = {"recurve": "wa720_70", "compound": "wa720_50_c"}


def read_transcription(path: Path = TRANSCRIPTION) -> list[dict[str, str]]:
    """The rows of the hand transcription: ``@ level | round | bow | event |
    source`` headers, each followed by its field's scores (``575*8`` is eight
    archers on 575)."""
    rows: list[dict[str, str]] = []
    header: dict[str, str] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            parts = [part.strip() for part in line[1:].split("|")]
            if len(parts) != 5:
                raise SystemExit(f"{path.name}:{number}: a header has five fields")
            header = dict(zip(COLUMNS[:5], parts, strict=True))
            continue
        if header is None:
            raise SystemExit(f"{path.name}:{number}: scores before any header")
        for token in line.split():
            score, _, count = token.partition("*")
            rows.extend({**header, "score": score} for _ in range(int(count or 1)))
    return rows


def read_world_cup(path: Path = WORLD_CUP_FIELDS) -> list[dict[str, str]]:
    """The 2019 World Cup qualification lists as international fields."""
    rows: list[dict[str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            stage, _, gender = row["event"].rpartition(" (")
            gender = gender.rstrip(")")
            bow = row["bow"]
            tour = WORLD_CUP_IDS[stage]
            source_file = (
                f"{tour}/{tour}-Individual_Qualification-{bow.title()}_{gender}.csv"
            )
            rows.append(
                {
                    "level": "international",
                    "round": WORLD_CUP_ROUNDS[bow],
                    "bow": bow,
                    "event": row["event"],
                    "source": f"{WORLD_CUP_REPO}:{source_file}",
                    "score": row["score"],
                }
            )
    return rows


def write_scores_csv(rows: list[dict[str, str]], path: Path = SCORES_CSV) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_scores_csv(path: Path = SCORES_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def quantiles(values: list[int], count: int = N_QUANTILES) -> list[float]:
    """``count`` evenly spaced quantiles of ``values`` (sorted), linear
    between order statistics, 0 % and 100 % the lowest and highest."""
    last = len(values) - 1
    out: list[float] = []
    for k in range(count):
        position = last * k / (count - 1)
        low = int(position)
        high = min(low + 1, last)
        frac = position - low
        out.append(round(values[low] + frac * (values[high] - values[low]), 2))
    return out


def build(rows: list[dict[str, str]]) -> dict[str, object]:
    """The JSON document for ``rows`` (checked: known level, round and bow,
    integer scores within the round's range)."""
    scores: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    events: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for number, row in enumerate(rows, 2):
        level, round_code, bow = row["level"], row["round"], row["bow"]
        if level not in LEVELS:
            raise SystemExit(f"scores.csv:{number}: unknown level {level!r}")
        if round_code not in MAX_SCORES:
            raise SystemExit(f"scores.csv:{number}: unknown round {round_code!r}")
        score = int(row["score"])
        if not 0 <= score <= MAX_SCORES[round_code]:
            raise SystemExit(f"scores.csv:{number}: score {score} out of range")
        key = (level, round_code, bow)
        scores[key].append(score)
        if row["event"] not in events[key]:
            events[key].append(row["event"])
    fields: dict[str, dict[str, dict[str, dict[str, object]]]] = {}
    for key in sorted(scores, key=lambda k: (LEVELS.index(k[0]), k[1], k[2])):
        level, round_code, bow = key
        values = sorted(scores[key])
        entry: dict[str, object] = {
            "n": len(values),
            "events": events[key],
            "median": statistics.median(values),
        }
        if len(values) > MAX_RAW_SCORES:
            entry["quantiles"] = quantiles(values)
        else:
            entry["scores"] = values
        fields.setdefault(level, {}).setdefault(round_code, {})[bow] = entry
    return {
        "about": (
            "Real qualification scores of real events, by field level, round and "
            "bow; built by benchmarks/data/field_levels/build.py from scores.csv "
            "(sources: benchmarks/data/field_levels/SOURCES.md)."
        ),
        "levels": list(LEVELS),
        "max_scores": MAX_SCORES,
        "fields": fields,
    }


def dump(document: dict[str, object]) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--from-transcription",
        action="store_true",
        help="rewrite scores.csv from transcription.txt and the World Cup fields first",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="fail if the JSON on disk is not up to date",
    )
    args = parser.parse_args(argv)
    if args.from_transcription:
        rows = read_world_cup() + read_transcription()
        write_scores_csv(rows)
        print(f"wrote {SCORES_CSV.relative_to(ROOT)}: {len(rows)} scores")
    text = dump(build(read_scores_csv()))
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print(
                f"{OUTPUT.relative_to(ROOT)} is out of date: run build.py",
                file=sys.stderr,
            )
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(text.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
