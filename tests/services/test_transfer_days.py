"""Competition days in the archer's export: carried with their field, seed,
score and links to the archer's matches; brought back by an import with a new
id and the links remapped, the day standing as it stood; a bad day refused
in one sentence naming it, writing nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from flask import Flask

from ghost_simulator.services import days, export_file, transfer
from ghost_simulator.services.viewers import Viewer
from ghost_simulator.store import days as stored_days
from ghost_simulator.store import get_session
from ghost_simulator.store.models import Archer, CompetitionDay, DayMatch

from ..sessions import sign_in_as
from ..store.sample_matches import make_archer, make_archer_with_matches, table_snapshot
from .test_ladders import finish

Edit = Callable[[dict[str, Any]], None]
#: A day seeded by a score (its 1/8 won, the quarter-final next) and one
#: whose ranking round is still to be shot.
BRACKET = days.DayRequest(
    bow="recurve", field="international", size=16, qualify="score", score=600.0
)
FIELD_FILE = "name,score\n" + "".join(
    f"{name},{score}\n"
    for name, score in zip(
        ("Ana", "Bea", "Cai", "Dov", "Eli", "Fay", "Gus"),
        (655, 640, 631.5, 618, 600, 590, 575),
        strict=True,
    )
)
QUALIFYING = days.DayRequest(
    bow="recurve", field="upload", file=FIELD_FILE.encode(), qualify="shoot"
)


def _archer(archer_id: int) -> Archer:
    found = get_session().get(Archer, archer_id)
    assert found is not None
    return found


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the archers', matches', ladders' and days' tables."""
    session = get_session()
    return {
        **table_snapshot(),
        **{
            model.__tablename__: sorted(
                tuple(str(v) for v in row)
                for row in session.execute(model.__table__.select())
            )
            for model in (CompetitionDay, DayMatch)
        },
    }


def view(app: Flask, archer_id: int, day_id: str, key: str) -> days.DayView:
    with app.test_request_context():
        found = days.load(Viewer(key, _archer(archer_id)), day_id)
    assert found is not None
    return found


@pytest.fixture
def with_days(app: Flask) -> tuple[int, str, str, dict[str, Any]]:
    """An archer with the sample matches and two days (the bracket day's 1/8
    won, the other's qualification round not shot): the archer's id, the
    days' ids and the archer's export (the bracket day first)."""
    with app.app_context():
        archer_id, _ids = make_archer_with_matches()
    with app.test_request_context():
        viewer = Viewer("browser-key", _archer(archer_id))
        bracket = days.create(viewer, BRACKET)
        qualifying = days.create(viewer, QUALIFYING)
        first = days.load(viewer, bracket)
        assert first is not None
        assert first.state is not None
        assert first.state.next_stage == "1/8"
        assert first.next_match is not None
        finish(viewer, first.next_match, "X")
        document = transfer.export_archer(archer_id)
    document["days"].sort(key=lambda day: day["archer_score"] is None)
    return archer_id, bracket, qualifying, document


@pytest.fixture(scope="module")
def days_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The archer's export of :func:`with_days`, made once for the module on
    a SQLite database of its own: the spoiled copies below only read it (the
    import they try is into each test's own database)."""
    from ghost_simulator import create_app

    data = tmp_path_factory.mktemp("days-export")
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data),
            "DATABASE_URL": f"sqlite:///{data / 'export.db'}",
        }
    )
    with app.app_context():
        archer_id, _ids = make_archer_with_matches()
    with app.test_request_context():
        viewer = Viewer("browser-key", _archer(archer_id))
        bracket = days.create(viewer, BRACKET)
        days.create(viewer, QUALIFYING)
        first = days.load(viewer, bracket)
        assert first is not None
        assert first.next_match is not None
        finish(viewer, first.next_match, "X")
        document = transfer.export_archer(archer_id)
    document["days"].sort(key=lambda day: day["archer_score"] is None)
    return document


