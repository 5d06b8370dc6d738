"""The training log's store: rows reached only through their archer, the
arrow counter's sums by day, the equipment a match noted, and the log in an
export and back (every column, the matches' equipment renumbered)."""

from __future__ import annotations

import copy
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from ghost_simulator import create_app
from ghost_simulator.services import transfer
from ghost_simulator.store import get_session, training
from ghost_simulator.store.models import Match as Row

from .sample_matches import make_archer, make_archer_with_matches

BOW = {"name": "Club recurve", "bowstyle": "recurve", "draw_weight": 32.5, "notes": "x"}
ARROWS = {"model": "X10", "diameter": 5.5, "count": 12, "notes": None}


def test_rows_belong_to_their_archer(app: Flask) -> None:
    with app.app_context():
        robin, marian = make_archer("robin").id, make_archer("marian").id
        bow = training.add_bow(robin, BOW)
        arrows = training.add_arrow_set(robin, ARROWS)
        mark = training.add_sight_mark(
            robin,
            bow.id,
            {"distance": 30.0, "unit": "m", "mark": 4.2, "shot_on": date(2026, 3, 1)},
        )
        assert mark is not None
        entry = training.add_arrow_entry(
            robin,
            {
                "arrows": 30,
                "kind": "sighters",
                "shot_on": date(2026, 3, 1),
                "notes": None,
            },
        )
        # Marian reaches none of them, and can change none.
        assert training.bow(marian, bow.id) is None
        assert training.arrow_set(marian, arrows.id) is None
        assert training.sight_mark(marian, mark.id) is None
        assert training.arrow_entry(marian, entry.id) is None
        assert training.sight_marks(marian, bow.id) == []
        assert (
            training.add_sight_mark(
                marian,
                bow.id,
                {
                    "distance": 1.0,
                    "unit": "m",
                    "mark": 1.0,
                    "shot_on": date(2026, 3, 1),
                },
            )
            is None
        )
        assert not training.update_bow(marian, bow.id, {"name": "mine"})
        assert not training.delete_bow(marian, bow.id)
        assert not training.delete_arrow_set(marian, arrows.id)
        assert not training.delete_sight_mark(marian, mark.id)
        assert not training.delete_arrow_entry(marian, entry.id)
        assert [b.name for b in training.bows(robin)] == ["Club recurve"]
        # Deleting the bow takes its marks with it.
        assert training.delete_bow(robin, bow.id)
        assert training.sight_mark(robin, mark.id) is None


def test_arrows_by_day_adds_matches_and_entries(app: Flask) -> None:
    with app.app_context():
        archer_id, ids = make_archer_with_matches()
        session = get_session()
        rows = [session.get(Row, match_id) for match_id in ids]
        expected: dict[date, int] = {}
        for row in rows:
            assert row is not None
            if row.arrows_shot:
                day = (
                    row.created_at.replace(tzinfo=UTC).date()
                    if row.created_at.tzinfo is None
                    else row.created_at.astimezone(UTC).date()
                )
                expected[day] = expected.get(day, 0) + row.arrows_shot
        first = min(expected)
        training.add_arrow_entry(
            archer_id, {"arrows": 7, "kind": "other", "shot_on": first, "notes": None}
        )
        training.add_arrow_entry(
            archer_id, {"arrows": 5, "kind": "other", "shot_on": first, "notes": None}
        )
        days = training.arrows_by_day(
            archer_id, first - timedelta(days=1), max(expected) + timedelta(days=1)
        )
        assert {day: d.matches for day, d in days.items()} == expected
        assert days[first].by_hand == {"other": 12}
        assert days[first].total == expected[first] + 12
        assert training.first_day(archer_id) == first


