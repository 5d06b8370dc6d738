"""The original app's addresses keep working: its bookmarked simulator link,
version 2's ghost.php, and the Flask beta's pages.

Opening an old link stores nothing (a GET never writes): it shows the match
the link sets up, and the first end entered on that page stores it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator.services import setups as web_setup

#: About the old addresses' parsing and redirects (storing an end is
#: test_play's): not run again on PostgreSQL.
pytestmark = pytest.mark.database_agnostic

SPANISH = {"Accept-Language": "es-ES"}


def stored_state(app: Flask, location: str) -> dict[str, Any]:
    """The engine state stored for the match a redirect points to."""
    from ghost_simulator.store import get_session
    from ghost_simulator.store.models import Match as Row

    location = location.removesuffix("#entry")
    assert re.fullmatch(r"/matches/[A-Za-z0-9_-]{22}", location)
    with app.app_context():
        row = get_session().get(Row, location.rsplit("/", 1)[1])
        assert row is not None
        return dict(row.state)


def stored_matches(app: Flask) -> int:
    from sqlalchemy import func, select

    from ghost_simulator.store import get_session
    from ghost_simulator.store.models import Match as Row

    with app.app_context():
        return int(get_session().scalar(select(func.count()).select_from(Row)) or 0)


def entry_form(page: str) -> tuple[str, dict[str, str]]:
    """Where the page's entry form posts, and its hidden fields."""
    form = re.search(
        r'<form method="post" action="([^"]+)"[^>]*id="entry".*?</form>', page, re.S
    )
    assert form is not None, "no entry form on the page"
    hidden = re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0)
    )
    return form.group(1).replace("&amp;", "&"), dict(hidden)


def open_link(
    app: Flask, client: FlaskClient, link: str, **headers: str
) -> tuple[str, dict[str, Any], str]:
    """Open an old link (which stores nothing), then enter the first end on
    its page (which stores the match): the page, the stored state and the
    match's address."""
    before = stored_matches(app)
    response = client.get(link, headers=headers)
    assert response.status_code == 200, response.text
    assert stored_matches(app) == before  # a GET never writes
    action, hidden = entry_form(response.text)
    entered = client.post(action, data={**hidden, "total": "0"}, headers=headers)
    assert entered.status_code == 303, entered.text
    assert stored_matches(app) == before + 1
    location = entered.headers["Location"]
    return response.text, stored_state(app, location), location


def problems(page: str) -> list[str]:
    found = re.search(r'<ul class="problems"[^>]*>(.*?)</ul>', page, re.S)
    assert found is not None
    return re.findall(r"<li>(.*?)</li>", found.group(1))


# -- simulator.php ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title", "arrows"),
    [
        ("type=eliminatorias&location=exterior&modality=recurvo", "Set match, 70 m", 3),
        (
            "type=eliminatorias&location=interior&modality=compuesto",
            "Cumulative match, 18 m",
            3,
        ),
        ("type=competici%C3%B3n&location=exterior&modality=otros", "WA 70m", 6),
        (
            "type=competicion&location=interior&modality=otros&competition_split=true",
            "WA 18m (half)",
            3,
        ),
        ("type=competicion&location=exterior&modality=compuesto", "WA 50m Compound", 6),
    ],
)
def test_legacy_simulator_links(
    app: Flask, client: FlaskClient, query: str, title: str, arrows: int
) -> None:
    limits = (
        "&min_points=20&max_points=28"
        if "exterior" not in query or "competi" not in query
        else "&min_points=40&max_points=55"
    )
    page, _state, location = open_link(app, client, f"/simulator.php?{query}{limits}")
    for shown in (page, client.get(location).text):
        assert title in shown
        assert shown.count('name="arrow"') == arrows
        assert "points per end (drawn evenly)" in shown


def expected_simulator_match(
    type_: str, location: str, modality: str, split: bool
) -> tuple[str, dict[str, Any]]:
    """The stored kind and round the original's own values stand for."""
    indoor = location == "indoor"
    bow = "compound" if modality == "compound" else "recurve"
    if type_ == "qualifiers":  # its form's "Eliminatorias": an elimination match
        kind = "cumulative" if bow == "compound" else "set"
        return kind, {"match": {"bow": bow, "indoor": indoor}}
    codename = "wa18"
    if not indoor:
        codename = "wa720_50_c" if bow == "compound" else "wa720_70"
    return "ranking", {"codename": codename, "bow": bow, "half": split}


