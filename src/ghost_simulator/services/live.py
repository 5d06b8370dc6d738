"""A ghost night's leaderboard, live: a stream of server-sent events that
says "the night moved" each time a member's end is entered, on whichever
instance (``store.live``), for the page to fetch its leaderboard again.

The stream carries only the night's version (never a score: what a watcher
may see is decided by the leaderboard's own page, as for any request). It
lasts :data:`STREAM_SECONDS` at most, then ends; the browser's EventSource
opens it again by itself (after :data:`RETRY_MS`), sending the last version
it saw (``Last-Event-ID``), so no change falls between two streams."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from ..store import live

#: How long one stream lasts before the browser opens the next: long, since
#: opening one waits in the server's queue with everyone's ends.
STREAM_SECONDS = 120.0
#: How long the browser waits before opening the next stream (ms).
RETRY_MS = 1000
#: A comment line sent while nothing moves, so proxies keep the stream open.
KEEP_ALIVE_SECONDS = 10.0


def event(version: int) -> str:
    """One server-sent event: the night's new version."""
    return f"event: night\nid: {version}\ndata: {version}\n\n"


def stream(
    night_id: str,
    known: int,
    *,
    seconds: float = STREAM_SECONDS,
    wait: Callable[[str, int, float], int | None] = live.wait_for_change,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[str]:
    """The stream's text: the retry delay, then an event each time the night
    passes the version last sent (at once if it is past ``known`` already),
    a keep-alive comment while nothing moves, until ``seconds`` have passed
    or the night is gone."""
    yield f"retry: {RETRY_MS}\n\n"
    ends = clock() + seconds
    while True:
        left = ends - clock()
        if left <= 0:
            return
        version = wait(night_id, known, min(left, KEEP_ALIVE_SECONDS))
        if version is None:
            return
        if version > known:
            known = version
            yield event(version)
        else:
            yield ": still here\n\n"
