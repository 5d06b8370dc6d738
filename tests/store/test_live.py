"""Waiting for a ghost night to move (store.live): a watcher returns as soon
as the night's version passes the one it knows, whichever connection (or, on
PostgreSQL, whichever instance: a NOTIFY sent in the writer's transaction)
moved it, and only when that transaction commits; a watcher with nothing to
wait for returns at its timeout with the version as it stands."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import text, update

from ghost_simulator.store import (
    archers,
    clubs,
    get_engine,
    get_session,
    is_sqlite,
    live,
)
from ghost_simulator.store.models import GhostNight


def make_night(app: Flask) -> str:
    with app.app_context():
        owner = archers.create("owner", "x")
        club_id = clubs.create(owner.id, "Sherwood", None, None)
        now = datetime.now(UTC)
        session = get_session()
        session.add(
            GhostNight(
                id="night-1",
                club_id=club_id,
                title="Friday",
                match={},
                ranking="score",
                opens_at=now,
                closes_at=now + timedelta(hours=2),
                timezone="UTC",
            )
        )
        session.commit()
    return "night-1"


def bump_later(
    app: Flask, night_id: str, after: float, notify: bool
) -> threading.Thread:
    """Another writer moves the night ``after`` seconds from now, as an end
    entered on it does (the version, and on PostgreSQL the notification, in
    one transaction)."""

    def run() -> None:
        time.sleep(after)
        with app.app_context():
            session = get_session()
            session.execute(
                update(GhostNight)
                .where(GhostNight.id == night_id)
                .values(version=GhostNight.version + 1)
            )
            if notify:
                session.execute(
                    text("SELECT pg_notify(:channel, :night)"),
                    {"channel": live.CHANNEL, "night": night_id},
                )
            session.commit()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_watcher_sees_the_version_move_at_once(app: Flask) -> None:
    night_id = make_night(app)
    with app.app_context():
        sqlite = is_sqlite(get_engine().url)
        assert live.current_version(night_id) == 0
        if not sqlite:  # the listener connected before the writer writes
            live.listener(get_engine()).start()
            assert live.listener(get_engine()).connected.wait(5)
        writer = bump_later(app, night_id, 0.3, notify=not sqlite)
        started = time.monotonic()
        found = live.wait_for_change(night_id, 0, timeout=10)
        waited = time.monotonic() - started
        writer.join()
    assert found == 1
    # PostgreSQL wakes the watcher with the commit; SQLite reads again every
    # half second. Either way well inside the 2 seconds.
    assert waited < 0.3 + live.SQLITE_POLL + 0.5, waited


def test_nothing_to_wait_for_returns_at_the_timeout(app: Flask) -> None:
    night_id = make_night(app)
    with app.app_context():
        started = time.monotonic()
        assert live.wait_for_change(night_id, 0, timeout=0.6) == 0
        assert time.monotonic() - started >= 0.6
        assert live.wait_for_change("no-such-night", 0, timeout=5) is None
        # A version already past the one known: no wait at all.
        assert live.wait_for_change(night_id, -1, timeout=5) == 0
