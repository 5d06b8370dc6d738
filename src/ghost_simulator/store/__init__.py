"""Persistence: the database engine, sessions and schema migrations.

Nothing here knows about archery rules or HTTP; the web layer asks for a
session with :func:`get_session` and the CLI runs :mod:`.migrate`.

Reads use the request's session as they come; the hottest (a match read for a
request, its save) run Core statements (:func:`connection`: SQLAlchemy
compiles each once per database), which skips the ORM's loading machinery, and
a request that reads nothing else opens no ORM session at all. Every write
goes through :func:`write` (or :func:`write_session`): one transaction, on the
session's connection, that takes the database's write lock before it reads
anything (SQLite: ``BEGIN IMMEDIATE``), so that several processes on one
SQLite file queue for the lock instead of failing with "database is locked"
halfway through; the whole write is tried again, a bounded number of times
after a short pause, when the database says it is busy (SQLite) or could not
serialise it (PostgreSQL). There is one notion of "inside a write": the
session's, which every writer, ORM or Core, sees.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import ConfigError

if TYPE_CHECKING:
    from sqlite3 import Connection as SQLiteConnection

EXTENSION_KEY = "ghost_simulator.store"

#: How long a SQLite connection waits for another's lock before giving up, and
#: how many times a whole write is tried when the database is busy.
BUSY_TIMEOUT_MS = 5000
WRITE_ATTEMPTS = 5
#: The first pause between attempts, doubled each time (plus some jitter, so
#: that writers which collided do not collide again).
FIRST_PAUSE = 0.02
_WRITING = "ghost_simulator.writing"

T = TypeVar("T")


def parse_database_url(url: str) -> URL:
    """Parse a SQLAlchemy URL, or explain what one looks like."""
    try:
        return make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"Invalid database URL {url!r}: expected a SQLAlchemy URL such as"
            " sqlite:////path/to/ghost.db or postgresql+psycopg://user@host/dbname."
        ) from None


def masked(url: str | URL) -> str:
    """The URL with its password hidden, fit to print in a log or bug report."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except ArgumentError:
            return "<invalid URL>"
    return url.render_as_string(hide_password=True)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def sqlite_file_missing(url: str) -> bool:
    """True for a SQLite URL whose database file does not exist yet."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    database = parsed.database or ""
    if (
        not is_sqlite(parsed)
        or database in {"", ":memory:"}
        or database.startswith("file:")
    ):
        return False
    return not Path(database).exists()


def _sqlite_pragmas(synchronous: str) -> Callable[[SQLiteConnection, Any], None]:
    def pragmas(dbapi_connection: SQLiteConnection, _record: Any) -> None:
        """WAL lets readers and a writer work at once; SQLite leaves FKs off
        by default; ``synchronous`` as configured (FULL: every commit is on
        disk before it is acknowledged).

        A transaction the driver opens by itself (before an INSERT, UPDATE
        or DELETE made outside :func:`write_session`) takes the write lock at
        once too: ``BEGIN IMMEDIATE`` waits its turn, where a deferred
        transaction that read first can only fail when another process wrote
        meanwhile."""
        dbapi_connection.isolation_level = "IMMEDIATE"
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
        cursor.close()

    return pragmas


def create_db_engine(url: str, *, synchronous: str = "full") -> Engine:
    """Build the engine for a database URL, turning driver problems into
    advice. ``synchronous`` is SQLite's (``full`` or ``normal``)."""
    if synchronous not in ("full", "normal"):
        raise ConfigError(f"SQLite synchronous is full or normal, not {synchronous!r}.")
    parsed = parse_database_url(url)
    try:
        engine = create_engine(parsed, pool_pre_ping=not is_sqlite(parsed))
    except NoSuchModuleError:
        raise ConfigError(
            f"Unknown database type {parsed.drivername!r} in the database URL."
            " Use sqlite:///... or postgresql+psycopg://..."
        ) from None
    except ImportError as exc:
        hint = (
            " Install it with: pip install 'ghost-simulator[postgres]'"
            if parsed.get_backend_name() == "postgresql"
            else ""
        )
        raise ConfigError(
            f"The database URL {masked(parsed)} needs the Python package"
            f" {exc.name or 'for its driver'!r}, which is not installed.{hint}"
        ) from None
    if is_sqlite(parsed):
        event.listen(engine, "connect", _sqlite_pragmas(synchronous))
    return engine


def init_app(app: Flask) -> None:
    """Attach the engine to the app and close each request's session after it."""
    engine = create_db_engine(
        app.config["DATABASE_URL"],
        synchronous=app.config.get("SQLITE_SYNCHRONOUS", "full"),
    )
    app.extensions[EXTENSION_KEY] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_session)


def get_engine(app: Flask | None = None) -> Engine:
    factory = (app or current_app).extensions[EXTENSION_KEY]
    engine: Engine = factory.kw["bind"]
    return engine


