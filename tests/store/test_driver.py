"""Statements straight on the database driver (store.driver): the match read
that every request makes and the save of an end read and write exactly what
SQLAlchemy does, on pooled connections given back at once, in one transaction
that a failure rolls back, and under the write's lock inside a write."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ghost_simulator import store
from ghost_simulator.engine import Ghost, Match, match_round
from ghost_simulator.store import driver
from ghost_simulator.store import matches as stored
from ghost_simulator.store.models import Match as MatchRow

OWNER = stored.Owner("browser-key")


@pytest.fixture
def context(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


def _stored_match() -> str:
    match = Match("set", match_round("recurve", False), Ghost.from_handicap(30), 7)
    match.add_end(["10", "9", "X"])
    return stored.create(OWNER, match.to_dict(), "in_progress", match.summary())


def test_the_quick_read_is_what_sqlalchemy_reads(context: Flask) -> None:
    match_id = _stored_match()
    quick = stored._READ_ONE.first(match_id=match_id)
    with store.get_engine().connect() as connection:
        core = connection.execute(
            stored._READ_ONE.statement, {"match_id": match_id}
        ).one()
    assert quick is not None
    assert quick._fields == tuple(core._fields)
    assert tuple(quick) == tuple(core)
    assert isinstance(quick.state, dict)  # JSON decoded
    assert quick.state == core.state == stored.load(match_id, OWNER).state  # type: ignore[union-attr]
    assert quick.created_at == core.created_at  # a datetime, as SQLAlchemy's
    found = stored.load(match_id, OWNER)
    assert found is not None
    assert found.version == 1
    assert found.created_at.tzinfo is not None


def test_a_missing_match_is_none(context: Flask) -> None:
    assert stored._READ_ONE.first(match_id="no-such-match") is None
    assert stored.load("no-such-match", OWNER) is None


def test_each_read_gives_its_connection_back(context: Flask) -> None:
    match_id = _stored_match()
    pool = store.get_engine().pool
    for _ in range(50):
        assert stored._READ_ONE.first(match_id=match_id) is not None
    assert pool.checkedout() == 0  # type: ignore[attr-defined]


def test_inside_a_write_it_reads_what_the_write_sees(context: Flask) -> None:
    match_id = _stored_match()
    seen: list[int] = []

    def unit(session: Session) -> None:
        session.execute(
            update(MatchRow).where(MatchRow.id == match_id).values(version=41)
        )
        row = stored._READ_ONE.first(match_id=match_id)
        assert row is not None
        seen.append(row.version)

    store.write(unit)
    assert seen == [41]  # its own uncommitted change: the same transaction
    with store.get_engine().connect() as connection:
        version = connection.execute(
            select(MatchRow.version).where(MatchRow.id == match_id)
        ).scalar_one()
    assert version == 41


def test_a_save_writes_what_sqlalchemy_reads(context: Flask) -> None:
    match_id = _stored_match()
    match = Match.from_dict(stored.load(match_id, OWNER).state)  # type: ignore[union-attr]
    while not match.verdict().finished:
        match.add_end(["X", "X", "X"])
    verdict = match.verdict()
    assert verdict.finished
    version = stored.save(
        match_id,
        OWNER,
        match.to_dict(),
        verdict.status,
        match.summary(),
        version=1,
        end_key="k" * 20,
    )
    assert version == 2
    with store.get_engine().connect() as connection:
        row = connection.execute(
            select(MatchRow.__table__).where(MatchRow.id == match_id)
        ).one()
    assert row.state == match.to_dict()
    assert row.status == verdict.status
    assert row.version == 2
    assert row.archer_total == match.archer_tally().total
    assert row.half is False
    assert row.finished_at is not None
    assert row.updated_at is not None
    assert stored.entered_with(match_id, OWNER, "k" * 20) == match.ends_shot
    with pytest.raises(stored.Finished):  # finished: nothing more is written
        stored.save(match_id, OWNER, match.to_dict(), "won", match.summary(), version=2)


def test_a_failed_unit_writes_nothing(context: Flask) -> None:
    match_id = _stored_match()
    bump = driver.Statement(
        update(MatchRow.__table__)
        .where(MatchRow.id == match_id)
        .values(version=MatchRow.__table__.c.version + 10)
    )

    def unit(cursor: driver.Cursor) -> None:
        assert cursor.run(bump) == 1
        raise RuntimeError("after the update")

    with pytest.raises(RuntimeError):
        driver.write(unit)
    found = stored.load(match_id, OWNER)
    assert found is not None
    assert found.version == 1  # rolled back
    assert store.get_engine().pool.checkedout() == 0  # type: ignore[attr-defined]


def test_expanding_parameters_are_refused(context: Flask) -> None:
    statement = driver.Statement(
        select(MatchRow.id).where(MatchRow.status.in_(stored.FINISHED))
    )
    with pytest.raises(ValueError, match="expanding"):
        statement.first()
