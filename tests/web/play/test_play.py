"""Playing in the browser, server side: every route and every bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator import create_app
from ghost_simulator.engine import Ghost, Match, match_round

FETCH = {"X-Requested-With": "fetch"}
SETUP = {
    "kind": "set",
    "bow": "recurve",
    "indoor": "0",
    "ghost": "handicap",
    "handicap": "30",
}


def start(client: FlaskClient, **fields: str) -> str:
    data = {**SETUP, **fields}
    response = client.post("/matches", data=data)
    assert response.status_code == 303, response.text
    location = response.headers["Location"]
    assert re.fullmatch(r"/matches/[A-Za-z0-9_-]{22}", location)
    return location


def test_new_match_page_has_sensible_defaults(client: FlaskClient) -> None:
    response = client.get("/new")
    assert response.status_code == 200
    text = response.text
    assert 'value="set" checked' in text
    assert 'name="handicap" type="number"' in text
    assert "About " in text  # the handicap's hint
    assert 'name="csrf_token"' in text


def test_two_taps_start_a_match(client: FlaskClient) -> None:
    page = client.get("/new").text
    fields = dict(
        re.findall(r'name="(kind|indoor|ghost)" value="([^"]+)" checked', page)
    )
    fields["bow"] = "recurve"
    fields["handicap"] = re.search(r'name="handicap"[^>]*value="([^"]*)"', page).group(
        1
    )  # type: ignore[union-attr]
    response = client.post("/matches", data=fields)
    assert response.status_code == 303


def test_match_page(client: FlaskClient) -> None:
    url = start(client)
    page = client.get(url)
    assert page.status_code == 200
    assert "Set match, 70 m" in page.text
    assert page.text.count('name="arrow"') == 3
    assert "Your chance of winning" in page.text
    assert 'data-testid="archer-score">0<' in page.text


def test_enter_an_end_reveals_the_ghosts(client: FlaskClient) -> None:
    url = start(client)
    assert "Score sheet" not in client.get(url).text  # nothing revealed yet
    response = client.post(url + "/ends", data={"arrow": ["X", "10", "9"]})
    assert response.status_code == 303
    page = client.get(url).text
    assert "Score sheet" in page
    assert page.count("<tr>") >= 2


def test_fetch_gets_the_sheet_fragment(client: FlaskClient) -> None:
    url = start(client)
    response = client.post(
        url + "/ends", data={"arrow": ["9", "9", "9"]}, headers=FETCH
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Score sheet" in response.text


def test_end_as_a_total(client: FlaskClient) -> None:
    url = start(client)
    client.post(url + "/ends", data={"total": "27"})
    assert ">total<" in client.get(url).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"arrow": ["X", "10"]}, "Enter all 3 arrows of the end, or its total."),
        (
            {"arrow": ["X", "10", "9", "9"]},
            "Enter all 3 arrows of the end, or its total.",
        ),
        ({"arrow": ["11", "10", "9"]}, "Use only the values on this face: X, 10, 9"),
        ({"arrow": ["<script>", "10", "9"]}, "Use only the values on this face"),
        ({"total": "31"}, "An end total on this face is between 0 and 30."),
        ({"total": "-2"}, "between 0 and 30"),
        ({"total": "lots"}, "The end total must be a whole number."),
        ({}, "Enter all 3 arrows of the end, or its total."),
    ],
)
def test_bad_ends_are_400_with_a_reason(
    client: FlaskClient, data: dict, message: str
) -> None:  # type: ignore[type-arg]
    url = start(client)
    response = client.post(url + "/ends", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert "<script>" not in response.text
    fragment = client.post(url + "/ends", data=data, headers=FETCH)
    assert fragment.status_code == 400
    assert message in fragment.text


def test_values_the_indoor_triple_face_lacks(client: FlaskClient) -> None:
    url = start(client, indoor="1")
    response = client.post(url + "/ends", data={"arrow": ["10", "9", "4"]})
    assert response.status_code == 400
    assert "X, 10, 9, 8, 7, 6, M" in response.text


def perfect(client: FlaskClient) -> str:
    return start(client, ghost="preset", preset="perfect")


def test_ends_after_the_match_is_decided(client: FlaskClient) -> None:
    url = perfect(client)
    for _ in range(3):
        client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})
    page = client.get(url).text
    assert "The ghost wins." in page
    assert "Rematch the same ghost" in page
    response = client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})
    assert response.status_code == 400
    assert "No end is due" in response.text


def test_shoot_off_flow(client: FlaskClient) -> None:
    url = perfect(client)
    for _ in range(5):
        client.post(url + "/ends", data={"arrow": ["X", "X", "X"]})
    page = client.get(url).text
    assert "Level: one arrow each decides it." in page
    assert "Your shoot-off arrow" in page
    client.post(url + "/shoot-off", data={"arrow": "X"})
    page = client.get(url).text
    assert "Whose arrow is closer?" in page
    client.post(url + "/shoot-off", data={"closer": "equal"})
    client.post(url + "/shoot-off", data={"arrow": "X"})
    client.post(url + "/shoot-off", data={"closer": "archer"})
    assert "You win!" in client.get(url).text


def test_bad_shoot_offs(client: FlaskClient) -> None:
    url = start(client)
    response = client.post(url + "/shoot-off", data={"arrow": "X"})
    assert response.status_code == 400
    assert "No shoot-off arrow is due." in response.text


def test_correct_the_last_end(client: FlaskClient) -> None:
    url = perfect(client)
    client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})
    client.post(url + "/correction", data={"arrow": ["X", "X", "X"]})
    page = client.get(url).text
    assert 'data-testid="archer-score">1<' in page  # 30 against 30: a point each
    bad = client.post(url + "/correction", data={"arrow": ["X"]})
    assert bad.status_code == 400


def test_correction_before_any_end(client: FlaskClient) -> None:
    url = start(client)
    response = client.post(url + "/correction", data={"arrow": ["X", "X", "X"]})
    assert response.status_code == 400
    assert "There is no end to correct yet." in response.text


def test_rematch_the_same_ghost(client: FlaskClient) -> None:
    url = start(client, ghost="score", score="140")
    response = client.post(url + "/rematch")
    assert response.status_code == 303
    other = response.headers["Location"]
    assert other != url
    assert "expected 140" in client.get(other).text


SHARE = re.compile(r'href="([^"]+)" data-testid="share"')


def finish(client: FlaskClient, url: str) -> str:
    """Lose every set left (an end of 0 each) until the match is over; its page."""
    for _ in range(10):
        page = client.get(url).text
        if SHARE.search(page):
            return page
        if client.post(url + "/ends", data={"total": "0"}).status_code != 303:
            client.post(url + "/shoot-off", data={"arrow": "M", "closer": "ghost"})
    raise AssertionError("the match did not end")


def test_share_link_replays_the_same_ghost(client: FlaskClient, app: Flask) -> None:
    url = start(client, ghost="handicap", handicap="33.5", seed="4242")
    client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})
    page = client.get(url).text
    # Nothing that fixes the ghost's arrows to come is shown before the end.
    assert SHARE.search(page) is None
    assert "4242" not in page.replace('id="ghost-plan"', "")
    page = finish(client, url)
    share = re.search(r'href="([^"]+)" data-testid="share"', page).group(1)  # type: ignore[union-attr]
    share = share.replace("&amp;", "&")
    assert "seed=4242" in share
    form = client.get(share.removeprefix("http://localhost"))
    assert form.status_code == 200
    assert 'name="seed" value="4242"' in form.text
    replay = start(client, ghost="handicap", handicap="33.5", seed="4242")
    client.post(replay + "/ends", data={"arrow": ["9", "9", "9"]})
    ghost_row = re.compile(
        r'<td class="arrows">((?:<span class="arrow[^"]*">[^<]+</span>)+)'
        r'<span class="end-total">'
    )
    first = ghost_row.findall(client.get(url).text)
    second = ghost_row.findall(client.get(replay).text)
    assert first[1] == second[1]  # the ghost's arrows


def ghost_ends(client: FlaskClient, url: str) -> list[str]:
    """The ghost's arrows, end by end, as the score sheet shows them."""
    ghost_row = re.compile(
        r'<td class="arrows">((?:<span class="arrow[^"]*">[^<]+</span>)+)'
        r'<span class="end-total">'
    )
    return ghost_row.findall(client.get(url).text)[1::2]


