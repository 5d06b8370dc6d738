"""Public pages kept per language and theme for visitors with nothing of
their own; everyone else gets theirs rendered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator import create_app
from ghost_simulator.web.common import page_cache
from ghost_simulator.web.play import views as play

LOCAL = ("http", "localhost", "")  # the address the test client asks at


def cached(app: Flask) -> list[tuple[str, ...]]:
    """The keys of the public pages kept: page, language, theme, address."""
    pages = app.extensions.get(page_cache.EXTENSION_KEY)
    return [] if pages is None else pages.keys()


def test_the_landing_page_is_rendered_once_per_language_and_theme(
    app: Flask, client: FlaskClient
) -> None:
    first = client.get("/").get_data(as_text=True)
    assert client.get("/").get_data(as_text=True) == first
    assert cached(app) == [("pages.index", "en", "auto", *LOCAL)]
    spanish = client.get("/", headers={"Accept-Language": "es"}).get_data(True)
    assert 'lang="es"' in spanish
    assert spanish != first
    client.set_cookie("theme", "dark")
    dark = client.get("/").get_data(as_text=True)
    assert 'data-theme="dark"' in dark
    assert set(cached(app)) == {
        ("pages.index", "en", "auto", *LOCAL),
        ("pages.index", "es", "auto", *LOCAL),
        ("pages.index", "en", "dark", *LOCAL),
    }


def test_cached_pages_keep_their_security_headers(client: FlaskClient) -> None:
    client.get("/")
    again = client.get("/")
    assert "default-src 'self'" in again.headers["Content-Security-Policy"]
    assert again.headers["X-Frame-Options"] == "DENY"


def test_a_visitor_with_a_match_of_their_own_gets_their_page(
    app: Flask, client: FlaskClient
) -> None:
    client.get("/")  # the anonymous page is kept
    created = client.post(
        "/matches",
        data={"kind": "set", "bow": "recurve", "ghost": "handicap", "handicap": "40"},
    )
    match_id = created.headers["Location"].rsplit("/", 1)[-1]
    page = client.get("/").get_data(as_text=True)
    assert f"/matches/{match_id}" in page  # "carry on with your match"
    other = app.test_client().get("/").get_data(as_text=True)
    assert f"/matches/{match_id}" not in other


def test_a_signed_in_archer_is_never_served_the_anonymous_page(
    app: Flask, client: FlaskClient
) -> None:
    client.get("/")
    client.post(
        "/register",
        data={
            "username": "robin",
            "password": "a long enough password",
            "confirm_password": "a long enough password",
        },
    )
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="account-name">robin<' in page


def test_pages_with_a_query_string_are_not_kept(
    app: Flask, client: FlaskClient
) -> None:
    client.get("/about?utm_source=poster")
    assert cached(app) == []
    client.get("/about")
    assert cached(app) == [("pages.about", "en", "auto", *LOCAL)]


def test_a_public_page_is_kept_per_address(app: Flask) -> None:
    """Its links may be absolute: another scheme, host or root is another page."""
    client = app.test_client()
    client.get("/about")
    client.get("/about", base_url="https://club.example.org")
    client.get("/about", base_url="http://localhost/ghost")
    assert set(cached(app)) == {
        ("pages.about", "en", "auto", *LOCAL),
        ("pages.about", "en", "auto", "https", "club.example.org", ""),
        ("pages.about", "en", "auto", "http", "localhost", "/ghost"),
    }


def test_a_public_page_that_makes_a_form_token_is_never_kept(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were a form added to a public page, each visitor must get their own
    token: the page is drawn for each of them, never kept."""
    from flask import render_template_string

    from ghost_simulator.web import site

    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})  # CSRF on
    monkeypatch.setattr(
        site,
        "render_template",
        lambda *a, **k: render_template_string("<form>{{ csrf_token() }}</form>"),
    )
    first = app.test_client().get("/about").get_data(as_text=True)
    second = app.test_client().get("/about").get_data(as_text=True)
    assert first != second  # two visitors, two tokens
    assert cached(app) == []


# -- a match's page, kept per version and viewer ----------------------------------

SET_MATCH = {"kind": "set", "bow": "recurve", "ghost": "handicap", "handicap": "40"}


def start_match(client: FlaskClient, form: dict[str, str] = SET_MATCH) -> str:
    created = client.post("/matches", data=form)
    assert created.status_code == 303
    return created.headers["Location"].rsplit("/", 1)[-1]


