"""The landing and about pages, in both languages."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from ghost_simulator import __version__


def test_landing_page(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<h1>Shoot against the ghost</h1>" in response.text
    assert 'href="/static/style.css"' in response.text
    assert '<html lang="en" ' in response.text


def test_about_shows_the_version(client: FlaskClient) -> None:
    response = client.get("/about")
    assert response.status_code == 200
    assert f'<dd data-testid="version">{__version__}</dd>' in response.text


@pytest.mark.parametrize(
    ("accept_language", "lang", "heading"),
    [
        ("es-ES,es;q=0.9,en;q=0.5", "es", "Tira contra el fantasma"),
        ("en-GB,en;q=0.9", "en", "Shoot against the ghost"),
        ("fr-FR,fr;q=0.9", "en", "Shoot against the ghost"),
        ("fr;q=0.9,es;q=0.8", "es", "Tira contra el fantasma"),
    ],
)
def test_language_from_the_browser(
    client: FlaskClient, accept_language: str, lang: str, heading: str
) -> None:
    response = client.get("/", headers={"Accept-Language": accept_language})
    assert f'<html lang="{lang}" ' in response.text
    assert f"<h1>{heading}</h1>" in response.text


@pytest.mark.parametrize("path", ["/static/style.css", "/static/icon.svg"])
def test_static_files_are_served(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    response.close()


def test_stylesheet_uses_the_brand_colour(client: FlaskClient) -> None:
    response = client.get("/static/style.css")
    assert "--brand: #fade95" in response.text
    response.close()


def test_pages_load_nothing_from_other_hosts(client: FlaskClient) -> None:
    for path in ("/", "/about", "/nope"):
        text = client.get(path).text
        assert "http://" not in text
        assert "https://" not in text
        assert "<script>" not in text
        assert "style=" not in text
