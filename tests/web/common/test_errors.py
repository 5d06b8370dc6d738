"""Error pages: the app's look for browsers, JSON for clients that ask for it."""

from __future__ import annotations

import logging
import re

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient

from ghost_simulator import create_app

#: About the error pages' shapes: not run again on PostgreSQL.
pytestmark = pytest.mark.database_agnostic

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
    assert 'href="/static/style.css?v=' in response.text  # looks like the app
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


# -- request ids ------------------------------------------------------------------


def test_every_response_names_its_request(client: FlaskClient) -> None:
    first = client.get("/about").headers["X-Request-ID"]
    second = client.get("/nope").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert first != second


@pytest.mark.parametrize("incoming", ["abc-123", "nginx.0f3c:77", "A" * 64])
def test_a_safe_incoming_request_id_is_kept(client: FlaskClient, incoming: str) -> None:
    response = client.get("/about", headers={"X-Request-ID": incoming})
    assert response.headers["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    ["", "A" * 65, "has space", "semi;colon", "-starts-with-dash", "é", "a\tb", "<x>"],
)
def test_an_unsafe_incoming_request_id_is_replaced(
    client: FlaskClient, incoming: str
) -> None:
    response = client.get("/about", headers={"X-Request-ID": incoming})
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["X-Request-ID"])


def test_the_500_page_shows_the_request_id_that_is_logged(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="ghost_simulator"):
        response = client.get("/crash")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    shown = re.search(r'data-testid="request-id">([^<]+)<', response.text)
    assert shown is not None
    assert shown.group(1) == request_id
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].request_id == request_id  # type: ignore[attr-defined]
    assert errors[0].exc_info is not None
    assert "caught fire" in str(errors[0].exc_info[1])


def test_the_json_500_carries_the_request_id(client: FlaskClient) -> None:
    response = client.get(
        "/crash", headers={"Accept": "application/json", "X-Request-ID": "req-42"}
    )
    assert response.get_json()["error"]["request_id"] == "req-42"


def test_other_errors_do_not_show_a_request_id(client: FlaskClient) -> None:
    assert 'data-testid="request-id"' not in client.get("/nope").text


# -- production: one log line per request -----------------------------------------


@pytest.fixture
def production(data_dir) -> Flask:  # type: ignore[no-untyped-def]
    app = create_app(
        {"DATA_DIR": str(data_dir), "PROPAGATE_EXCEPTIONS": False, "PRODUCTION": True}
    )

    @app.get("/crash")
    def crash() -> str:
        raise RuntimeError("the database caught fire")

    return app


def access_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "ghost_simulator.access"]


def test_one_line_per_request(
    production: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = production.test_client()
    with caplog.at_level(logging.INFO):
        about = client.get("/about")
        missing = client.post("/nope")
        static = client.get("/static/style.css")
        static.close()
    lines = access_lines(caplog)
    assert len(lines) == 3
    pattern = r"(GET|POST) (\S+) (\d{3}) (\d+\.\d)ms"
    parsed = [re.fullmatch(pattern, r.getMessage()) for r in lines]
    assert [(m.group(1), m.group(2), m.group(3)) for m in parsed if m] == [
        ("GET", "/about", "200"),
        ("POST", "/nope", "404"),
        ("GET", "/static/style.css", "200"),
    ]
    ids = [about, missing, static]
    assert [r.request_id for r in lines] == [  # type: ignore[attr-defined]
        response.headers["X-Request-ID"] for response in ids
    ]


def test_the_log_never_carries_the_query_string(
    production: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        production.test_client().get("/about?password=hunter2&token=s3cret")
    (line,) = access_lines(caplog)
    assert "/about 200" in line.getMessage()
    assert "hunter2" not in caplog.text
    assert "s3cret" not in caplog.text


def test_a_crash_is_logged_with_the_id_on_its_page(
    production: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = production.test_client().get("/crash")
    shown = re.search(r'data-testid="request-id">([^<]+)<', response.text)
    assert shown is not None
    request_id = shown.group(1)
    error = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert error.request_id == request_id  # type: ignore[attr-defined]
    assert "Exception on /crash [GET]" in error.getMessage()
    (line,) = access_lines(caplog)
    assert line.getMessage().startswith("GET /crash 500 ")
    assert line.request_id == request_id  # type: ignore[attr-defined]


def test_no_request_lines_outside_production(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        client.get("/about")
    assert access_lines(caplog) == []


def test_production_log_format_names_the_request(
    production: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no logging configured (as under waitress or gunicorn), the lines
    go to stderr in one format, each with its request id."""
    import logging as stdlib_logging

    from ghost_simulator.web.common import errors

    root = stdlib_logging.getLogger()
    saved = root.handlers[:]
    root.handlers.clear()
    app_logger = stdlib_logging.getLogger("ghost_simulator")
    kept = app_logger.handlers[:]
    try:
        app_logger.handlers.clear()
        errors.configure_request_log(production)
        response = production.test_client().get(
            "/crash", headers={"X-Request-ID": "trace-77"}
        )
        production.test_client().get("/about?password=hunter2")
    finally:
        app_logger.handlers[:] = kept
        root.handlers[:] = saved
    assert response.status_code == 500
    err = capsys.readouterr().err
    assert re.search(r"ERROR \[trace-77\] ghost_simulator: Exception on /crash", err)
    assert "RuntimeError: the database caught fire" in err
    assert re.search(r"INFO \[trace-77\] ghost_simulator.access: GET /crash 500 ", err)
    assert re.search(
        r"INFO \[[0-9a-f]{16}\] ghost_simulator.access: GET /about 200 ", err
    )
    assert "hunter2" not in err


def test_request_ids_differ_between_processes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A forked worker (gunicorn) makes its own ids, never its parent's."""
    import os

    from ghost_simulator.web.common import errors

    mine = errors._new_request_id()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        os.write(writer, errors._new_request_id().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(reader, 64).decode()
    assert re.fullmatch(r"[0-9a-f]{16}", child)
    assert child[:8] != mine[:8]
    assert errors._new_request_id() != mine
