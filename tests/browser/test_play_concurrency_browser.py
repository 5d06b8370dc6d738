"""Two tabs on one match, and an old link's first end, in Chromium: the page's
script shows a 409 as the sheet as it stands with the reason, and follows an
old link's first end to the match it stored."""

from __future__ import annotations

import re
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture explains what is missing
    expect = None

from .test_play_in_browser import keypad_end, new_match

pytestmark = pytest.mark.browser


def test_an_end_entered_in_another_tab_meanwhile(phone: Any) -> None:
    new_match(phone)
    other = phone.context.new_page()  # a second tab of the same browser
    other.goto(phone.url)
    keypad_end(phone, ["9", "9", "9"])
    # the other tab's page still shows end 1: its entry is refused, openly
    other.evaluate("window.sameDocument = true")
    for label in ("X", "X", "X"):
        other.click(f".keypad button[data-value='{label}']")
    other.click("[data-submit]")
    error = other.locator("[data-testid=error]")
    error.wait_for()
    assert "This match changed in another window" in error.inner_text()
    rows = other.locator("[data-testid=score-sheet] tbody tr")
    assert rows.count() == 1
    assert "27" in rows.first.inner_text()  # the first tab's 9, 9, 9
    assert other.evaluate("window.sameDocument === true")  # swapped in, no reload
    # the sheet it was given is current: the end goes in now
    for label in ("X", "X", "X"):
        other.click(f".keypad button[data-value='{label}']")
    other.click("[data-submit]")
    rows.nth(1).wait_for()
    # Shown at once, then confirmed by the server's sheet: only then stored.
    expect(other.locator("tr.sending, tr.kept")).to_have_count(0)
    assert other.locator("[data-testid=error]").count() == 0
    phone.reload()
    assert phone.locator("[data-testid=score-sheet] tbody tr").count() == 2
    other.close()


def test_an_old_links_first_end_opens_the_stored_match(phone: Any) -> None:
    link = (
        "/simulator.php?type=eliminatorias&location=interior&modality=recurvo"
        "&min_points=20&max_points=28"
    )
    phone.goto(link)
    assert "Set match, 18 m" in phone.locator("h1").inner_text()
    for label in ("10", "9", "9"):
        phone.click(f".keypad button[data-value='{label}']")
    phone.click("[data-submit]")
    phone.wait_for_url(re.compile(r"/matches/[A-Za-z0-9_-]{22}"))
    rows = phone.locator("[data-testid=score-sheet] tbody tr")
    assert rows.count() == 1
    assert "28" in rows.first.inner_text()
    # the link opens a new match again (nothing was stored by opening it)
    phone.goto(link)
    assert phone.locator("[data-testid=score-sheet]").count() == 0
