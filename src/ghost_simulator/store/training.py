"""The training log in the database: the archer's bows and arrow sets, their
sight marks, the arrows they counted by hand, and the arrows their matches
hold, day by day.

Persistence only: values arrive checked (``web.training`` reads the forms);
every row is reached through its archer, so one archer's id never opens
another's row (a foreign id reads as a missing one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from . import get_session, write
from .models import ArrowEntry, ArrowSet, Bow, SightMark
from .models import Match as MatchRow
from .times import aware

#: The most of each an archer keeps: far above a real quiver, far below abuse.
MOST_BOWS = 50
MOST_ARROW_SETS = 50
MOST_MARKS_PER_BOW = 300
MOST_ENTRIES_PER_DAY = 50
#: What a row may hold (the forms and an import check it): inclusive bounds.
ENTRY_KINDS = ("sighters", "blank_bale", "practice", "other")
UNITS = ("m", "yd")
DRAW_WEIGHT = (5.0, 100.0)  # lb
DIAMETER = (2.0, 12.0)  # mm (engine.matches.ARROW_DIAMETERS)
ARROW_COUNT = (1, 100)
DISTANCE = (1.0, 150.0)  # metres or yards
MARK = (-1000.0, 1000.0)
ARROWS_PER_ENTRY = (1, 2000)

Row = TypeVar("Row", Bow, ArrowSet, ArrowEntry)


class TooMany(Exception):
    """The archer holds the most rows of that kind there can be."""

    def __init__(self, most: int) -> None:
        super().__init__(most)
        self.most = most


def _owned(
    session: Session, model: type[Row], archer_id: int, row_id: int
) -> Row | None:
    row = session.get(model, row_id, populate_existing=True)
    if row is None or row.archer_id != archer_id:
        return None
    return row


def _count(session: Session, model: type[Row], archer_id: int) -> int:
    statement = (
        select(func.count()).select_from(model).where(model.archer_id == archer_id)
    )
    return int(session.execute(statement).scalar_one())


def _add(model: type[Row], archer_id: int, most: int, values: dict[str, Any]) -> Row:
    def insert(session: Session) -> Row:
        if _count(session, model, archer_id) >= most:
            raise TooMany(most)
        row = model(archer_id=archer_id, **values)
        session.add(row)
        session.flush()
        return row

    return write(insert)


def _update(
    model: type[Row], archer_id: int, row_id: int, values: dict[str, Any]
) -> bool:
    def change(session: Session) -> bool:
        row = _owned(session, model, archer_id, row_id)
        if row is None:
            return False
        for name, value in values.items():
            setattr(row, name, value)
        return True

    return write(change)


def _delete(model: type[Row], archer_id: int, row_id: int) -> bool:
    def remove(session: Session) -> bool:
        result = session.execute(
            delete(model)
            .where(model.id == row_id, model.archer_id == archer_id)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    return write(remove)


# -- bows and arrows -----------------------------------------------------------------


def bows(archer_id: int) -> list[Bow]:
    statement = select(Bow).where(Bow.archer_id == archer_id).order_by(Bow.name, Bow.id)
    return list(get_session().scalars(statement))


def bow(archer_id: int, bow_id: int) -> Bow | None:
    return _owned(get_session(), Bow, archer_id, bow_id)


def add_bow(archer_id: int, values: dict[str, Any]) -> Bow:
    return _add(Bow, archer_id, MOST_BOWS, values)


def update_bow(archer_id: int, bow_id: int, values: dict[str, Any]) -> bool:
    return _update(Bow, archer_id, bow_id, values)


def delete_bow(archer_id: int, bow_id: int) -> bool:
    """Remove a bow and its sight marks; matches shot with it keep their
    scores and forget the bow."""
    return _delete(Bow, archer_id, bow_id)


def arrow_sets(archer_id: int) -> list[ArrowSet]:
    statement = (
        select(ArrowSet)
        .where(ArrowSet.archer_id == archer_id)
        .order_by(ArrowSet.model, ArrowSet.id)
    )
    return list(get_session().scalars(statement))


def arrow_set(archer_id: int, set_id: int) -> ArrowSet | None:
    return _owned(get_session(), ArrowSet, archer_id, set_id)


def add_arrow_set(archer_id: int, values: dict[str, Any]) -> ArrowSet:
    return _add(ArrowSet, archer_id, MOST_ARROW_SETS, values)


def update_arrow_set(archer_id: int, set_id: int, values: dict[str, Any]) -> bool:
    return _update(ArrowSet, archer_id, set_id, values)


def delete_arrow_set(archer_id: int, set_id: int) -> bool:
    return _delete(ArrowSet, archer_id, set_id)


# -- sight marks ----------------------------------------------------------------------


def sight_marks(archer_id: int, bow_id: int) -> list[SightMark]:
    """The bow's marks, nearest distance first, newest first at a distance
    (nothing for another archer's bow)."""
    statement = (
        select(SightMark)
        .join(Bow, Bow.id == SightMark.bow_id)
        .where(SightMark.bow_id == bow_id, Bow.archer_id == archer_id)
        .order_by(
            SightMark.unit,
            SightMark.distance,
            SightMark.shot_on.desc(),
            SightMark.id.desc(),
        )
    )
    return list(get_session().scalars(statement))


def sight_mark(archer_id: int, mark_id: int) -> SightMark | None:
    statement = (
        select(SightMark)
        .join(Bow, Bow.id == SightMark.bow_id)
        .where(SightMark.id == mark_id, Bow.archer_id == archer_id)
        .execution_options(populate_existing=True)
    )
    return get_session().scalars(statement).first()


def add_sight_mark(
    archer_id: int, bow_id: int, values: dict[str, Any]
) -> SightMark | None:
    """A new mark on the archer's bow (None: no such bow of theirs)."""

    def insert(session: Session) -> SightMark | None:
        if _owned(session, Bow, archer_id, bow_id) is None:
            return None
        held = (
            select(func.count())
            .select_from(SightMark)
            .where(SightMark.bow_id == bow_id)
        )
        if int(session.execute(held).scalar_one()) >= MOST_MARKS_PER_BOW:
            raise TooMany(MOST_MARKS_PER_BOW)
        row = SightMark(bow_id=bow_id, **values)
        session.add(row)
        session.flush()
        return row

    return write(insert)


def update_sight_mark(archer_id: int, mark_id: int, values: dict[str, Any]) -> bool:
    def change(session: Session) -> bool:
        row = sight_mark(archer_id, mark_id)
        if row is None:
            return False
        for name, value in values.items():
            setattr(row, name, value)
        return True

    return write(change)


def delete_sight_mark(archer_id: int, mark_id: int) -> bool:
    def remove(session: Session) -> bool:
        row = sight_mark(archer_id, mark_id)
        if row is None:
            return False
        session.delete(row)
        return True

    return write(remove)


# -- arrows counted by hand ------------------------------------------------------------


def arrow_entries(
    archer_id: int, since: date | None = None, until: date | None = None
) -> list[ArrowEntry]:
    """The archer's manual entries, newest day first; ``since`` inclusive,
    ``until`` exclusive."""
    statement = select(ArrowEntry).where(ArrowEntry.archer_id == archer_id)
    if since is not None:
        statement = statement.where(ArrowEntry.shot_on >= since)
    if until is not None:
        statement = statement.where(ArrowEntry.shot_on < until)
    statement = statement.order_by(ArrowEntry.shot_on.desc(), ArrowEntry.id.desc())
    return list(get_session().scalars(statement))


def arrow_entry(archer_id: int, entry_id: int) -> ArrowEntry | None:
    return _owned(get_session(), ArrowEntry, archer_id, entry_id)


def add_arrow_entry(archer_id: int, values: dict[str, Any]) -> ArrowEntry:
    def insert(session: Session) -> ArrowEntry:
        same_day = (
            select(func.count())
            .select_from(ArrowEntry)
            .where(
                ArrowEntry.archer_id == archer_id,
                ArrowEntry.shot_on == values["shot_on"],
            )
        )
        if int(session.execute(same_day).scalar_one()) >= MOST_ENTRIES_PER_DAY:
            raise TooMany(MOST_ENTRIES_PER_DAY)
        row = ArrowEntry(archer_id=archer_id, **values)
        session.add(row)
        session.flush()
        return row

    return write(insert)


def update_arrow_entry(archer_id: int, entry_id: int, values: dict[str, Any]) -> bool:
    return _update(ArrowEntry, archer_id, entry_id, values)


def delete_arrow_entry(archer_id: int, entry_id: int) -> bool:
    return _delete(ArrowEntry, archer_id, entry_id)


# -- the arrow counter ----------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    """The arrows of one day: in matches, and counted by hand (by kind)."""

    matches: int
    by_hand: dict[str, int]

    @property
    def total(self) -> int:
        return self.matches + sum(self.by_hand.values())


def arrows_by_day(archer_id: int, since: date, until: date) -> dict[date, Day]:
    """Every day from ``since`` (inclusive) to ``until`` (exclusive) with
    arrows: the arrows the archer entered in their matches, on the (UTC) day
    each match started (the day of each end is not kept), and those counted
    by hand."""
    start = datetime.combine(since, time(), UTC)
    end = datetime.combine(until, time(), UTC)
    shot: defaultdict[date, int] = defaultdict(int)
    statement = select(MatchRow.created_at, MatchRow.arrows_shot).where(
        MatchRow.archer_id == archer_id,
        MatchRow.arrows_shot > 0,
        MatchRow.created_at >= start,
        MatchRow.created_at < end,
    )
    session = get_session()
    for created_at, arrows in session.execute(statement):
        shot[aware(created_at).astimezone(UTC).date()] += int(arrows)
    by_hand: defaultdict[date, dict[str, int]] = defaultdict(dict)
    entries = select(
        ArrowEntry.shot_on, ArrowEntry.kind, func.sum(ArrowEntry.arrows)
    ).where(
        ArrowEntry.archer_id == archer_id,
        ArrowEntry.shot_on >= since,
        ArrowEntry.shot_on < until,
    )
    for day, kind, arrows in session.execute(
        entries.group_by(ArrowEntry.shot_on, ArrowEntry.kind)
    ):
        by_hand[day][kind] = int(arrows)
    days = set(shot) | set(by_hand)
    return {
        day: Day(shot.get(day, 0), dict(by_hand.get(day, {}))) for day in sorted(days)
    }


def first_day(archer_id: int) -> date | None:
    """The first day the log has arrows for."""
    session = get_session()
    first_match = session.execute(
        select(func.min(MatchRow.created_at)).where(
            MatchRow.archer_id == archer_id, MatchRow.arrows_shot > 0
        )
    ).scalar_one()
    first_entry = session.execute(
        select(func.min(ArrowEntry.shot_on)).where(ArrowEntry.archer_id == archer_id)
    ).scalar_one()
    days = [d for d in (first_entry,) if d is not None]
    if first_match is not None:
        days.append(aware(first_match).astimezone(UTC).date())
    return min(days) if days else None


# -- what a match was shot with ------------------------------------------------------


def record_equipment(
    match_id: str, archer_id: int, bow_id: int | None, arrow_set_id: int | None
) -> None:
    """Note on the archer's match the bow and arrows it was shot with."""

    def note(session: Session) -> None:
        session.execute(
            update(MatchRow)
            .where(MatchRow.id == match_id, MatchRow.archer_id == archer_id)
            .values(bow_id=bow_id, arrow_set_id=arrow_set_id)
            .execution_options(synchronize_session=False)
        )

    write(note)


def last_used(archer_id: int) -> tuple[int | None, int | None]:
    """The bow and arrow set of the archer's latest match that noted either."""
    statement = (
        select(MatchRow.bow_id, MatchRow.arrow_set_id)
        .where(
            MatchRow.archer_id == archer_id,
            (MatchRow.bow_id.is_not(None)) | (MatchRow.arrow_set_id.is_not(None)),
        )
        .order_by(MatchRow.created_at.desc(), MatchRow.id)
        .limit(1)
    )
    row = get_session().execute(statement).first()
    return (row[0], row[1]) if row is not None else (None, None)
