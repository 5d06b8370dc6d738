"""``ghost-sim serve`` for real: every option reaches the server it starts."""

from __future__ import annotations

import json
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
from pathlib import Path

import pytest

from ..servers import command_env, fetch, ghost_sim_command, start

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals"),
    # The command's options reach the server it starts; the database behind
    # it is the other tests' subject.
    pytest.mark.database_agnostic,
]


def test_http_landing_page_and_static_file(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve("--port", "0")
    assert server.url.startswith("http://127.0.0.1:")
    assert not server.url.endswith(":0")
    status, headers, body = fetch(server.url + "/")
    assert status == 200
    assert "Shoot against the ghost" in body
    assert headers["Server"].startswith("Werkzeug")
    assert fetch(server.url + "/static/style.css")[0] == 200
    server.wait_for("development server")
    server.wait_for(r"WARNING: This is a development server")
    server.wait_for(r"Debug mode: off")


def test_host_and_port(serve) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = serve("-h", "127.0.0.1", "-p", str(port))
    assert server.url == f"http://127.0.0.1:{port}"
    assert fetch(server.url + "/about")[0] == 200


def test_options_from_environment(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(env={"GHOST_SIM_PORT": "0", "GHOST_SIM_HOST": "localhost"})
    assert server.url.startswith("http://localhost:")
    assert fetch(server.url + "/")[0] == 200


def test_https_with_certificate_and_key(serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    for pem in cert.cert_chain_pems[1:]:
        pem.write_to_path(str(cert_file), append=True)
    cert.private_key_pem.write_to_path(str(key_file))

    server = serve("--port", "0", "--cert", str(cert_file), "--key", str(key_file))
    assert server.url.startswith("https://127.0.0.1:")
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    status, _headers, body = fetch(server.url + "/", context=client_context)
    assert status == 200
    assert "Shoot against the ghost" in body
    with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch(server.url + "/", context=ssl.create_default_context())


def test_https_adhoc_certificate(serve) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("cryptography")
    server = serve("--port", "0", "--cert", "adhoc")
    assert server.url.startswith("https://")
    unverified = ssl.create_default_context()
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    assert fetch(server.url + "/", context=unverified)[0] == 200


def test_https_sslcontext_import_path(serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    (tmp_path / "tls_setup.py").write_text(
        "import ssl\n"
        "context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
        f"context.load_cert_chain({str(tmp_path / 'c.pem')!r})\n"
    )
    with (tmp_path / "c.pem").open("w") as fh:
        fh.write(cert.private_key_and_cert_chain_pem.bytes().decode())
    server = serve(
        "--port", "0", "--cert", "tls_setup.context", env={"PYTHONPATH": str(tmp_path)}
    )
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    assert fetch(server.url + "/", context=client_context)[0] == 200


DEBUGGER_RESOURCE = "/?__debugger__=yes&cmd=resource&f=style.css"


def test_debugger_option(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve("--port", "0", "--debugger")
    _, headers, _ = fetch(server.url + DEBUGGER_RESOURCE)
    assert headers["Content-Type"].startswith("text/css")  # werkzeug's debugger
    plain = serve("--port", "0", "--no-debugger")
    _, headers, _ = fetch(plain.url + DEBUGGER_RESOURCE)
    assert headers["Content-Type"].startswith("text/html")  # just our landing page


def test_debug_turns_on_reloader_and_debugger(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve("--port", "0", "--debug")
    server.wait_for(r"Debug mode: on")
    server.wait_for(r"Restarting with")
    server.wait_for(r"Debugger PIN")
    _, headers, _ = fetch(server.url + DEBUGGER_RESOURCE)
    assert headers["Content-Type"].startswith("text/css")


def test_debug_with_no_reload(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve("--port", "0", "--debug", "--no-reload")
    assert fetch(server.url + "/about")[0] == 200
    # A reloader says "Restarting with" before it starts the child that
    # serves: the request's own log line comes after it, if there is one.
    server.wait_for(r'"GET /about HTTP/1.1" 200')
    assert not any("Restarting with" in line for line in server.lines)


def test_reload_watches_extra_files_but_not_excluded_ones(
    serve, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    watched, ignored = tmp_path / "watched.txt", tmp_path / "ignored.cfg"
    watched.write_text("1")
    ignored.write_text("1")
    server = serve(
        "--port",
        "0",
        "--reload",
        "--extra-files",
        f"{watched}{os.pathsep}{ignored}",
        "--exclude-patterns",
        "*.cfg",
    )
    server.wait_for(r"Restarting with")
    # The reloader's child takes its first look at the files, then serves:
    # answered, the files' times are noted, and a later change is one.
    assert fetch(server.url + "/", timeout=30)[0] == 200
    future = time.time() + 5
    # A change as either reloader sees one: watchdog's (installed with the
    # docs' tools) hears the write, the stat reloader sees a later time.
    ignored.write_text("2")
    os.utime(ignored, (future, future))
    # Several of the reloader's looks (one a second) see nothing to do.
    assert not any("Detected change" in line for line in server.drain(3))
    watched.write_text("2")
    os.utime(watched, (future, future))
    server.wait_for(r"Detected change in .*watched\.txt")
    server.wait_for(r"Restarting with", timeout=20, since=len(server.lines))
    # The parent holds the socket: the new child answers once it is up.
    assert fetch(server.url + "/", timeout=30)[0] == 200  # the same socket


def _second_request_while_first_hangs(url: str) -> bool:
    """Whether the server answers while another connection is mid-request."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as hanging:
        hanging.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # headers never end
        # No wait: connected, it is ahead of the next connection in the
        # server's queue, which takes them in the order they were made.
        try:
            fetch(url + "/about", timeout=2)
        except (TimeoutError, urllib.error.URLError):
            return False
        return True


def test_with_threads(serve) -> None:  # type: ignore[no-untyped-def]
    assert _second_request_while_first_hangs(serve("--port", "0", "--with-threads").url)


def test_without_threads(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve("--port", "0", "--without-threads")
    assert not _second_request_while_first_hangs(server.url)


def test_production_server(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve("--port", "0", "--production", "--threads", "2")
    status, headers, body = fetch(server.url + "/")
    assert status == 200
    assert headers["Server"] == "ghost-sim"  # waitress, not werkzeug
    assert "Shoot against the ghost" in body
    server.wait_for("production server")
    server.wait_for("Threads: 2, and 10 for live leaderboards")
    assert not any("development server" in line for line in server.lines)
    assert _second_request_while_first_hangs(server.url)


def test_all_interfaces_shows_phone_address_and_qr(serve) -> None:  # type: ignore[no-untyped-def]
    segno = pytest.importorskip("segno")
    server = serve("--host", "0.0.0.0", "--port", "0", "--qr")
    assert server.url.startswith("http://127.0.0.1:")
    assert fetch(server.url + "/")[0] == 200
    match = server.wait_for(r"(On a phone.*open (http://\S+))|No local network address")
    if match.group(2) is None:
        pytest.skip("this machine has no network address besides loopback")
    network_url = match.group(2)
    server.wait_for("Press CTRL")
    import io

    expected = io.StringIO()
    segno.make(network_url, error="m").terminal(out=expected, compact=True)
    qr_lines = expected.getvalue().splitlines()
    start_at = server.lines.index(qr_lines[0])
    assert server.lines[start_at : start_at + len(qr_lines)] == qr_lines


def test_qr_on_loopback_explains_why_not(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve("--port", "0", "--qr")
    server.wait_for(r"No QR code: a phone cannot reach this server")


def test_open_starts_a_browser(serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "fake-browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    server = serve("--port", "0", "-o", env={"BROWSER": str(browser)})
    for _ in range(100):
        if opened.exists() and opened.read_text().strip():
            break
        time.sleep(0.1)
    assert opened.read_text().strip() == server.url


def test_port_in_use_is_one_clear_line(isolated_settings: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            ghost_sim_command("serve", "--port", str(port)),
            capture_output=True,
            text=True,
            env=command_env(isolated_settings, GHOST_SIM_DATA_DIR=str(tmp_path / "d")),
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Error: Port {port} is already in use on 127.0.0.1: stop the program using"
        " it, or choose another port with --port (--port 0 picks a free one)."
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_flask_run_still_works(isolated_settings: Path, tmp_path: Path) -> None:
    """The seed's own command: ``flask --app ghost_simulator run``."""
    flask = [sys.executable, "-m", "flask", "--app", "ghost_simulator", "run"]
    env = command_env(isolated_settings, GHOST_SIM_DATA_DIR=str(tmp_path / "d"))
    server = start([*flask, "--port", "0"], env, tmp_path)
    try:
        assert "Shoot against the ghost" in fetch(server.url + "/")[2]
    finally:
        server.stop()


# -- production mode: the body limit, the request log, the health check ------------


def _raw_request(
    url: str, head: bytes, body: bytes = b"", timeout: float = 10
) -> bytes:
    """Send ``head`` (and ``body``) on a fresh connection; the whole answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as conn:
        conn.sendall(head + body)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                headers, _, rest = answer.partition(b"\r\n\r\n")
                match = re.search(rb"(?i)content-length: *(\d+)", headers)
                if match and len(rest) >= int(match.group(1)):
                    break
    return answer


def _post_head(path: str, length: int, content_type: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()


def test_production_refuses_a_body_larger_than_the_app_takes(serve) -> None:  # type: ignore[no-untyped-def]
    from ghost_simulator.web.account.your_data import UPLOAD_LIMIT

    server = serve("--port", "0", "--production")
    # Only the headers: waitress answers from the Content-Length alone, before
    # a byte of the body is sent (it would wait for the body otherwise).
    head = _post_head("/data/import", UPLOAD_LIMIT + 1, "multipart/form-data; b=x")
    started = time.monotonic()
    answer = _raw_request(server.url, head, timeout=5)
    assert time.monotonic() - started < 5
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 413 Request Entity Too Large"
    assert b"Content-Type: text/plain" in rest  # waitress's answer, not the app's
    assert f"exceeds max_body of {UPLOAD_LIMIT + 1}".encode() in rest


def test_production_app_refuses_a_form_over_its_own_limit(serve) -> None:  # type: ignore[no-untyped-def]
    """Under the server's limit (an import's size) but over the app's for a form:
    the app's own 413 page."""
    server = serve("--port", "0", "--production")
    body = b"kind=set&padding=" + b"x" * (2 * 1024 * 1024)
    head = _post_head("/matches", len(body), "application/x-www-form-urlencoded")
    answer = _raw_request(server.url, head, body)
    status, _, rest = answer.partition(b"\r\n")
    assert status.upper() == b"HTTP/1.1 413 REQUEST ENTITY TOO LARGE"
    assert b"Content-Type: text/html" in rest
    assert b'class="error-code">413' in rest


def _chunked_request(
    url: str, path: str, content_type: str, body: bytes, extra: str = ""
) -> bytes:
    """POST ``body`` with ``Transfer-Encoding: chunked`` (no Content-Length); the
    answer. The server may answer and close before the whole body is sent.
    ``extra``: more header lines, each ending in CRLF."""
    host, port = url.removeprefix("http://").split(":")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"{extra}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=20) as conn:
        conn.sendall(head)
        try:
            for start in range(0, len(body), 64 * 1024):
                chunk = body[start : start + 64 * 1024]
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            conn.sendall(b"0\r\n\r\n")
            # All sent: the development server reads on (and throws away) what
            # a refused request sent, until the client says it is done.
            conn.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # it answered already
        answer = b""
        try:
            while chunk := conn.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    return answer


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
def test_a_chunked_body_over_the_limit_is_refused(serve, production: bool) -> None:  # type: ignore[no-untyped-def]
    """Sent without a Content-Length, a body over the app's limit is a 413 (the
    development server used to cut it at 1 MiB and process the rest)."""
    server = serve("--port", "0", *(["--production"] if production else []))
    form = b"kind=set&ghost=handicap&handicap=30&padding=" + b"x" * (3 * 1024 * 1024)
    answer = _chunked_request(
        server.url, "/matches", "application/x-www-form-urlencoded", form
    )
    status, _, rest = answer.partition(b"\r\n")
    assert b" 413 " in status.upper(), answer[:300]
    assert b'class="error-code">413' in rest
    body = b'{"kind": "set", "padding": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    answer = _chunked_request(server.url, "/api/v1/matches", "application/json", body)
    status, _, rest = answer.partition(b"\r\n")
    assert b" 413 " in status.upper(), answer[:300]
    assert b'"code":413' in rest.replace(b" ", b"")
    # Under the limit, a chunked body is read whole, as any other.
    _status, headers, text = fetch(server.url + "/api/v1/me")
    cookie = headers["Set-Cookie"].partition(";")[0]
    token = json.loads(text)["csrf_token"]
    small = b'{"kind": "set", "ghost": "handicap", "handicap": 30}'
    answer = _chunked_request(
        server.url,
        "/api/v1/matches",
        "application/json",
        small,
        extra=f"Cookie: {cookie}\r\nX-CSRFToken: {token}\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 201"), answer[:600]


def test_production_logs_one_line_per_request(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve("--port", "0", "--production")
    server.wait_for("Logging one line per request to stderr")
    status, headers, _ = fetch(
        server.url + "/about?password=hunter2", headers={"X-Request-ID": "probe-1"}
    )
    assert status == 200
    lowered = {name.lower(): value for name, value in headers.items()}
    assert lowered["x-request-id"] == "probe-1"  # waitress writes X-Request-Id
    with pytest.raises(urllib.error.HTTPError) as missing:
        fetch(server.url + "/no/such/page")
    missing.value.close()
    line = server.wait_for(r"INFO \[probe-1\] ghost_simulator.access: GET /about 200 ")
    assert re.search(r"GET /about 200 \d+\.\dms$", line.string)
    server.wait_for(
        r"INFO \[[0-9a-f]{16}\] ghost_simulator.access: GET /no/such/page 404"
    )
    assert not any("hunter2" in printed for printed in server.lines)


def test_development_server_keeps_werkzeugs_own_log(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve("--port", "0")
    fetch(server.url + "/about")
    server.wait_for(r'"GET /about HTTP/1.1" 200')
    assert not any("ghost_simulator.access" in line for line in server.lines)


def test_production_health_check(serve) -> None:  # type: ignore[no-untyped-def]
    server = serve("--port", "0", "--production")
    status, headers, body = fetch(server.url + "/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}
    assert "Set-Cookie" not in headers
