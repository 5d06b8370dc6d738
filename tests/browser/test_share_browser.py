"""A friend's round as your ghost, in phone-sized Chromium: two archers (a
browser context each) in one club; one shoots a WA 18 round with the keypad
and shares it with the club from its page, the other opens the club's shared
rounds, shoots against it and meets the friend's arrows as the ghost's ends;
no console error, nothing wider than the phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from .test_archer_journey import register
from .test_night_browser import fits, watched
from .test_play_in_browser import keypad_end, new_match

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture explains what is missing
    expect = None

pytestmark = pytest.mark.browser

FIRST_END = ["10", "9", "8"]


@pytest.fixture
def friends_phone(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server
    )
    yield context.new_page()
    context.close()


def ghost_arrows(page: Any, end: int) -> list[str]:
    row = page.locator("[data-testid=score-sheet] tbody tr").nth(end)
    return row.locator("td.arrows").nth(1).locator(".arrow").all_inner_texts()


def test_a_member_shoots_against_a_round_shared_with_the_club(
    phone: Any, friends_phone: Any
) -> None:
    errors: list[str] = []
    owner = watched(phone, errors)
    register(owner)
    owner.goto("/clubs")
    owner.fill("#club-name", "Shared owls")
    owner.click("main button:has-text('Start the club')")
    owner.wait_for_url(re.compile(r"/clubs/[\w-]+$"))
    club_url = owner.url.split("?")[0]
    owner.click("main button:has-text('Make an invitation link')")
    link = owner.locator("input[value*='/clubs/join/']").first
    link.wait_for()
    found = re.search(r"/clubs/join/([\w-]+)", link.get_attribute("value") or "")
    assert found, "no invitation link"
    token = found.group(1)

    # The owner's WA 18 round: a first end of 10 9 8, then 9s.
    new_match(owner, "ranking", indoor=True)
    round_url = owner.url.split("?")[0]
    keypad_end(owner, FIRST_END)
    while (
        owner.locator(".keypad").count() and owner.locator(".keypad").first.is_visible()
    ):
        keypad_end(owner, ["9", "9", "9"])
    owner.goto(round_url)
    owner.click("[data-testid=share-round]")
    owner.check("input[name=with]:not([value=link])")
    owner.click("[data-testid=share-submit]")
    owner.wait_for_url(re.compile(r"/shares$"))
    expect(owner.locator("[data-testid=my-share]")).to_have_count(1)
    fits(owner)

    friend = watched(friends_phone, errors)
    register(friend)
    friend.goto(f"/clubs/join/{token}")
    friend.click("[data-testid=join-club]")
    friend.wait_for_url(re.compile(r"/clubs/[\w-]+$"))
    friend.click("[data-testid=club-shares-link]")
    friend.wait_for_url(club_url + "/shares")
    expect(friend.locator("[data-testid=club-share]")).to_have_count(1)
    fits(friend)
    friend.click("[data-testid=club-share] a")
    expect(friend.locator("[data-testid=shared-round]")).to_be_visible()
    fits(friend)
    friend.click("[data-testid=shoot-shared]")
    friend.wait_for_url(re.compile(r"/matches/"))
    keypad_end(friend, ["7", "7", "7"])
    assert ghost_arrows(friend, 0) == FIRST_END
    keypad_end(friend, ["8", "8", "8"])
    assert ghost_arrows(friend, 1) == ["9", "9", "9"]
    fits(friend)
    assert errors == []
