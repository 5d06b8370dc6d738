"""Public pages kept per language and theme for visitors with nothing of
their own; everyone else gets theirs rendered."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from ghost_simulator.web import page_cache


def cached(app: Flask) -> dict[tuple[str, str, str], str]:
    return app.extensions.get(page_cache.EXTENSION_KEY, {})


def test_the_landing_page_is_rendered_once_per_language_and_theme(
    app: Flask, client: FlaskClient
) -> None:
    first = client.get("/").get_data(as_text=True)
    assert client.get("/").get_data(as_text=True) == first
    assert list(cached(app)) == [("pages.index", "en", "auto")]
    spanish = client.get("/", headers={"Accept-Language": "es"}).get_data(True)
    assert 'lang="es"' in spanish
    assert spanish != first
    client.set_cookie("theme", "dark")
    dark = client.get("/").get_data(as_text=True)
    assert 'data-theme="dark"' in dark
    assert set(cached(app)) == {
        ("pages.index", "en", "auto"),
        ("pages.index", "es", "auto"),
        ("pages.index", "en", "dark"),
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
    assert cached(app) == {}
    client.get("/about")
    assert list(cached(app)) == [("pages.about", "en", "auto")]
