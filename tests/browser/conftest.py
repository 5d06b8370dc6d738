"""Headless Chromium driving the real pages of a real ``ghost-sim serve``.

Uses Debian's ``chromium`` (never a browser download) through Playwright for
Python. Skipped, with the reason, where no Chromium exists; under CI (CI=true)
a missing browser is an error instead, since CI installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from ..databases import migrated_schema, postgres_url
from ..servers import command_env, ghost_sim_command, start

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("GHOST_SIM_SCREENSHOTS", "test-output/screenshots"))


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    reason = "no Chromium on this machine: install Debian's chromium package"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        path, reason = (
            None,
            "Playwright for Python is not installed (pip install -e '.[test]')",
        )
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``ghost-sim serve --port 0`` with its own data dir, for the session."""
    home = tmp_path_factory.mktemp("browser-home")
    env = command_env(
        home,
        GHOST_SIM_DATA_DIR=str(home / "data"),
        # Every test's archer comes from 127.0.0.1: the default (30 matches a
        # minute per address) is for one person, and a fast run exceeds it.
        GHOST_SIM_MATCH_CREATION_LIMIT="100000 per minute",
        # Every test's archers register from 127.0.0.1 too.
        GHOST_SIM_REGISTER_LIMIT="100000 per hour",
    )
    with ExitStack() as stack:
        if url := postgres_url():  # a schema of its own, never emptied mid-run
            env["GHOST_SIM_DATABASE_URL"] = stack.enter_context(migrated_schema(url))
        server = start(ghost_sim_command("serve", "--port", "0"), env, home)
        yield server.url
        server.stop()


@pytest.fixture
def phone(browser: Any, live_server: str) -> Iterator[Any]:
    """A phone-sized page (390 x 844) with JavaScript on."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_without_js(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        base_url=live_server,
        java_script_enabled=False,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """``screenshot(page, "name")`` saves under test-output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str, full_page: bool = True) -> Path:
        """The whole page, or (``full_page=False``) the screen as it is."""
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        page.wait_for_load_state("load")  # stylesheet and images in
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
