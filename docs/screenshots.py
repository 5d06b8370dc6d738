"""The documentation's screenshots, taken from the real app.

Starts ``ghost-sim serve`` on a throwaway data directory, drives the pages in
headless Chromium at phone size (390 x 844) as archers would (registering,
playing a match with the keypad, a club and a ghost night with two members),
and saves each screen in English and Spanish, in the light and the dark colour
scheme, under ``docs/images/``::

    python docs/screenshots.py [--chromium /usr/bin/chromium]

Needs Playwright for Python (in the ``test`` extra) and a Chromium from the
system (Debian's ``chromium``); it never downloads a browser.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

IMAGES = Path(__file__).resolve().parent / "images"
PHONE: Any = {"width": 390, "height": 844}
SCHEMES = ("light", "dark")
#: Each language the screenshots are taken in, and its files' prefix.
LANGUAGES = (("en", ""), ("es", "es-"))
#: A throwaway data dir's archers' password.
PASSWORD = "a long enough password"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]


@contextmanager
def server(home: Path) -> Iterator[str]:
    """``ghost-sim serve --port 0`` on its own data dir; yields its address."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GHOST_SIM_", "FLASK_"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        GHOST_SIM_DATA_DIR=str(home / "data"),
        GHOST_SIM_REGISTER_LIMIT="1000 per hour",
        GHOST_SIM_MATCH_CREATION_LIMIT="1000 per minute",
        PYTHONUNBUFFERED="1",
        NO_COLOR="1",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "ghost_simulator", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=home,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            found = re.search(r"Running on (https?://\S+)", line)
            if found:
                break
        else:
            raise SystemExit("ghost-sim serve stopped before it printed its address")
        # Keep reading what it prints, or its request lines fill the pipe.
        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield found.group(1)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=15)


def shoot(
    page: Any,
    name: str,
    redo: Callable[[], None] | None = None,
    undo: Callable[[], None] | None = None,
) -> None:
    """The page in each language and colour scheme, as
    docs/images/<name>-light.png and -dark.png (English) and es-<name>-...
    (Spanish). The page is reloaded in each language (the ``lang`` cookie, as
    the language switch at its foot sets it); ``redo`` then puts back what the
    archer had typed, and ``undo`` takes it away again before the next."""
    for language, prefix in LANGUAGES:
        page.context.add_cookies([{"name": "lang", "value": language, "url": page.url}])
        page.reload()
        page.wait_for_load_state("networkidle")
        if redo:
            redo()
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(150)
            path = IMAGES / f"{prefix}{name}-{scheme}.png"
            page.screenshot(path=str(path))
            size = path.stat().st_size // 1024
            print(f"{path.relative_to(IMAGES.parent)}: {size} kB")
        if undo:
            undo()
    page.context.add_cookies([{"name": "lang", "value": "en", "url": page.url}])
    page.emulate_media(color_scheme="light")
    page.reload()
    page.wait_for_load_state("networkidle")


def register(page: Any, username: str) -> None:
    page.goto("/register")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#confirm_password", PASSWORD)
    page.click("main button:has-text('Register')")
    page.locator("[data-testid=account-name]").wait_for(state="attached")


def keypad_end(page: Any, labels: list[str]) -> None:
    rows = page.locator("[data-testid=score-sheet] tbody tr").count()
    for label in labels:
        page.click(f".keypad button[data-value='{label}']")
    page.click("[data-submit]")
    page.locator("[data-testid=score-sheet] tbody tr").nth(rows).wait_for()
    page.locator("tr.sending").wait_for(state="detached")


def a_match(page: Any) -> None:
    """The new-match form, a set match in progress, the finished sheet."""
    page.goto("/new")
    shoot(page, "new-match")
    page.click("main button:has-text('Start')")
    page.wait_for_url(re.compile(r"/matches/"))
    keypad_end(page, ["X", "10", "9"])

    def type_two() -> None:
        page.click(".keypad button[data-value='10']")
        page.click(".keypad button[data-value='9']")

    def remove_two() -> None:
        page.click(".keypad [data-undo]")
        page.click(".keypad [data-undo]")

    shoot(page, "match-keypad", redo=type_two, undo=remove_two)
    page.goto(page.url)
    page.wait_for_load_state("networkidle")
    for _ in range(5):
        if page.locator("[data-testid=status] .verdict").count():
            break
        keypad_end(page, ["X", "X", "10"])
    page.locator("[data-testid=status] .verdict").wait_for()
    shoot(page, "finished")
    page.goto("/new")
    page.check("input[name=kind][value='half']")
    page.check("input[name=indoor][value='1']")
    page.click("main button:has-text('Start')")
    page.wait_for_url(re.compile(r"/matches/"))
    for labels in (["10", "9", "9"], ["10", "10", "8"], ["9", "9", "8"]):
        keypad_end(page, labels)
    page.goto("/history")
    shoot(page, "history")


def a_night(browser: Any, base_url: str) -> None:
    """A club, an invitation, a ghost night, two members' ends: the leaderboard."""

    def phone() -> Any:
        context = browser.new_context(viewport=PHONE, base_url=base_url)
        return context.new_page()

    admin = phone()
    register(admin, "marta")
    admin.goto("/clubs")
    admin.fill("#club-name", "Riverside Archers")
    admin.click("main button:has-text('Start the club')")
    admin.wait_for_url(re.compile(r"/clubs/[\w-]+$"))
    club_url = admin.url.split("?")[0]
    admin.click("main button:has-text('Make an invitation link')")
    link = admin.locator("input[value*='/clubs/join/']").first
    link.wait_for()
    found = re.search(r"/clubs/join/([\w-]+)", link.get_attribute("value") or "")
    if not found:
        raise SystemExit("no invitation link on the club's page")
    admin.goto(club_url + "/nights")
    now = datetime.now(UTC)
    admin.fill("#title", "Friday ghost night")
    admin.check("input[name=kind][value='ranking']")
    admin.check("input[name=indoor][value='1']")
    admin.select_option("#round", "wa18")
    admin.fill("#handicap", "40")
    admin.fill("#timezone", "UTC")
    admin.fill("#opens", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    admin.fill("#closes", (now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    admin.click("[data-testid=create-night]")
    admin.wait_for_url(re.compile(r"/nights/[\w-]+$"))
    night_url = admin.url
    for name, ends in (
        ("lucia", [["X", "10", "9"], ["10", "9", "9"], ["10", "10", "8"]]),
        ("pablo", [["9", "9", "8"], ["10", "8", "7"], ["9", "9", "9"]]),
    ):
        member = phone()
        register(member, name)
        member.goto(f"/clubs/join/{found.group(1)}")
        member.click("[data-testid=join-club]")
        member.wait_for_url(re.compile(r"/clubs/[\w-]+$"))
        member.goto(night_url)
        member.click("[data-testid=join]")
        member.wait_for_url(re.compile(r"/matches/"))
        for labels in ends:
            keypad_end(member, labels)
        member.context.close()
    admin.goto(night_url)
    admin.locator("[data-testid=leaderboard-row]").nth(1).wait_for()
    shoot(admin, "night-leaderboard")
    admin.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--chromium",
        default=shutil.which("chromium") or "/usr/bin/chromium",
        help="the Chromium to drive (default: the system's)",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    IMAGES.mkdir(exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="ghost-screenshots-") as home,
        server(Path(home)) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport=PHONE, base_url=url)
        page = context.new_page()
        register(page, "alex")
        a_match(page)
        context.close()
        a_night(browser, url)
        browser.close()


if __name__ == "__main__":
    main()
