"""The statements requests run all the time (a match read for its page, an
end saved), straight on the database driver.

SQLAlchemy builds and compiles each statement here once for each kind of
database; running it then skips the ORM session and SQLAlchemy's
per-statement execution context, which cost several times the statement
itself. What SQLAlchemy's types do on the way in and out (JSON, times,
booleans) is still done, by the same types' processors, so a row reads and
writes exactly as through SQLAlchemy (the tests compare them).

- :meth:`Statement.first` reads one row on a connection from the engine's
  pool, given back at once; inside a write, on the write's connection, so
  it reads under the write's lock.
- :func:`write` runs a unit of statements in one write transaction with the
  same turn-taking and retries as :func:`ghost_simulator.store.write`.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from . import WRITE_ATTEMPTS, get_engine, retried, write_turn, writing

T = TypeVar("T")


class Statement:
    """A SQLAlchemy statement, compiled for each dialect on first use. The
    rows of a ``SELECT`` are named tuples of its selected columns."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        columns = getattr(statement, "selected_columns", None) or ()
        names = [str(column.key) for column in columns]
        self.row_type = namedtuple("Row", names)  # type: ignore[misc]
        self._compiled: dict[Dialect, _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect)
        if found is None:
            found = self._compiled[dialect] = _Compiled.of(self.statement, dialect)
        return found

    def first(self, **params: Any) -> Any:
        """The first row for ``params`` (a named tuple), or None."""
        with _reading() as cursor:
            return cursor.first(self, **params)


@contextmanager
def _reading() -> Iterator[Cursor]:
    """A cursor on the write's connection inside a write, else on one lent
    by the engine's pool for the block."""
    session = writing()
    if session is not None:
        yield _in_write(session)
        return
    engine = get_engine()
    pooled = engine.raw_connection()
    try:
        yield Cursor(pooled, engine.dialect)
    finally:
        pooled.close()  # back to the pool, its transaction rolled back


def _in_write(session: Session) -> Cursor:
    connection = session.connection()
    return Cursor(connection.connection, connection.dialect)


@dataclass(frozen=True)
class _Compiled:
    """A statement compiled for one dialect: its SQL, its parameters' order
    (for drivers that take them by position), the values compiled into it,
    how each parameter is converted for the driver, and how each column of
    its rows is converted back."""

    sql: str
    order: tuple[str, ...] | None
    fixed: dict[str, Any]
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]
    columns: tuple[Callable[[Any], Any] | None, ...]

    @classmethod
    def of(cls, statement: Executable, dialect: Dialect) -> _Compiled:
        compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
        if compiled.post_compile_params:
            raise ValueError("expanding parameters are compiled anew each time")
        fixed: dict[str, Any] = {}
        binds: list[tuple[str, Callable[[Any], Any]]] = []
        for bind, name in compiled.bind_names.items():
            if not bind.required:
                fixed[name] = bind.effective_value
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                binds.append((name, process))
        selected = getattr(statement, "selected_columns", None) or ()
        columns = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in selected
        )
        order = tuple(compiled.positiontup or ()) if compiled.positional else None
        return cls(str(compiled), order, fixed, tuple(binds), columns)

    def parameters(self, params: dict[str, Any]) -> Any:
        values = {**self.fixed, **params}
        for name, process in self.binds:
            if name in values:
                values[name] = process(values[name])
        if self.order is None:
            return values
        return tuple(values[name] for name in self.order)

    def row(self, row: Any) -> list[Any]:
        return [
            value if convert is None else convert(value)
            for convert, value in zip(self.columns, row, strict=True)
        ]


class Cursor:
    """Statements run on one driver connection (and its transaction)."""

    def __init__(self, connection: Any, dialect: Dialect) -> None:
        self.connection = connection
        self.dialect = dialect

    def _execute(self, statement: Statement, params: dict[str, Any]) -> Any:
        compiled = statement.compiled(self.dialect)
        cursor = self.connection.cursor()
        try:
            with _as_sqlalchemy_errors(self.dialect, compiled.sql):
                cursor.execute(compiled.sql, compiled.parameters(params))
        except BaseException:
            cursor.close()
            raise
        return cursor, compiled

    def first(self, statement: Statement, **params: Any) -> Any:
        cursor, compiled = self._execute(statement, params)
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else statement.row_type(*compiled.row(row))

    def run(self, statement: Statement, **params: Any) -> int:
        """Run an ``INSERT``, ``UPDATE`` or ``DELETE``; the rows it changed."""
        cursor, _compiled = self._execute(statement, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()


def write(unit: Callable[[Cursor], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
    """Run ``unit(cursor)`` in one write transaction straight on the driver,
    committed when it returns and rolled back if it raises: this process's
    turn to write first, then (SQLite) ``BEGIN IMMEDIATE``, tried again while
    the database is busy, as :func:`ghost_simulator.store.write`. Inside
    another write it joins that one."""
    session = writing()
    if session is not None:
        return unit(_in_write(session))
    engine = get_engine()
    return retried(lambda: _transaction(engine, unit), attempts)


def _transaction(engine: Engine, unit: Callable[[Cursor], T]) -> T:
    pooled = engine.raw_connection()
    try:
        with write_turn(engine):
            try:
                if engine.dialect.name == "sqlite":
                    with _as_sqlalchemy_errors(engine.dialect, "BEGIN IMMEDIATE"):
                        pooled.cursor().execute("BEGIN IMMEDIATE").close()
                result = unit(Cursor(pooled, engine.dialect))
                with _as_sqlalchemy_errors(engine.dialect, "COMMIT"):
                    pooled.commit()
            except BaseException:
                pooled.rollback()
                raise
        return result
    finally:
        pooled.close()


@contextmanager
def _as_sqlalchemy_errors(dialect: Dialect, sql: str) -> Iterator[None]:
    """The driver's errors as SQLAlchemy raises them (``OperationalError``,
    ``IntegrityError``...), so callers see one kind whichever way ran it."""
    driver_error = dialect.loaded_dbapi.Error
    try:
        yield
    except driver_error as exc:
        raise DBAPIError.instance(sql, None, exc, driver_error) from exc
