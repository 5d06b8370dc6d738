"""The presets' solved handicaps (``data/preset_handicaps.json``), which make
``ghost-sim presets`` instant, are what solving gives. Stale after a change to
the model or the presets' data: python -m ghost_simulator.engine.presets"""

from __future__ import annotations

import pytest

from ghost_simulator.engine.constants import SCHEMES
from ghost_simulator.engine.presets import (
    _handicap_table,
    all_presets,
    get_preset,
    preset_handicap,
    solve_preset_handicap,
)

STALE = "stale: python -m ghost_simulator.engine.presets"


@pytest.mark.parametrize("model", [2, 3])
def test_the_table_has_every_preset_on_every_scheme(model: int) -> None:
    names = {n for n, p in all_presets().items() if p.kind != "perfect"}
    table = _handicap_table(model)
    assert set(table) == set(SCHEMES)
    for scheme in SCHEMES:
        assert set(table[scheme]) == names, STALE


@pytest.mark.parametrize("model", [2, 3])
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
def test_the_table_is_what_solving_gives(name: str, scheme: str, model: int) -> None:
    table = _handicap_table(model)
    assert table[scheme][name] == solve_preset_handicap(name, scheme, model=model), (
        STALE
    )
    assert preset_handicap(name, scheme, model=model) == table[scheme][name]


def test_each_version_keeps_its_own_preset_ghost() -> None:
    """A link made with version 2 rebuilds version 2's preset ghost."""
    preset = get_preset("outdoor-recurve-senior-women")
    v2, v3 = preset.ghost(model=2), preset.ghost()
    assert v2.handicap == _handicap_table(2)["AGB"][preset.name]
    assert v3.handicap == _handicap_table(3)["AGB"][preset.name] != v2.handicap
