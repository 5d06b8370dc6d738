"""Waiting for a ghost night to move, across every instance of the app.

Every end a member enters on a night bumps the night's ``version`` in the
same transaction (``store.nights.touched``), and on PostgreSQL also sends
``NOTIFY ghost_night, '<night id>'`` in it, which PostgreSQL delivers to every
listening connection when (and only if) the transaction commits. So a
watcher on any instance behind the proxy learns of an end entered on any
other, at once, with nothing kept in one process's memory that another would
need.

- PostgreSQL: one connection per process (taken from the app's engine, so
  it connects as the app does) stays out of the pool, in autocommit, with
  ``LISTEN ghost_night``; a daemon thread reads its notifications and wakes
  the watchers of that night. If the connection is lost it is made again
  (every watcher is woken then, to read the version afresh: a notification
  sent meanwhile may have been missed).
- SQLite (one host, no notifications): a watcher reads the night's version
  again every :data:`SQLITE_POLL` seconds.

A watcher always decides by the version it reads from the database, never
by the notification alone: a notification only says "read again now".
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, select

from . import get_engine, get_session, is_sqlite
from .models import GhostNight

log = logging.getLogger(__name__)

#: The PostgreSQL channel ghost nights are announced on.
CHANNEL = "ghost_night"
#: How often a watcher reads the version again on SQLite (seconds).
SQLITE_POLL = 0.5
#: How long the listener waits for a notification before checking it should
#: still run (seconds), and how long it rests before connecting again.
LISTEN_TICK = 5.0
RECONNECT_PAUSE = 1.0


def current_version(night_id: str) -> int | None:
    """The night's version now (None: no such night), read afresh."""
    session = get_session()
    session.expire_all()
    found = session.scalar(select(GhostNight.version).where(GhostNight.id == night_id))
    session.rollback()  # no transaction held between reads
    return None if found is None else int(found)


class Listener:
    """The process's ``LISTEN ghost_night`` and the watchers it wakes."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._waiting: dict[str, set[threading.Event]] = {}
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()

    def start(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(
                target=self._run, name="ghost-night-listener", daemon=True
            )
            self._thread.start()

    @contextmanager
    def watching(self, night_id: str) -> Iterator[threading.Event]:
        """An event set whenever the night is announced (or the listener
        reconnects: read again), registered before the caller reads the
        version, so that no announcement falls between the read and the
        wait."""
        self.start()
        woken = threading.Event()
        with self._lock:
            self._waiting.setdefault(night_id, set()).add(woken)
        try:
            yield woken
        finally:
            with self._lock:
                watchers = self._waiting.get(night_id)
                if watchers is not None:
                    watchers.discard(woken)
                    if not watchers:
                        del self._waiting[night_id]

    def _wake(self, night_id: str | None) -> None:
        with self._lock:
            if night_id is None:
                found = [e for events in self._waiting.values() for e in events]
            else:
                found = list(self._waiting.get(night_id, ()))
        for event in found:
            event.set()

    def _run(self) -> None:
        while True:
            try:
                self._listen()
            except Exception:  # a lost connection: make it again
                log.warning("ghost night listener: connection lost", exc_info=True)
            self.connected.clear()
            self._wake(None)  # a notification may have been missed
            time.sleep(RECONNECT_PAUSE)

    def _listen(self) -> None:
        raw = self._engine.raw_connection()
        connection = raw.driver_connection
        raw.detach()  # this connection never goes back to the pool
        if connection is None:  # pragma: no cover - a pool always gives one
            raise RuntimeError("the pool gave no connection")
        try:
            connection.rollback()
            connection.autocommit = True
            connection.execute(f"LISTEN {CHANNEL}")
            self.connected.set()
            self._wake(None)
            while True:
                for note in connection.notifies(timeout=LISTEN_TICK):
                    self._wake(note.payload)
        finally:
            raw.close()


_LISTENERS: dict[int, Listener] = {}
_LISTENERS_LOCK = threading.Lock()


def listener(engine: Engine) -> Listener:
    """The process's listener for this engine's database."""
    with _LISTENERS_LOCK:
        found = _LISTENERS.get(id(engine))
        if found is None:
            found = _LISTENERS[id(engine)] = Listener(engine)
        return found


def wait_for_change(
    night_id: str,
    known: int,
    timeout: float,
    clock: Callable[[], float] = time.monotonic,
) -> int | None:
    """The night's version once it is past ``known``, or the version as it
    stands when ``timeout`` seconds have passed (None: the night is gone)."""
    engine = get_engine()
    ends = clock() + timeout
    if is_sqlite(engine.url):
        while True:
            version = current_version(night_id)
            left = ends - clock()
            if version is None or version > known or left <= 0:
                return version
            time.sleep(min(SQLITE_POLL, left))
    with listener(engine).watching(night_id) as woken:
        while True:
            woken.clear()  # before the read: a later announcement sets it
            version = current_version(night_id)
            left = ends - clock()
            if version is None or version > known or left <= 0:
                return version
            woken.wait(left)
