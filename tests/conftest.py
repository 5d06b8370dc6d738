"""Fixtures in the Flask tutorial's style: ``app``, ``client``, ``runner``.

Every test runs with its own config file and data directory, so nothing on the
machine running the tests (a real ~/.config/ghost-simulator) can leak in.

On SQLite, a test's data dir (the ``data_dir`` fixture, which ``app`` and
``serve`` use) starts with a copy of a database migrated once per session, so
that an app finds its schema at head instead of running every migration; a
test about migrations or a first run is marked ``empty_data_dir`` and starts
with nothing.

With ``GHOST_SIM_TEST_DATABASE_URL`` set, every app, command and server a test
starts uses that PostgreSQL (``GHOST_SIM_DATABASE_URL``), its tables emptied
before each test; see tests/databases.py. Marks: ``postgres`` (needs it: skipped
without it, an error under CI), ``sqlite_only`` (about SQLite itself) and
``database``: the tests whose outcome may depend on the database, which CI
runs again on PostgreSQL (``-m database``). Every test is marked ``database``
but those under the directories in :data:`NOT_ABOUT_THE_DATABASE` (the
archery engine, which has none; the browser, whose pages' database the tests
under web/ cover) and those marked ``database_agnostic`` (a module of the
command line's options, say), unless a test marks itself ``database``, asks
for a PostgreSQL fixture or is a ``postgres`` test. So a new test runs on
both databases unless it is plainly not about the database.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import OperationalError

from ghost_simulator import create_app
from ghost_simulator.cli import cli

from .databases import (
    ENV,
    SKIP_REASON,
    SessionDatabase,
    fresh_schema,
    migrated_schema,
    on_ci,
    postgres_url,
)

# Hypothesis's per-example deadline measures wall time, which a 2-core machine
# running tests on every core (and anything else) stretches at random: the
# examples are still bounded by the suite's own time, not by a deadline.
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")

#: Tests under these directories of tests/ are not marked ``database``.
NOT_ABOUT_THE_DATABASE = ("engine", "browser")
#: A test that asks for one of these fixtures is marked ``database`` wherever it is.
DATABASE_FIXTURES = frozenset({"fresh_database", "database_url", "session_database"})
TESTS = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"postgres: needs a real PostgreSQL ({SKIP_REASON})"
    )
    config.addinivalue_line(
        "markers", "sqlite_only: about SQLite itself; skipped in a PostgreSQL run"
    )
    config.addinivalue_line(
        "markers",
        "database: the outcome may depend on the database: CI runs these on"
        " PostgreSQL too (-m database). Given by tests/conftest.py to every test"
        " but tests/engine's, tests/browser's and database_agnostic ones",
    )
    config.addinivalue_line(
        "markers",
        "database_agnostic: the outcome does not depend on the database:"
        " not marked database, so run on SQLite only under CI",
    )
    config.addinivalue_line(
        "markers",
        "empty_data_dir: the data_dir fixture starts empty (no migrated database"
        " copied in): for tests of migrations and of a first run",
    )


@pytest.hookimpl(tryfirst=True)  # before -m selects by marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``database`` the tests that may depend on the database (see the
    module's docstring)."""
    database = pytest.mark.database
    for item in items:
        if item.get_closest_marker("database"):
            continue
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & DATABASE_FIXTURES or item.get_closest_marker("postgres"):
            item.add_marker(database)
            continue
        try:
            parts = item.path.resolve().relative_to(TESTS).parts
        except ValueError:  # not one of tests/
            parts = ()
        if parts[:1] and parts[0] in NOT_ABOUT_THE_DATABASE:
            continue
        if not item.get_closest_marker("database_agnostic"):
            item.add_marker(database)


def pytest_report_header() -> str:
    from ghost_simulator.store import masked

    url = postgres_url()
    if url is None:
        return f"database: SQLite, a file per test ({SKIP_REASON})"
    return f"database: PostgreSQL at {masked(url)}, one schema for the session"


