"""Competition days' pages: start one from a level (a score given) or from a
file, shoot the archer's matches through the match pages' own end entry and
find the bracket filling in; shoot the ranking round first and be seeded by
it; the matches the archer can no longer reach go; another browser gets 404;
a form that cannot be used is a 400 that says why, and nothing is stored."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from ghost_simulator.store import get_session
from ghost_simulator.store.models import CompetitionDay, DayMatch

DAY = {
    "indoor": "0",
    "bow": "recurve",
    "field": "international",
    "size": "16",
    "qualify": "score",
    "score": "600",
}


def last_part(location: str) -> str:
    return urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1]


def start_day(client: FlaskClient, **changes: object) -> str:
    answer = client.post("/days", data={**DAY, **changes})
    assert answer.status_code == 303, answer.text
    assert urlsplit(answer.headers["Location"]).path.startswith("/days/")
    return last_part(answer.headers["Location"])


def next_match(page: str) -> str | None:
    found = re.search(r'href="/matches/([^"]+)" data-testid="shoot-next"', page)
    return found.group(1) if found else None


def finish_match(client: FlaskClient, match_id: str, arrow: str) -> str:
    """Ends of ``arrow`` (and a shoot-off arrow) until the match is over; its
    status."""
    for end in range(1, 40):
        state = client.get(f"/api/v1/matches/{match_id}").json
        assert state is not None
        if state["finished"]:
            return str(state["status"])
        if state["status"] == "shoot_off":
            answer = client.post(
                f"/matches/{match_id}/shoot-off",
                data={"arrow": arrow, "closer": "archer"},
            )
        else:
            arrows = state["round"].get("end_size", 3)
            answer = client.post(
                f"/matches/{match_id}/ends",
                data={"arrow": [arrow] * int(arrows), "end": str(end)},
            )
        assert answer.status_code in (303, 200), answer.text
    raise AssertionError("the match did not finish")


def day_rows() -> tuple[int, int]:
    session = get_session()
    return (
        session.query(CompetitionDay).count(),
        session.query(DayMatch).count(),
    )


def test_the_nav_and_the_form(client: FlaskClient) -> None:
    page = client.get("/days").text
    assert 'href="/days"' in page
    assert "Start a competition day" in page
    for level in ("Club", "Regional", "National", "International"):
        assert level in page


def test_a_day_from_a_level_won_through_to_the_end(client: FlaskClient) -> None:
    day_id = start_day(client)
    page = client.get(f"/days/{day_id}").text
    assert "seed" in page
    assert "of 16" in page
    stages = []
    for _round in range(6):
        match_id = next_match(page)
        if match_id is None:
            break
        sheet = client.get(f"/matches/{match_id}").text
        assert f'href="/days/{day_id}"' in sheet  # the match knows its day
        assert finish_match(client, match_id, "X") == "won"
        page = client.get(f"/days/{day_id}").text
        stages.append(match_id)
    assert len(stages) == 4  # 1/8, quarter-final, semi-final, final
    assert 'data-testid="placing">Gold' in page
    assert 'data-testid="medals"' in page
    # The bronze match the archer could not reach is gone; the 4 shot stay.
    with client.application.app_context():
        assert day_rows() == (1, 4)


def test_losing_ends_the_day_and_shows_the_rest(client: FlaskClient) -> None:
    day_id = start_day(client, size="8", score="500")
    page = client.get(f"/days/{day_id}").text
    match_id = next_match(page)
    assert match_id is not None
    assert finish_match(client, match_id, "M") == "lost"
    page = client.get(f"/days/{day_id}").text
    assert next_match(page) is None
    assert 'data-testid="placing">Place 5' in page
    assert 'data-testid="medals"' in page  # the rest shot out between ghosts
    with client.application.app_context():
        assert day_rows() == (1, 1)
    history = client.get("/days").text
    assert f"/days/{day_id}" in history


def test_the_qualification_round_shot_here_seeds_the_archer(
    client: FlaskClient,
) -> None:
    day_id = start_day(client, qualify="shoot", score="", size="8", indoor="1")
    page = client.get(f"/days/{day_id}").text
    assert "Shoot your qualification round" in page
    match_id = next_match(page)
    assert match_id is not None
    assert finish_match(client, match_id, "10") == "won"
    page = client.get(f"/days/{day_id}").text
    assert "600 points: seed" in page
    assert next_match(page) not in (None, match_id)


def test_a_field_file(client: FlaskClient) -> None:
    rows = "\n".join(f"Archer {n},{700 - n * 5}" for n in range(1, 12))
    data = {
        **DAY,
        "field": "upload",
        "file": (rows_file(f"name,score\n{rows}\n"), "f.csv"),
    }
    answer = client.post("/days", data=data, content_type="multipart/form-data")
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["Location"]).text
    assert "of 12" in page
    assert "Archer 11" in page


def rows_file(text: str):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(text.encode())


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"size": "7"}, "A field has 8 to 128 archers"),
        ({"size": "10000"}, "A field has 8 to 128 archers"),
        ({"size": "lots"}, "A field has 8 to 128 archers"),
        ({"score": "800"}, "from 0 to 720"),
        ({"score": ""}, "Give the score you shot"),
        ({"bow": "sling"}, "Choose a bow"),
        ({"field": "galactic"}, "Choose a field from the list"),
        ({"field": "upload"}, "Choose a field file"),
        ({"qualify": "guess"}, "shoot the round here"),
    ],
)
def test_bad_forms_are_400_and_store_nothing(
    client: FlaskClient, changes: dict[str, str], says: str
) -> None:
    answer = client.post("/days", data={**DAY, **changes})
    assert answer.status_code == 400
    assert says in answer.text
    with client.application.app_context():
        assert day_rows() == (0, 0)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Archer 1,600\nArcher 2,590\n", "header naming the columns"),
        ("name,score\nA,600\nB,lots\n", "is not a number"),
        ("name,score\nA,600\nB,900\n", "above the round"),
        ("name,score\nA,600\n", "The field has 1 archer"),
        ("name,score\nA,600\nB,500\n", "The file has 2 archers"),
        ("name,score\nA,600\nA,590\n", "is already in the field"),
        (
            "name,score\n" + "".join(f"A{n},500\n" for n in range(10_000)),
            "at most 64 kB",
        ),
    ],
)
def test_bad_field_files_are_400_and_store_nothing(
    client: FlaskClient, text: str, says: str
) -> None:
    data = {**DAY, "field": "upload", "file": (rows_file(text), "f.csv")}
    answer = client.post("/days", data=data, content_type="multipart/form-data")
    assert answer.status_code == 400
    assert says in answer.text
    with client.application.app_context():
        assert day_rows() == (0, 0)


def test_someone_elses_day_is_not_found(client: FlaskClient, app) -> None:  # type: ignore[no-untyped-def]
    day_id = start_day(client, size="8")
    other = app.test_client()
    assert other.get(f"/days/{day_id}").status_code == 404
    assert other.post(f"/days/{day_id}/delete").status_code == 404
    assert other.get("/days/nope").status_code == 404
    assert other.get("/days/" + "x" * 500).status_code == 404
    assert client.get(f"/days/{day_id}").status_code == 200


def test_deleting_a_day_keeps_the_matches_shot(client: FlaskClient) -> None:
    day_id = start_day(client, size="8")
    match_id = next_match(client.get(f"/days/{day_id}").text)
    assert match_id is not None
    finish_match(client, match_id, "X")
    answer = client.post(f"/days/{day_id}/delete")
    assert answer.status_code == 303
    assert client.get(f"/days/{day_id}").status_code == 404
    assert client.get(f"/matches/{match_id}").status_code == 200
    with client.application.app_context():
        assert day_rows() == (0, 0)


@pytest.mark.parametrize(
    ("score", "ghost_chooses", "says"),
    [
        ("100", True, "The ghost is the higher seed (1 against your 16)"),
        ("720", False, "You are the higher seed"),
    ],
)
def test_the_higher_seed_chooses_the_order_of_shooting(
    client: FlaskClient, score: str, ghost_chooses: bool, says: str
) -> None:
    day_id = start_day(client, score=score)
    match_id = next_match(client.get(f"/days/{day_id}").text)
    sheet = client.get(f"/matches/{match_id}").text
    assert says in sheet
    assert ('data-began="ghost"' in sheet) is ghost_chooses