def test_the_export_carries_the_days(
    app: Flask, with_days: tuple[int, str, str, dict[str, Any]]
) -> None:
    archer_id, bracket_id, _qualifying_id, document = with_days
    bracket, qualifying = document["days"]
    assert set(bracket) == {*export_file.DAY_FIELDS, "matches"}
    assert (bracket["bow"], bracket["indoor"], bracket["round_code"]) == (
        "recurve",
        False,
        "wa720_70",
    )
    assert (bracket["field_source"], bracket["archer_score"]) == (
        "international",
        600.0,
    )
    assert len(bracket["field"]) == 15
    assert all(isinstance(n, str) and isinstance(s, float) for n, s in bracket["field"])
    assert 0 <= bracket["seed"] < 2**63
    assert datetime.fromisoformat(bracket["created_at"]).tzinfo is not None
    assert [m["stage"] for m in bracket["matches"]] == [
        "1/8",
        "quarter-final",
        "semi-final",
        "final",
        "bronze",
    ]
    assert all(1 <= m["opponent"] <= 16 for m in bracket["matches"])
    assert qualifying["archer_score"] is None
    assert len(qualifying["field"]) == 7
    assert qualifying["matches"] == [
        {
            "stage": "qualification",
            "match_id": qualifying["matches"][0]["match_id"],
            "opponent": 0,
        }
    ]
    exported_ids = {m["id"] for m in document["matches"]}
    linked = {m["match_id"] for d in document["days"] for m in d["matches"]}
    assert linked <= exported_ids
    with app.app_context():
        stored = stored_days.load(bracket_id, stored_days.Owner("x", archer_id))
        validated = export_file.ExportFile.model_validate(
            document, context={"languages": app.config["LANGUAGES"]}
        )
    assert stored is not None
    assert bracket["field"] == [[n, s] for n, s in stored.field]
    assert validated.days[0].matches[0].stage == "1/8"


def test_the_export_links_only_the_archers_own_matches(
    app: Flask, with_days: tuple[int, str, str, dict[str, Any]]
) -> None:
    """A link to a match that is not the archer's (kept by a browser) is left
    out, as the match is."""
    from ghost_simulator.store.models import Match as Row

    archer_id, _bracket_id, _qualifying_id, document = with_days
    theirs = document["days"][0]["matches"][-1]["match_id"]
    with app.app_context():
        session = get_session()
        row = session.get(Row, theirs)
        assert row is not None
        row.archer_id = None
        session.commit()
        again = transfer.export_archer(archer_id)
    assert theirs not in {m["id"] for m in again["matches"]}
    stages = {
        m["stage"] for d in again["days"] if d["archer_score"] for m in d["matches"]
    }
    assert stages == {"1/8", "quarter-final", "semi-final", "final"}


def _renamed(document: dict[str, Any], kept: dict[str, Any]) -> dict[str, str]:
    """The id each match of ``document`` is kept by in ``kept`` (known by its
    state: every match has a seed of its own)."""

    def by_state(export: dict[str, Any]) -> dict[str, str]:
        return {
            json.dumps(m["state"], sort_keys=True): m["id"] for m in export["matches"]
        }

    new = by_state(kept)
    renamed = {old: new[state] for state, old in by_state(document).items()}
    assert len(renamed) == len(document["matches"])
    return renamed