def pytest_runtest_setup(item: pytest.Item) -> None:
    if postgres_url() is None and item.get_closest_marker("postgres"):
        if on_ci():
            pytest.fail(f"PostgreSQL tests cannot run under CI: {SKIP_REASON}")
        pytest.skip(SKIP_REASON)
    if postgres_url() is not None and item.get_closest_marker("sqlite_only"):
        pytest.skip("about SQLite itself: runs without GHOST_SIM_TEST_DATABASE_URL")


@pytest.fixture(scope="session", autouse=True)
def shared_compiled_templates() -> Iterator[None]:
    """Every app of this process keeps its compiled templates in one cache
    (tests/compiled_templates.py): each template is compiled once, not once
    per test."""
    from .compiled_templates import SharedBytecodeCache

    with pytest.MonkeyPatch.context() as patch:
        options = {**Flask.jinja_options, "bytecode_cache": SharedBytecodeCache()}
        patch.setattr(Flask, "jinja_options", options)
        yield


@pytest.fixture(scope="session")
def session_database() -> Iterator[SessionDatabase | None]:
    """The PostgreSQL schema of this run, migrated once (None: SQLite)."""
    url = postgres_url()
    if url is None:
        yield None
        return
    with ExitStack() as stack:
        try:
            schema_url = stack.enter_context(fresh_schema(url))
        except OperationalError as exc:
            from ghost_simulator.store import masked

            reason = str(exc.orig or exc).strip().splitlines()[0]
            pytest.exit(f"{ENV}: cannot use {masked(url)}: {reason}", returncode=3)
        database = SessionDatabase(schema_url)
        database.migrate()
        yield database
        database.dispose()


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str | None:
    """The PostgreSQL URL this test's apps use, its tables empty; None on SQLite
    (each app then keeps a SQLite file in its data dir)."""
    database: SessionDatabase | None = request.getfixturevalue("session_database")
    if database is None:
        return None
    database.empty()
    return database.url


@pytest.fixture
def fresh_database() -> Iterator[Callable[..., str | None]]:
    """``fresh_database(migrated=True)``: on PostgreSQL, the URL of a new
    schema of this test's own (empty, or at the newest migration), apart from
    the tables other tests empty; None on SQLite, where a new data dir is a
    new database already."""
    url = postgres_url()
    with ExitStack() as stack:

        def make(migrated: bool = True) -> str | None:
            if url is None:
                return None
            schema = migrated_schema(url) if migrated else fresh_schema(url)
            return stack.enter_context(schema)

        yield make


#: Werkzeug's scrypt as the app calls it, at a cost that keeps tests fast (a
#: hash names its parameters: checking one costs what making it did).
QUICK_SCRYPT = "scrypt:1024:8:1"


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every password an in-process app or a test's helper hashes (and the
    decoy a sign-in of nobody checks) at a low scrypt cost: the default cost,
    a tenth of a second each, is most of a sign-in test's time. The servers
    the tests start hash at the real cost."""
    from ghost_simulator import passwords

    real = passwords.generate_password_hash

    def quick(password: str, method: str = "scrypt", salt_length: int = 16) -> str:
        if method == "scrypt":
            method = QUICK_SCRYPT
        return real(password, method=method, salt_length=salt_length)

    monkeypatch.setattr(passwords, "generate_password_hash", quick)
    monkeypatch.setattr(passwords, "_DECOY", _quick_decoy())


@functools.cache
def _quick_decoy() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash("decoy password, never a real one", QUICK_SCRYPT)


@pytest.fixture(autouse=True)
def isolated_settings(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Path]:
    """No GHOST_SIM_* or FLASK_* variable of the caller's, and private dirs;
    on PostgreSQL, the session's schema with its tables emptied."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith(("GHOST_SIM_", "FLASK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GHOST_SIM_CONFIG_FILE", str(home / "config.toml"))
    url = request.getfixturevalue("database_url") if postgres_url() else None
    if url is None:
        yield home
        return
    monkeypatch.setenv("GHOST_SIM_DATABASE_URL", url)
    engines = _track_engines()
    # An app's engine may only ever lend raw connections,
    # which no engine event reports: noted when the app makes it.
    from ghost_simulator import store

    made = store.create_db_engine

    def noted(*args: Any, **kwargs: Any) -> Engine:
        engine = made(*args, **kwargs)
        engines.append(engine)
        return engine

    monkeypatch.setattr(store, "create_db_engine", noted)
    try:
        yield home
    finally:
        # Apps are never closed. Held here, their engines cannot be collected
        # with their connections open (psycopg warns); they are closed now,
        # since PostgreSQL serves only so many connections.
        for engine in engines:
            engine.dispose()
        engines.clear()


