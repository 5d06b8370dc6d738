"""Error pages: the app's look for browsers, JSON for clients that ask for it."""

from __future__ import annotations

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient

from ghost_simulator import create_app

CODES = [400, 401, 403, 404, 405, 500]


@pytest.fixture
def app(data_dir) -> Flask:  # type: ignore[no-untyped-def]
    app = create_app({"DATA_DIR": str(data_dir), "PROPAGATE_EXCEPTIONS": False})

    @app.get("/abort/<int:code>")
    def abort_with(code: int) -> str:
        abort(code)

    @app.get("/crash")
    def crash() -> str:
        raise RuntimeError("the database caught fire")

    @app.get("/invalid")
    def invalid() -> str:
        abort(400, description="max must be greater than min")

    return app


def error_url(code: int) -> tuple[str, str]:
    if code == 404:
        return "GET", "/no/such/page"
    if code == 405:
        return "POST", "/about"
    if code == 500:
        return "GET", "/crash"
    return "GET", f"/abort/{code}"


@pytest.mark.parametrize("code", CODES)
def test_html_error_page(client: FlaskClient, code: int) -> None:
    method, url = error_url(code)
    response = client.open(url, method=method, headers={"Accept": "text/html"})
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert '<p class="error-code">' + str(code) in response.text
    assert 'href="/static/style.css"' in response.text  # looks like the app
    assert "Traceback" not in response.text


@pytest.mark.parametrize("code", CODES)
def test_json_error_for_clients_that_ask(client: FlaskClient, code: int) -> None:
    method, url = error_url(code)
    response = client.open(url, method=method, headers={"Accept": "application/json"})
    assert response.status_code == code
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]


def test_browser_accept_header_gets_html(client: FlaskClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/nope", headers={"Accept": accept})
    assert response.mimetype == "text/html"


def test_405_keeps_the_allow_header(client: FlaskClient) -> None:
    response = client.post("/about")
    assert "GET" in response.headers["Allow"]


def test_specific_message_is_shown(client: FlaskClient) -> None:
    response = client.get("/invalid")
    assert "max must be greater than min" in response.text
    json = client.get("/invalid", headers={"Accept": "application/json"}).get_json()
    assert json["error"]["message"] == "max must be greater than min"


def test_500_does_not_leak_the_exception(client: FlaskClient) -> None:
    response = client.get("/crash")
    assert "caught fire" not in response.text
    assert "Your saved data is safe" in response.text


def test_error_page_in_spanish(client: FlaskClient) -> None:
    response = client.get("/nope", headers={"Accept-Language": "es"})
    assert "Página no encontrada" in response.text
