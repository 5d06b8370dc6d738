"""A small cache of figures worked out from a match's state (odds, charts).

The engine's answers are pure functions of the stored state: a page shown
again for the same state (a reload, a second device, the API asking for the
state and then the odds) reuses them instead of working them out anew. Kept
per process, least recently used first out, safe across a server's threads.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def state_key(match: Any, *extra: Hashable) -> str:
    """A digest of the match's whole state (and of ``extra``)."""
    state = json.dumps([match.to_dict(), extra], sort_keys=True, default=repr)
    return hashlib.sha256(state.encode()).hexdigest()


class StateCache(Generic[T]):
    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._values: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, match: Any, compute: Callable[[], T], *extra: Hashable) -> T:
        key = state_key(match, *extra)
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()  # outside the lock: threads compute in parallel
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.kept:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
