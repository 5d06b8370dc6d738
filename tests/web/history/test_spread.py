"""An archer's own spread on the progress page, in a ghost like them, in the
odds of their new matches and in the API."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator.engine import Ghost, Match, get_round
from ghost_simulator.engine.spread import MIN_ROUNDS
from ghost_simulator.store import matches

from .test_history import assert_accessible_chart, sign_in, store, svgs


def shoot_rounds(
    app: Flask,
    archer_id: int,
    count: int,
    *,
    code: str = "wa18",
    form: float = 6.0,
    drift: float = 1.0,
    seed: int = 0,
) -> list[int]:
    """``count`` rounds shot by a simulated archer (a ghost of handicap 40
    with that form and drift) and kept as the archer's, a day apart."""
    rnd = get_round(code)
    archer = Ghost.from_handicap(40, form=form, drift=drift)
    totals = []
    for number in range(count):
        shot = archer.shoot(rnd, seed * 1000 + number)
        match = Match("ranking", rnd, Ghost.from_handicap(40), seed=number)
        for end in shot.ends:
            match.add_end(list(end.labels))
        totals.append(match.archer_tally().total)
        store(app, archer_id, match, number)
    return totals


def started(
    app: Flask, client: FlaskClient, archer_id: int, **form: str
) -> tuple[str, Match]:
    """The match the new-match form starts with these fields, as stored."""
    answer = client.post("/matches", data=form)
    assert answer.status_code in (302, 303), answer.text[:2000]
    match_id = answer.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        stored = matches.load_own(match_id, archer_id)
        assert stored is not None
        return match_id, Match.from_dict(stored.state)


def test_the_progress_page_says_how_much_the_archer_varies(
    app: Flask, client: FlaskClient
) -> None:
    me = sign_in(app, client)
    shoot_rounds(app, me, 14)
    page = client.get("/history/rounds/wa18").text
    assert "From one day to the next you vary by about ±" in page
    assert "archers of your level typically ±" in page
    assert "Measured from 14 of your rounds" in page
    # form 6 / drift 1 against the population's 4 / 3.25: a steady shooter
    # within the day.
    assert "your ends are steadier than most" in page
    chart = svgs(page)["variation-chart"]
    assert_accessible_chart(chart)
    assert len(list(chart.iter("circle"))) == 14
    assert "ghost=mine" in page
    assert "mine=like_me" in page


def test_too_few_rounds_give_the_levels_figures_and_say_so(
    app: Flask, client: FlaskClient
) -> None:
    me = sign_in(app, client)
    shoot_rounds(app, me, 3)
    page = client.get("/history/rounds/wa18").text
    assert "From one day to the next you vary" not in page
    assert f"needs {MIN_ROUNDS - 3} more comparable rounds" in page
    assert "Archers of your level vary by about ±" in page


def test_a_ghost_like_me_has_my_spread_and_new_matches_keep_it_for_the_odds(
    app: Flask, client: FlaskClient
) -> None:
    from ghost_simulator.services.spread import own_spread

    me = sign_in(app, client)
    shoot_rounds(app, me, 12)
    with app.app_context():
        spread = own_spread(me, "AGB")
    assert spread is not None
    assert spread.own
    match_id, match = started(
        app, client, me, kind="ranking", round="wa18", ghost="mine", mine="like_me"
    )
    assert match.ghost.source["method"] == "like_me"
    assert match.ghost.drift == spread.drift
    assert match.ghost.form == spread.form
    assert match.archer.form == spread.form
    assert match.archer.drift == spread.drift
    assert not match.archer.steady
    page = client.get(f"/matches/{match_id}").text
    assert "like you: your level and your own spread" in page


def test_i_am_steady_is_kept_for_the_odds(app: Flask, client: FlaskClient) -> None:
    me = sign_in(app, client)
    shoot_rounds(app, me, 12)
    _id, match = started(
        app, client, me, kind="set", ghost="handicap", handicap="40", archer_steady="1"
    )
    assert match.archer.steady
    assert match.archer.form is None


def test_the_api_gives_the_spread(app: Flask, client: FlaskClient) -> None:
    assert client.get("/api/v1/spread").status_code == 401
    me = sign_in(app, client)
    empty = client.get("/api/v1/spread")
    assert empty.status_code == 400
    assert "no finished ranking round" in empty.json["error"]["message"]
    shoot_rounds(app, me, 12)
    answer = client.get("/api/v1/spread?round=wa18")
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["own"] is True
    assert body["rounds"] == 12
    assert body["min_rounds"] == MIN_ROUNDS
    assert body["on_round"]["round"] == "wa18"
    assert body["on_round"]["own"] > 0
    assert body["population_form"] < body["form"] < body["raw_form"]
    assert client.get("/api/v1/spread?round=nowhere").status_code == 404
    assert client.get("/api/v1/spread?scheme=XYZ").status_code == 400
