"""Schema migrations with Alembic, driven from code (no alembic.ini to ship).

Migrations are serialised: servers started together on a fresh data dir (or
two ``ghost-sim db upgrade`` at once) take turns, and each one after the first
finds the schema at head and has nothing to do. SQLite: an exclusive
``flock`` on a lock file next to the database; PostgreSQL: a transaction-level
advisory lock.

A database already at head (every start but the first after an upgrade) is
told so under the same locks, from its revision alone: Alembic's scripts and
environment are not loaded for nothing (the head revision is read from the
scripts once per process).
"""

from __future__ import annotations

import functools
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from ..errors import DatabaseError
from . import masked

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: The PostgreSQL advisory lock every migration takes (a fixed 32-bit number).
ADVISORY_LOCK = zlib.crc32(b"ghost_simulator.migrate")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@functools.cache
def head_revision() -> str:
    """The newest migration's revision (read from the scripts once per process:
    they are the installed package's)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: no schema yet)."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        raise _unreachable(engine, exc) from None


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Upgrade the schema; return the revisions before and after. One process
    at a time: another one upgrading the same database is waited for.

    A database already at ``revision`` ("head" or the head's own id) is only
    read, under the same locks, and Alembic's machinery is not loaded."""
    try:
        with (
            _file_lock(engine),
            engine.connect() as connection,
            _no_cascades(connection),
            connection.begin(),
        ):
            _advisory_lock(connection)
            context = MigrationContext.configure(connection)
            before = context.get_current_revision()
            if before is not None and _at(before, revision):
                return before, before
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            _check_foreign_keys(connection)
    except SQLAlchemyError as exc:
        raise _unreachable(engine, exc) from None
    except OSError as exc:
        raise DatabaseError(
            f"Cannot use the database {masked(engine.url)}: its migration lock"
            f" file cannot be opened ({exc.strerror or exc})."
        ) from None
    return before, current_revision(engine)


def _at(current: str, revision: str) -> bool:
    """Whether a database at ``current`` is at head and ``revision`` asks for
    no more than head (any other target is Alembic's to resolve)."""
    head = head_revision()
    return current == head and revision in ("head", head)


def lock_file(engine: Engine) -> Path | None:
    """The file a SQLite database's migrations lock (None: not a file)."""
    if engine.url.get_backend_name() != "sqlite":
        return None
    database = engine.url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).with_name(Path(database).name + ".migrate-lock")


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """Hold an exclusive lock on the database's lock file (SQLite), waiting
    for whoever holds it."""
    path = lock_file(engine)
    if path is None or not path.parent.is_dir():
        yield  # no file to share: SQLite says why it cannot open the database
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _lock(fd)
        yield
    finally:
        os.close(fd)  # closing it releases the lock


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                return
            except OSError:  # it tries for 10 s, then says so: wait again
                continue
    fcntl.flock(fd, fcntl.LOCK_EX)


@contextmanager
def _no_cascades(connection: Connection) -> Iterator[None]:
    """SQLite: foreign keys off while the schema changes, on again after.

    SQLite alters a table by copying it and dropping the old one, and with
    foreign keys on, dropping a table deletes its rows first: every child row
    would be deleted or orphaned by its ``ON DELETE``. (The pragma only takes
    effect outside a transaction: set before the migration's begins.)"""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        if connection.in_transaction():
            connection.rollback()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def _check_foreign_keys(connection: Connection) -> None:
    """SQLite: refuse to commit a migration that left a row pointing nowhere
    (checked here, since it ran with foreign keys off)."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise DatabaseError(
            "The migration was undone: it left rows in "
            + ", ".join(tables)
            + " that point to rows that do not exist."
        )


def _advisory_lock(connection: Connection) -> None:
    """PostgreSQL: one migrating connection at a time, until it commits."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(CAST(:key AS bigint))"),
            {"key": ADVISORY_LOCK},
        )


def _unreachable(engine: Engine, exc: SQLAlchemyError) -> DatabaseError:
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return DatabaseError(f"Cannot use the database {masked(engine.url)}: {reason}")
