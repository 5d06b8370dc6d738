"""Security headers on every response, and the session cookie's flags."""

from __future__ import annotations

import pytest
from flask import Flask, session
from flask.testing import FlaskClient

#: About headers and cookie flags: not run again on PostgreSQL.
pytestmark = pytest.mark.database_agnostic


@pytest.mark.parametrize(
    "path",
    ["/", "/about", "/static/style.css", "/static/style.css?v=1", "/nope", "/healthz"],
)
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


# -- HSTS: over HTTPS only ------------------------------------------------------

HSTS = "max-age=31536000; includeSubDomains"


def test_hsts_over_https(client: FlaskClient) -> None:
    response = client.get("/about", base_url="https://club.example.org")
    assert response.headers["Strict-Transport-Security"] == HSTS


@pytest.mark.parametrize("path", ["/", "/about", "/nope"])
def test_no_hsts_over_plain_http(client: FlaskClient, path: str) -> None:
    response = client.get(path, base_url="http://club.example.org")
    assert "Strict-Transport-Security" not in response.headers


def test_no_hsts_for_localhost(client: FlaskClient) -> None:
    """A year of HTTPS-only for localhost would break every other development
    server on the machine."""
    response = client.get("/about", base_url="https://localhost:5000")
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_behind_a_trusted_proxy_that_terminates_tls(data_dir) -> None:  # type: ignore[no-untyped-def]
    from ghost_simulator import create_app

    app = create_app({"DATA_DIR": str(data_dir), "TRUSTED_PROXIES": 1})
    https = {"X-Forwarded-Proto": "https", "Host": "club.example.org"}
    response = app.test_client().get("/about", headers=https)
    assert response.headers["Strict-Transport-Security"] == HSTS
    plain = {"X-Forwarded-Proto": "http", "Host": "club.example.org"}
    response = app.test_client().get("/about", headers=plain)
    assert "Strict-Transport-Security" not in response.headers


def test_forwarded_proto_without_a_trusted_proxy_is_no_hsts(
    client: FlaskClient,
) -> None:
    headers = {"X-Forwarded-Proto": "https", "Host": "club.example.org"}
    response = client.get("/about", headers=headers)
    assert "Strict-Transport-Security" not in response.headers


# -- absolute links: never from an arbitrary Host header ---------------------------

SET_MATCH = {"kind": "set", "bow": "recurve", "indoor": "0"}
SET_MATCH |= {"ghost": "handicap", "handicap": "30"}


def share_link(
    app: Flask, base_url: str, prefix: str = "", **headers: str
) -> str | None:
    """Start a match as a visitor at ``base_url`` and read its share link
    (``prefix``: the path a proxy in front strips)."""
    import re

    client = app.test_client()
    created = client.post(
        "/matches", data=SET_MATCH, base_url=base_url, headers=headers
    )
    assert created.status_code == 303, created.text
    location = created.headers["Location"]
    assert location.startswith(f"{prefix}/matches/")  # redirects are paths
    location = location.removeprefix(prefix)
    # The link is shown once the match is over: lose it (an end of 0 a set).
    for _ in range(5):
        client.post(
            location + "/ends", data={"total": "0"}, base_url=base_url, headers=headers
        )
    page = client.get(location, base_url=base_url, headers=headers)
    assert page.status_code == 200
    found = re.search(r'href="([^"]*)" data-testid="share"', page.text)
    assert found is not None
    return found.group(1)


FORGED_HOSTS = ["evil.example", "evil.example:80", "evil.example.:8080", "8.8.8.8"]


@pytest.mark.parametrize("host", FORGED_HOSTS)
def test_without_configuration_a_foreign_host_gets_a_path(
    app: Flask, host: str
) -> None:
    link = share_link(app, f"http://{host}")
    assert link is not None
    assert link.startswith("/new?seed=")
    assert "evil" not in link


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost", "http://localhost/new?"),
        ("127.0.0.1:5000", "http://127.0.0.1:5000/new?"),
        ("192.168.1.20:5000", "http://192.168.1.20:5000/new?"),  # a phone on the LAN
        ("10.0.0.7", "http://10.0.0.7/new?"),
        ("[::1]:8080", "http://[::1]:8080/new?"),
        ("[fe80::1]:5000", "http://[fe80::1]:5000/new?"),
    ],
)
def test_without_configuration_a_local_address_gets_absolute_links(
    app: Flask, host: str, expected: str
) -> None:
    link = share_link(app, f"http://{host}")
    assert link is not None
    assert link.startswith(expected)


