"""Accounts in a phone-sized Chromium: register, the header, settings, sign out
and in again, with no sideways scrolling and nothing the CSP blocks."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest

from .header import nav_click
from .test_play_in_browser import expect, new_match, no_sideways_scroll

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"


def test_register_settings_sign_out_and_in(
    browser: Any, live_server: str, screenshot: Any
) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server
    )
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    username = f"archer-{secrets.token_hex(3)}"

    new_match(page)  # played before having an account
    match_url = page.url
    page.goto("/")
    nav_click(page, ".account-nav a:has-text('Register')")
    no_sideways_scroll(page)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#confirm_password", PASSWORD)
    page.click("main button:has-text('Register')")
    expect(page.locator("[data-testid=account-name]")).to_have_text(username)
    no_sideways_scroll(page)
    screenshot(page, "signed-in")

    nav_click(page, ".account-nav a:has-text('Settings')")
    no_sideways_scroll(page)
    page.select_option("#bowstyle", "barebow")
    page.click("button:has-text('Save profile')")
    expect(page.locator("[data-testid=notice]")).to_have_text("Your profile is saved.")
    expect(page.locator("#bowstyle")).to_have_value("barebow")
    screenshot(page, "settings")

    nav_click(page, ".account-nav button:has-text('Sign out')")
    expect(page.locator("[data-testid=notice]")).to_have_text("You are signed out.")
    page.goto(match_url)
    assert page.locator("h1:has-text('Page not found')").count() == 1

    page.goto("/")
    nav_click(page, ".account-nav a:has-text('Sign in')")
    page.fill("#login", username.upper())
    page.fill("#password", PASSWORD)
    page.click("main button:has-text('Sign in')")
    expect(page.locator("[data-testid=account-name]")).to_have_text(username)
    page.goto(match_url)
    page.wait_for_url(re.compile(r"/matches/"))
    assert page.locator("h1:has-text('Page not found')").count() == 0
    # Nothing blocked or broken; the one 404 is the page asked for above.
    assert [e for e in errors if "status of 404" not in e] == []
    context.close()
