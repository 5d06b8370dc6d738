"""Writes made at once, and several processes on one database.

Every change to a match is an ``UPDATE ... WHERE version = N``: a write made
from an out-of-date read changes nothing and says so. Every write takes its
lock up front (SQLite: ``BEGIN IMMEDIATE``) and is tried again, within a
bound, when the database is busy, so four servers on one SQLite file answer
every write; migrations are serialised, so servers started together on a fresh
data dir all come up.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from ghost_simulator import create_app, store
from ghost_simulator.engine import Ghost, Match, get_round, match_round
from ghost_simulator.store import matches as stored

from ..servers import command_env, ghost_sim_command
from ..tabs import archers_at_once

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes")
ANYONE = stored.Owner("browser-key")


def new_match(seed: int = 1) -> Match:
    return Match("set", match_round("recurve", False), Ghost.from_handicap(30), seed)


def create(match: Match, owner: stored.Owner = ANYONE) -> str:
    return stored.create(
        owner, match.to_dict(), match.verdict().status, match.summary()
    )


def save(
    match_id: str, match: Match, version: int, owner: stored.Owner = ANYONE
) -> int:
    return stored.save(
        match_id,
        owner,
        match.to_dict(),
        match.verdict().status,
        match.summary(),
        version=version,
    )


@pytest.fixture
def context(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


# -- conditional writes -------------------------------------------------------------


def test_a_write_is_made_on_the_version_it_read(context: Flask) -> None:
    match = new_match()
    match_id = create(match)
    found = stored.load(match_id, ANYONE)
    assert found is not None
    assert (found.version, found.status) == (1, "in_progress")
    match.add_end(["9", "9", "9"])
    assert save(match_id, match, version=1) == 2
    # a second write made from version 1 (another tab) changes nothing
    other = new_match()
    other.add_end(["X", "X", "X"])
    with pytest.raises(stored.Conflict):
        save(match_id, other, version=1)
    now = stored.load(match_id, ANYONE)
    assert now is not None
    assert now.version == 2
    assert now.state["archer_ends"] == [["9", "9", "9"]]


def test_someone_elses_match_is_a_lookup_error(context: Flask) -> None:
    match = new_match()
    match_id = create(match)
    match.add_end(None, total=20)
    for owner in (stored.Owner("another-browser"), stored.Owner("x", archer_id=7)):
        with pytest.raises(LookupError):
            save(match_id, match, version=1, owner=owner)
    with pytest.raises(LookupError):
        save("no-such-match", match, version=1)
    found = stored.load(match_id, ANYONE)
    assert found is not None
    assert found.version == 1


def test_a_finished_match_is_never_written_again(context: Flask) -> None:
    match = Match(
        "set", match_round("recurve", False), Ghost.from_handicap(30, form=0), 3
    )
    match_id = create(match)
    version = 1
    while not match.verdict().finished:
        if match.expected_arrows():
            match.add_end(["M"] * match.expected_arrows())
        else:
            match.add_shoot_off("M", "ghost")
        version = save(match_id, match, version)
    assert match.verdict().status == "lost"
    found = stored.load(match_id, ANYONE)
    assert found is not None
    assert found.status == "lost"
    match.correct_last_end(["X", "X", "X"])  # the engine would allow it
    with pytest.raises(stored.Finished):
        save(match_id, match, version)
    assert issubclass(stored.Finished, stored.Conflict)
    again = stored.load(match_id, ANYONE)
    assert again is not None
    assert again.state == found.state
    assert again.version == version


def test_create_once_stores_one_match_per_owner_and_seed(context: Flask) -> None:
    match = new_match(seed=424242)
    first, made = stored.create_once(ANYONE, match.to_dict(), "in_progress", {})
    assert made
    again, made_again = stored.create_once(ANYONE, match.to_dict(), "in_progress", {})
    assert (again, made_again) == (first, False)
    other, made_other = stored.create_once(
        stored.Owner("another-browser"), match.to_dict(), "in_progress", {}
    )
    assert made_other
    assert other != first


def in_threads(app: Flask, work: Callable[[], Any], count: int) -> list[Any]:
    """Run ``work`` in ``count`` threads at once, each with its own app
    context (so its own session and connection); their results."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[i] = work()
            except BaseException as exc:  # reported below, with the others'
                errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_writers_at_once_lose_nothing(app: Flask) -> None:
    """Four threads each add six ends to one match (a 1440 round: 24 ends),
    reading it again whenever another got there first: none lost, none twice."""
    with app.app_context():
        rnd = get_round("wa1440_90")
        match_id = create(Match("ranking", rnd, Ghost.from_handicap(40), 5))

    def add_six() -> int:
        conflicts = 0
        added = 0
        while added < 6:
            found = stored.load(match_id, ANYONE)
            assert found is not None
            match = Match.from_dict(found.state)
            match.add_end(None, total=30 + added)
            try:
                save(match_id, match, found.version)
            except stored.Conflict:
                conflicts += 1
                continue
            added += 1
        return conflicts

    conflicts = in_threads(app, add_six, 4)
    with app.app_context():
        found = stored.load(match_id, ANYONE)
        assert found is not None
        assert found.version == 25
        totals = sorted(end["total"] for end in found.state["archer_ends"])
        assert totals == sorted(list(range(30, 36)) * 4)
    assert sum(conflicts) > 0  # they did collide, and were told