def play_three_ends(client: FlaskClient, url: str) -> list[str]:
    for _ in range(3):
        client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})
    return ghost_ends(client, url)


def test_share_links_keep_the_model_and_the_steady_choice(client: FlaskClient) -> None:
    url = start(client, seed="77", model="2", steady="1")
    page = finish(client, url)
    assert "steady" in page
    share = re.search(r'href="([^"]+)" data-testid="share"', page).group(1)  # type: ignore[union-attr]
    share = share.replace("&amp;", "&")
    assert "model=2" in share
    assert "steady=1" in share
    form = client.get(share.removeprefix("http://localhost")).text
    assert 'name="model" value="2"' in form
    assert 'name="steady" value="1" checked' in form


def test_links_shared_before_model_versions_replay_the_same_arrows(
    client: FlaskClient, app: Flask
) -> None:
    """A share link of the first release (a seed, form 2.0, no model) keeps
    replaying version 1's arrows; the same link with model=2 shoots anew."""
    from ghost_simulator.engine import Match, match_round

    old_link = "/new?seed=4242&form=2.0&scheme=AGB&kind=set&bow=recurve&indoor=0"
    old_link += "&ghost=handicap&handicap=33.5"
    form = client.get(old_link).text
    assert 'name="model" value="1"' in form
    hidden = r'<input type="hidden" name="(seed|form|model)" value="([^"]+)"'
    fields = dict(re.findall(hidden, form))
    assert fields == {"seed": "4242", "form": "2.0", "model": "1"}
    old = start(client, handicap="33.5", **fields)
    expected = Match(
        "set",
        match_round("recurve", False),
        Ghost.from_handicap(33.5, form=2.0, model=1),
        4242,
    )
    shown = [
        "".join(f'<span class="arrow[^"]*">{label}</span>' for label in end.labels)
        for end in expected.ghost_round.ends[:3]
    ]
    replayed = play_three_ends(client, old)
    assert all(re.fullmatch(p, r) for p, r in zip(shown, replayed, strict=True))
    new = start(client, handicap="33.5", seed="4242", form="2.0", model="2")
    assert play_three_ends(client, new) != replayed


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"kind": "ranking", "round": "wa18_triple", "min_end": "1", "max_end": "5"},
            "No 3 arrows on this target face score between 1 and 5 points",
        ),
        (
            {"kind": "ranking", "round": "wa720_50_c", "min_end": "1", "max_end": "4"},
            "No 6 arrows on this target face score between 1 and 4 points",
        ),
    ],
)
def test_min_max_ranges_the_face_cannot_score_are_refused(
    client: FlaskClient, fields: dict[str, str], message: str
) -> None:
    data = {**SETUP, "ghost": "minmax", "handicap": "", **fields}
    response = client.post("/matches", data=data)
    assert response.status_code == 400
    assert message in response.text


