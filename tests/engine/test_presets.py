"""Preset ghosts: championship categories, records and the perfect ghost."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from ghost_simulator.engine import handicaps, odds
from ghost_simulator.engine.ghost import GhostError
from ghost_simulator.engine.presets import (
    COVERAGE,
    all_presets,
    get_preset,
    preset_handicap,
)
from ghost_simulator.engine.rounds import get_round, match_round

REFERENCE = (
    Path(__file__).resolve().parents[2]
    / "src/ghost_simulator/engine/data/championship_ranges.csv"
)


def test_every_reference_category_is_a_preset() -> None:
    with REFERENCE.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 20
    for row in rows:
        preset = get_preset(
            f"{row['season']}-{row['bow']}-{row['age_class']}-{row['sex']}"
        )
        assert preset.min_score == int(row["min_score"])
        assert preset.system == row["match_system"]


@pytest.mark.parametrize(
    "name", [n for n, p in all_presets().items() if p.kind == "championship"]
)
def test_championship_ghost_reaches_the_lowest_score_as_described(name: str) -> None:
    preset = get_preset(name)
    distance = preset.distance()
    steady = preset_handicap(name, steady=True)
    pmf = odds.power(odds.arrow_pmf(distance, steady, "AGB"), distance.arrows)
    assert pmf[preset.min_score :].sum() == pytest.approx(COVERAGE, abs=1e-6)
    assert distance.arrows == (15 if preset.system == "cumulative" else 3)
    # The current model's ghost, unsteady, reaches it as often from a better
    # handicap.
    ghost = preset.ghost()
    assert ghost.handicap == preset_handicap(name) < steady
    chain = odds.ghost_chain(ghost, odds.match_round_at(distance))
    pmf = chain.first_ends_pmf(distance.arrows)
    assert pmf[preset.min_score :].sum() == pytest.approx(COVERAGE, abs=1e-3)
    assert preset.ghost(model=1).handicap == steady
    assert preset.ghost(steady=True).handicap == steady


def test_a_preset_ghost_reaches_its_score_in_played_sets() -> None:
    preset = get_preset("outdoor-recurve-senior-men")
    rnd = match_round("recurve", False)
    sets = [
        end.total
        for seed in range(2000)
        for end in preset.ghost().shoot(rnd, seed).ends
    ]
    reached = np.mean(np.array(sets) >= preset.min_score)
    assert reached == pytest.approx(COVERAGE, abs=4 * np.sqrt(0.09 / len(sets)) + 0.01)


def test_better_categories_have_better_ghosts() -> None:
    senior = preset_handicap("outdoor-recurve-senior-men")
    barebow = preset_handicap("outdoor-barebow-senior-women")
    assert senior < barebow  # AGB: lower is better


@pytest.mark.parametrize(
    "name", [n for n, p in all_presets().items() if p.kind == "record"]
)
def test_record_ghost_expects_the_record(name: str) -> None:
    preset = get_preset(name)
    rnd = get_round(preset.round, bow=preset.bow)  # type: ignore[arg-type]
    assert handicaps.expected_score(rnd, preset_handicap(name)) == pytest.approx(
        preset.score
    )


def test_presets_build_ghosts() -> None:
    ghost = get_preset("outdoor-recurve-senior-men").ghost(steady=True)
    assert ghost.kind == "preset"
    assert ghost.source == {"preset": "outdoor-recurve-senior-men"}
    assert get_preset("perfect").ghost().kind == "perfect"
    assert "preset outdoor-recurve-senior-men" in ghost.label


def test_other_schemes() -> None:
    agb = preset_handicap("indoor-recurve-U15-men", "AGB")
    aa = preset_handicap("indoor-recurve-U15-men", "AA")
    assert agb != aa
    assert get_preset("indoor-recurve-U15-men").to_dict("AA")["scheme"] == "AA"


def test_unknown_preset() -> None:
    with pytest.raises(GhostError, match="Unknown preset 'nope'"):
        get_preset("nope")
