"""A club in phone-sized Chromium: the owner starts one and makes an
invitation (its link and QR code); a second archer, in a browser of their
own, opens the link (sent to sign in first), joins and appears in the
member list; no console error (CSP violations included) and no sideways
scroll."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .header import nav_click
from .test_archer_journey import register

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture explains what is missing
    expect = None

pytestmark = pytest.mark.browser


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def watch(page: Any, errors: list[str]) -> None:
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))


def no_serious_axe_violation(page: Any) -> None:
    """axe-core on the page as it is: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not blocking, [(v["id"], v["help"]) for v in blocking]


def test_invite_and_join(
    phone: Any, browser: Any, live_server: str, screenshot: Any
) -> None:
    errors: list[str] = []
    watch(phone, errors)
    register(phone)
    nav_click(phone, "nav a:has-text('Clubs')")
    no_serious_axe_violation(phone)
    phone.fill("#club-name", "Riverside Archers")
    phone.fill("#club-location", "Leeds")
    with phone.expect_navigation():
        phone.click("button:has-text('Start the club')")
    assert re.search(r"/clubs/[\w-]+$", phone.url), phone.url
    club_url = phone.url
    expect(phone.locator("[data-testid=club-name]")).to_have_text("Riverside Archers")
    phone.select_option("#invite-days", "1")
    with phone.expect_navigation():
        phone.click("button:has-text('Make an invitation link')")
    link = phone.locator("[data-testid=invite-link]").input_value()
    assert "/clubs/join/" in link
    expect(phone.locator("[data-testid=invite-qr] svg")).to_be_visible()
    no_sideways_scroll(phone)
    screenshot(phone, "owner")
    no_serious_axe_violation(phone)

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server
    )
    try:
        other = context.new_page()
        watch(other, errors)
        other.goto(link)
        assert "/login?next=" in other.url, other.url
        name = register(other)
        other.goto(link)
        expect(other.locator("h1")).to_contain_text("Riverside Archers")
        no_sideways_scroll(other)
        no_serious_axe_violation(other)
        with other.expect_navigation():
            other.click("[data-testid=join-club]")
        assert other.url == club_url, other.url
        members = other.locator("[data-testid=member]")
        expect(members).to_have_count(2)
        expect(members.nth(1)).to_contain_text("(you)")
        # What the club sees of them: their name, once they choose it.
        other.check("input[name=shown_as][value=name]")
        with other.expect_navigation():
            other.click("[data-testid=my-settings] button[type=submit]")
        expect(members.nth(1)).to_contain_text(name)
        no_sideways_scroll(other)
        screenshot(other, "member")
        no_serious_axe_violation(other)
    finally:
        context.close()
    phone.reload()
    expect(phone.locator("[data-testid=member]")).to_have_count(2)
    expect(phone.locator("[data-testid=members]")).to_contain_text(name)
    assert errors == []