@pytest.mark.parametrize(
    ("bow", "indoor", "kind", "code", "low", "high"),
    [
        ("compound", "0", "ranking", "wa720_50_c", 5, 40),
        ("compound", "0", "half", "wa720_50_c", 20, 50),
        ("recurve", "1", "ranking", "wa18_triple", 12, 30),
        ("compound", "1", "cumulative", "", 14, 29),
        ("recurve", "1", "set", "", 10, 20),
    ],
)
def test_min_max_ghost_plays_on_faces_with_gaps(
    client: FlaskClient,
    bow: str,
    indoor: str,
    kind: str,
    code: str,
    low: int,
    high: int,
) -> None:
    """These crashed before: the face cannot score every total in the range."""
    data = {
        **SETUP,
        "bow": bow,
        "indoor": indoor,
        "kind": kind,
        "round": code,
        "ghost": "minmax",
        "handicap": "",
        "min_end": str(low),
        "max_end": str(high),
    }
    url = start(client, **data)
    for _ in range(30):
        page = client.get(url)
        assert page.status_code == 200
        if 'name="arrow"' not in page.text:
            break
        response = client.post(url + "/ends", data={"total": "0"})
        assert response.status_code == 303, response.text
    else:
        pytest.fail("the match never finished")
    assert "The ghost wins." in page.text


def test_a_link_from_a_newer_model_is_refused_clearly(client: FlaskClient) -> None:
    response = client.post("/matches", data={**SETUP, "seed": "1", "model": "9"})
    assert response.status_code == 400
    assert "made by a newer version of Ghost Simulator" in response.text


