"""Start the installed ``ghost-sim serve --port 0`` and fetch its pages.

Proves that templates, static files, translations and migrations shipped in the
wheel: run from outside the checkout with the wheel's own interpreter.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import ghost_simulator

ghost_sim, data_dir = sys.argv[1], sys.argv[2]
package_dir = Path(ghost_simulator.__file__).parent
assert "site-packages" in str(package_dir), f"not the installed wheel: {package_dir}"
for shipped in (
    "templates/base.html",
    "static/style.css",
    "translations/es/LC_MESSAGES/messages.mo",
    "store/migrations/env.py",
    "store/migrations/versions/0001_initial_schema.py",
):
    assert (package_dir / shipped).is_file(), f"missing from the wheel: {shipped}"

env = {**os.environ, "PYTHONUNBUFFERED": "1", "HOME": data_dir}
process = subprocess.Popen(
    [ghost_sim, "serve", "--port", "0", "--data-dir", data_dir],
    stdout=subprocess.PIPE,
    stderr=subprocess.STDOUT,
    text=True,
    env=env,
)
try:
    url = None
    deadline = time.monotonic() + 60
    assert process.stdout is not None
    for line in process.stdout:
        print("   |", line.rstrip())
        if match := re.search(r"Running on (http://\S+)", line):
            url = match.group(1)
            break
        if time.monotonic() > deadline:
            break
    assert url, "the server never printed its address"

    def get(path: str, **headers: str) -> tuple[int, str]:
        request = urllib.request.Request(url + path, headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()

    status, body = get("/")
    assert status == 200, status
    assert "Shoot against the ghost" in body, body[:300]
    status, body = get("/static/style.css")
    assert status == 200, status
    assert "#fade95" in body, "the stylesheet did not ship"
    status, body = get("/", **{"Accept-Language": "es"})
    assert "Tira contra el fantasma" in body, "Spanish translation did not ship"
    assert (Path(data_dir) / "ghost-simulator.db").is_file(), "no database created"
    print(f"smoke test passed: {url} served /, /static/style.css and Spanish pages")
finally:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