SPLITS = [None, "true", "", "false", "0"]


@pytest.mark.parametrize("split", SPLITS)
@pytest.mark.parametrize("modality", ["compound", "other"])
@pytest.mark.parametrize("location", ["indoor", "outdoor"])
@pytest.mark.parametrize("type_", ["qualifiers", "competition"])
def test_the_originals_own_values(
    app: Flask,
    client: FlaskClient,
    type_: str,
    location: str,
    modality: str,
    split: str | None,
) -> None:
    query = {
        "max_points": "28",
        "min_points": "20",
        "type": type_,
        "location": location,
        "modality": modality,
    }
    if split is not None:  # present, whatever its value: half a round
        query["competition_split"] = split
    _page, state, _location = open_link(
        app, client, "/simulator.php?" + urlencode(query)
    )
    kind, rnd = expected_simulator_match(type_, location, modality, split is not None)
    assert state["kind"] == kind
    got = dict(state["round"])
    if "codename" in got:
        got.setdefault("half", False)  # stored only when true
    assert got == rnd
    assert state["ghost"]["kind"] == "minmax"
    assert (state["ghost"]["min_end"], state["ghost"]["max_end"]) == (20, 28)


@pytest.mark.parametrize(
    ("spelling", "original"),
    [
        ("type=Eliminatorias", "type=qualifiers"),
        ("type=eliminatoria", "type=qualifiers"),
        ("type=QUALIFIERS", "type=qualifiers"),
        ("type=Competici%C3%B3n", "type=competition"),
        ("type=competicion", "type=competition"),
        ("type=Competition", "type=competition"),
        ("location=interior", "location=indoor"),
        ("location=Interior", "location=indoor"),
        ("location=exterior", "location=outdoor"),
        ("location=OUTDOOR", "location=outdoor"),
        ("modality=compuesto", "modality=compound"),
        ("modality=Compound", "modality=compound"),
        ("modality=otros", "modality=other"),
        ("modality=recurvo", "modality=other"),
        ("modality=", "modality=other"),
    ],
)
def test_spanish_and_mixed_case_spellings(
    app: Flask, client: FlaskClient, spelling: str, original: str
) -> None:
    base = {
        "type": "type=competition",
        "location": "location=outdoor",
        "modality": "modality=compound",
    }
    name = original.split("=")[0]

    def opened(part: str) -> dict[str, Any]:
        query = "&".join({**base, name: part}.values())
        link = f"/simulator.php?{query}&min_points=20&max_points=28"
        _page, state, _location = open_link(app, client, link)
        return {"kind": state["kind"], "round": state["round"]}

    assert opened(spelling) == opened(original)


def test_missing_modality_is_another_bow(app: Flask, client: FlaskClient) -> None:
    _page, state, _location = open_link(
        app,
        client,
        "/simulator.php?type=qualifiers&location=outdoor&min_points=20&max_points=28",
    )
    assert state["kind"] == "set"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "type=eliminatorias&location=exterior&modality=x&min_points=20&max_points=31",
            "cannot be more than 30",
        ),
        (
            "type=qualifiers&location=outdoor&modality=other&min_points=20&max_points=31",
            "cannot be more than 30",
        ),
        (
            "type=competition&location=indoor&modality=other&min_points=20&max_points=31",
            "cannot be more than 30",
        ),
        (
            "type=competicion&location=exterior&modality=x&min_points=20&max_points=61",
            "cannot be more than 60",
        ),
        (
            "type=eliminatorias&location=interior&modality=x&min_points=-1&max_points=20",
            "must be 0 or more",
        ),
        (
            "type=eliminatorias&location=interior&modality=x&min_points=20&max_points=20",
            "greater than the minimum",
        ),
        (
            "type=nope&location=interior&modality=x&min_points=1&max_points=2",
            "Unknown type nope.",
        ),
        (
            "type=eliminatorias&location=moon&modality=x&min_points=1&max_points=2",
            "Unknown location moon.",
        ),
        (
            "type=eliminatorias&location=interior&min_points=a&max_points=2",
            "min_points must be a whole number.",
        ),
        ("", "Unknown type"),
    ],
)
def test_legacy_bad_links_are_400_with_the_rules(
    client: FlaskClient, query: str, message: str
) -> None:
    response = client.get(f"/simulator.php?{query}")
    assert response.status_code == 400
    assert message in response.text
    assert "The rules of the original simulator" in response.text