def test_new_matches_use_the_current_model(client: FlaskClient, app: Flask) -> None:
    from ghost_simulator.store import get_session
    from ghost_simulator.store.models import Match as Row

    url = start(client)
    steady = start(client, steady="on")
    with app.app_context():
        for address, is_steady in ((url, False), (steady, True)):
            row = get_session().get(Row, address.rsplit("/", 1)[1])
            assert row is not None
            assert row.state["ghost"]["model"] == 3
            assert row.state["ghost"]["steady"] is is_steady
    assert "Steady ghost" in client.get("/new").text


def test_other_browsers_cannot_see_a_match(app: Flask, client: FlaskClient) -> None:
    url = start(client)
    stranger = app.test_client()
    assert stranger.get(url).status_code == 404
    assert (
        stranger.post(url + "/ends", data={"arrow": ["X", "X", "X"]}).status_code == 404
    )


@pytest.mark.parametrize(
    "path", ["/matches/nope", "/matches/" + "a" * 22, "/matches/%27%20or%201=1"]
)
def test_tampered_ids_are_404(client: FlaskClient, path: str) -> None:
    start(client)
    assert client.get(path).status_code == 404
    assert (
        client.post(path + "/ends", data={"arrow": ["X", "X", "X"]}).status_code == 404
    )


def test_match_survives_a_server_restart(data_dir: Path) -> None:
    config = {"DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False}
    first = create_app(config).test_client()
    url = start(first)
    first.post(url + "/ends", data={"arrow": ["X", "10", "9"]})
    cookie = first.get_cookie("ghost_sim_session")
    assert cookie is not None
    second = create_app(config).test_client()  # a new process: same data dir and key
    second.set_cookie(cookie.key, cookie.value)
    page = second.get(url)
    assert page.status_code == 200
    assert "Score sheet" in page.text
    assert "Carry on with your match" in second.get("/").text


def test_stored_state_replays_exactly(client: FlaskClient, app: Flask) -> None:
    from ghost_simulator.store import matches as stored

    url = start(client, seed="9", model="2")
    client.post(url + "/ends", data={"arrow": ["X", "10", "9"]})
    with app.app_context():
        from ghost_simulator.store import get_session
        from ghost_simulator.store.models import Match as Row

        row = get_session().get(Row, url.rsplit("/", 1)[1])
        assert row is not None
        found = stored.load(row.id, stored.Owner(row.owner_key))
    assert found is not None
    match = Match.from_dict(found.state)
    ghost = Ghost.from_handicap(30, model=2)  # the link's version, not the current
    expected = Match("set", match_round("recurve", False), ghost, 9)
    expected.add_end(["X", "10", "9"])
    assert match.to_dict() == expected.to_dict()


def test_version_2_links_replay_version_2_ghosts(
    client: FlaskClient, app: Flask
) -> None:
    """A link made with version 2 (a handicap or a preset ghost) rebuilds the
    same ghost, preset handicap included, and so the same arrows."""
    from ghost_simulator.engine.presets import get_preset
    from ghost_simulator.store import get_session
    from ghost_simulator.store.models import Match as Row

    preset = get_preset("outdoor-recurve-senior-women")
    for fields, ghost in (
        ({"handicap": "30"}, Ghost.from_handicap(30, model=2)),
        ({"ghost": "preset", "preset": preset.name}, preset.ghost(model=2)),
    ):
        url = start(client, seed="31", model="2", **fields)
        with app.app_context():
            row = get_session().get(Row, url.rsplit("/", 1)[1])
            assert row is not None
            stored = Ghost.from_dict(row.state["ghost"])
        assert stored.model == 2
        assert stored.handicap == ghost.handicap
        expected = Match("set", match_round("recurve", False), ghost, 31)
        assert Match.from_dict(row.state).ghost_round.ends == expected.ghost_round.ends


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"handicap": ""}, "This field is required."),
        ({"handicap": "abc"}, "Enter a number."),
        ({"handicap": "500"}, "A handicap goes from -75 (best) to 300."),
        ({"ghost": "score", "score": "", "handicap": ""}, "This field is required."),
        (
            {"ghost": "score", "score": "900", "kind": "ranking", "round": "wa18"},
            "between 0 and",
        ),
        ({"ghost": "preset", "preset": "nope"}, "Unknown preset."),
        (
            {"ghost": "minmax", "min_end": "20"},
            "Enter both the minimum and the maximum",
        ),
        (
            {"ghost": "minmax", "min_end": "20", "max_end": "10"},
            "greater than the minimum",
        ),
        (
            {"ghost": "minmax", "min_end": "20", "max_end": "31"},
            "cannot be more than 30",
        ),
        ({"kind": "ranking", "round": "wa999"}, "Unknown round wa999."),
        ({"kind": "duel"}, "Choose a match or a round."),
        ({"bow": "crossbow"}, "Choose a bow from the list."),
        ({"ghost": "ouija"}, "Choose how to define the ghost."),
        ({"seed": "-5"}, "The seed is a whole number"),
        ({"scheme": "XYZ"}, "Choose a handicap scheme from the list."),
        ({"handicap": "inf"}, "Enter a number."),
        ({"ghost": "score", "score": "1e309"}, "Enter a number."),
        ({"handicap": "nan"}, "Enter a number."),
        ({"form": "11"}, "Form is between 0 and 10"),
    ],
)
def test_bad_setups_are_400_with_reasons(
    client: FlaskClient, fields: dict, message: str
) -> None:  # type: ignore[type-arg]
    data = {**SETUP, **fields}
    response = client.post("/matches", data=data)
    assert response.status_code == 400
    assert message in response.text


