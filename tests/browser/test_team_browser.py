"""A team match and a mixed-team match in a phone-sized Chromium: start each
with the form, shoot every end with the page's own selects (and a shoot-off
when it comes to one) until the verdict, open the printable sheet; no console
error (CSP violations included) and no horizontal scroll."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .header import nav_click

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture explains what is missing
    expect = None

pytestmark = pytest.mark.browser


def no_sideways_scroll(phone: Any) -> None:
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"], width


def play_through(phone: Any, labels: list[str]) -> None:
    """Enter ``labels`` every end (and in every shoot-off) until the match
    is over."""
    verdict = phone.locator("[data-testid=verdict]")
    for _entry in range(12):
        if verdict.count():
            return
        form = phone.locator("form#entry")
        expect(form).to_be_visible()
        if "shoot-off" in (form.get_attribute("class") or ""):
            closer = form.locator("input[name=closer][value=archer]")
            if closer.count():
                closer.check()
            else:
                form.locator("select[name=arrow]").select_option(labels[0])
        else:
            selects = form.locator("select[name=arrow]")
            expect(selects).to_have_count(2)
            for i, label in enumerate(labels[:2]):
                selects.nth(i).select_option(label)
        with phone.expect_navigation():
            form.locator("button[type=submit]").click()
        no_sideways_scroll(phone)
    raise AssertionError("the match did not finish")


def start(phone: Any, kind: str, bow: str = "recurve") -> None:
    phone.goto("/")
    nav_click(phone, "nav a:has-text('Team matches')")
    phone.check(f"input[name=kind][value='{kind}']")
    phone.select_option("#bow", bow)
    phone.fill("#handicap", "45")
    with phone.expect_navigation():
        phone.click("button:has-text('Start the team match')")
    assert re.search(r"/teams/[\w-]+$", phone.url), phone.url


@pytest.mark.parametrize(
    ("kind", "team_arrows", "members"), [("team", "6", 3), ("mixed", "4", 2)]
)
def test_a_team_match_played_through(
    phone: Any, screenshot: Any, kind: str, team_arrows: str, members: int
) -> None:
    errors: list[str] = []
    phone.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    phone.on("pageerror", lambda error: errors.append(str(error)))
    start(phone, kind)
    entry = phone.locator("form#entry")
    expect(entry).to_have_attribute("data-team-arrows", team_arrows)
    expect(entry).to_have_attribute("data-arrows", "2")
    screenshot(phone, f"{kind}-0-start")
    no_sideways_scroll(phone)
    play_through(phone, ["X", "10"])
    expect(phone.locator("[data-testid=verdict]")).to_contain_text(
        re.compile(r"Your team (wins|loses) \d+-\d+")
    )
    rows = phone.locator("[data-testid=team-ends] tbody tr")
    assert 1 <= rows.count() <= 4
    # You, your teammates, your team's total, each opponent, theirs, the
    # set points and the score.
    expect(rows.first.locator("td")).to_have_count(members * 2 + 2 + 2)
    screenshot(phone, f"{kind}-1-over")
    no_sideways_scroll(phone)
    with phone.expect_navigation():
        phone.click("[data-testid=print-link]")
    expect(phone.locator("[data-testid=printable-sheet]")).to_be_visible()
    expect(phone.locator("[data-print]")).to_be_visible()
    screenshot(phone, f"{kind}-2-sheet")
    no_sideways_scroll(phone)
    phone.goto("/teams")
    expect(phone.locator("[data-testid=team-matches] tbody tr")).to_have_count(1)
    assert errors == []