def test_the_rules_page_describes_the_originals_values(client: FlaskClient) -> None:
    response = client.get("/simulator.php?type=nope")
    assert response.status_code == 400
    page = response.text
    for rule in [
        "type is qualifiers (shown as “Eliminatorias”: an elimination match) or"
        " competition (“Competición”: a ranking round).",
        "location is indoor (interior) or outdoor (exterior).",
        "modality is compound, or other for every other bow.",
        "competition_split, when present, shoots half the round (the original&#39;s"
        " “media competición”).",
        "min_points is 0 or more, and max_points is greater than min_points.",
        "max_points is at most 30 per end indoors and in eliminations, and at most"
        " 60 per end in an outdoor ranking round.",
    ]:
        assert rule in page
    assert problems(page) == [
        "Unknown type nope.",
        "Unknown location —.",
        "min_points must be a whole number.",
        "max_points must be a whole number.",
    ]
    example = re.search(r'<a href="([^"]+)" data-testid="example">', page)
    assert example is not None
    link = example.group(1).replace("&amp;", "&").removeprefix("http://localhost")
    assert link.startswith("/simulator.php?")
    assert "type=qualifiers" in link
    assert client.get(link).status_code == 200


def test_legacy_errors_in_spanish(client: FlaskClient) -> None:
    response = client.get(
        "/simulator.php?type=eliminatorias&location=interior&modality=x&min_points=20&max_points=40",
        headers=SPANISH,
    )
    assert response.status_code == 400
    assert "no puede pasar de 30" in response.text
    assert "Las reglas del simulador original" in response.text


def test_the_rules_in_spanish(client: FlaskClient) -> None:
    response = client.get("/simulator.php?type=nope&location=moon", headers=SPANISH)
    assert response.status_code == 400
    page = response.text
    assert "Este enlace al simulador no es válido" in page
    assert "Tipo desconocido: nope." in page
    assert "Lugar desconocido: moon." in page
    assert "type es qualifiers (en pantalla «Eliminatorias»: una eliminatoria)" in page
    assert "location es indoor (interior, en sala)" in page
    assert "modality es compound (compuesto), u other" in page
    assert "competition_split, si está presente, tira media competición" in page
    assert "Por ejemplo:" in page


def test_a_face_that_cannot_score_the_range_is_a_400(client: FlaskClient) -> None:
    """Six arrows on the compound 6-ring face score 0 or at least 5."""
    response = client.get(
        "/simulator.php?type=competition&location=outdoor&modality=compound"
        "&min_points=1&max_points=4"
    )
    assert response.status_code == 400
    assert "The rules of the original simulator" in response.text


# -- ghost.php -------------------------------------------------------------------------

SEXES = {"h": "men", "m": "women"}
CATEGORIES = {
    "c": "compound",
    "o": "recurve",
    "i": "traditional",
    "lb": "longbow",
    "d": "barebow",
}
AGES = {"s15": "U15", "s19": "U18", "s21": "U21", "a": "senior"}


def expected_outdoor_preset(bow: str, age: str, sex: str) -> str:
    """The championship data outdoors: recurve and compound at every age
    (but no U15 compound women), the other bows seniors only."""
    if bow in ("traditional", "longbow", "barebow"):
        return f"outdoor-{bow}-senior-{sex}"
    if (bow, age, sex) == ("compound", "U15", "women"):
        return "outdoor-compound-U18-women"
    return f"outdoor-{bow}-{age}-{sex}"


def open_ghost_link(
    app: Flask, client: FlaskClient, query: str, **headers: str
) -> tuple[dict[str, Any], str]:
    """The stored state and the page the link opened (with its notice)."""
    page, state, _location = open_link(app, client, f"/ghost.php?{query}", **headers)
    return state, page


def notices(page: str) -> list[str]:
    return re.findall(r'data-testid="notice">([^<]*)<', page)