def test_setup_errors_in_spanish(client: FlaskClient) -> None:
    response = client.post(
        "/matches",
        data={"kind": "set", "ghost": "minmax", "min_end": "20", "max_end": "10"},
        headers={"Accept-Language": "es"},
    )
    assert (
        "El máximo de puntos por tanda debe ser mayor que el mínimo." in response.text
    )


def test_outdoor_ranking_allows_sixty_per_end(client: FlaskClient) -> None:
    url = start(
        client,
        kind="ranking",
        round="wa720_70",
        ghost="minmax",
        min_end="40",
        max_end="58",
    )
    assert client.get(url).text.count('name="arrow"') == 6


# -- small endpoints ----------------------------------------------------------------


def test_expected_score_hint(client: FlaskClient) -> None:
    data = client.get("/api/expected?handicap=30&kind=ranking&round=wa18").get_json()
    assert data["round"] == "WA 18m"
    assert 500 < data["expected"] < 600
    bad = client.get(
        "/api/expected?handicap=abc", headers={"Accept": "application/json"}
    )
    assert bad.status_code == 400
    assert bad.get_json()["error"]["message"] == "Give a handicap and a round."


def test_language_switch_is_remembered(client: FlaskClient) -> None:
    response = client.get("/language/es?next=/about")
    assert response.status_code == 303
    assert response.headers["Location"] == "/about"
    assert "lang=es" in response.headers["Set-Cookie"]
    assert "Acerca de Ghost Simulator" in client.get("/about").text
    client.get("/language/en?next=/")
    assert (
        "About Ghost Simulator"
        in client.get("/about", headers={"Accept-Language": "es"}).text
    )


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_language_switch_is_no_open_redirect(client: FlaskClient, target: str) -> None:
    response = client.get("/language/es", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language(client: FlaskClient) -> None:
    assert client.get("/language/xx").status_code == 404


def test_manifest_and_icons(client: FlaskClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["theme_color"] == "#fade95"
    assert manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200
        got.close()
    assert 'rel="manifest"' in client.get("/").text


def test_favicon(client: FlaskClient) -> None:
    """Browsers ask for /favicon.ico before reading the page's icon link."""
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/vnd.microsoft.icon"
        data = response.data
    assert data[:4] == b"\x00\x00\x01\x00"  # an icon file...
    count = int.from_bytes(data[4:6], "little")
    assert count >= 2
    first = 6 + 16 * count
    assert data[first : first + 4] == b"\x89PNG"  # ...of PNG images


def test_match_pages_are_never_shown_stale(client: FlaskClient) -> None:
    """Back to a match page asks the server again (the match may have moved
    on in another tab); the phone's offline copy may still keep it."""
    url = start(client)
    for path in (url, "/new"):
        cache = client.get(path).headers["Cache-Control"]
        assert "no-cache" in cache
        assert "private" in cache
        assert "no-store" not in cache  # static/js/sw.js keeps no no-store page
    fragment = client.post(
        url + "/ends",
        data={"arrow": ["X", "10", "9"]},
        headers={"X-Requested-With": "fetch"},
    )
    assert fragment.status_code == 200
    assert "no-store" not in fragment.headers.get("Cache-Control", "")


def test_start_date_is_shown_and_localised(client: FlaskClient) -> None:
    url = start(client)
    english = client.get(url).text
    spanish = client.get(url, headers={"Accept-Language": "es"}).text
    stamp = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', english)
    assert stamp is not None
    assert stamp.group(1).endswith("+00:00")
    spanish_stamp = re.search(r"<time[^>]*>([^<]+)</time>", spanish)
    assert spanish_stamp is not None
    assert spanish_stamp.group(1) != stamp.group(2)  # month names, order


def test_numbers_are_localised(client: FlaskClient) -> None:
    url = start(client, handicap="33.5")
    page = client.get(url, headers={"Accept-Language": "es"}).text
    assert "hándicap 33,5" in page
    assert "Tu probabilidad de ganar:" in page
    assert re.search(r"\d+\s?%", page)


def test_theme_switch_is_remembered(client: FlaskClient) -> None:
    assert 'data-theme="auto"' in client.get("/").text
    response = client.get("/theme/dark?next=/about")
    assert response.headers["Location"] == "/about"
    page = client.get("/about").text
    assert 'data-theme="dark"' in page
    assert '<meta name="color-scheme" content="dark">' in page
    assert client.get("/theme/purple").status_code == 404


def test_an_out_of_date_page_cannot_enter_an_end_twice(client: FlaskClient) -> None:
    url = start(client)
    first = client.post(url + "/ends", data={"end": "1", "arrow": ["9", "9", "9"]})
    assert first.status_code == 303
    again = client.post(url + "/ends", data={"end": "1", "arrow": ["9", "9", "9"]})
    assert again.status_code == 409
    assert "That end was already entered" in again.text
    assert client.get(url).text.count('<th scope="row">') == 1
    stale_fix = client.post(
        url + "/correction", data={"end": "2", "arrow": ["X", "X", "X"]}
    )
    assert stale_fix.status_code == 409
    fix = client.post(url + "/correction", data={"end": "1", "arrow": ["X", "X", "X"]})
    assert fix.status_code == 303


# -- writes made on the version they were read at ----------------------------------


def form_fields(page: str, action: str) -> dict[str, str]:
    form = re.search(
        r'<form method="post" action="[^"]*/' + action + r'".*?</form>', page, re.S
    )
    assert form is not None
    return dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form[0])
    )


