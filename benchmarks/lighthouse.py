"""Lighthouse's audit of the pages an archer uses at the range, on a phone.

Runs Lighthouse (the npm package, pinned: 12.2.3 runs on Node 20) with
Debian's Chromium (``CHROME_PATH``) in its mobile profile against the local
production server, signed in as a new archer, on four pages: the landing
page, the new-match form, a match in progress and the history. Prints each
page's performance, accessibility and best-practices scores, and what each
score below its goal lost points on.

Goals (issue 16): performance >= 95, accessibility 100, best practices >= 95.

    python benchmarks/lighthouse.py [--lighthouse PATH] [--chromium PATH]

Without ``--lighthouse`` it uses .lighthouse/node_modules/.bin/lighthouse in
the checkout, installing it there first with npm (a folder git ignores).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import Browser, start_app

ROOT = Path(__file__).resolve().parents[1]
PINNED = "lighthouse@12.2.3"
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 95}
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run"
    " --disable-background-networking --disable-component-update --disable-sync"
)


def lighthouse_command(given: str | None) -> str:
    if given:
        return given
    local = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
    if not local.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("needs npm (Node.js) to install Lighthouse")
        print(f"installing {PINNED} into .lighthouse/ ...", file=sys.stderr)
        subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "-E",
                "--prefix",
                str(ROOT / ".lighthouse"),
                PINNED,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return str(local)


def signed_in(base: str) -> tuple[Browser, str]:
    """A new archer with a match of a few ends: the browser and the match."""
    browser = Browser(base)
    browser.get("/register")
    browser.post(
        "/register",
        {
            "username": "lighthouse",
            "password": "a long enough password",
            "confirm_password": "a long enough password",
        },
    )
    match_id = browser.new_match()
    for _ in range(3):
        browser.post(f"/matches/{match_id}/ends", {"total": "50"})
    return browser, match_id


def audit(command: str, chromium: str, url: str, cookie: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": chromium}
    subprocess.run(
        [
            command,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            "--form-factor=mobile",
            "--only-categories=performance,accessibility,best-practices",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--extra-headers={json.dumps({'Cookie': cookie})}",
        ],
        check=True,
        env=env,
    )
    return json.loads(out.read_text("utf-8"))  # type: ignore[no-any-return]


def losses(report: dict, category: str) -> list[str]:
    """The audits that cost the category points."""
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        result = report["audits"][ref["id"]]
        score = result.get("score")
        if ref.get("weight", 0) > 0 and score is not None and score < 1:
            found.append(f"{ref['id']} ({score:.2f})")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse")
    parser.add_argument("--chromium", default=shutil.which("chromium"))
    options = parser.parse_args()
    if not options.chromium:
        raise SystemExit("needs Chromium (Debian's chromium package)")
    command = lighthouse_command(options.lighthouse)
    with tempfile.TemporaryDirectory() as work:
        server = start_app(Path(work), threads=4, production=True)
        try:
            browser, match_id = signed_in(server.url)
            pages = {
                "landing": "/",
                "new match": "/new",
                "match in progress": f"/matches/{match_id}",
                "history": "/history",
            }
            missed = 0
            print(f"Lighthouse ({PINNED}, mobile) on the production server")
            print(
                f"{'page':<20}{'performance':>12}{'accessibility':>15}{'best pr.':>10}"
            )
            for name, path in pages.items():
                report = audit(
                    command,
                    options.chromium,
                    server.url + path,
                    browser.cookie,
                    Path(work) / "report.json",
                )
                scores = {
                    c: round(report["categories"][c]["score"] * 100) for c in GOALS
                }
                print(
                    f"{name:<20}{scores['performance']:>12}"
                    f"{scores['accessibility']:>15}{scores['best-practices']:>10}"
                )
                for category, goal in GOALS.items():
                    if scores[category] < goal:
                        missed += 1
                        lost = ", ".join(losses(report, category)) or "?"
                        print(f"    {category} below {goal}: {lost}")
        finally:
            server.stop()
    print("goals: " + ("met" if not missed else f"{missed} missed"))


if __name__ == "__main__":
    main()