def count_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the sheets drawn (a kept page draws none)."""
    drawn: list[str] = []
    real = play.build_sheet

    def counting(match: object) -> object:
        drawn.append("sheet")
        return real(match)  # type: ignore[arg-type]

    monkeypatch.setattr(play, "build_sheet", counting)
    return drawn


def test_a_match_page_is_drawn_once_per_version(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    match_id = start_match(client)
    drawn = count_renders(monkeypatch)
    first = client.get(f"/matches/{match_id}").get_data(as_text=True)
    again = client.get(f"/matches/{match_id}").get_data(as_text=True)
    assert again == first
    assert len(drawn) == 1
    client.post(f"/matches/{match_id}/ends", data={"arrow": ["10", "9", "8"]})
    after = client.get(f"/matches/{match_id}").get_data(as_text=True)
    assert len(drawn) == 2  # a new version is a new page
    assert after != first
    assert ">27<" in after


def test_a_kept_page_carries_the_form_token_of_its_own_request(
    data_dir: Path,
) -> None:
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir)})  # CSRF on
    tab = app.test_client()
    page = tab.get("/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    created = tab.post("/matches", data={**SET_MATCH, "csrf_token": token.group(1)})
    match_id = created.headers["Location"].rsplit("/", 1)[-1]
    tokens = []
    for _ in range(2):
        shown = tab.get(f"/matches/{match_id}").get_data(as_text=True)
        assert page_cache.TOKEN_SLOT not in shown
        found = re.findall(r'name="csrf_token" value="([^"]+)"', shown)
        assert found
        assert len(set(found)) == 1
        tokens.append(found[0])
    # The kept page's token is good for this browser's next entry.
    entered = tab.post(
        f"/matches/{match_id}/ends",
        data={"arrow": ["10", "9", "8"], "csrf_token": tokens[1]},
    )
    assert entered.status_code == 303
    # Another browser's token is not.
    other = app.test_client()
    other.get("/new")
    refused = other.post(
        f"/matches/{match_id}/ends",
        data={"arrow": ["10", "9", "8"], "csrf_token": tokens[1]},
    )
    assert refused.status_code == 400


def test_nobody_else_is_shown_a_kept_match_page(
    app: Flask, client: FlaskClient
) -> None:
    match_id = start_match(client)
    assert client.get(f"/matches/{match_id}").status_code == 200
    assert app.test_client().get(f"/matches/{match_id}").status_code == 404


def test_a_kept_match_page_follows_language_theme_and_who_is_signed_in(
    app: Flask, client: FlaskClient
) -> None:
    match_id = start_match(client)
    english = client.get(f"/matches/{match_id}").get_data(as_text=True)
    spanish = client.get(
        f"/matches/{match_id}", headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert 'lang="es"' in spanish
    assert 'lang="en"' in english
    client.set_cookie("theme", "dark")
    assert 'data-theme="dark"' in client.get(f"/matches/{match_id}").get_data(True)
    client.post(
        "/register",
        data={
            "username": "robin",
            "password": "a long enough password",
            "confirm_password": "a long enough password",
        },
    )
    page = client.get(f"/matches/{match_id}").get_data(as_text=True)
    assert 'data-testid="account-name">robin<' in page
    # Signed out, the page kept for the archer is nobody else's to see.
    client.post("/logout")
    assert client.get(f"/matches/{match_id}").status_code == 404


def test_a_finished_match_page_is_drawn_every_time(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    match_id = start_match(client)
    for _ in range(3):
        client.post(f"/matches/{match_id}/ends", data={"arrow": ["M", "M", "M"]})
    page = client.get(f"/matches/{match_id}").get_data(as_text=True)
    assert 'data-testid="status"' in page
    drawn = count_renders(monkeypatch)
    client.get(f"/matches/{match_id}")
    client.get(f"/matches/{match_id}")
    assert len(drawn) == 2


def test_a_match_page_is_kept_per_address(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's links are built from the address asked at: another scheme
    or another root (a proxy's prefix) is another page."""
    match_id = start_match(client)
    drawn = count_renders(monkeypatch)
    for base in ("http://localhost", "https://localhost", "http://localhost/ghost"):
        client.get(f"/matches/{match_id}", base_url=base)
        client.get(f"/matches/{match_id}", base_url=base)
    assert len(drawn) == 3
