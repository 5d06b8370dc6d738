"""The statements every request runs (a match read for its page, an end saved)
are Core statements: a read with no ORM session around it takes a plain
pooled connection (and the request then opens no session at all), a read
once the request has a session joins the session's connection (the plain
one given back: one connection at a time); they read what
the ORM reads, inside a write they read what the write sees (one transaction, one
lock), a write through the ORM inside the save's write is the same
transaction (not a second one waiting for the first's lock), and a failed
write leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, g
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ghost_simulator import store
from ghost_simulator.engine import Ghost, Match, match_round
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


def test_the_read_is_what_the_orm_reads(context: Flask) -> None:
    match_id = _stored_match()
    row = stored._row(match_id, OWNER)
    orm = store.get_session().get(MatchRow, match_id)
    assert row is not None
    assert orm is not None
    assert isinstance(row.state, dict)  # JSON decoded
    assert row.state == orm.state
    assert row.version == orm.version == 1
    found = stored.load(match_id, OWNER)
    assert found is not None
    assert found.created_at.tzinfo is not None
    assert stored.load("no-such-match", OWNER) is None
    assert stored.load(match_id, stored.Owner("another-browser")) is None


def test_a_read_alone_opens_no_orm_session(context: Flask) -> None:
    match_id = _stored_match()
    store.close_session()  # what creating it opened: a new request from here
    assert stored.load(match_id, OWNER) is not None
    assert "db_session" not in g
    reading = store.connection()
    assert reading is g.db_connection
    assert store.connection() is reading  # kept for the request
    # Once there is a session, the Core reads join its connection, and the
    # plain one goes back to the pool: one connection at a time.
    store.get_session().get(MatchRow, match_id)
    assert reading.closed
    assert "db_connection" not in g
    assert store.connection() is store.get_session().connection()
    store.close_session()
    assert "db_session" not in g


def test_inside_a_write_it_reads_what_the_write_sees(context: Flask) -> None:
    match_id = _stored_match()
    seen: list[int] = []

    def unit(session: Session) -> None:
        session.execute(
            update(MatchRow).where(MatchRow.id == match_id).values(version=41)
        )
        row = stored._row(match_id, OWNER)
        assert row is not None
        seen.append(row.version)

    store.write(unit)
    assert seen == [41]  # its own uncommitted change: the same transaction
    with store.get_engine().connect() as connection:
        version = connection.execute(
            select(MatchRow.version).where(MatchRow.id == match_id)
        ).scalar_one()
    assert version == 41


def test_an_orm_write_inside_the_save_is_the_same_transaction(
    context: Flask,
) -> None:
    """The second transaction system this replaced deadlocked here: an ORM
    write nested in a driver write waited for the driver write's lock and
    failed with "database is locked"."""
    match_id = _stored_match()
    match = Match.from_dict(stored.load(match_id, OWNER).state)  # type: ignore[union-attr]
    match.add_end(["9", "9", "9"])

    def unit(session: Session) -> int:
        version = stored.save(
            match_id, OWNER, match.to_dict(), "in_progress", match.summary(), version=1
        )
        row = session.get(MatchRow, match_id, populate_existing=True)
        assert row is not None
        row.archer_handicap = 12.5  # an ORM change, in the same transaction
        return version

    assert store.write(unit) == 2
    store.get_session().expire_all()
    row = store.get_session().get(MatchRow, match_id)
    assert row is not None
    assert (row.version, row.archer_handicap) == (2, 12.5)


def test_a_save_writes_what_the_orm_reads(context: Flask) -> None:
    match_id = _stored_match()
    match = Match.from_dict(stored.load(match_id, OWNER).state)  # type: ignore[union-attr]
    while not match.verdict().finished:
        match.add_end(["X", "X", "X"])
    verdict = match.verdict()
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


def test_python_side_defaults_are_written(context: Flask) -> None:
    """Core applies a column's ``default=`` (a raw driver statement did not)."""
    row = {
        "id": "d" * 22,
        "owner_key": "k",
        "kind": "set",
        "round_code": "match_recurve_outdoor",
        "ghost": {},
        "seed": 1,
        "state": {},
    }

    def unit(session: Session) -> None:
        store.connection().execute(insert(MatchRow.__table__).values(**row))

    store.write(unit)
    status = store.get_session().scalar(
        select(MatchRow.status).where(MatchRow.id == row["id"])
    )
    assert status == "in_progress"  # the column's Python-side default


def test_a_failed_write_writes_nothing(context: Flask) -> None:
    match_id = _stored_match()

    def unit(session: Session) -> None:
        bumped = store.connection().execute(
            update(MatchRow.__table__)
            .where(MatchRow.id == match_id)
            .values(version=MatchRow.__table__.c.version + 10)
        )
        assert bumped.rowcount == 1
        raise RuntimeError("after the update")

    with pytest.raises(RuntimeError):
        store.write(unit)
    found = stored.load(match_id, OWNER)
    assert found is not None
    assert found.version == 1  # rolled back