@pytest.fixture
def public_app(data_dir) -> Flask:  # type: ignore[no-untyped-def]
    from ghost_simulator import create_app

    return create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data_dir),
            "WTF_CSRF_ENABLED": False,
            "PUBLIC_URL": "https://club.example.org/ghost/",
        }
    )


@pytest.mark.parametrize("host", ["evil.example", "localhost", "10.0.0.7:8000"])
def test_public_url_makes_every_absolute_link(public_app: Flask, host: str) -> None:
    forged = {"X-Forwarded-Host": "x.org", "X-Forwarded-Proto": "http"}
    link = share_link(public_app, f"http://{host}", "/ghost", **forged)
    assert link is not None
    assert link.startswith("https://club.example.org/ghost/new?seed=")


def test_public_url_path_prefixes_the_pages_links(public_app: Flask) -> None:
    """Behind a proxy that serves the app under /ghost: every link has it."""
    page = public_app.test_client().get("/about").text
    assert 'href="/ghost/new"' in page
    assert 'href="/ghost/static/style.css?v=' in page


@pytest.mark.parametrize(
    "value",
    [
        "club.example.org",
        "ftp://club.example.org",
        "https://",
        "https://user:pw@club.example.org",
        "https://club.example.org/?x=1",
        "https://club.example.org:notaport",
        "https://club.example.org/a b",
    ],
)
def test_a_bad_public_url_is_a_clear_error(data_dir, value: str) -> None:  # type: ignore[no-untyped-def]
    from ghost_simulator import create_app
    from ghost_simulator.errors import ConfigError

    with pytest.raises(ConfigError, match="PUBLIC_URL must be the address people"):
        create_app({"DATA_DIR": str(data_dir), "PUBLIC_URL": value})


@pytest.fixture
def trusted_app(data_dir) -> Flask:  # type: ignore[no-untyped-def]
    from ghost_simulator import create_app

    return create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data_dir),
            "WTF_CSRF_ENABLED": False,
            "TRUSTED_HOSTS": "club.example.org, .example.net",
        }
    )


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("club.example.org", "http://club.example.org/new?"),
        ("club.example.org:8443", "http://club.example.org:8443/new?"),
        ("www.example.net", "http://www.example.net/new?"),
    ],
)
def test_trusted_hosts_build_absolute_links(
    trusted_app: Flask, host: str, expected: str
) -> None:
    link = share_link(trusted_app, f"http://{host}")
    assert link is not None
    assert link.startswith(expected)


@pytest.mark.parametrize("host", ["evil.example", "localhost", "example.org.evil"])
@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_other_hosts_are_refused(trusted_app: Flask, host: str, accept: str) -> None:
    client = trusted_app.test_client()
    response = client.get(
        "/about", base_url=f"http://{host}", headers={"Accept": accept}
    )
    assert response.status_code == 400
    assert "does not answer to the address" in response.text
    assert host not in response.text
    posted = client.post("/matches", data=SET_MATCH, base_url=f"http://{host}")
    assert posted.status_code == 400
    with trusted_app.app_context():
        from sqlalchemy import func, select

        from ghost_simulator.store import get_session
        from ghost_simulator.store.models import Match

        assert get_session().scalar(select(func.count()).select_from(Match)) == 0


def test_health_checks_may_use_any_host(trusted_app: Flask) -> None:
    response = trusted_app.test_client().get(
        "/healthz", base_url="http://10.1.2.3:8000"
    )
    assert response.status_code == 200


# -- a control character in the page to return to after signing in ----------------

CONTROL_NEXT = [
    "/\r\nSet-Cookie: x=1",
    "/ok\nLocation: https://evil.example",
    "/\t/evil.example",
    "/a\x00b",
    "/a\x7fb",
]


@pytest.mark.parametrize("path", ["/login", "/register"])
def test_crlf_in_next_is_a_clear_400(client: FlaskClient, path: str) -> None:
    response = client.get(f"{path}?next=/x%0d%0aSet-Cookie:%20a=b")
    assert response.status_code == 400
    assert "the page to return to contains characters" in response.text
    assert "Set-Cookie" not in response.headers
    json = client.get(
        f"{path}?next=%0d%0a", headers={"Accept": "application/json"}
    ).get_json()
    assert "the page to return to" in json["error"]["message"]


@pytest.mark.parametrize("target", CONTROL_NEXT)
@pytest.mark.parametrize("path", ["/login", "/register"])
def test_control_characters_in_a_posted_next(
    client: FlaskClient, path: str, target: str
) -> None:
    data = {"login": "nobody", "password": "x", "next": target}
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "the page to return to contains characters" in response.text
    assert "Location" not in response.headers