def test_entries_a_day_are_limited(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(training, "MOST_ENTRIES_PER_DAY", 2)
    with app.app_context():
        archer_id = make_archer().id
        values = {
            "arrows": 1,
            "kind": "other",
            "shot_on": date(2026, 3, 1),
            "notes": None,
        }
        training.add_arrow_entry(archer_id, values)
        training.add_arrow_entry(archer_id, values)
        with pytest.raises(training.TooMany):
            training.add_arrow_entry(archer_id, values)
        training.add_arrow_entry(archer_id, {**values, "shot_on": date(2026, 3, 2)})


def _with_training(archer_id: int, match_id: str) -> None:
    bow = training.add_bow(archer_id, BOW)
    other = training.add_bow(
        archer_id, {**BOW, "name": "Spare", "draw_weight": None, "notes": None}
    )
    arrows = training.add_arrow_set(archer_id, ARROWS)
    for distance, mark in ((30.0, 3.5), (50.0, 5.25)):
        training.add_sight_mark(
            archer_id,
            bow.id,
            {
                "distance": distance,
                "unit": "m",
                "mark": mark,
                "shot_on": date(2026, 3, 1),
                "notes": "calm",
            },
        )
    training.add_sight_mark(
        archer_id,
        other.id,
        {
            "distance": 60.0,
            "unit": "yd",
            "mark": -2.0,
            "shot_on": date(2026, 3, 2),
            "notes": None,
        },
    )
    training.add_arrow_entry(
        archer_id,
        {
            "arrows": 36,
            "kind": "blank_bale",
            "shot_on": date(2026, 3, 3),
            "notes": "form",
        },
    )
    training.record_equipment(match_id, archer_id, bow.id, arrows.id)


def test_the_log_round_trips_through_an_export(
    app: Flask, data_dir: Path, fresh_database
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        archer_id, ids = make_archer_with_matches()
        _with_training(archer_id, ids[0])
        exported = transfer.export_archer(archer_id)
    assert len(exported["bows"]) == 2
    assert len(exported["arrow_sets"]) == 1
    assert exported["bows"][0]["sight_marks"][0]["shot_on"] == "2026-03-01"
    assert exported["matches"][0]["bow_id"] == exported["bows"][0]["id"]
    config = {"TESTING": True, "DATA_DIR": str(data_dir.parent / "other")}
    if url := fresh_database():
        config["DATABASE_URL"] = url
    other = create_app(config)
    with other.app_context():
        first = make_archer("first").id
        training.add_bow(first, {**BOW, "name": "Someone else's"})  # ids move on
        archer = make_archer("robin-again")
        transfer.import_archer(archer.id, transfer.dumps(exported))
        again = transfer.export_archer(archer.id)
        new_bows = {b["name"]: b["id"] for b in again["bows"]}
        row = get_session().get(Row, ids[0])
        assert row is not None
        assert row.bow_id == new_bows["Club recurve"]
    strip = lambda items: [{k: v for k, v in i.items() if k != "id"} for i in items]  # noqa: E731
    assert strip(again["bows"]) == strip(exported["bows"])
    assert strip(again["arrow_sets"]) == strip(exported["arrow_sets"])
    assert again["arrow_entries"] == exported["arrow_entries"]
    assert exported["bows"][0]["id"] != new_bows["Club recurve"]


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda d: d.__setitem__("bows", {}), "bows must be a list"),
        (
            lambda d: d["bows"][0].__setitem__("bowstyle", "crossbow"),
            "bowstyle 'crossbow'",
        ),
        (lambda d: d["bows"][0].__setitem__("name", ""), "name cannot be empty"),
        (
            lambda d: d["bows"][0].__setitem__("draw_weight", 1e9),
            "draw_weight must be a number",
        ),
        (
            lambda d: d["bows"][0]["sight_marks"][0].__setitem__("unit", "ft"),
            "unit 'ft'",
        ),
        (
            lambda d: d["bows"][0]["sight_marks"][0].__setitem__("shot_on", "soon"),
            "shot_on must be a date",
        ),
        (
            lambda d: d["arrow_entries"][0].__setitem__("shot_on", "1999-12-31"),
            "shot_on 1999-12-31 is not a day from 2000-01-01 to today",
        ),
        (
            lambda d: d["arrow_sets"][0].__setitem__("diameter", 30),
            "diameter must be a number from 2 to 12",
        ),
        (
            lambda d: d["arrow_sets"][0].__setitem__("count", 2.5),
            "count must be a whole number",
        ),
        (
            lambda d: d["arrow_entries"][0].__setitem__("kind", "juggling"),
            "kind 'juggling'",
        ),
        (
            lambda d: d["bows"][1].__setitem__("id", d["bows"][0]["id"]),
            r"Bow 2: its id \d+ is also Bow 1's; no two may share one",
        ),
        (
            lambda d: d["arrow_sets"][0].__setitem__("id", "7"),
            r"Arrow set 1: its id must be a whole number such as 1 \(it is '7'\)",
        ),
        (
            lambda d: d["bows"][0].pop("id"),
            r"Bow 1: its id must be a whole number such as 1 \(it is missing\)",
        ),
        (
            lambda d: d["matches"][0].__setitem__("bow_id", 424242),
            "bow_id 424242 is not in the export",
        ),
    ],
)
def test_spoiled_training_rows_are_refused(
    app: Flask, spoil: Any, message: str
) -> None:
    with app.app_context():
        archer_id, ids = make_archer_with_matches()
        _with_training(archer_id, ids[0])
        exported = copy.deepcopy(transfer.export_archer(archer_id))
        spoil(exported)
        target = make_archer("target").id
        with pytest.raises(transfer.TransferError, match=message):
            transfer.import_archer(target, exported)
        assert training.bows(target) == []
        assert training.arrow_entries(target) == []


def test_an_older_export_without_a_log_still_imports(app: Flask) -> None:
    with app.app_context():
        archer_id, _ids = make_archer_with_matches()
        exported = transfer.export_archer(archer_id)
        for name in ("bows", "arrow_sets", "arrow_entries"):
            del exported[name]
        target = make_archer("target").id
        assert transfer.import_archer(target, exported) > 0
        assert training.bows(target) == []


def test_an_account_with_a_log_takes_no_import(app: Flask) -> None:
    with app.app_context():
        archer_id, _ids = make_archer_with_matches()
        exported = transfer.export_archer(archer_id)
        target = make_archer("target").id
        training.add_arrow_set(target, ARROWS)
        with pytest.raises(transfer.TransferError, match="already keeps bows"):
            transfer.import_archer(target, exported)
        assert transfer.match_count(target) == 0
