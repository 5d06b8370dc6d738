"""A small cache of figures worked out from a match's state (odds, charts).

The engine's answers are pure functions of the stored state: a page shown
again for the same state (a reload, a second device, the API asking for the
state and then the odds) reuses them instead of working them out anew. Kept
per process, least recently used first out, safe across a server's threads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from ..lru import LRU

T = TypeVar("T")


def state_key(match: Any, *extra: Hashable) -> str:
    """A digest of the match's whole state (and of ``extra``)."""
    state = json.dumps([match.to_dict(), extra], sort_keys=True, default=repr)
    return hashlib.sha256(state.encode()).hexdigest()


class StateCache(Generic[T]):
    """Figures worked out from a match's state, kept by the state's digest."""

    def __init__(self, kept: int) -> None:
        self._values: LRU[str, T] = LRU(kept)

    def get(self, match: Any, compute: Callable[[], T], *extra: Hashable) -> T:
        # Worked out outside the lock: threads compute in parallel.
        return self._values.get_or_make(state_key(match, *extra), compute)

    def clear(self) -> None:
        self._values.clear()
