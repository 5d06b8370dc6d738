"""Page weight and render time of the match page, next to a plain static page
measured in the same run and the same headless Chromium.

Weight: the bytes of the first load (HTML, CSS, JS; no images), as sent.
Time: navigation start to first contentful paint, median of several loads.

    python benchmarks/pages.py [--loads 15]

Needs a running-free port, Debian's chromium and Playwright (the [test] extra).
"""

from __future__ import annotations

import argparse
import http.server
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PLAIN = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plain page</title></head><body><h1>A plain page</h1>
<p>Nothing but HTML: the floor for a page's first paint.</p></body></html>"""


def start_app(data_dir: str) -> tuple[subprocess.Popen[str], str]:
    ghost_sim = shutil.which("ghost-sim", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [ghost_sim or "ghost-sim", "serve", "--port", "0", "--data-dir", data_dir],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if match := re.search(r"Running on (http://\S+)", line):
            return process, match.group(1)
    raise SystemExit("the app did not start")


def start_plain(directory: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    (Path(directory) / "plain.html").write_text(PLAIN)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=directory, **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/plain.html"


def measure(browser: Any, url: str, loads: int, setup: Any = None) -> tuple[int, float]:
    """(bytes of HTML+CSS+JS on a cold load, median ms to first contentful paint)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    if setup:
        url = setup(page)
    responses: list[Any] = []
    cold = browser.new_context(viewport={"width": 390, "height": 844})
    cold.add_cookies(context.cookies())
    cold_page = cold.new_page()
    cold_page.on("response", lambda response: responses.append(response))
    cold_page.goto(url, wait_until="load")
    size = sum(
        len(r.body())
        for r in responses
        if r.request.resource_type in ("document", "stylesheet", "script")
    )
    cold.close()

    paints = []
    for _ in range(loads):
        page.goto(url, wait_until="load")
        page.wait_for_timeout(50)  # let the paint entry be recorded
        paint = page.evaluate(
            "(performance.getEntriesByType('paint')"
            ".find(e => e.name === 'first-contentful-paint')"
            " || {startTime: -1}).startTime"
        )
        paints.append(float(paint))
    context.close()
    return size, statistics.median(paints)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=15)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp:
        app, app_url = start_app(str(Path(tmp) / "data"))
        plain_server, plain_url = start_plain(tmp)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, args=ARGS
                )

                def new_match(page: Any) -> str:
                    page.goto(app_url + "/new")
                    page.click("button:has-text('Start')")
                    page.wait_for_url(re.compile(r"/matches/"))
                    return str(page.url)

                plain = measure(browser, plain_url, args.loads)
                landing = measure(browser, app_url + "/", args.loads)
                match = measure(browser, app_url, args.loads, setup=new_match)
                browser.close()
        finally:
            app.terminate()
            plain_server.shutdown()
    print(f"{'page':<22} {'HTML+CSS+JS':>12} {'first paint':>12}  vs plain")
    for name, (size, paint) in (
        ("plain static page", plain),
        ("landing page", landing),
        ("match page", match),
    ):
        print(
            f"{name:<22} {size / 1024:9.1f} KiB {paint:9.1f} ms"
            f"  {paint / plain[1]:6.2f}x"
        )


if __name__ == "__main__":
    main()
