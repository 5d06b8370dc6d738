"""``simulate_batches``: the rounds of one simulation, a batch at a time (for
a caller that writes them out without holding them all)."""

from __future__ import annotations

import numpy as np
import pytest

from ghost_simulator.engine import Ghost, get_round
from ghost_simulator.engine.ghost import (
    BATCH,
    ArrowStream,
    _simulate_v1,
    simulate,
    simulate_batches,
)


@pytest.mark.parametrize(
    "ghost",
    [
        Ghost.from_handicap(40),
        Ghost.from_handicap(40, model=1),
        Ghost.perfect(),
    ],
    ids=["model 2", "model 1", "perfect"],
)
def test_batches_are_the_rounds_of_one_run(ghost: Ghost) -> None:
    rnd = get_round("wa18", half=True)
    runs = BATCH + 5
    batches = list(simulate_batches(ghost, rnd, runs, 11))
    assert [len(b.totals) for b in batches] == [BATCH, 5]
    whole = simulate(ghost, rnd, runs, 11)
    assert np.array_equal(np.concatenate([b.ends for b in batches]), whole.ends)
    first = [end.total for end in ghost.shoot(rnd, 11).ends]
    assert whole.ends[0].tolist() == first


def test_version_1_batches_read_the_stream_as_one_call_did() -> None:
    ghost, rnd = Ghost.from_handicap(35, model=1), get_round("wa18", half=True)
    runs = 2 * BATCH + 1
    once = _simulate_v1(ghost, rnd, runs, ArrowStream(3), False)
    assert np.array_equal(simulate(ghost, rnd, runs, 3).ends, once.ends)