def test_days_survive_export_and_import(
    app: Flask, with_days: tuple[int, str, str, dict[str, Any]]
) -> None:
    """Into a fresh archer on the same server: each day gets a new id, its
    links the matches' new ids, and its page stands as it stood."""
    archer_id, bracket_id, qualifying_id, document = with_days
    with app.app_context():
        archer = make_archer("robin-again")
        transfer.import_archer(archer.id, transfer.dumps(document))
        imported = stored_days.of_archer(archer.id)
        assert len(imported) == 2
        new_ids = {item.day.id for item in imported}
        assert not new_ids & {bracket_id, qualifying_id}
        kept = transfer.export_archer(archer.id)
        original = transfer.export_archer(archer_id)
    renamed = _renamed(document, kept)
    assert not set(renamed) & set(renamed.values())  # taken here: new ids
    kept["days"].sort(key=lambda day: day["archer_score"] is None)
    assert kept["days"] == [
        {
            **day,
            "matches": [
                {**link, "match_id": renamed[link["match_id"]]}
                for link in day["matches"]
            ],
        }
        for day in document["days"]
    ]
    original["days"].sort(key=lambda day: day["archer_score"] is None)
    assert original["days"] == document["days"]  # the archer's own untouched

    new_bracket, new_qualifying = (
        next(i.day.id for i in imported if (i.day.archer_score is None) is waiting)
        for waiting in (False, True)
    )
    before = view(app, archer_id, bracket_id, "browser-key")
    after = view(app, archer.id, new_bracket, "another-key")
    assert before.state is not None
    assert after.state is not None
    assert before.state.next_stage == after.state.next_stage == "quarter-final"
    assert before.state.placing is after.state.placing is None
    assert after.state.archer_seed == before.state.archer_seed
    assert after.state.archer_bouts == before.state.archer_bouts
    assert after.state.archer_bouts[0].result == "won"
    assert before.next_match is not None
    assert after.next_match == renamed[before.next_match]
    assert after.upcoming() == [renamed[m] for m in before.upcoming()]
    assert after.state.rounds == before.state.rounds
    waiting_before = view(app, archer_id, qualifying_id, "browser-key")
    waiting_after = view(app, archer.id, new_qualifying, "another-key")
    assert waiting_before.state is waiting_after.state is None
    assert waiting_before.next_match is not None
    assert waiting_after.next_match == renamed[waiting_before.next_match]
    with app.test_request_context():
        assert days.load(Viewer("another-key", _archer(archer.id)), bracket_id) is None
    client = app.test_client()
    sign_in_as(client, archer.id)
    page = client.get(f"/days/{new_bracket}")
    assert page.status_code == 200
    assert f'href="/matches/{after.next_match}" data-testid="shoot-next"' in page.text
    assert client.get(f"/days/{bracket_id}").status_code == 404


def test_a_lost_day_keeps_its_placing(
    app: Flask, with_days: tuple[int, str, str, dict[str, Any]]
) -> None:
    """The quarter-final lost (the matches beyond it go): the imported day is
    over, at the same place."""
    archer_id, bracket_id, _qualifying_id, _document = with_days
    with app.test_request_context():
        viewer = Viewer("browser-key", _archer(archer_id))
        before = days.load(viewer, bracket_id)
        assert before is not None
        assert before.next_match is not None
        finish(viewer, before.next_match, "M")
        before = days.load(viewer, bracket_id)
        assert before is not None
        document = transfer.export_archer(archer_id)
    assert before.state is not None
    assert before.state.placing == 5
    assert before.state.next_stage is None
    with app.app_context():
        archer = make_archer("robin-again")
        transfer.import_archer(archer.id, document)
        [new_bracket] = [
            i.day.id
            for i in stored_days.of_archer(archer.id)
            if i.day.archer_score is not None
        ]
    after = view(app, archer.id, new_bracket, "another-key")
    assert after.state is not None
    assert after.state.placing == 5
    assert after.state.next_stage is None
    assert after.next_match is None
    assert after.state.archer_bouts == before.state.archer_bouts


def test_an_export_without_days_still_imports(
    app: Flask, with_days: tuple[int, str, str, dict[str, Any]]
) -> None:
    document = copy.deepcopy(with_days[3])
    del document["days"]
    with app.app_context():
        archer = make_archer("robin-again")
        assert transfer.import_archer(archer.id, document) == len(document["matches"])
        assert stored_days.of_archer(archer.id) == []
        assert transfer.export_archer(archer.id)["days"] == []
    assert document["version"] == 1


# -- bad days ------------------------------------------------------------------------


def _day(number: int, edit: Callable[[dict[str, Any]], None]) -> Edit:
    def change(document: dict[str, Any]) -> None:
        edit(document["days"][number])

    return change


