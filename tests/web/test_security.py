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


@pytest.fixture
def csrf_client(data_dir) -> FlaskClient:  # type: ignore[no-untyped-def]
    from ghost_simulator import create_app

    return create_app({"DATA_DIR": str(data_dir)}).test_client()


def test_forms_without_the_csrf_token_are_refused(csrf_client: FlaskClient) -> None:
    data = {"kind": "set", "ghost": "handicap", "handicap": "30"}
    response = csrf_client.post("/matches", data=data)
    assert response.status_code == 400
    assert "This form has expired or did not come from this site" in response.text
    spanish = csrf_client.post("/matches", data=data, headers={"Accept-Language": "es"})
    assert "Este formulario ha caducado" in spanish.text


def test_forms_with_the_csrf_token_work(csrf_client: FlaskClient) -> None:
    import re

    page = csrf_client.get("/new").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"csrf_token": token, "kind": "set", "ghost": "handicap", "handicap": "30"}
    response = csrf_client.post("/matches", data=data)
    assert response.status_code == 303
    match_page = csrf_client.get(response.headers["Location"]).text
    forms = re.findall(r"<form method=\"post\"", match_page)
    tokens = re.findall(r'name="csrf_token"', match_page)
    assert len(forms) == len(tokens) > 0  # every form carries the token


def test_session_is_permanent_for_a_year(csrf_client: FlaskClient) -> None:
    import re

    page = csrf_client.get("/new").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = csrf_client.post(
        "/matches",
        data={
            "csrf_token": token,
            "kind": "set",
            "ghost": "handicap",
            "handicap": "30",
        },
    )
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" in cookie
    assert "HttpOnly" in cookie
