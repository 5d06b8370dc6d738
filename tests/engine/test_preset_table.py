"""The presets' solved handicaps (``data/preset_handicaps.json``), which make
``ghost-sim presets`` instant, are what solving gives. Stale after a change to
the model or the presets' data: python -m ghost_simulator.engine.presets"""

from __future__ import annotations

import pytest

from ghost_simulator.engine.constants import SCHEMES
from ghost_simulator.engine.presets import (
    _handicap_table,
    all_presets,
    preset_handicap,
    solve_preset_handicap,
)

STALE = "stale: python -m ghost_simulator.engine.presets"


def test_the_table_has_every_preset_on_every_scheme() -> None:
    names = {n for n, p in all_presets().items() if p.kind != "perfect"}
    table = _handicap_table()
    assert set(table) == set(SCHEMES)
    for scheme in SCHEMES:
        assert set(table[scheme]) == names, STALE


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize(
    "name",
    [
        "outdoor-recurve-senior-women",  # a set
        "outdoor-compound-U18-men",  # a cumulative match
        "indoor-recurve-U15-women",  # indoors, a bigger face
        "record-barebow-men-18m",  # a record on a round
    ],
)
def test_the_table_is_what_solving_gives(name: str, scheme: str) -> None:
    assert _handicap_table()[scheme][name] == solve_preset_handicap(name, scheme), STALE
    assert preset_handicap(name, scheme) == _handicap_table()[scheme][name]