@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("sex", SEXES)
def test_ghost_links(
    app: Flask, client: FlaskClient, sex: str, category: str, age: str
) -> None:
    bow, age_class, who = CATEGORIES[category], AGES[age], SEXES[sex]
    state, page = open_ghost_link(
        app, client, f"sex={sex}&category={category}&age={age}"
    )
    preset = expected_outdoor_preset(bow, age_class, who)
    assert state["ghost"]["kind"] == "preset"
    assert state["ghost"]["source"] == {"preset": preset}
    assert state["kind"] == ("cumulative" if bow == "compound" else "set")
    assert state["round"] == {"match": {"bow": bow, "indoor": False}}
    substituted = preset != f"outdoor-{bow}-{age_class}-{who}"
    assert bool(notices(page)) == substituted
    if substituted:
        wanted = f"outdoor {bow} {age_class} {who}"
        used = preset.replace("-", " ")
        assert notices(page) == [
            f"No championship results for {wanted}: your ghost is the one for {used}."
        ]
    # the notice is shown once, not on every later page
    assert not notices(client.get("/").text)


@pytest.mark.parametrize(
    ("query", "preset", "notice"),
    [
        ("sex=h&category=o&age=s15&location=indoor", "indoor-recurve-U15-men", ""),
        ("sex=m&category=o&age=s15&location=interior", "indoor-recurve-U15-women", ""),
        ("sex=h&category=c&age=s15&location=indoor", "indoor-compound-U15-men", ""),
        # the same age class and sex in the other season
        (
            "sex=m&category=o&age=a&location=indoor",
            "outdoor-recurve-senior-women",
            "indoor recurve senior women: your ghost is the one for outdoor recurve"
            " senior women.",
        ),
        (
            "sex=m&category=c&age=s21&location=indoor",
            "outdoor-compound-U21-women",
            "indoor compound U21 women: your ghost is the one for outdoor compound"
            " U21 women.",
        ),
        # then the nearest age class, this season first
        (
            "sex=h&category=d&age=s19&location=indoor",
            "outdoor-barebow-senior-men",
            "indoor barebow U18 men: your ghost is the one for outdoor barebow"
            " senior men.",
        ),
        (
            "sex=m&category=c&age=s15&location=indoor",
            "outdoor-compound-U18-women",
            "indoor compound U15 women: your ghost is the one for outdoor compound"
            " U18 women.",
        ),
        ("sex=h&category=o&age=a&location=exterior", "outdoor-recurve-senior-men", ""),
        ("sex=m&category=o&age=a&location=OUTDOOR", "outdoor-recurve-senior-women", ""),
        # any case, any accents, the words as well as the codes
        ("sex=M&category=LB&age=A", "outdoor-longbow-senior-women", ""),
        ("sex=Mujer&category=Ol%C3%ADmpico&age=S21", "outdoor-recurve-U21-women", ""),
        ("sex=hombre&category=compuesto&age=senior", "outdoor-compound-senior-men", ""),
    ],
)
def test_ghost_links_with_a_season_and_spellings(
    app: Flask, client: FlaskClient, query: str, preset: str, notice: str
) -> None:
    state, page = open_ghost_link(app, client, query)
    assert state["ghost"]["source"] == {"preset": preset}
    indoor = "location=in" in query.lower()
    assert state["round"]["match"]["indoor"] == indoor
    if notice:
        assert notices(page) == ["No championship results for " + notice]
    else:
        assert notices(page) == []


def test_the_substitution_notice_in_spanish(app: Flask, client: FlaskClient) -> None:
    _state, page = open_ghost_link(app, client, "sex=m&category=i&age=s15", **SPANISH)
    assert notices(page) == [
        "No hay resultados de campeonato de tradicional U15 mujeres (aire libre):"
        " tu fantasma es el de tradicional sénior mujeres (aire libre)."
    ]