def _link(day: int, number: int, edit: Callable[[dict[str, Any]], None]) -> Edit:
    return _day(day, lambda d: edit(d["matches"][number]))


def _set(mapping: dict[str, Any], key: str, value: Any) -> None:
    mapping[key] = value


def _field(number: int, value: Any) -> Edit:
    return _day(0, lambda d: d["field"].__setitem__(number, value))


def _link_to(day: int, number: int, other_day: int, other: int) -> Edit:
    """Day ``day``'s link ``number`` to the match of ``other_day``'s ``other``."""

    def change(document: dict[str, Any]) -> None:
        found = document["days"][other_day]["matches"][other]["match_id"]
        document["days"][day]["matches"][number]["match_id"] = found

    return change


def _qualification_on_a_set_match(document: dict[str, Any]) -> None:
    linked = {m["match_id"] for d in document["days"] for m in d["matches"]}
    free = next(
        m["id"]
        for m in document["matches"]
        if m["kind"] == "set" and m["id"] not in linked
    )
    document["days"][1]["matches"][0]["match_id"] = free


def _on_a_ladder(document: dict[str, Any]) -> None:
    match_id = document["days"][0]["matches"][0]["match_id"]
    document["ladders"] = [
        {
            "kind": "set",
            "bow": "recurve",
            "indoor": False,
            "round_code": None,
            "scheme": "AGBold",
            "target": 0.5,
            "start_level": 40.0,
            "start_source": "handicap",
            "created_at": "2026-05-01T10:00:00+00:00",
            "matches": [{"number": 1, "match_id": match_id, "ghost_handicap": 40.0}],
        }
    ]


