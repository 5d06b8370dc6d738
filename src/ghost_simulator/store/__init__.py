"""Persistence: the database engine, sessions and schema migrations.

Nothing here knows about archery rules or HTTP; the web layer asks for a
session with :func:`get_session` and the CLI runs :mod:`.migrate`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import ConfigError

if TYPE_CHECKING:
    from sqlite3 import Connection as SQLiteConnection

EXTENSION_KEY = "ghost_simulator.store"


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


def _sqlite_pragmas(dbapi_connection: SQLiteConnection, _record: Any) -> None:
    """WAL lets readers and a writer work at once; SQLite leaves FKs off by default."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """Build the engine for a database URL, turning driver problems into advice."""
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
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def init_app(app: Flask) -> None:
    """Attach the engine to the app and close each request's session after it."""
    engine = create_db_engine(app.config["DATABASE_URL"])
    app.extensions[EXTENSION_KEY] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_session)


def get_engine(app: Flask | None = None) -> Engine:
    factory = (app or current_app).extensions[EXTENSION_KEY]
    engine: Engine = factory.kw["bind"]
    return engine


def get_session() -> Session:
    """The session of the current app context, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions[EXTENSION_KEY]()
    session: Session = g.db_session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