def test_nearest_category_other_season_then_the_older_class_on_a_tie(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    available = {
        (False, "recurve", "U15", "men"): "a",
        (False, "recurve", "U21", "men"): "b",
        (False, "recurve", "U18", "women"): "c",
        (True, "recurve", "U18", "men"): "d",
    }
    monkeypatch.setattr(web_setup, "championship_categories", lambda: available)
    nearest = web_setup.nearest_category
    # the same class in the other season first
    assert nearest((False, "recurve", "U18", "men")) == (True, "recurve", "U18", "men")
    # then the nearest class, the older on a tie
    assert nearest((True, "recurve", "senior", "men")) == (
        False,
        "recurve",
        "U21",
        "men",
    )
    del available[(True, "recurve", "U18", "men")]
    assert nearest((False, "recurve", "U18", "men")) == (False, "recurve", "U21", "men")
    assert nearest((False, "recurve", "U15", "men")) == (False, "recurve", "U15", "men")
    # then the other sex
    assert nearest((True, "recurve", "U15", "women")) == (
        False,
        "recurve",
        "U18",
        "women",
    )
    del available[(False, "recurve", "U18", "women")]
    assert nearest((True, "recurve", "U15", "women")) == (
        False,
        "recurve",
        "U15",
        "men",
    )


def test_every_bow_and_sex_finds_a_ghost() -> None:
    for indoor in (True, False):
        for bow in CATEGORIES.values():
            for age in AGES.values():
                for sex in SEXES.values():
                    used = web_setup.nearest_category((indoor, bow, age, sex))
                    assert used in web_setup.championship_categories()
                    assert used[1] == bow


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Unknown sex —.", "Unknown category —.", "Unknown age —."]),
        ("sex=x&category=o&age=a", ["Unknown sex x."]),
        ("sex=h&category=z&age=a", ["Unknown category z."]),
        ("sex=h&category=o&age=s18", ["Unknown age s18."]),
        ("sex=h&category=o&age=a&location=moon", ["Unknown location moon."]),
        ("sex=h&category=o&age=a&location=", ["Unknown location —."]),
        (
            "sex=&category=&age=&location=",
            [
                "Unknown sex —.",
                "Unknown category —.",
                "Unknown age —.",
                "Unknown location —.",
            ],
        ),
        ("sex=%3Cb%3E&category=o&age=a", ["Unknown sex &lt;b&gt;."]),
    ],
)
def test_bad_ghost_links_are_400_with_the_problems(
    client: FlaskClient, query: str, expected: list[str]
) -> None:
    response = client.get(f"/ghost.php?{query}")
    assert response.status_code == 400
    page = response.text
    assert "This ghost link is not valid" in page
    assert problems(page) == expected
    assert "sex is h (hombre: men) or m (mujer: women)." in page
    assert (
        "category is c (compound), o (olympic: recurve), i (instinctive:"
        " traditional), lb (longbow) or d (barebow)." in page
    )
    assert "age is s15 (under 15), s19" in page
    assert "location, if given, is outdoor" in page
    example = re.search(r'<a href="([^"]+)" data-testid="example">', page)
    assert example is not None
    link = example.group(1).replace("&amp;", "&").removeprefix("http://localhost")
    assert link.startswith("/ghost.php?")
    assert client.get(link).status_code == 200


def test_bad_ghost_links_in_spanish(client: FlaskClient) -> None:
    response = client.get("/ghost.php?sex=x&category=o&age=q", headers=SPANISH)
    assert response.status_code == 400
    page = response.text
    assert "Este enlace al fantasma no es válido" in page
    assert problems(page) == ["Sexo desconocido: x.", "Edad desconocida: q."]
    assert "sex es h (hombre) o m (mujer)." in page
    assert "category es c (compuesto), o (olímpico: recurvo)" in page


# -- the original's and the Flask beta's pages --------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/index.html", "/"),
        ("/home.html", "/new"),
        ("/about.html", "/about"),
        ("/index", "/"),
        ("/index.php", "/"),
        ("/home", "/new"),
        ("/javascript_disabled.html", "/"),
    ],
)
def test_legacy_pages(client: FlaskClient, old: str, new: str) -> None:
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == new
    assert client.get(new).status_code == 200


def test_the_betas_about_page(client: FlaskClient) -> None:
    assert client.get("/about").status_code == 200


# -- a GET never writes --------------------------------------------------------------

LINK = (
    "/simulator.php?type=competicion&location=interior&modality=otros"
    "&min_points=20&max_points=28"
)