def get_session() -> Session:
    """The session of the current app context, opened on first use (a plain
    read connection the request held until then goes back to the pool: a
    request holds one connection at a time, so a pool as large as the
    server's threads never runs dry)."""
    if "db_session" not in g:
        _release_reading()
        g.db_session = current_app.extensions[EXTENSION_KEY]()
    session: Session = g.db_session
    return session


def connection() -> Connection:
    """The Core connection for the request's next statement: once the
    request has an ORM session, the session's (inside a write, the write's:
    its transaction, its lock); before that, a plain connection from the
    engine's pool, kept for the request (a read needs no ORM session around
    it)."""
    session: Session | None = g.get("db_session")
    if session is not None:
        return session.connection()
    if "db_connection" not in g:
        g.db_connection = get_engine().connect()
    reading: Connection = g.db_connection
    return reading


def _release_reading() -> None:
    reading = g.pop("db_connection", None)
    if reading is not None:
        reading.close()


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
    _release_reading()


@contextmanager
def write_session() -> Iterator[Session]:
    """The request's session inside one write transaction, committed at the
    end of the block (rolled back if it raises).

    What the session read before is left behind (its transaction ends here):
    the block reads again, under the write lock, whatever its write depends
    on. On SQLite the transaction starts with ``BEGIN IMMEDIATE``, which
    waits (``busy_timeout``) for other processes' writes to finish; on
    PostgreSQL row locks and conditional updates do the same work. A block
    inside another joins it. Prefer :func:`write`, which also tries again
    when the database is busy."""
    session = get_session()
    if session.info.get(_WRITING):
        yield session
        return
    if session.in_transaction():
        session.commit()  # ends the reads' transaction (it has nothing to write)
    session.info[_WRITING] = True
    try:
        connection = session.connection()
        with write_turn(connection.engine):
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield session
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_WRITING, None)


@contextmanager
def write_turn(engine: Engine) -> Iterator[None]:
    """This process's turn to write to a SQLite file (see
    :data:`_SQLITE_WRITERS`); nothing to wait for on other databases. Past
    ``busy_timeout`` SQLite's own wait decides."""
    turn: threading.Lock | None = None
    if engine.dialect.name == "sqlite":
        turn = _writers(str(engine.url))
        if not turn.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            turn = None
    try:
        yield
    finally:
        if turn is not None:
            turn.release()


#: One lock per SQLite file for this process's writers. SQLite lets one
#: writer in at a time; the others, if they asked SQLite, would poll for the
#: lock with sleeps of 1, 2, 5, 10... ms. Queued here, the next writer of this
#: process starts as soon as the last one commits. Writers in other
#: processes still queue in SQLite (``busy_timeout``).
_SQLITE_WRITERS: dict[str, threading.Lock] = {}
_SQLITE_WRITERS_LOCK = threading.Lock()


def _writers(database: str) -> threading.Lock:
    with _SQLITE_WRITERS_LOCK:
        return _SQLITE_WRITERS.setdefault(database, threading.Lock())


def busy(exc: BaseException) -> bool:
    """Did the database refuse for a moment, rather than for good? SQLite's
    "database is locked", PostgreSQL's serialisation failures and deadlocks:
    the same write tried again a little later can succeed."""
    # SQLAlchemy's wrapped error, or the driver's own
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if code in ("40001", "40P01"):  # serialization_failure, deadlock_detected
        return True
    if not isinstance(original, sqlite3.OperationalError):
        return False
    text = str(original).lower()
    return "database is locked" in text or "database table is locked" in text


def write(unit: Callable[[Session], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
    """Run ``unit(session)`` in a write transaction (see :func:`write_session`)
    and return what it returns. When the database is busy the transaction is
    rolled back and the whole unit runs again, after a pause that doubles each
    time, at most ``attempts`` times in all; then the error is raised. A unit
    must therefore do all its reading and writing inside, from the arguments
    it closes over, and have no other effect."""
    session = get_session()
    if session.info.get(_WRITING):  # inside another write: one transaction
        return unit(session)

    def attempt() -> T:
        with write_session() as writing:
            return unit(writing)

    return retried(attempt, attempts)


def retried(attempt: Callable[[], T], attempts: int = WRITE_ATTEMPTS) -> T:
    """``attempt()``, tried again while the database is :func:`busy`, after a
    pause that doubles each time, at most ``attempts`` times in all."""
    for number in range(1, attempts + 1):
        try:
            return attempt()
        except Exception as exc:
            if number == attempts or not busy(exc):
                raise
        pause = FIRST_PAUSE * 2 ** (number - 1)
        time.sleep(pause + random.uniform(0, pause))  # noqa: S311 (not a secret)
    raise AssertionError("unreachable")  # pragma: no cover
