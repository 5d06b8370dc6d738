"""Security headers on every response, and the session cookie's flags."""

from __future__ import annotations

import pytest
from flask import Flask, session
from flask.testing import FlaskClient


@pytest.mark.parametrize("path", ["/", "/about", "/static/style.css", "/nope"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline'
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    response.close()


@pytest.fixture
def session_app(app: Flask) -> Flask:
    @app.get("/remember")
    def remember() -> str:
        session["seen"] = True
        return "ok"

    return app


def test_session_cookie_flags_over_http(session_app: Flask) -> None:
    response = session_app.test_client().get("/remember")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # a plain-HTTP laptop at home must keep working


def test_session_cookie_is_secure_over_https(session_app: Flask) -> None:
    client = session_app.test_client()
    response = client.get("/remember", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


def test_https_behind_a_trusted_proxy(data_dir) -> None:  # type: ignore[no-untyped-def]
    from ghost_simulator import create_app

    app = create_app({"DATA_DIR": str(data_dir), "TRUSTED_PROXIES": 1})

    @app.get("/remember")
    def remember() -> str:
        session["seen"] = True
        return "ok"

    response = app.test_client().get(
        "/remember", headers={"X-Forwarded-Proto": "https"}
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(
    session_app: Flask,
) -> None:
    response = session_app.test_client().get(
        "/remember", headers={"X-Forwarded-Proto": "https"}
    )
    assert "Secure" not in response.headers["Set-Cookie"]


def test_templates_are_autoescaped(app: Flask) -> None:
    with app.test_request_context("/"):
        from flask import render_template

        html = render_template("error.html", code=400, title="<b>x</b>", detail="<i>")
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
