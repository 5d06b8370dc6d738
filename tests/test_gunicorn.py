"""gunicorn with several worker processes: the documented command,
``gunicorn 'ghost_simulator:create_app()'``, configured by GHOST_SIM_*
environment variables, plays a whole match over HTTP."""

from __future__ import annotations

import http.cookiejar
import importlib.util
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .servers import ServerProcess, command_env, start

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="gunicorn runs on POSIX only"),
    pytest.mark.skipif(
        importlib.util.find_spec("gunicorn") is None,
        reason="gunicorn is not installed (it is in the test extra:"
        " pip install -e '.[test]')",
    ),
]

WORKERS = 3
ENDS = [
    ["X", "10", "9"],
    ["9", "9", "8"],
    ["10", "8", "7"],
    ["M", "6", "5"],
    ["X", "X", "X"],
] * 4  # the 20 ends of a WA 18 m round: the match ends, the share link shows
VALUES = {"X": 10, "M": 0}


@pytest.fixture
def gunicorn(isolated_settings: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "data"
    env = command_env(
        isolated_settings,
        GHOST_SIM_DATA_DIR=str(data_dir),
        GHOST_SIM_DATABASE_URL=os.environ.get(
            "GHOST_SIM_DATABASE_URL",  # this test's PostgreSQL, in such a run
            f"sqlite:///{tmp_path / 'club.db'}",
        ),
        GHOST_SIM_PUBLIC_URL="https://club.example.org/",
    )
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(WORKERS),
        "--bind",
        "127.0.0.1:0",
        "--graceful-timeout",
        "5",
        "ghost_simulator:create_app()",
    ]
    server: ServerProcess = start(command, env, tmp_path, wait=False)
    try:
        port = server.wait_for(r"Listening at: http://127\.0\.0\.1:(\d+)").group(1)
        server.url = f"http://127.0.0.1:{port}"
        for _ in range(WORKERS):
            server.wait_for(r"Booting worker with pid")
        wait_for_every_worker(server)
        yield server
    finally:
        server.stop()
        server.drain(5)
        print("\n".join(server.lines))  # shown when the test fails


def opener() -> urllib.request.OpenerDirector:
    """A browser of sorts: keeps its cookies, follows redirects."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def wait_for_every_worker(server: ServerProcess, seconds: float = 60) -> None:
    """Until each worker has answered a request (each has built its app, and
    migrated, by then): bursts of concurrent page loads, each worker taking
    one at a time, until the log lines name every worker's pid."""
    from concurrent.futures import ThreadPoolExecutor

    served = re.compile(r"\[(\d+)\] INFO \[\w+\] ghost_simulator\.access: ")

    def load(_: int) -> None:
        try:
            with urllib.request.urlopen(server.url + "/new", timeout=30) as page:
                page.read()
        except (urllib.error.URLError, OSError):
            pass  # not listening yet

    deadline = time.monotonic() + seconds
    with ThreadPoolExecutor(2 * WORKERS) as pool:
        while True:
            list(pool.map(load, range(2 * WORKERS)))
            server.drain(0.3)
            pids = {m.group(1) for line in server.lines if (m := served.search(line))}
            if len(pids) == WORKERS:
                return
            assert time.monotonic() < deadline, f"workers that answered: {pids}"


def wait_until_healthy(url: str, seconds: float = 30) -> dict[str, str]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                return dict(json.loads(response.read()), status_code=response.status)
        except (urllib.error.URLError, OSError):  # not listening yet, or busy
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def post(
    browser: urllib.request.OpenerDirector, url: str, fields: dict
) -> tuple[str, str]:  # type: ignore[type-arg]
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    with browser.open(url, data=body, timeout=20) as response:
        assert response.status == 200
        return response.url, response.read().decode()


def test_gunicorn_workers_play_a_whole_match(gunicorn: ServerProcess) -> None:
    url = gunicorn.url
    assert wait_until_healthy(url) == {"status": "ok", "status_code": 200}

    browser = opener()
    with browser.open(url + "/new", timeout=20) as response:
        new_page = response.read().decode()
    setup = {
        "csrf_token": token(new_page),
        "kind": "ranking",
        "round": "wa18",
        "bow": "recurve",
        "indoor": "1",
        "ghost": "handicap",
        "handicap": "30",
    }
    match_url, page = post(browser, url + "/matches", setup)
    assert re.fullmatch(re.escape(url) + r"/matches/[A-Za-z0-9_-]{22}", match_url)
    # The share link names the seed: not shown until the match is over.
    assert "/new?seed=" not in page

    for arrows in ENDS:  # each request may reach any of the workers
        _, page = post(
            browser, match_url + "/ends", {"csrf_token": token(page), "arrow": arrows}
        )

    with browser.open(match_url, timeout=20) as response:
        sheet = response.read().decode()
    end_totals = [
        int(t) for t in re.findall(r'<span class="end-total">(\d+)</span>', sheet)
    ]
    archer_totals = end_totals[0::2]  # each row: the archer's end, then the ghost's
    assert archer_totals == [
        sum(VALUES[a] if a in VALUES else int(a) for a in end) for end in ENDS
    ]
    assert len(end_totals) == 2 * len(ENDS)
    # Configured by GHOST_SIM_PUBLIC_URL: the share link names the club's site.
    assert re.search(r'href="https://club\.example\.org/new\?seed=', sheet)

    # Another visitor cannot read it back; the one who played it can, on any worker.
    with pytest.raises(urllib.error.HTTPError) as stranger:
        opener().open(match_url, timeout=20)
    assert stranger.value.code == 404
    stranger.value.close()
    for _ in range(WORKERS * 2):
        with browser.open(match_url, timeout=20) as response:
            assert response.status == 200

    assert wait_until_healthy(url)["status"] == "ok"
    # Loaded by gunicorn: production mode, one line per request on stderr.
    gunicorn.wait_for(
        r"INFO \[[0-9a-f]{16}\] ghost_simulator\.access: GET /healthz 200"
    )
    gunicorn.wait_for(r"ghost_simulator\.access: POST /matches/[\w-]{22}/ends 303 ")
    assert not any("Traceback" in line for line in gunicorn.lines)


def test_gunicorn_health_check_follows_the_database(
    gunicorn: ServerProcess, tmp_path: Path
) -> None:
    if "GHOST_SIM_DATABASE_URL" in os.environ:
        pytest.skip("about the SQLite file: runs without GHOST_SIM_TEST_DATABASE_URL")
    url = gunicorn.url
    assert wait_until_healthy(url)["status"] == "ok"
    database = tmp_path / "club.db"
    database.rename(tmp_path / "away.db")
    for _ in range(WORKERS * 2):  # every worker sees it, whichever answers
        with pytest.raises(urllib.error.HTTPError) as unavailable:
            urllib.request.urlopen(url + "/healthz", timeout=10)
        assert unavailable.value.code == 503
        body = json.loads(unavailable.value.read())
        assert body["status"] == "unavailable"
        assert body["error"]["message"] == "The database does not answer."
        unavailable.value.close()
    (tmp_path / "away.db").rename(database)
    assert wait_until_healthy(url)["status"] == "ok"
