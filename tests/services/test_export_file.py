"""The export file's declaration (services/export_file.py): what the app
writes is what its model reads, and the model's rules are the forms' rules."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from flask import Flask
from pydantic import ValidationError

from ghost_simulator.services import export_file, transfer
from ghost_simulator.services.accounts import PROFILE_RULES
from ghost_simulator.store.models import ArrowEntry, ArrowSet, Bow, SightMark

from ..store.sample_matches import make_archer_with_matches


@pytest.fixture
def exported(app: Flask) -> dict[str, Any]:
    from ghost_simulator.store import training

    with app.app_context():
        archer_id, _ids = make_archer_with_matches()
        bow = training.add_bow(
            archer_id,
            {"name": "Club recurve", "bowstyle": "recurve", "draw_weight": 32.0},
        )
        training.add_sight_mark(
            archer_id,
            bow.id,
            {"distance": 18.0, "unit": "m", "mark": 4.5, "shot_on": date(2026, 3, 1)},
        )
        return transfer.export_archer(archer_id)


def validate(document: Any, app: Flask) -> export_file.ExportFile:
    languages = app.config["LANGUAGES"]
    return export_file.ExportFile.model_validate(
        document, context={"languages": languages}
    )


def test_every_export_is_a_valid_export_file(app: Flask, exported: Any) -> None:
    with app.app_context():
        file = validate(exported, app)
    assert len(file.matches) == len(exported["matches"])
    assert file.bows[0].sight_marks[0].unit == "m"
    assert [m.id for m in file.matches] == [m["id"] for m in exported["matches"]]


def test_the_training_fields_are_the_stores_columns() -> None:
    for fields, row in (
        (export_file.BOW_FIELDS, Bow),
        (export_file.MARK_FIELDS, SightMark),
        (export_file.ARROW_SET_FIELDS, ArrowSet),
        (export_file.ENTRY_FIELDS, ArrowEntry),
    ):
        assert set(fields) <= set(row.__table__.columns.keys()), row
    assert set(export_file.BOW_FIELDS) <= set(export_file.Bow.model_fields)
    assert set(export_file.ARROW_SET_FIELDS) <= set(export_file.ArrowSet.model_fields)


def test_the_profile_is_declared_by_the_forms_rules() -> None:
    declared = export_file.Archer.model_fields
    assert set(PROFILE_RULES) <= set(declared)
    schema = export_file.json_schema()
    archer = schema["$defs"]["Archer"]["properties"]
    bowstyle = PROFILE_RULES["bowstyle"].choices
    assert archer["bowstyle"]["enum"] == list(bowstyle or ())
    assert archer["name"]["anyOf"][0]["maxLength"] == PROFILE_RULES["name"].longest


def test_the_json_schema_describes_the_file() -> None:
    schema = export_file.json_schema()
    assert schema["required"] == ["format", "version", "archer", "matches"]
    assert schema["properties"]["format"]["const"] == export_file.FORMAT
    match = schema["$defs"]["Match"]
    assert match["properties"]["id"]["pattern"] == export_file.MATCH_ID_PATTERN
    assert match["properties"]["status"]["enum"] == list(export_file.STATUSES)
    seed = schema["$defs"]["State"]["properties"]["seed"]
    assert (seed["minimum"], seed["maximum"]) == (0, 2**63 - 1)


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda d: d["matches"][1]["state"].__setitem__("seed", "7"),
            "Match 2 (id {id}): state's seed must be a whole number from 0 to",
        ),
        (
            lambda d: d["bows"][0]["sight_marks"][0].__setitem__("distance", 0),
            "Bow 1, sight mark 1: distance must be a number from 1 to 150.",
        ),
        (
            lambda d: d["archer"].__setitem__("season", "summer"),
            "The archer profile: season 'summer' is not one of indoor, outdoor.",
        ),
        (
            lambda d: d["matches"].__setitem__(0, []),
            "Match 1: must be an object, not a list.",
        ),
    ],
)
def test_a_problem_is_one_sentence_naming_where_it_is(
    app: Flask, exported: Any, spoil: Any, message: str
) -> None:
    document = copy.deepcopy(exported)
    spoil(document)
    with app.app_context(), pytest.raises(ValidationError) as caught:
        validate(document, app)
    said = export_file.problem(caught.value, document)
    assert said.startswith(message.format(id=exported["matches"][1]["id"]))
    assert said.endswith(".")
    assert "\n" not in said
