"""A ghost ladder in a phone-sized Chromium: start one with the form, shoot
its first match with the keypad, follow the match's link back and find the
match on the ladder, with no console error (CSP violations included)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .header import nav_click
from .test_play_in_browser import keypad_end

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture explains what is missing
    expect = None

pytestmark = pytest.mark.browser


def test_a_ladder_and_its_first_match(phone: Any, screenshot: Any) -> None:
    errors: list[str] = []
    phone.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto("/")
    nav_click(phone, "nav a:has-text('Ghost ladders')")
    phone.check("input[name=kind][value='set']")
    phone.check("input[name=target][value='70']")
    phone.check("input[name=start][value='handicap']")
    phone.fill("#handicap", "45")
    screenshot(phone, "0-form")
    phone.click("button:has-text('Start the ladder')")
    phone.wait_for_url(re.compile(r"/ladders/[\w-]+$"))
    expect(phone.locator("[data-testid=target]")).to_have_text("70%")
    expect(phone.locator("[data-testid=no-rungs]")).to_be_visible()
    ladder_url = phone.url
    phone.click("[data-testid=shoot-next]")
    phone.wait_for_url(re.compile(r"/matches/"))
    back = phone.locator("[data-testid=back-to-ladder]")
    for _end in range(6):  # three Xs an end: won in three or four sets
        keypad_end(phone, ["X", "X", "X"])
        if back.count():
            break
    screenshot(phone, "1-match-won")
    back.click()
    phone.wait_for_url(ladder_url)
    expect(phone.locator("[data-testid=rungs] tbody tr")).to_have_count(1)
    expect(phone.locator("[data-testid=rungs] tbody tr")).to_contain_text("won")
    expect(phone.locator("[data-testid=record]")).to_contain_text("1 won, 0 lost")
    expect(phone.locator("[data-testid=ladder-chart] circle")).to_have_count(4)
    screenshot(phone, "2-ladder")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"], width
    assert errors == []