# -- waiting for the lock, within a bound (SQLite) ----------------------------------


@pytest.fixture
def quick_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections give up waiting for a lock after a tenth of a second."""
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 100)


def hold_write_lock(database: str, seconds: float) -> threading.Thread:
    """Another process's writer (a plain sqlite3 connection): holds the write
    lock for ``seconds``."""
    taken = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(10)
    return thread


def sqlite_file(app: Flask) -> str:
    return str(store.get_engine(app).url.database)


@pytest.mark.sqlite_only
def test_a_write_waits_for_the_lock_and_tries_again(
    quick_timeout: None, data_dir: Path
) -> None:
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    with app.app_context():
        match_id = create(new_match())
        holder = hold_write_lock(sqlite_file(app), 0.4)
        begun = time.perf_counter()
        match = new_match()
        match.add_end(["X", "X", "X"])
        assert save(match_id, match, version=1) == 2  # after several attempts
        waited = time.perf_counter() - begun
        holder.join()
    assert waited >= 0.3


@pytest.mark.sqlite_only
def test_a_lock_held_too_long_is_an_error_and_nothing_changes(
    quick_timeout: None, data_dir: Path
) -> None:
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    with app.app_context():
        match_id = create(new_match())
        holder = hold_write_lock(sqlite_file(app), 3)
        match = new_match()
        match.add_end(["X", "X", "X"])
        begun = time.perf_counter()
        with pytest.raises(OperationalError, match="database is locked"):
            save(match_id, match, version=1)
        assert time.perf_counter() - begun < 2.5  # bounded
        holder.join()
        found = stored.load(match_id, ANYONE)  # the session still works
        assert found is not None
        assert found.version == 1
        assert save(match_id, match, version=1) == 2


def test_busy_means_locked_or_unserialisable() -> None:
    from sqlalchemy.exc import IntegrityError

    locked = OperationalError(
        "UPDATE", {}, sqlite3.OperationalError("database is locked")
    )
    assert store.busy(locked)

    class SerializationFailure(Exception):
        sqlstate = "40001"

    assert store.busy(OperationalError("UPDATE", {}, SerializationFailure()))
    unique = IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE failed"))
    assert not store.busy(unique)
    assert not store.busy(ValueError("database is locked"))


# -- several processes ---------------------------------------------------------------


def db_upgrade(env: dict[str, str], cwd: Path) -> Any:
    import subprocess

    return subprocess.Popen(
        ghost_sim_command("db", "upgrade"),
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@POSIX
def test_upgrades_started_together_take_turns(
    isolated_settings: Path,
    tmp_path: Path,
    fresh_database: Callable[..., str | None],
) -> None:
    for trial in range(4):
        env = command_env(
            isolated_settings, GHOST_SIM_DATA_DIR=str(tmp_path / f"d{trial}")
        )
        url = fresh_database(migrated=False)
        if url is not None:
            env["GHOST_SIM_DATABASE_URL"] = url
        processes = [db_upgrade(env, tmp_path) for _ in range(3)]
        outputs = [p.communicate(timeout=120)[0] for p in processes]
        assert [p.returncode for p in processes] == [0, 0, 0], outputs


@POSIX
def test_two_servers_started_together_on_a_fresh_data_dir(
    serve: Any, tmp_path: Path
) -> None:
    from ..servers import URL_PATTERN, fetch

    for trial in range(3):
        env = {"GHOST_SIM_DATA_DIR": str(tmp_path / f"fresh{trial}")}
        servers = [
            serve("--port", "0", "--production", env=env, wait=False) for _ in range(2)
        ]
        for server in servers:
            server.url = server.wait_for(URL_PATTERN.pattern, timeout=60).group(1)
            assert fetch(server.url + "/new")[0] == 200


#: Ends each of the sixty-four archers enters: half a long round, 640 writes at
#: once (at one in fifty, the locking bug this guards against failed about
#: thirteen of them), so that CI keeps its ten minutes.
ENDS_EACH = 10


@POSIX
def test_four_servers_on_one_database_answer_every_write(serve: Any) -> None:
    """Sixty-four archers at once on four production servers of sixteen
    threads each, on one database: every end acknowledged and stored, no 500.
    (Before writes took their lock up front, about one request in fifty got
    a 500 "database is locked" here on SQLite.)"""
    servers = [
        serve("--port", "0", "--production", "--threads", "16") for _ in range(4)
    ]
    load = archers_at_once([s.url for s in servers], archers=64, ends=ENDS_EACH)
    assert set(load.statuses) == {200, 303}, load.first_failure
    assert load.ends_acknowledged == load.ends_sent == 64 * ENDS_EACH
    assert not load.wrong_sheets