ALL_STAGES = ", ".join(export_file.DAY_STAGES)
# (why, how the days are spoiled, the message: {0} is the day's first match id)
SPOILED_DAYS: list[tuple[str, Edit, str]] = [
    (
        "an unknown bow",
        _day(0, lambda d: _set(d, "bow", "crossbow")),
        "Day 1: bow 'crossbow' is not one of recurve, compound, barebow, longbow,"
        " traditional.",
    ),
    (
        "an unknown scheme",
        _day(0, lambda d: _set(d, "scheme", "WA")),
        "Day 1: scheme 'WA' is not one of AGB, AGBold, AA, AA2.",
    ),
    (
        "an unknown round",
        _day(0, lambda d: _set(d, "round_code", "moon_shot")),
        "Day 1: its round_code 'moon_shot' is not a round this app knows for a"
        " recurve bow (see `ghost-sim rounds`).",
    ),
    (
        "no round",
        _day(0, lambda d: _set(d, "round_code", "")),
        "Day 1: round_code cannot be empty.",
    ),
    (
        "an unknown field source",
        _day(0, lambda d: _set(d, "field_source", "olympic")),
        "Day 1: field_source 'olympic' is not one of club, regional, national,"
        " international, upload.",
    ),
    (
        "a field too small",
        _day(0, lambda d: _set(d, "field", d["field"][:6])),
        "Day 1: field has 6 archers; a day's field has 7 to 127 besides the archer.",
    ),
    (
        "a field too large",
        _day(
            0,
            lambda d: _set(d, "field", [[f"Archer {n}", 500.0] for n in range(128)]),
        ),
        "Day 1: field has 128 archers; a day's field has 7 to 127 besides the archer.",
    ),
    (
        "a field that is no list",
        _day(0, lambda d: _set(d, "field", "Archer 1,500")),
        "Day 1: field must be a list of [name, score] pairs, not a text.",
    ),
    (
        "a field entry that is no pair",
        _field(1, ["Archer 2", 500.0, "extra"]),
        "Day 1: field entry 2 must be a pair [name, score], not a list of 3.",
    ),
    (
        "a name that is no text",
        _field(1, [7, 500.0]),
        "Day 1: field entry 2's name must be a text, not a number.",
    ),
    (
        "a score that is no number",
        _field(3, ["Archer 4", "600"]),
        "Day 1: field entry 4's score must be a number, not a text.",
    ),
    (
        "a score above the round's maximum",
        _field(3, ["Archer 4", 721.0]),
        "Day 1, field entry 4: a score of 721 is above the round's maximum of 720.",
    ),
    (
        "a negative score",
        _field(3, ["Archer 4", -1]),
        "Day 1, field entry 4: a score cannot be negative (-1).",
    ),
    (
        "a name too long",
        _field(0, ["x" * 101, 500.0]),
        "Day 1: field entry 1's name is 101 characters long; at most 100.",
    ),
    (
        "no name",
        _field(0, ["  ", 500.0]),
        "Day 1, field entry 1: the archer has no name.",
    ),
    (
        "a name twice",
        _day(0, lambda d: d["field"][5].__setitem__(0, d["field"][2][0].upper())),
        "Day 1, field entry 6: 'ARCHER 3' is already in the field (day 1, field"
        " entry 3).",
    ),
    (
        "the archer's name in the field",
        _day(0, lambda d: _set(d, "archer_name", d["field"][0][0])),
        "Day 1, archer_name: 'Archer 1' is already in the field (day 1, field"
        " entry 1).",
    ),
    (
        "the archer's score above the maximum",
        _day(0, lambda d: _set(d, "archer_score", 900)),
        "Day 1, archer_score: a score of 900 is above the round's maximum of 720.",
    ),
    (
        "the archer's score as text",
        _day(0, lambda d: _set(d, "archer_score", "600")),
        "Day 1: archer_score must be a number or null, not a text.",
    ),
    (
        "a negative seed",
        _day(0, lambda d: _set(d, "seed", -1)),
        "Day 1: seed must be a whole number from 0 to 9223372036854775807.",
    ),
    (
        "a seed of 64 bits",
        _day(0, lambda d: _set(d, "seed", 2**63)),
        "Day 1: seed must be a whole number from 0 to 9223372036854775807.",
    ),
    (
        "a seed as text",
        _day(0, lambda d: _set(d, "seed", "12")),
        "Day 1: seed must be a whole number from 0 to 9223372036854775807.",
    ),
    (
        "indoor as text",
        _day(0, lambda d: _set(d, "indoor", "no")),
        "Day 1: indoor must be true or false, not a text.",
    ),
    (
        "no creation time",
        _day(0, lambda d: d.pop("created_at")),
        "Day 1: created_at is missing.",
    ),
    (
        "an unknown stage",
        _link(0, 0, lambda m: _set(m, "stage", "1/3")),
        f"Day 1, match 1: stage '1/3' is not one of {ALL_STAGES}.",
    ),
    (
        "a stage the field's bracket does not have",
        _link(0, 0, lambda m: _set(m, "stage", "1/64")),
        "Day 1, match 1: its stage '1/64' is not one of a 16-archer day's"
        " (qualification, 1/8, quarter-final, semi-final, final, bronze).",
    ),
    (
        "a stage twice",
        _link(0, 1, lambda m: _set(m, "stage", "1/8")),
        "Day 1, match 2: its stage '1/8' is the day's match 1's too; a day has one"
        " match a stage.",
    ),
    (
        "a match not in the file",
        _link(0, 0, lambda m: _set(m, "match_id", "not-in-the-file")),
        "Day 1, match 1: its match_id 'not-in-the-file' is not a match in the export.",
    ),
    (
        "a match id that is no id",
        _link(0, 0, lambda m: _set(m, "match_id", "../../etc")),
        "Day 1, match 1: match_id must be the id of a match in this file (1 to 32"
        " letters, digits, '-' or '_').",
    ),
    (
        "a match twice on a day",
        _link_to(0, 1, 0, 0),
        "Day 1, match 2: match {0} is on the day twice; a match is one of a day's"
        " matches once.",
    ),
    (
        "a match on two days",
        _link_to(1, 0, 0, 0),
        "Day 2, match 1: match {0} is on Day 1 too; a match is on one day at most.",
    ),
    (
        "a match on a ladder and a day",
        _on_a_ladder,
        "Day 1, match 1: match {0} is on Ladder 1 too; a match is on a ladder or a"
        " day, not both.",
    ),
    (
        "an opponent outside the field",
        _link(0, 0, lambda m: _set(m, "opponent", 17)),
        "Day 1, match 1: its opponent 17 is not a seed of the day's 16 archers (1"
        " to 16).",
    ),
    (
        "no opponent in the bracket",
        _link(0, 0, lambda m: _set(m, "opponent", 0)),
        "Day 1, match 1: its opponent 0 is not a seed of the day's 16 archers (1"
        " to 16).",
    ),
    (
        "an opponent no field has",
        _link(0, 0, lambda m: _set(m, "opponent", 500)),
        "Day 1, match 1: opponent must be a whole number from 0 to 128.",
    ),
    (
        "an opponent in the qualification round",
        _link(1, 0, lambda m: _set(m, "opponent", 3)),
        "Day 2, match 1: its opponent is 3, but the qualification round is shot"
        " against no seed (0).",
    ),
    (
        "a bracket before the qualification",
        _day(0, lambda d: _set(d, "archer_score", None)),
        "Day 1, match 1: its stage is 1/8, but the day has no archer_score: until"
        " the archer has qualified, a day has its qualification match only.",
    ),
    (
        "a ranking round as a bracket match",
        _link_to(0, 0, 1, 0),
        "Day 1, match 1: match {1} is a ranking match on wa720_70, not an"
        " elimination match on match_recurve_outdoor.",
    ),
    (
        "a set match as the qualification round",
        _qualification_on_a_set_match,
        "is a set match on match_",
    ),
    (
        "days an object",
        lambda d: _set(d, "days", {}),
        "The export: days must be a list, not an object.",
    ),
    (
        "a day that is no object",
        lambda d: d["days"].append("a day"),
        "Day 3: must be an object, not a text.",
    ),
]