def test_opening_and_reloading_an_old_link_stores_nothing(
    app: Flask, client: FlaskClient
) -> None:
    pages = [client.get(LINK) for _ in range(3)]
    assert [p.status_code for p in pages] == [200, 200, 200]
    assert stored_matches(app) == 0
    ghost = client.get("/ghost.php?sex=h&category=o&age=a")
    assert ghost.status_code == 200
    assert stored_matches(app) == 0
    assert "Carry on with your match" not in client.get("/").text
    # the page is the match the link sets up, ready for its first end
    action, hidden = entry_form(pages[0].text)
    assert action == LINK
    assert hidden["end"] == "1"
    assert re.fullmatch(r"\d{1,19}", hidden["seed"])
    assert "WA 18m" in pages[0].text


def test_the_first_end_stores_the_match_the_page_showed(
    app: Flask, client: FlaskClient
) -> None:
    from ghost_simulator.engine import Match

    page = client.get(LINK).text
    action, hidden = entry_form(page)
    response = client.post(action, data={**hidden, "arrow": ["10", "9", "M"]})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#entry")
    state = stored_state(app, response.headers["Location"])
    assert state["seed"] == int(hidden["seed"])
    assert state["archer_ends"] == [["10", "9", "M"]]
    match = Match.from_dict(state)
    assert match.ends_shot == 1
    # the ghost's first end on the stored match is the one its page would reveal
    sheet = client.get(response.headers["Location"].removesuffix("#entry")).text
    ghost_end = "".join(
        f'<span class="arrow v-{a.label.lower()}">{a.label}</span>'
        for a in match.ghost_round.ends[0].arrows
    )
    assert ghost_end in sheet


def test_a_bad_first_end_stores_nothing_and_keeps_the_page(
    app: Flask, client: FlaskClient
) -> None:
    page = client.get("/ghost.php?sex=m&category=i&age=s15").text
    action, hidden = entry_form(page)
    response = client.post(action, data={**hidden, "arrow": ["X", "10"]})
    assert response.status_code == 400
    assert "Enter all 3 arrows of the end, or its total." in response.text
    assert notices(response.text)  # the substitution notice is still shown
    again_action, again_hidden = entry_form(response.text)
    # Same match, same seed (the form token is signed afresh, with its time).
    assert again_action == action
    assert {k: v for k, v in again_hidden.items() if k != "csrf_token"} == {
        k: v for k, v in hidden.items() if k != "csrf_token"
    }
    fragment = client.post(
        action,
        data={**hidden, "total": "99"},
        headers={"X-Requested-With": "fetch"},
    )
    assert fragment.status_code == 400
    assert "<html" not in fragment.text
    assert stored_matches(app) == 0


@pytest.mark.parametrize("seed", ["", "x", "-1", "9223372036854775808", "1" * 30])
def test_a_tampered_seed_is_a_400(app: Flask, client: FlaskClient, seed: str) -> None:
    response = client.post(LINK, data={"end": "1", "seed": seed, "total": "20"})
    assert response.status_code == 400
    assert "The seed is a whole number" in response.text
    assert stored_matches(app) == 0


def test_the_first_end_posted_twice_stores_one_match(
    app: Flask, client: FlaskClient
) -> None:
    action, hidden = entry_form(client.get(LINK).text)
    first = client.post(action, data={**hidden, "total": "25"})
    assert first.status_code == 303
    again = client.post(action, data={**hidden, "total": "26"})
    assert again.status_code == 409
    assert "This match changed in another window" in again.text
    assert stored_matches(app) == 1
    assert stored_state(app, first.headers["Location"])["archer_ends"] == [
        {"total": 25}
    ]
    # the same link opened again is a new match (a new seed)
    action, other = entry_form(client.get(LINK).text)
    assert other["seed"] != hidden["seed"]
    assert client.post(action, data={**other, "total": "20"}).status_code == 303
    assert stored_matches(app) == 2


def test_an_old_links_page_posts_with_its_csrf_token(data_dir: Any) -> None:
    """With CSRF on (as served), the page's form carries the token it needs."""
    from ghost_simulator import create_app

    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})
    client = app.test_client()
    action, hidden = entry_form(client.get(LINK).text)
    assert hidden["csrf_token"]
    refused = client.post(action, data={"end": "1", "seed": hidden["seed"]})
    assert refused.status_code == 400
    assert client.post(action, data={**hidden, "total": "21"}).status_code == 303
