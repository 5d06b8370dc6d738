"""A competition day in a phone-sized Chromium, played through: the form, the
ranking round shot with the keypad (it seeds the archer), the quarter-final
online, the semi-final with the phone offline (its page kept by the day's
page before the network went), the final level to 5-5 and won in a shoot-off,
and the bracket page showing the medals; no console error."""

from __future__ import annotations

import json
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


@pytest.fixture
def phone_context(browser: Any, live_server: str):  # type: ignore[no-untyped-def]
    """A phone of its own (its own service worker, caches and IndexedDB)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server
    )
    yield context
    context.close()


def plan(page: Any) -> dict[str, Any]:
    """The ghost's plan the match page holds for offline play."""
    return json.loads(page.locator("#ghost-plan").text_content())  # type: ignore[no-any-return]


def shoot_next(page: Any) -> None:
    page.click("[data-testid=shoot-next]")
    page.wait_for_url(re.compile(r"/matches/[\w-]+$"))


def back_to_day(page: Any, day_url: str) -> None:
    page.locator("[data-testid=day-link] a").click()
    page.wait_for_url(day_url)


def kept(page: Any, path: str) -> bool:
    return bool(
        page.evaluate(
            """async (path) => {
                const cache = await caches.open("ghost-pages");
                return Boolean(await cache.match(new URL(path, location.href).href,
                                                 { ignoreVary: true }));
            }""",
            path,
        )
    )


def test_a_competition_day_played_through(phone_context: Any, screenshot: Any) -> None:
    page = phone_context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/")
    nav_click(page, "nav a:has-text('Competition days')")
    page.check("input[name=indoor][value='1']")
    page.select_option("#bow", "recurve")
    page.check("input[name=field][value='national']")
    page.fill("#size", "8")
    page.check("input[name=qualify][value='shoot']")
    screenshot(page, "0-form")
    page.click("[data-testid=start-day]")
    page.wait_for_url(re.compile(r"/days/[\w-]+$"))
    day_url = page.url

    # The ranking round: 20 ends of three 10s (600 seeds the archer first).
    shoot_next(page)
    for _end in range(20):
        keypad_end(page, ["10", "10", "10"])
    back_to_day(page, day_url)
    expect(page.locator("[data-testid=seed]")).to_contain_text("600")
    expect(page.locator("[data-testid=seed]")).to_contain_text("seed 1 of 8")
    screenshot(page, "1-seeded")

    # The quarter-final, online: Xs win it in three sets.
    shoot_next(page)
    back = page.locator("[data-testid=back-to-day]")
    for _set in range(5):
        keypad_end(page, ["X", "X", "X"])
        if back.count():
            break
    back.click()
    page.wait_for_url(day_url)
    expect(page.locator("[data-testid=path] tbody")).to_contain_text("won")

    # The semi-final, offline: the day's page asked the worker to keep it.
    semi = page.locator("[data-testid=shoot-next]").get_attribute("href")
    assert semi is not None
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()  # through the worker, which is asked again to keep the pages
    page.wait_for_function(
        """async (path) => {
            const cache = await caches.open("ghost-pages");
            return Boolean(await cache.match(new URL(path, location.href).href,
                                             { ignoreVary: true }));
        }""",
        arg=semi,
        timeout=15000,
    )
    assert kept(page, semi)
    phone_context.set_offline(True)
    page.goto(semi)  # never opened online: the worker's copy
    status = page.locator("[data-testid=status]")
    for _set in range(5):
        keypad_end(page, ["X", "X", "X"])
        if "You win" in status.inner_text():
            break
    expect(status).to_contain_text("You win!")
    expect(page.locator("tr.kept")).not_to_have_count(0)
    phone_context.set_offline(False)
    expect(page.locator("[data-testid=offline-status]")).to_contain_text(
        "Sent", timeout=15000
    )
    expect(page.locator("tr.kept, tr.sending")).to_have_count(0)
    page.goto(day_url)
    expect(page.locator("[data-testid=next-match]")).to_contain_text("Final")

    # The final: every set level with the ghost's own arrows, 5-5, then a
    # shoot-off arrow better than (or level with, and closer than) the ghost's.
    shoot_next(page)
    ghost = plan(page)
    for labels in ghost["ends"][:5]:
        keypad_end(page, labels)
    expect(status).to_contain_text("one arrow each")
    page.select_option("#entry select[name=arrow]", "X")
    page.click("#entry button[type=submit]")
    # The same value as the ghost's (an X, or a 10 where X counts 10): the
    # page asks whose arrow was closer, and an X is.
    closer = page.locator("#entry input[name=closer][value=archer]")
    expect(status.filter(has_text="You win!").or_(closer)).to_be_visible()
    if closer.count():
        closer.check()
        page.click("#entry button[type=submit]")
    expect(status).to_contain_text("You win!")
    expect(page.locator("[data-testid=archer-score]")).to_have_text("6")
    screenshot(page, "2-final-won-in-a-shoot-off")
    page.locator("[data-testid=back-to-day]").click()
    page.wait_for_url(day_url)
    expect(page.locator("[data-testid=placing]")).to_contain_text("Gold")
    expect(page.locator("[data-testid=medals]")).to_be_visible()
    expect(page.locator("[data-testid=path] tbody tr")).to_have_count(4)
    expect(page.locator("[data-testid=path]")).to_contain_text("(shoot-off)")
    screenshot(page, "3-bracket")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width
    assert errors == []