@pytest.mark.parametrize("target", CONTROL_NEXT)
def test_language_switch_with_control_characters_goes_home(
    client: FlaskClient, target: str
) -> None:
    from urllib.parse import quote

    response = client.get(f"/language/es?next={quote(target)}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


# -- the session cookie is signed again when it changes, or daily ------------------


def test_an_unchanged_session_cookie_is_not_signed_again_on_every_page(
    client: FlaskClient,
) -> None:
    created = client.post(
        "/matches", data={"kind": "set", "ghost": "handicap", "handicap": "30"}
    )
    assert "Set-Cookie" in created.headers  # the browser's key, a new session
    client.get(created.headers["Location"])  # the forms' token joins the session
    for _ in range(2):
        page = client.get(created.headers["Location"])
        assert page.status_code == 200
        assert "Set-Cookie" not in page.headers


def test_a_day_old_session_cookie_is_sent_again(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from ghost_simulator import security

    created = client.post(
        "/matches", data={"kind": "set", "ghost": "handicap", "handicap": "30"}
    )
    later = datetime.now(UTC) + timedelta(days=1, minutes=1)

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return later

    monkeypatch.setattr(security, "datetime", Tomorrow)
    page = client.get(created.headers["Location"])
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("ghost_sim_session=")
    assert "Expires=" in cookie  # a year from when it is sent
    # The match is still this browser's with the cookie sent again.
    assert client.get(created.headers["Location"]).status_code == 200


def test_a_tampered_session_cookie_is_a_new_session(client: FlaskClient) -> None:
    created = client.post(
        "/matches", data={"kind": "set", "ghost": "handicap", "handicap": "30"}
    )
    client.set_cookie("ghost_sim_session", "not.a.signed.value")
    assert client.get(created.headers["Location"]).status_code == 404


# -- a checked session cookie is remembered, its age still checked ------------------


def _new_match(client: FlaskClient) -> str:
    created = client.post(
        "/matches", data={"kind": "set", "ghost": "handicap", "handicap": "30"}
    )
    assert created.status_code == 303
    return str(created.headers["Location"])


def test_a_session_cookie_expires(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time
    from types import SimpleNamespace

    import itsdangerous.timed

    page = _new_match(client)
    assert client.get(page).status_code == 200
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 60
    monkeypatch.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: later))
    assert client.get(page).status_code == 404  # a new session: not its match


def test_a_remembered_session_is_each_requests_own_copy(app: Flask) -> None:
    interface = app.session_interface
    with app.test_request_context():
        signed = interface.get_signing_serializer(app).dumps({"seen": [1]})  # type: ignore[union-attr]
    cookie = {"HTTP_COOKIE": f"{app.config['SESSION_COOKIE_NAME']}={signed}"}
    for _ in range(3):
        with app.test_request_context(environ_base=cookie) as context:
            opened = interface.open_session(app, context.request)
            assert opened is not None
            assert opened["seen"] == [1]
            opened["seen"].append(2)  # changed in place, as a view may


def test_new_keys_forget_the_cookies_checked_with_the_old(app: Flask) -> None:
    client = app.test_client()
    page = _new_match(client)
    assert client.get(page).status_code == 200
    app.secret_key = "another key entirely"
    assert client.get(page).status_code == 404  # the old signature is refused


# -- form tokens: each browser its own ---------------------------------------------


def _token(page: str) -> str:
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_each_browser_gets_form_tokens_of_its_own(csrf_client: FlaskClient) -> None:
    from flask_wtf.csrf import validate_csrf

    first = _token(csrf_client.get("/new").text)
    second = _token(csrf_client.get("/new").text)
    with csrf_client.application.test_request_context():
        with csrf_client.session_transaction() as kept:
            raw = kept["csrf_token"]
        from flask import session as request_session

        request_session["csrf_token"] = raw
        validate_csrf(first)  # raises when not valid
        validate_csrf(second)
    other = csrf_client.application.test_client()
    assert _token(other.get("/new").text) not in (first, second)


def test_a_kept_token_sends_a_form(csrf_client: FlaskClient) -> None:
    token = _token(csrf_client.get("/new").text)
    assert _token(csrf_client.get("/new").text) == token
    data = {"csrf_token": token, "kind": "set", "ghost": "handicap", "handicap": "30"}
    assert csrf_client.post("/matches", data=data).status_code == 303