_ENGINES: list[Engine] | None = None


def _track_engines() -> list[Engine]:
    """Every SQLAlchemy engine that connects from now on, to dispose of."""
    global _ENGINES
    if _ENGINES is None:
        _ENGINES = []
        engines = _ENGINES

        @event.listens_for(Engine, "engine_connect")
        def remember(connection: Connection) -> None:
            if connection.engine not in engines:
                engines.append(connection.engine)

    return _ENGINES


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated to head, once per session (per xdist worker):
    what each test's data dir starts with (see ``data_dir``)."""
    from ghost_simulator.config import DATABASE_FILE
    from ghost_simulator.store import create_db_engine
    from ghost_simulator.store.migrate import upgrade

    path = tmp_path_factory.mktemp("template") / DATABASE_FILE
    engine = create_db_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        with engine.connect() as connection:
            # WAL mode: everything into the database file, so that the file
            # alone is the whole database.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "the template's WAL is left"
    return path


@pytest.fixture
def data_dir(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """This test's data dir. On SQLite it holds a copy of the session's
    migrated database (``template_database``), made as the app makes it
    (owner-only), so that an app created on it has no migration to run; a test
    marked ``empty_data_dir`` gets nothing (the dir does not exist yet). On
    PostgreSQL the database is the session's schema: nothing is copied."""
    path = tmp_path / "data"
    if postgres_url() is None and not request.node.get_closest_marker("empty_data_dir"):
        template: Path = request.getfixturevalue("template_database")
        path.mkdir(mode=0o700)
        copy = path / template.name
        shutil.copyfile(template, copy)
        copy.chmod(0o600)
    return path


@pytest.fixture
def app(data_dir: Path) -> Flask:
    # CSRF is tested on its own (tests/web/common/test_security.py); elsewhere forms
    # are posted without the token a page would carry.
    return create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False}
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    """Runs the ``ghost-sim`` command in-process."""
    return CliRunner()


@pytest.fixture
def ghost_sim(runner: CliRunner):  # type: ignore[no-untyped-def]
    """``ghost_sim("info", "--json")`` runs the command and returns its result."""

    def invoke(*args: str, **kwargs):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, list(args), prog_name="ghost-sim", **kwargs)

    return invoke


@pytest.fixture
def serve(isolated_settings: Path, tmp_path: Path, data_dir: Path):  # type: ignore[no-untyped-def]
    """``serve("--port", "0", ...)`` starts ``ghost-sim serve`` in a subprocess
    with a private data dir (``data_dir``, unless ``env`` names another) and
    returns it once it prints its URL."""
    from .servers import command_env, ghost_sim_command, start

    started = []

    def run(*args: str, env: dict[str, str] | None = None, wait: bool = True):  # type: ignore[no-untyped-def]
        full_env = command_env(isolated_settings, **(env or {}))
        full_env.setdefault("GHOST_SIM_DATA_DIR", str(data_dir))
        if "GHOST_SIM_DATABASE_URL" in os.environ:  # this test's PostgreSQL
            full_env.setdefault(
                "GHOST_SIM_DATABASE_URL", os.environ["GHOST_SIM_DATABASE_URL"]
            )
        server = start(ghost_sim_command("serve", *args), full_env, tmp_path, wait)
        started.append(server)
        return server

    yield run
    for server in started:
        server.stop()