@pytest.mark.parametrize(
    ("spoil", "message"),
    [pytest.param(spoil, message, id=why) for why, spoil, message in SPOILED_DAYS],
)
def test_spoiled_days_are_refused(
    app: Flask,
    days_document: dict[str, Any],
    spoil: Edit,
    message: str,
) -> None:
    document = copy.deepcopy(days_document)
    first = document["days"][0]["matches"][0]["match_id"]
    qualification = document["days"][1]["matches"][0]["match_id"]
    spoil(document)
    with app.app_context():
        archer = make_archer("robin-again")
        before = snapshot()
        with pytest.raises(transfer.TransferError) as caught:
            transfer.import_archer(archer.id, document)
        assert snapshot() == before
    said = str(caught.value)
    assert message.format(first, qualification) in said
    assert "\n" not in said
    assert said.endswith(".")


def test_more_days_than_an_import_takes_are_refused(
    app: Flask,
    days_document: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transfer, "MAX_DAYS", 1)
    document = copy.deepcopy(days_document)
    with app.app_context():
        archer = make_archer("robin-again")
        before = snapshot()
        with pytest.raises(
            transfer.TransferError,
            match=r"^Day 2: the export has 2 competition days, and an import takes"
            r" at most 1\.$",
        ):
            transfer.import_archer(archer.id, document)
        assert snapshot() == before


def test_every_stage_a_day_can_have_is_declared() -> None:
    from ghost_simulator.engine.day import LARGEST_DAY, SMALLEST_DAY, stages

    for size in range(SMALLEST_DAY, LARGEST_DAY + 1):
        named = ["qualification", *stages(size), "bronze"]
        assert [s for s in export_file.DAY_STAGES if s in named] == named
    schema = export_file.json_schema()
    link = schema["$defs"]["DayLink"]["properties"]
    assert link["stage"]["enum"] == list(export_file.DAY_STAGES)
    day = schema["$defs"]["CompetitionDay"]["properties"]
    assert (day["field"]["minItems"], day["field"]["maxItems"]) == (7, 127)
    assert set(export_file.DAY_FIELDS) <= set(CompetitionDay.__table__.columns.keys())
