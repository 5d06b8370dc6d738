"""Ready-made ghosts: championship levels, record holders, and the perfect ghost.

Championship presets come from ``data/championship_ranges.csv``: the lowest
score seen for a set (set system) or a whole match (cumulative) in a category's
eliminations at Spanish championships. A category's ghost is the archer whose
sets or matches reach that lowest score 9 times in 10 (``COVERAGE``): someone
who shoots like the archers of that bracket, not a uniform draw between two
numbers. It shoots on the category's match format (``AGE_FORMATS``, else the
senior one). The 9 in 10 holds for the model the ghost shoots with: a version 2
or 3 ghost, unsteady as a real archer, needs a better handicap than a steady
(or version 1) ghost to reach the same score as often, and each version has
its own solved table (so a link made with version 2 replays its ghost).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import handicaps, odds
from .constants import CURRENT_MODEL
from .faces import Face
from .ghost import Ghost, GhostError
from .rounds import MATCH_FORMATS, Distance, get_round

DATA_DIR = Path(__file__).with_name("data")

#: The share of a preset ghost's sets (or matches) that reach the category's
#: lowest recorded score.
COVERAGE = 0.9

#: Age classes that shoot a shorter distance or a bigger face than seniors.
#: U18 recurve 60 m (WA); U15 recurve 40 m and compound 40 m outdoors, and 60 cm
#: faces at 18 m indoors (RFETA youth rules as this app models them).
AGE_FORMATS: dict[tuple[str, str, bool], tuple[float, str, float]] = {
    ("U18", "recurve", False): (60, "10_zone", 122),
    ("U15", "recurve", False): (40, "10_zone", 122),
    ("U15", "compound", False): (40, "10_zone_6_ring", 80),
    ("U15", "recurve", True): (18, "10_zone", 60),
    ("U15", "compound", True): (18, "10_zone_compound", 60),
}


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    kind: str  # "championship", "record", "perfect"
    bow: str | None = None
    age: str | None = None
    indoor: bool | None = None
    system: str | None = None  # "set" or "cumulative" for championship presets
    min_score: int | None = None
    round: str | None = None
    score: float | None = None
    archer: str | None = None  # record holder
    year: int | None = None
    source: str | None = None

    def distance(self) -> Distance:
        assert self.bow is not None
        assert self.indoor is not None
        metres, system, size = AGE_FORMATS.get(
            (self.age or "senior", self.bow, self.indoor),
            MATCH_FORMATS[(self.bow, self.indoor)],
        )
        arrows = 15 if self.system == "cumulative" else 3
        return Distance(arrows, float(metres), Face.of(system, size), self.indoor)

    def ghost(
        self,
        scheme: str = handicaps.DEFAULT_SCHEME,
        form: float | None = None,
        **options: Any,
    ) -> Ghost:
        """The preset's ghost, with the preset's bow; ``options``: ``model``,
        ``steady``."""
        if self.kind == "perfect":
            return Ghost.perfect()
        model = int(options.get("model", CURRENT_MODEL))
        steady = bool(options.get("steady")) or model == 1
        handicap = preset_handicap(self.name, scheme, steady=steady, model=model)
        source = {"preset": self.name}
        options.setdefault("bow", self.bow or "recurve")
        return Ghost("preset", handicap, scheme, form, source=source, **options)

    def to_dict(self, scheme: str = handicaps.DEFAULT_SCHEME) -> dict[str, object]:
        data: dict[str, object] = {
            "name": self.name,
            "description": self.description,
            "kind": self.kind,
        }
        if self.kind != "perfect":
            data["handicap"] = round(preset_handicap(self.name, scheme), 2)
            data["scheme"] = scheme
        for key in ("bow", "indoor", "system", "min_score", "round", "score", "source"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


def _data(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


@cache
def all_presets() -> dict[str, Preset]:
    presets: dict[str, Preset] = {}
    for row in csv.DictReader(_data("championship_ranges.csv").splitlines()):
        name = f"{row['season']}-{row['bow']}-{row['age_class']}-{row['sex']}"
        unit = "match of 15 arrows" if row["match_system"] == "cumulative" else "set"
        presets[name] = Preset(
            name=name,
            description=(
                f"Spanish championship eliminations, {row['season']} {row['bow']}"
                f" {row['age_class']} {row['sex']} ({row['year']}): reaches"
                f" {row['min_score']} in a {unit} {COVERAGE:.0%} of the time"
            ),
            kind="championship",
            bow=row["bow"],
            age=row["age_class"],
            indoor=row["season"] == "indoor",
            system=row["match_system"],
            min_score=int(row["min_score"]),
            source=row["source"],
        )
    for record in json.loads(_data("records.json"))["records"]:
        presets[record["preset"]] = Preset(
            name=record["preset"],
            description=(
                f"{record['archer']}'s record {record['score']} on"
                f" {get_round(record['round']).name} ({record['year']})"
            ),
            kind="record",
            bow=record["bow"],
            round=record["round"],
            score=record["score"],
            archer=record["archer"],
            year=record["year"],
            source=record["source"],
        )
    presets["perfect"] = Preset("perfect", "Every arrow an X", "perfect")
    return presets


def get_preset(name: str) -> Preset:
    try:
        return all_presets()[name]
    except KeyError:
        raise GhostError(
            f"Unknown preset {name!r}. 'ghost-sim presets' lists them all."
        ) from None


#: Each model version's ghosts' handicaps, solved once by
#: ``python -m ghost_simulator.engine.presets`` (a nested bisection takes
#: seconds for all presets); tests/engine/test_preset_table.py checks them.
HANDICAP_TABLES = {2: "preset_handicaps.json", 3: "preset_handicaps_v3.json"}


@cache
def _handicap_table(model: int = CURRENT_MODEL) -> dict[str, dict[str, float]]:
    try:
        table: dict[str, dict[str, float]] = json.loads(_data(HANDICAP_TABLES[model]))
    except FileNotFoundError:
        return {}
    return table


@cache
def preset_handicap(
    name: str,
    scheme: str = handicaps.DEFAULT_SCHEME,
    *,
    steady: bool = False,
    model: int = CURRENT_MODEL,
) -> float:
    """The preset ghost's handicap (exact distributions, bisection): for a
    ghost of model version ``model``, or a ``steady`` one (also model version
    1's). Each version's come from its solved table when it has them."""
    if not steady and model != 1:
        known = _handicap_table(model).get(scheme, {}).get(name)
        if known is not None:
            return known
    return solve_preset_handicap(name, scheme, steady=steady or model == 1, model=model)


def solve_preset_handicap(
    name: str,
    scheme: str = handicaps.DEFAULT_SCHEME,
    *,
    steady: bool = False,
    model: int = CURRENT_MODEL,
) -> float:
    """:func:`preset_handicap`, solved (never from the table)."""
    preset = get_preset(name)
    if preset.kind == "record":
        assert preset.round is not None
        assert preset.score is not None
        rnd = get_round(preset.round, bow=preset.bow)
        return handicaps.handicap_for_score(rnd, preset.score, scheme)
    assert preset.min_score is not None
    distance = preset.distance()

    rnd = odds.match_round_at(distance)
    bow = preset.bow or "recurve"

    def reach(handicap: float) -> float:
        if steady:
            pmf = odds.power(
                odds.arrow_pmf(distance, handicap, scheme), distance.arrows
            )
        else:
            ghost = Ghost("preset", handicap, scheme, bow=bow, model=model)
            pmf = odds.ghost_chain(ghost, rnd).first_ends_pmf(distance.arrows)
        return float(pmf[preset.min_score :].sum())

    scale = handicaps.bounds(scheme)
    if reach(scale[0]) < COVERAGE:
        raise GhostError(f"No handicap reaches preset {name}'s range.")
    # Steady (and version 1) ghosts: every halving, as the first release did.
    return handicaps.solve(reach, COVERAGE, scale, 0.0 if steady else 1e-4, 100)


def write_handicap_table(model: int = CURRENT_MODEL) -> Path:
    """Solve every preset's handicap on every scheme, for the model's table."""
    table = {
        scheme: {
            name: solve_preset_handicap(name, scheme, model=model)
            for name, preset in all_presets().items()
            if preset.kind != "perfect"
        }
        for scheme in handicaps.SCHEMES
    }
    path = DATA_DIR / HANDICAP_TABLES[model]
    path.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"Wrote {write_handicap_table()}")
