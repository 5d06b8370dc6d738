"""Throughput under a real load generator (wrk), next to the floor.

The floor is a minimal Flask "hello" app on the same server (waitress) with
the same thread count, measured in the same run: these machines are noisy, so
the figures that matter are the ratios. Measured, each for ``--duration``
seconds with ``--connections`` open connections:

- the landing page (``/``), the match page (``/matches/<id>``, a match with a
  few ends in it) and submitting an end (``POST /matches/<id>/ends``, spread
  over many matches of a long round, each request a real new end);
- the same pages on the development server (``ghost-sim serve``), to show why
  ``--production`` exists.

Goals (issue 9): landing >= 0.4x the floor, match page >= 0.25x, submitting
an end >= 0.15x. Two ratios are printed: requests per second, and the
server's CPU time per request (from /proc: the floor's over the page's), which
moves far less when other work on the machine takes the cores away.

    python benchmarks/load.py [--duration 5] [--connections 8] [--threads 4]

Needs wrk (Debian's package). Uses a private data dir with SQLite, or the
database in GHOST_SIM_DATABASE_URL when it is set.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HELLO = """
from flask import Flask

app = Flask("hello")


@app.get("/")
def hello():
    return "Hello, archer!"
"""

#: A long round (24 ends of 6 arrows), so every request adds a real end.
MATCH_FORM = {
    "kind": "ranking",
    "round": "wa1440_90",
    "bow": "recurve",
    "indoor": "0",
    "ghost": "handicap",
    "handicap": "40",
    "scheme": "AGB",
}
ENDS_PER_MATCH = 24

ENDS_SCRIPT = """
ids = {%(ids)s}
counter = 0
request = function()
  counter = counter + 1
  local id = ids[(counter %% #ids) + 1]
  local body = "total=50&csrf_token=%(token)s"
  return wrk.format("POST", "/matches/" .. id .. "/ends", nil, body)
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server at {url} did not start")


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_floor(work: Path, threads: int) -> Server:
    (work / "hello.py").write_text(HELLO)
    port = free_port()
    code = (
        "import waitress, hello;"
        f" waitress.serve(hello.app, host='127.0.0.1', port={port},"
        f" threads={threads}, _quiet=True)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=work, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/")
    return Server("floor (Flask hello, waitress)", url, process)


def start_app(work: Path, threads: int, production: bool) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "GHOST_SIM_DATA_DIR": str(work / "data"),
        "GHOST_SIM_CONFIG_FILE": str(work / "none.toml"),
        # The benchmark creates many matches from one address on purpose.
        "GHOST_SIM_RATELIMIT_ENABLED": "false",
    }
    command = [sys.executable, "-c", "from ghost_simulator.cli import main; main()"]
    command += ["serve"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    if production:
        command += ["--production", "--threads", str(threads)]
    else:
        command += ["--no-reload", "--no-debugger"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/")
    name = "ghost-sim --production" if production else "ghost-sim (development)"
    return Server(name, url, process)


class Browser:
    """A cookie jar and the form token, as a page would have them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )
        page = self.get("/new")
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if found is None:
            raise SystemExit("no form token on /new")
        self.token = found.group(1)

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return str(response.read().decode())

    def post(self, path: str, fields: dict[str, str]) -> str:
        body = urllib.parse.urlencode({**fields, "csrf_token": self.token}).encode()
        with self.opener.open(self.base + path, body, timeout=30) as response:
            return str(response.geturl())

    def new_match(self) -> str:
        url = self.post("/matches", MATCH_FORM)
        return url.rstrip("/").rsplit("/", 1)[-1].split("#")[0]

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int = 0
    cpu_ms: float = 0.0  # the server process's CPU time per request

    def measured_cpu(self, seconds: float) -> Result:
        self.cpu_ms = seconds * 1000 / max(self.requests, 1)
        return self


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (user and system, all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(
    url: str,
    duration: int,
    connections: int,
    cookie: str = "",
    script: Path | None = None,
    server: Server | None = None,
) -> Result:
    """wrk's figures; with ``server``, also the server's CPU time per request
    (steadier than requests per second on a machine shared with others)."""
    before = cpu_seconds(server.process.pid) if server else 0.0
    result = _wrk(url, duration, connections, cookie, script)
    if server is None:
        return result
    return result.measured_cpu(cpu_seconds(server.process.pid) - before)


def _wrk(
    url: str,
    duration: int,
    connections: int,
    cookie: str,
    script: Path | None,
) -> Result:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script is not None:
        command += ["-s", str(script)]
        command += ["-H", "Content-Type: application/x-www-form-urlencoded"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    if "Requests/sec" not in output or "99%" not in output:
        raise SystemExit(f"wrk said:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s*(50|99)%\s+(\S+)\s*$", output, re.M))
    if set(percentiles) != {"50", "99"}:
        raise SystemExit(f"wrk's latency distribution was not found in:\n{output}")
    p50, p99 = _ms(percentiles["50"]), _ms(percentiles["99"])
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    count = int(bad.group(1)) if bad else 0
    if errors:
        count += sum(int(n) for n in re.findall(r"\d+", errors.group(0)))
    done = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    return Result(rate, p50, p99, count, done)


def measure_app(
    server: Server, args: argparse.Namespace, work: Path, floor: float
) -> list[tuple[str, Result]]:
    browser = Browser(server.url)
    shown = browser.new_match()
    for _ in range(3):
        browser.post(f"/matches/{shown}/ends", {"total": "50"})
    results = [
        (
            "landing page",
            wrk(server.url + "/", args.duration, args.connections, server=server),
        ),
        (
            "match page",
            wrk(
                f"{server.url}/matches/{shown}",
                args.duration,
                args.connections,
                browser.cookie,
                server=server,
            ),
        ),
    ]
    # Enough matches that no request of the run finds its match finished (the
    # ends come at up to the floor's rate).
    wanted = int(floor * args.duration / ENDS_PER_MATCH) + 20
    ids = [browser.new_match() for _ in range(wanted)]
    script = work / f"ends-{server.process.pid}.lua"
    quoted = ", ".join(f'"{match_id}"' for match_id in ids)
    script.write_text(ENDS_SCRIPT % {"ids": quoted, "token": browser.token})
    ends = wrk(
        server.url, args.duration, args.connections, browser.cookie, script, server
    )
    results.append(("submitting an end", ends))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--no-development", action="store_true", help="skip the development server"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        floor_server = start_floor(work, args.threads)
        try:
            floor = wrk(
                floor_server.url + "/",
                args.duration,
                args.connections,
                server=floor_server,
            )
        finally:
            floor_server.stop()
        print(
            f"{args.connections} connections, {args.threads} server threads,"
            f" {args.duration:g} s each; wrk on the same machine"
        )
        print(
            f"{'':44} {'req/s':>7} {'x floor':>7} {'p50 ms':>7} {'p99 ms':>7}"
            f" {'CPU ms':>7} {'x floor':>7}"
        )
        row = "{:44} {:7.0f} {:7.2f} {:7.1f} {:7.1f} {:7.2f} {:7.2f}{}"
        print(
            row.format(
                "floor: Flask hello",
                floor.requests_per_second,
                1.0,
                floor.p50_ms,
                floor.p99_ms,
                floor.cpu_ms,
                1.0,
                "",
            )
        )
        for production in (True, False):
            if not production and args.no_development:
                continue
            server = start_app(work, args.threads, production)
            try:
                results = measure_app(server, args, work, floor.requests_per_second)
            finally:
                server.stop()
            for name, result in results:
                note = f"  ({result.errors} errors)" if result.errors else ""
                print(
                    row.format(
                        f"{server.name}: {name}",
                        result.requests_per_second,
                        result.requests_per_second / floor.requests_per_second,
                        result.p50_ms,
                        result.p99_ms,
                        result.cpu_ms,
                        floor.cpu_ms / result.cpu_ms,
                        note,
                    )
                )


if __name__ == "__main__":
    main()
