"""Which database the tests run on: SQLite (always) or a real PostgreSQL.

Set ``GHOST_SIM_TEST_DATABASE_URL`` (say
``postgresql+psycopg://ghost:ghost@127.0.0.1:5432/ghost_test``) and the whole
suite runs against that PostgreSQL instead of a SQLite file per test. The
database is never touched outside schemas this module creates, each named
``ghost_test_<random>`` and dropped afterwards, so two runs can share it:

- the session migrates one schema once; every test then starts from empty
  tables, their ids restarted at 1 (the schema version kept);
- :func:`fresh_schema` gives a test an empty schema of its own (the migration
  tests, the servers that run next to the test).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

ENV = "GHOST_SIM_TEST_DATABASE_URL"
SKIP_REASON = f"set {ENV} to run against PostgreSQL"

#: Read once, before any test's fixture clears the GHOST_SIM_* variables.
TEST_DATABASE_URL: str | None = os.environ.get(ENV) or None


def on_ci() -> bool:
    return os.environ.get("CI") == "true"


def postgres_url() -> str | None:
    """The PostgreSQL the tests may use, or None (they use SQLite)."""
    return TEST_DATABASE_URL


def in_schema(url: str, schema: str) -> str:
    """``url`` with every table made and found in ``schema`` (its search path)."""
    parsed = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return parsed.render_as_string(hide_password=False)


def with_settings(url: str, **settings: str) -> str:
    """``url`` whose connections start with these PostgreSQL settings
    (``timezone="Pacific/Chatham"``), its search path kept."""
    parsed = make_url(url)
    options = [str(parsed.query.get("options", ""))]
    options += [f"-c{name}={value}" for name, value in settings.items()]
    joined = " ".join(option for option in options if option)
    return parsed.update_query_dict({"options": joined}).render_as_string(
        hide_password=False
    )


def new_schema_name() -> str:
    return f"ghost_test_{secrets.token_hex(6)}"


def admin_engine(url: str) -> Engine:
    """An engine on the test database itself, for creating and dropping schemas."""
    return create_engine(url, isolation_level="AUTOCOMMIT")


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A new, empty schema in the PostgreSQL at ``url``; yields a URL whose
    tables go there. The schema and everything in it is dropped afterwards."""
    name = new_schema_name()
    admin = admin_engine(url)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        try:
            yield in_schema(url, name)
        finally:
            with admin.connect() as connection:
                # Never wait forever on a server that still holds a lock.
                connection.execute(text("SET lock_timeout = '20s'"))
                connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    finally:
        admin.dispose()


@contextmanager
def migrated_schema(url: str) -> Iterator[str]:
    """:func:`fresh_schema` at the newest migration."""
    with fresh_schema(url) as schema_url:
        SessionDatabase(schema_url).migrate()
        yield schema_url


class SessionDatabase:
    """The schema every ordinary test uses in a PostgreSQL run: migrated once,
    emptied before each test."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self._tables_cache: list[str] | None = None

    def migrate(self) -> None:
        from ghost_simulator.store import create_db_engine
        from ghost_simulator.store.migrate import upgrade

        engine = create_db_engine(self.url)
        try:
            upgrade(engine)
        finally:
            engine.dispose()

    def _tables(self) -> list[str]:
        """The schema's tables but the revision, children before parents."""
        from ghost_simulator.store.models import Base

        if self._tables_cache is None:
            with self.engine.connect() as connection:
                present = set(
                    connection.execute(
                        text(
                            "SELECT tablename FROM pg_tables"
                            " WHERE schemaname = current_schema()"
                            " AND tablename <> 'alembic_version'"
                        )
                    ).scalars()
                )
            ordered = [t.name for t in reversed(Base.metadata.sorted_tables)]
            assert present <= set(ordered), f"tables the models lack: {present}"
            self._tables_cache = [name for name in ordered if name in present]
        return self._tables_cache

    def empty(self) -> None:
        """Every table emptied and its ids restarted at 1, the schema kept.

        Most tests leave the tables empty, and a few rows go faster with
        DELETE than with TRUNCATE (which makes new files for every table and
        index): one query says whether there is anything to do.
        """
        tables = self._tables()
        used = " OR ".join(f'EXISTS (SELECT 1 FROM "{name}")' for name in tables)
        with self.engine.begin() as connection:
            connection.execute(text("SET LOCAL synchronous_commit = off"))
            sequences = (
                connection.execute(
                    text(
                        "SELECT sequencename FROM pg_sequences"
                        " WHERE schemaname = current_schema()"
                        " AND last_value IS NOT NULL"
                    )
                )
                .scalars()
                .all()
            )
            if not sequences and not connection.scalar(text(f"SELECT {used}")):
                return
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))
            for name in sequences:
                connection.execute(
                    text("SELECT setval(CAST(:name AS regclass), 1, false)"),
                    {"name": f'"{name}"'},
                )

    def dispose(self) -> None:
        self.engine.dispose()