def stored_row(app: Flask, url: str):  # type: ignore[no-untyped-def]
    from ghost_simulator.store import get_session
    from ghost_simulator.store.models import Match as Row

    with app.app_context():
        row = get_session().get(Row, url.rsplit("/", 1)[1])
        assert row is not None
        return row


def test_every_form_carries_the_version_it_was_drawn_from(
    client: FlaskClient, app: Flask
) -> None:
    url = perfect(client)
    assert form_fields(client.get(url).text, "ends")["version"] == "1"
    client.post(url + "/ends", data={"arrow": ["X", "X", "X"]})
    page = client.get(url).text
    assert form_fields(page, "ends")["version"] == "2"
    assert form_fields(page, "correction")["version"] == "2"
    assert stored_row(app, url).version == 2
    for _ in range(4):
        client.post(url + "/ends", data={"arrow": ["X", "X", "X"]})
    assert form_fields(client.get(url).text, "shoot-off")["version"] == "6"
    fragment = client.post(
        url + "/shoot-off", data={"version": "6", "arrow": "X"}, headers=FETCH
    )
    assert fragment.status_code == 200
    assert form_fields(fragment.text, "shoot-off")["version"] == "7"


def test_an_entry_from_an_older_page_is_a_409_with_the_sheet(
    client: FlaskClient, app: Flask
) -> None:
    url = start(client)
    old_page = form_fields(client.get(url).text, "ends")
    client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})  # another tab
    for headers in ({}, FETCH):
        response = client.post(
            url + "/ends", data={**old_page, "arrow": ["X", "X", "X"]}, headers=headers
        )
        assert response.status_code == 409
        assert (
            "This match changed in another window: here is the score sheet as it"
            " stands; enter your end again if it is not there." in response.text
        )
        assert 'data-testid="score-sheet"' in response.text
        assert form_fields(response.text, "ends")["version"] == "2"
    assert "<html" not in response.text  # the page's script gets the fragment
    fix = client.post(
        url + "/correction", data={"version": "1", "arrow": ["X", "X", "X"]}
    )
    assert fix.status_code == 409
    row = stored_row(app, url)
    assert row.state["archer_ends"] == [["9", "9", "9"]]
    assert row.version == 2


