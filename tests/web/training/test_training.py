"""The training log's pages: the arrow counter's totals against sums worked
out by hand, every form's errors and limits, equipment on a new match (and
its diameter in the handicap), sight marks and the bow card, CSRF, and that
nobody opens another archer's rows."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator import create_app
from ghost_simulator.engine import Match
from ghost_simulator.engine.handicaps import handicap_earned
from ghost_simulator.store import get_session, training
from ghost_simulator.store.models import Match as Row
from ghost_simulator.web.training import views as web_training

from ..history.test_history import keep, sign_in


def add_bow(client: FlaskClient, name: str = "Club recurve") -> int:
    answer = client.post(
        "/equipment/bows",
        data={"name": name, "bowstyle": "recurve", "draw_weight": "32", "notes": ""},
    )
    assert answer.status_code == 303
    found = re.findall(r'/equipment/bows/(\d+)"', client.get("/equipment").text)
    return int(found[-1])


def add_arrows(client: FlaskClient, model: str = "X10", diameter: str = "5.5") -> int:
    answer = client.post(
        "/equipment/arrows", data={"model": model, "diameter": diameter, "count": "12"}
    )
    assert answer.status_code == 303
    return int(
        re.findall(r'/equipment/arrows/(\d+)"', client.get("/equipment").text)[-1]
    )


@pytest.mark.parametrize(
    "path",
    ["/log", "/equipment", "/equipment/bows/1/sight-marks", "/equipment/bows/1/card"],
)
def test_anonymous_visitors_are_asked_to_sign_in(
    client: FlaskClient, path: str
) -> None:
    answer = client.get(path)
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_the_nav_links_to_the_log(app: Flask, client: FlaskClient) -> None:
    assert 'href="/log"' not in client.get("/about").text
    sign_in(app, client)
    assert 'href="/log"' in client.get("/about").text


def test_arrow_counter_totals_by_week_and_month(
    app: Flask, client: FlaskClient
) -> None:
    archer_id = sign_in(app, client)
    # Matches: 60 arrows (WA 18 m) on 1 and 3 March 2026 (noon UTC); by hand,
    # 30 sighters on 2 March, 12 blank bale on 9 March, 100 on 28 February.
    keep(app, archer_id, day=0)
    keep(app, archer_id, day=2)
    for arrows, kind, day in (
        ("30", "sighters", "2026-03-02"),
        ("12", "blank_bale", "2026-03-09"),
        ("100", "practice", "2026-02-28"),
    ):
        answer = client.post(
            "/log/entries", data={"arrows": arrows, "kind": kind, "shot_on": day}
        )
        assert answer.status_code == 303
    page = client.get("/log?month=2026-03").text
    assert re.search(
        r'data-testid="month-total">60 \+|data-testid="month-total">162<', page
    )
    # ISO weeks: 23 Feb - 1 Mar holds 28 Feb (100) and 1 Mar (60) = 160;
    # 2-8 Mar: 30 + 60 = 90; 9-15 Mar: 12.
    assert re.search(r'data-testid="week-2026-02-23">160<', page)
    assert re.search(r'data-testid="week-2026-03-02">90<', page)
    assert re.search(r'data-testid="week-2026-03-09">12<', page)
    assert re.search(r'data-testid="week-2026-03-16">0<', page)
    months = client.get("/log?month=2026-03").text
    assert re.search(r"March 2026</th><td class=\"num\">162<", months)
    assert re.search(r"February 2026</th><td class=\"num\">100<", months)
    with app.test_request_context():
        counter = web_training.counter(archer_id, date(2026, 3, 1))
    assert counter.month_total == 162
    assert counter.days[date(2026, 3, 2)].by_hand == {"sighters": 30}
    assert counter.days[date(2026, 3, 1)].matches == 60
    assert sum(total for _, _, total in counter.weeks) == 160 + 90 + 12 + 0 + 0


def test_the_calendar_shades_and_titles_each_day(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(app, client)
    client.post(
        "/log/entries",
        data={"arrows": "40", "kind": "practice", "shot_on": "2026-03-04"},
    )
    client.post(
        "/log/entries",
        data={"arrows": "10", "kind": "practice", "shot_on": "2026-03-05"},
    )
    page = client.get("/log?month=2026-03").text
    assert 'class="shade-4" title="Wednesday, March 4, 2026: 40 arrows"' in page
    assert 'class="shade-1" title="Thursday, March 5, 2026: 10 arrows"' in page
    assert "<caption>" in page
    assert 'role="img"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"arrows": "", "kind": "practice"}, "Enter a number."),
        ({"arrows": "ten", "kind": "practice"}, "Enter a whole number."),
        ({"arrows": "0", "kind": "practice"}, "Enter a number from 1 to 2000."),
        ({"arrows": "2001", "kind": "practice"}, "Enter a number from 1 to 2000."),
        ({"arrows": "5", "kind": "juggling"}, "Choose what the arrows were."),
        (
            {"arrows": "5", "kind": "practice", "shot_on": "yesterday"},
            "Enter a date as year-month-day",
        ),
        (
            {"arrows": "5", "kind": "practice", "shot_on": "1999-12-31"},
            "Enter a date from 2000-01-01 to today.",
        ),
        (
            {"arrows": "5", "kind": "practice", "shot_on": "2999-01-01"},
            "Enter a date from 2000-01-01 to today.",
        ),
        (
            {"arrows": "5", "kind": "practice", "notes": "x" * 201},
            "At most 200 characters",
        ),
    ],
)
def test_arrow_entry_errors(
    app: Flask, client: FlaskClient, data: dict[str, str], message: str
) -> None:
    sign_in(app, client)
    answer = client.post("/log/entries", data=data)
    assert answer.status_code == 400
    assert message in answer.text
    assert 'aria-invalid="true"' in answer.text


def test_entries_are_edited_and_deleted(app: Flask, client: FlaskClient) -> None:
    archer_id = sign_in(app, client)
    client.post(
        "/log/entries",
        data={"arrows": "36", "kind": "sighters", "shot_on": "2026-03-04"},
    )
    with app.app_context():
        (entry,) = training.arrow_entries(archer_id)
    assert client.get(f"/log/entries/{entry.id}").status_code == 200
    assert (
        client.post(
            f"/log/entries/{entry.id}", data={"arrows": "-1", "kind": "other"}
        ).status_code
        == 400
    )
    answer = client.post(
        f"/log/entries/{entry.id}",
        data={"arrows": "48", "kind": "other", "shot_on": "2026-03-05"},
    )
    assert answer.status_code == 303
    with app.app_context():
        (changed,) = training.arrow_entries(archer_id)
        assert (changed.arrows, changed.kind, changed.shot_on) == (
            48,
            "other",
            date(2026, 3, 5),
        )
    assert client.post(f"/log/entries/{entry.id}/delete").status_code == 303
    with app.app_context():
        assert training.arrow_entries(archer_id) == []


def test_bad_months_are_400(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client)
    # December of next year: in the future however long the run takes (even
    # across New Year's midnight), as no month after today is allowed.
    next_year = datetime.now(UTC).year + 1
    for month in ("2026-13", "march", "1999-01", f"{next_year}-12"):
        assert client.get(f"/log?month={month}").status_code == 400


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "/equipment/bows",
            {"name": "", "bowstyle": "recurve"},
            "Give the bow a name.",
        ),
        (
            "/equipment/bows",
            {"name": "x" * 65, "bowstyle": "recurve"},
            "At most 64 characters",
        ),
        (
            "/equipment/bows",
            {"name": "A", "bowstyle": "crossbow"},
            "Choose a bow from the list.",
        ),
        (
            "/equipment/bows",
            {"name": "A", "bowstyle": "recurve", "draw_weight": "300"},
            "from 5 to 100 lb",
        ),
        (
            "/equipment/bows",
            {"name": "A", "bowstyle": "recurve", "draw_weight": "nan"},
            "from 5 to 100 lb",
        ),
        (
            "/equipment/bows",
            {"name": "A", "bowstyle": "recurve", "notes": "n" * 1001},
            "At most 1000 characters",
        ),
        (
            "/equipment/arrows",
            {"model": "", "diameter": "5"},
            "Say which arrows they are.",
        ),
        ("/equipment/arrows", {"model": "X10"}, "Enter a number."),
        ("/equipment/arrows", {"model": "X10", "diameter": "25"}, "from 2 to 12 mm"),
        (
            "/equipment/arrows",
            {"model": "X10", "diameter": "5", "count": "1.5"},
            "Enter a whole number.",
        ),
        (
            "/equipment/arrows",
            {"model": "X10", "diameter": "5", "count": "101"},
            "from 1 to 100",
        ),
    ],
)
def test_equipment_form_errors(
    app: Flask, client: FlaskClient, path: str, data: dict[str, str], message: str
) -> None:
    sign_in(app, client)
    answer = client.post(path, data=data)
    assert answer.status_code == 400
    assert message in answer.text


def test_equipment_is_added_changed_and_deleted(
    app: Flask, client: FlaskClient
) -> None:
    archer_id = sign_in(app, client)
    bow_id = add_bow(client)
    set_id = add_arrows(client)
    page = client.get("/equipment").text
    assert "Club recurve" in page
    assert "32 lb" in page
    assert "5.5 mm" in page
    assert (
        client.post(
            f"/equipment/bows/{bow_id}", data={"name": "", "bowstyle": "recurve"}
        ).status_code
        == 400
    )
    answer = client.post(
        f"/equipment/bows/{bow_id}",
        data={"name": "Hoyt", "bowstyle": "barebow", "draw_weight": ""},
    )
    assert answer.status_code == 303
    answer = client.post(
        f"/equipment/arrows/{set_id}", data={"model": "ACE", "diameter": "4.9"}
    )
    assert answer.status_code == 303
    with app.app_context():
        (bow,) = training.bows(archer_id)
        (arrows,) = training.arrow_sets(archer_id)
        assert (bow.name, bow.bowstyle, bow.draw_weight) == ("Hoyt", "barebow", None)
        assert (arrows.model, arrows.diameter, arrows.count) == ("ACE", 4.9, None)
    assert client.post(f"/equipment/bows/{bow_id}/delete").status_code == 303
    assert client.post(f"/equipment/arrows/{set_id}/delete").status_code == 303
    with app.app_context():
        assert training.bows(archer_id) == []
        assert training.arrow_sets(archer_id) == []


def test_the_most_bows(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(app, client)
    monkeypatch.setattr(training, "MOST_BOWS", 2)
    add_bow(client, "One")
    add_bow(client, "Two")
    answer = client.post(
        "/equipment/bows", data={"name": "Three", "bowstyle": "recurve"}
    )
    assert answer.status_code == 400
    assert "the most there can be" in answer.text


def test_other_archers_rows_are_404(app: Flask, client: FlaskClient) -> None:
    sign_in(app, client, "robin")
    bow_id = add_bow(client)
    set_id = add_arrows(client)
    client.post(
        f"/equipment/bows/{bow_id}/sight-marks",
        data={"distance": "30", "unit": "m", "mark": "4.5"},
    )
    client.post("/log/entries", data={"arrows": "5", "kind": "other"})
    with app.app_context():
        mark_id = (
            get_session()
            .execute(__import__("sqlalchemy").text("SELECT id FROM sight_marks"))
            .scalar_one()
        )
        entry_id = (
            get_session()
            .execute(__import__("sqlalchemy").text("SELECT id FROM arrow_entries"))
            .scalar_one()
        )
    other = app.test_client()
    sign_in(app, other, "marian")
    for path in (
        f"/equipment/bows/{bow_id}",
        f"/equipment/arrows/{set_id}",
        f"/equipment/bows/{bow_id}/sight-marks",
        f"/equipment/bows/{bow_id}/card",
        f"/sight-marks/{mark_id}",
        f"/log/entries/{entry_id}",
    ):
        assert other.get(path).status_code == 404, path
        assert other.post(path, data={"name": "mine", "model": "m"}).status_code in (
            404,
            405,
        ), path
    for path in (
        f"/equipment/bows/{bow_id}/delete",
        f"/equipment/arrows/{set_id}/delete",
        f"/sight-marks/{mark_id}/delete",
        f"/log/entries/{entry_id}/delete",
        f"/equipment/bows/{bow_id}/sight-marks",
    ):
        assert (
            other.post(
                path, data={"distance": "20", "unit": "m", "mark": "1"}
            ).status_code
            == 404
        ), path
    assert "Club recurve" in client.get("/equipment").text  # still there


def test_sight_marks_estimates_and_the_bow_card(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(app, client)
    bow_id = add_bow(client)
    page = client.get(f"/equipment/bows/{bow_id}/sight-marks").text
    assert "Not enough marks" in page
    for distance, mark in (("30", "3.0"), ("50", "5.0"), ("70", "7.2")):
        answer = client.post(
            f"/equipment/bows/{bow_id}/sight-marks",
            data={
                "distance": distance,
                "unit": "m",
                "mark": mark,
                "shot_on": "2026-03-01",
            },
        )
        assert answer.status_code == 303
    page = client.get(f"/equipment/bows/{bow_id}/sight-marks").text
    assert "straight line" in page
    # 60 m, between the marks: the line through them (fit 3.0, 5.0, 7.2:
    # slope 0.105, at 60 m 6.1, with a 95 % range from one degree of freedom).
    row = re.search(
        r"<th scope=\"row\">60 m</th>\s*<td class=\"num\">([\d.]+) ± ([\d.]+)</td>",
        page,
    )
    assert row is not None
    assert float(row[1]) == pytest.approx(6.1, abs=0.05)
    assert "estimated (95% range)" in page
    assert "no estimate: too far from your marks" in page  # 18 m is too far down
    card = client.get(f"/equipment/bows/{bow_id}/card")
    assert card.status_code == 200
    assert "print-card.css" in card.text
    assert 'data-testid="bow-card"' in card.text
    assert "measured on" in card.text
    assert "estimated" in card.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"distance": "", "unit": "m", "mark": "3"}, "Enter a number."),
        ({"distance": "0", "unit": "m", "mark": "3"}, "from 1 to 150"),
        ({"distance": "30", "unit": "ft", "mark": "3"}, "Choose metres or yards."),
        ({"distance": "30", "unit": "m", "mark": ""}, "Enter a number."),
        ({"distance": "30", "unit": "m", "mark": "1e6"}, "from -1000 to 1000"),
        (
            {"distance": "30", "unit": "m", "mark": "3", "notes": "n" * 501},
            "At most 500",
        ),
    ],
)
def test_sight_mark_errors(
    app: Flask, client: FlaskClient, data: dict[str, str], message: str
) -> None:
    sign_in(app, client)
    bow_id = add_bow(client)
    answer = client.post(f"/equipment/bows/{bow_id}/sight-marks", data=data)
    assert answer.status_code == 400
    assert message in answer.text


def test_a_sight_mark_is_changed_and_deleted(app: Flask, client: FlaskClient) -> None:
    archer_id = sign_in(app, client)
    bow_id = add_bow(client)
    client.post(
        f"/equipment/bows/{bow_id}/sight-marks",
        data={"distance": "30", "unit": "m", "mark": "4"},
    )
    with app.app_context():
        (mark,) = training.sight_marks(archer_id, bow_id)
    assert (
        client.post(
            f"/sight-marks/{mark.id}", data={"distance": "x", "unit": "m", "mark": "4"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/sight-marks/{mark.id}",
            data={"distance": "40", "unit": "yd", "mark": "5"},
        ).status_code
        == 303
    )
    with app.app_context():
        (changed,) = training.sight_marks(archer_id, bow_id)
        assert (changed.distance, changed.unit, changed.mark) == (40, "yd", 5)
    assert client.post(f"/sight-marks/{mark.id}/delete").status_code == 303
    with app.app_context():
        assert training.sight_marks(archer_id, bow_id) == []


def test_a_match_records_its_equipment_and_uses_the_arrow_diameter(
    app: Flask, client: FlaskClient
) -> None:
    archer_id = sign_in(app, client)
    bow_id = add_bow(client)
    set_id = add_arrows(client, "Fat indoor", "9.3")
    form = client.get("/new").text
    assert 'name="bow_id"' in form
    assert 'name="arrow_set_id"' in form
    base = {
        "kind": "ranking",
        "indoor": "1",
        "round": "wa18",
        "bow": "recurve",
        "ghost": "handicap",
        "handicap": "40",
    }
    answer = client.post(
        "/matches", data={**base, "bow_id": str(bow_id), "arrow_set_id": "99999"}
    )
    assert answer.status_code == 400
    assert "Choose one of your arrow sets, or none." in answer.text
    answer = client.post(
        "/matches", data={**base, "bow_id": str(bow_id), "arrow_set_id": str(set_id)}
    )
    assert answer.status_code == 303
    match_id = answer.headers["Location"].rsplit("/", 1)[-1]
    answer = client.post(
        f"/matches/{match_id}/ends",
        data={"arrow": ["9", "9", "8"], "version": "1", "end": "1"},
    )
    assert answer.status_code in (200, 303)
    with app.app_context():
        row = get_session().get(Row, match_id)
        assert row is not None
        assert (row.bow_id, row.arrow_set_id) == (bow_id, set_id)
        match = Match.from_dict(row.state)
        assert match.arrow_diameter == pytest.approx(0.0093)
        shot = match.round.ends_between(0, 1)
        assert row.archer_handicap == pytest.approx(
            handicap_earned(shot, 26, "AGB", 0.0093)
        )
        assert row.archer_handicap != pytest.approx(
            handicap_earned(shot, 26, "AGB", 0.0045)
        )
        assert training.last_used(archer_id) == (bow_id, set_id)
    # The form chooses the last used next time.
    form = client.get("/new").text
    assert f'<option value="{bow_id}" selected>' in form
    assert f'<option value="{set_id}" selected>' in form


def test_every_form_needs_its_csrf_token(data_dir) -> None:  # type: ignore[no-untyped-def]
    """Every form of the log refused without its token, nothing changed; and
    every page's forms carry one."""
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    client = app.test_client()
    archer_id = sign_in(app, client)
    with app.app_context():
        bow = training.add_bow(archer_id, {"name": "A", "bowstyle": "recurve"})
        arrows = training.add_arrow_set(archer_id, {"model": "m", "diameter": 5.0})
        day = {"shot_on": date(2026, 3, 1)}
        mark = training.add_sight_mark(
            archer_id, bow.id, {"distance": 30.0, "unit": "m", "mark": 3.0, **day}
        )
        entry = training.add_arrow_entry(
            archer_id, {"arrows": 5, "kind": "other", **day}
        )
        assert mark is not None
    data = {
        "arrows": "5", "kind": "other", "name": "B", "bowstyle": "recurve",
        "model": "m", "diameter": "5", "distance": "40", "unit": "m", "mark": "4",
    }  # fmt: skip
    paths = [
        "/log/entries",
        f"/log/entries/{entry.id}",
        f"/log/entries/{entry.id}/delete",
        "/equipment/bows",
        f"/equipment/bows/{bow.id}",
        f"/equipment/bows/{bow.id}/delete",
        "/equipment/arrows",
        f"/equipment/arrows/{arrows.id}",
        f"/equipment/arrows/{arrows.id}/delete",
        f"/equipment/bows/{bow.id}/sight-marks",
        f"/sight-marks/{mark.id}",
        f"/sight-marks/{mark.id}/delete",
    ]
    for path in paths:
        assert client.post(path, data=data).status_code == 400, path
    with app.app_context():
        assert [b.name for b in training.bows(archer_id)] == ["A"]
        assert len(training.arrow_sets(archer_id)) == 1
        assert len(training.sight_marks(archer_id, bow.id)) == 1
        assert len(training.arrow_entries(archer_id)) == 1
    for path in (
        f"/log/entries/{entry.id}",
        f"/equipment/bows/{bow.id}",
        f"/equipment/arrows/{arrows.id}",
        f"/equipment/bows/{bow.id}/sight-marks",
        f"/sight-marks/{mark.id}",
        "/log",
        "/equipment",
    ):
        page = client.get(path).text
        assert page.count("<form") == page.count('name="csrf_token"'), path
