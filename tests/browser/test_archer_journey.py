"""An archer's whole journey in a phone-sized Chromium: register, shoot a round
and keep it, see it in the history and on the charts, shoot against it as the
ghost, then take everything to a new account."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

import pytest

from .header import nav_click
from .test_play_in_browser import expect, keyboard_end, no_sideways_scroll

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"


def register(page: Any, username: str | None = None) -> str:
    username = username or f"archer-{secrets.token_hex(3)}"
    page.goto("/register")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#confirm_password", PASSWORD)
    page.click("main button:has-text('Register')")
    expect(page.locator("[data-testid=account-name]")).to_have_text(username)
    return username


def half_18(page: Any, ghost: str | None = None) -> None:
    page.goto("/new")
    page.check("input[name=kind][value='half']")
    page.check("input[name=indoor][value='1']")
    if ghost:
        page.check(f"input[name=ghost][value='{ghost}']")
    page.click("button:has-text('Start')")
    page.wait_for_url(re.compile(r"/matches/"))


def shoot_ten_ends(page: Any, keys: str) -> None:
    for _ in range(10):
        keyboard_end(page, keys)
    expect(page.locator("[data-testid=status] .verdict")).to_be_visible()


def test_register_play_history_replay_export_import(
    browser: Any, live_server: str, screenshot: Any, tmp_path: Path
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        base_url=live_server,
        accept_downloads=True,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    register(page)

    half_18(page)
    shoot_ten_ends(page, "998")  # 26 an end: 260
    expect(page.locator("[data-testid=personal-best]")).to_contain_text("260")

    nav_click(page, "nav a:has-text('History')")
    expect(page.locator("[data-testid=history] tbody tr")).to_have_count(1)
    expect(page.locator("[data-testid=history]")).to_contain_text("260")
    no_sideways_scroll(page)
    page.click("main a:has-text('WA 18m (half)')")
    expect(page.locator("main svg").first).to_be_visible()
    assert page.locator("main svg").count() >= 2  # score and handicap, arrow values
    expect(page.locator("main")).to_contain_text("260")
    no_sideways_scroll(page)
    screenshot(page, "round-progress")

    half_18(page, ghost="past")  # "my personal best on this round" by default
    expect(page.locator(".ghost-line")).to_contain_text("260")
    keyboard_end(page, "999")
    ghost_end = page.locator("[data-testid=score-sheet] tbody tr").nth(0)
    expect(ghost_end).to_contain_text("26")
    for _ in range(9):
        keyboard_end(page, "999")
    expect(page.locator("[data-testid=own-result]")).to_have_text(
        "You beat your past self by 10 points."
    )
    expect(page.locator("[data-testid=personal-best]")).to_contain_text("270")
    screenshot(page, "beat-my-past-self")

    nav_click(page, ".account-nav a:has-text('Settings')")
    with page.expect_download() as download:
        page.click("a:has-text('Download everything (JSON)')")
    export = tmp_path / "export.json"
    download.value.save_as(export)
    document = json.loads(export.read_text(encoding="utf-8"))
    assert document["format"] == "ghost-simulator-export"
    assert len(document["matches"]) == 2

    nav_click(page, ".account-nav button:has-text('Sign out')")
    register(page)
    nav_click(page, ".account-nav a:has-text('Settings')")
    page.set_input_files("#import-file", str(export))
    page.click("button:has-text('Import')")
    expect(page.locator("[data-testid=notice]")).to_have_text("Imported 2 matches.")
    nav_click(page, "nav a:has-text('History')")
    expect(page.locator("[data-testid=history] tbody tr")).to_have_count(2)
    expect(page.locator("[data-testid=history]")).to_contain_text("270")
    assert errors == []
    context.close()