def test_a_finished_match_cannot_be_corrected(client: FlaskClient, app: Flask) -> None:
    url = perfect(client)
    for _ in range(3):
        client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})
    before = stored_row(app, url)
    assert before.status == "lost"
    page = client.get(url).text
    assert "Correct your last end" not in page
    for data in (
        {"arrow": ["X", "X", "X"]},
        {"end": "3", "version": str(before.version), "arrow": ["X", "X", "X"]},
    ):
        response = client.post(url + "/correction", data=data)
        assert response.status_code == 400
        assert "This match is over: its score sheet can no longer change." in (
            response.text
        )
    after = stored_row(app, url)
    assert after.state == before.state
    assert after.version == before.version
    assert client.post(url + "/shoot-off", data={"arrow": "X"}).status_code == 400


# -- creating matches is rate-limited ------------------------------------------------


def test_creating_matches_is_rate_limited(data_dir: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data_dir),
            "WTF_CSRF_ENABLED": False,
            "MATCH_CREATION_LIMIT": "4 per minute",
        }
    )
    client = app.test_client()
    url = start(client, ghost="preset", preset="perfect")
    # a refused setup makes no match and is not counted
    for _ in range(5):
        assert client.post("/matches", data={"kind": "duel"}).status_code == 400
    for _ in range(3):
        client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})
    assert client.post(url + "/rematch").status_code == 303
    link = (
        "/simulator.php?type=qualifiers&location=outdoor&modality=other"
        "&min_points=20&max_points=28"
    )
    page = client.get(link).text
    seed = re.search(r'name="seed" value="(\d+)"', page)
    assert seed is not None
    first_end = {"end": "1", "seed": seed[1], "total": "20"}
    assert client.post(link, data=first_end).status_code == 303
    assert client.post("/matches", data=SETUP).status_code == 303
    # four made: a fifth, however it is asked for, waits
    for refused in (
        client.post("/matches", data=SETUP),
        client.post(url + "/rematch"),
        client.post(link, data={**first_end, "seed": "7"}),
    ):
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
    # reading and playing are not limited
    assert client.get(link).status_code == 200
    assert client.get(url).status_code == 200


def test_the_default_creation_limit(client: FlaskClient) -> None:
    from ghost_simulator.web.common.limits import MATCH_CREATION

    assert MATCH_CREATION == "30 per minute;300 per hour"
    for _ in range(30):
        start(client)
    assert client.post("/matches", data=SETUP).status_code == 429


def test_arrows_entered_in_the_order_shot_keep_it(
    client: FlaskClient, app: Flask
) -> None:
    url = start(client)
    page = client.get(url).text
    assert 'name="in_order"' in page
    assert "In the order I shot them" in page
    client.post(url + "/ends", data={"arrow": ["7", "X", "9"], "in_order": "1"})
    client.post(url + "/ends", data={"arrow": ["8", "10", "9"]})
    row = stored_row(app, url)
    assert row.state["archer_ends"] == [["7", "X", "9"], ["10", "9", "8"]]
    assert row.state["in_order"] == [0]
    sheet = client.get(url).text  # shown highest first, as always
    assert sheet.index(">X<") < sheet.index(">7<")
    # A ranking round has no such box: there are no sets to compare.
    ranking = start(client, kind="ranking", round="wa18", indoor="1")
    assert 'name="in_order"' not in client.get(ranking).text


def test_a_ghost_that_feels_pressure(client: FlaskClient, app: Flask) -> None:
    form = client.get("/new").text
    assert 'name="pressure"' in form
    assert "The ghost feels pressure" in form
    url = start(client, pressure="1")
    assert "feels pressure" in client.get(url).text
    client.post(url + "/ends", data={"arrow": ["9", "9", "9"]})
    row = stored_row(app, url)
    assert row.state["ghost"]["pressure"] == 2.0
    # Its arrows are its own: the plain ghost on the same seed differs only
    # in the last arrow of some sets.
    plain = start(client)
    assert "pressure" not in stored_row(app, plain).state["ghost"]
    for fields, field in (
        ({"kind": "cumulative", "bow": "compound"}, "set match"),
        ({"ghost": "minmax", "min_end": "20", "max_end": "28"}, "min-max"),
    ):
        refused = client.post("/matches", data={**SETUP, **fields, "pressure": "1"})
        assert refused.status_code == 400
        assert field in refused.text
        assert 'id="pressure-error"' in refused.text
