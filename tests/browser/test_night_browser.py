"""A ghost night in phone-sized Chromium: an admin sets one up with the form,
three members (each in a browser context of their own) join it and shoot a
few ends with the keypad, one of them part of it with no network, while the
admin's page, never reloaded, follows the leaderboard live (an end seen there
within 2 seconds of its entry, or of the phone sending it once back online);
no console error (CSP violations included), nothing wider than the phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from .test_archer_journey import register
from .test_play_in_browser import keypad_end

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture explains what is missing
    expect = None

pytestmark = pytest.mark.browser


def watched(page: Any, errors: list[str]) -> Any:
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


@pytest.fixture
def second_phone(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def third_phone(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def fourth_phone(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server
    )
    yield context.new_page()
    context.close()


def fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def join_and_shoot(page: Any, token: str, night_url: str, arrows: str) -> None:
    register(page)
    page.goto(f"/clubs/join/{token}")
    page.click("[data-testid=join-club]")
    page.wait_for_url(re.compile(r"/clubs/[\w-]+$"))
    page.goto(night_url)
    page.click("[data-testid=join]")
    page.wait_for_url(re.compile(r"/matches/"))
    expect(page.locator("[data-testid=night-link]")).to_be_visible()
    for _end in range(2):
        keypad_end(page, [arrows] * 3)
    page.click("[data-testid=night-link] a")
    page.wait_for_url(night_url)
    expect(page.locator("[data-testid=continue]")).to_be_visible()
    fits(page)


def test_a_night_three_members_one_offline_and_a_live_leaderboard(
    phone: Any,
    second_phone: Any,
    third_phone: Any,
    fourth_phone: Any,
    screenshot: Any,
) -> None:
    errors: list[str] = []
    admin = watched(phone, errors)
    register(admin)
    admin.goto("/clubs")
    admin.fill("#club-name", "Night owls")
    admin.click("main button:has-text('Start the club')")
    admin.wait_for_url(re.compile(r"/clubs/[\w-]+$"))
    club_url = admin.url.split("?")[0]
    admin.click("main button:has-text('Make an invitation link')")
    link = admin.locator("input[value*='/clubs/join/']").first
    link.wait_for()
    found = re.search(r"/clubs/join/([\w-]+)", link.get_attribute("value") or "")
    assert found, "no invitation link"
    token = found.group(1)

    admin.goto(club_url + "/nights")
    now = datetime.now(UTC)
    admin.fill("#title", "Friday ghost")
    admin.check("input[name=kind][value='ranking']")
    admin.check("input[name=indoor][value='1']")
    admin.select_option("#round", "wa18")
    admin.fill("#handicap", "40")
    admin.fill("#timezone", "UTC")
    admin.fill("#opens", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    admin.fill("#closes", (now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    screenshot(admin, "0-form")
    admin.click("[data-testid=create-night]")
    admin.wait_for_url(re.compile(r"/nights/[\w-]+$"))
    night_url = admin.url
    expect(admin.locator("[data-testid=night-title]")).to_have_text("Friday ghost")
    expect(admin.locator("[data-testid=no-entries]")).to_be_visible()
    fits(admin)

    join_and_shoot(watched(second_phone, errors), token, night_url, "9")
    join_and_shoot(watched(third_phone, errors), token, night_url, "7")

    # The admin's page, never reloaded, follows the night live (the stream
    # says each end, the page fetches its leaderboard again).
    rows = admin.locator("[data-testid=leaderboard-row]")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("[data-testid=total]")).to_have_text("54")
    expect(rows.nth(1).locator("[data-testid=total]")).to_have_text("42")
    assert admin.locator("[data-live]").get_attribute("data-live") == "on"
    # One more end: seen on the admin's page within 2 seconds.
    third_phone.click("[data-testid=continue]")
    third_phone.wait_for_url(re.compile(r"/matches/"))
    keypad_end(third_phone, ["X", "X", "X"])
    # (42 + 30: the third phone's archer goes top)
    top = rows.nth(0).locator("[data-testid=total]")
    expect(top).to_have_text("72", timeout=2000)
    admin.click("[data-testid=reload]")  # and the page as the server draws it
    expect(top).to_have_text("72")
    expect(rows.nth(1).locator("[data-testid=total]")).to_have_text("54")

    # A third member shoots part of the night with no network: the ends wait
    # on the phone, and the admin's page has them once the phone is back.
    member = watched(fourth_phone, errors)
    join_and_shoot(member, token, night_url, "8")
    expect(rows).to_have_count(3)
    member.click("[data-testid=continue]")
    member.wait_for_url(re.compile(r"/matches/"))
    member.evaluate("async () => { await navigator.serviceWorker.ready; }")
    member.reload()
    member.wait_for_function("() => navigator.serviceWorker.controller !== null")
    member.context.set_offline(True)
    keypad_end(member, ["X", "X", "X"])
    expect(member.locator("tr.kept")).to_have_count(1)
    totals = admin.locator("[data-testid=leaderboard-row] [data-testid=total]")
    # 2 ends of 8s: the end kept on the phone is not in yet.
    expect(totals.filter(has_text=re.compile(r"^\s*48\s*$"))).to_have_count(1)
    member.context.set_offline(False)
    expect(member.locator("[data-testid=offline-status]")).to_contain_text(
        "Sent", timeout=15000
    )
    expect(totals.filter(has_text=re.compile(r"^\s*78\s*$"))).to_have_count(
        1, timeout=2000
    )
    screenshot(admin, "1-leaderboard")
    fits(admin)
    admin.goto(night_url + "/screen")
    expect(admin.locator("[data-testid=leaderboard-row]")).to_have_count(3)
    screenshot(admin, "2-screen")
    admin.goto(night_url + "/print")
    expect(admin.locator("[data-testid=leaderboard-row]")).to_have_count(3)
    assert errors == []
