"""Whole matches in a phone-sized Chromium, with and without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture explains what is missing
    expect = None

pytestmark = pytest.mark.browser


def new_match(
    page: Any, kind: str = "set", indoor: bool = False, preset: str | None = None
) -> None:
    page.goto("/new")
    page.check(f"input[name=kind][value='{kind}']")
    page.check(f"input[name=indoor][value='{1 if indoor else 0}']")
    if preset:
        page.check("input[name=ghost][value='preset']")
        page.select_option("#preset", preset)
    page.click("button:has-text('Start')")
    page.wait_for_url(re.compile(r"/matches/"))


def keypad_end(page: Any, labels: list[str]) -> None:
    rows = page.locator("[data-testid=score-sheet] tbody tr").count()
    for label in labels:
        page.click(f".keypad button[data-value='{label}']")
    page.click("[data-submit]")
    next_row = page.locator("[data-testid=score-sheet] tbody tr").nth(rows)
    next_row.or_(page.locator("[data-testid=error]")).wait_for()
    # The row is drawn at once; wait for the server's answer (or, offline,
    # for the phone to keep it) before the next step.
    page.locator("tr.sending").wait_for(state="detached")


def keyboard_end(page: Any, keys: str) -> None:
    rows = page.locator("[data-testid=score-sheet] tbody tr").count()
    page.locator(".keypad .key").first.focus()
    for key in keys:
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    page.locator("[data-testid=score-sheet] tbody tr").nth(rows).wait_for()


def select_end(page: Any, labels: list[str]) -> None:
    for index, label in enumerate(labels):
        page.locator("#entry select[name=arrow]").nth(index).select_option(label)
    page.click("#entry button[type=submit]")
    page.wait_for_load_state()


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_set_match_with_a_shoot_off(phone: Any, screenshot: Any) -> None:
    new_match(phone, preset="perfect")
    screenshot(phone, "1-start")
    no_sideways_scroll(phone)
    assert phone.locator(".slots").is_hidden()  # the keypad replaces the selects
    for number in range(5):
        keypad_end(phone, ["X", "X", "X"])
        if number == 1:
            screenshot(phone, "2-mid-match")
    status = phone.locator("[data-testid=status]")
    assert "one arrow each decides it" in status.inner_text()
    phone.select_option("#shoot-off-arrow", "X")
    phone.click("button:has-text('Enter shoot-off')")
    phone.wait_for_selector("text=Whose arrow is closer?")
    screenshot(phone, "3-shoot-off")
    phone.check("input[name=closer][value='archer']")
    phone.click("button:has-text('Enter shoot-off')")
    phone.wait_for_selector("text=You win!")
    screenshot(phone, "4-verdict")
    assert phone.locator("text=Rematch the same ghost").is_visible()
    no_sideways_scroll(phone)


def test_whole_18m_round_by_keyboard(phone: Any, screenshot: Any) -> None:
    new_match(phone, kind="ranking", indoor=True)
    assert "WA 18m" in phone.locator("h1").inner_text()
    for _ in range(20):
        keyboard_end(phone, "x09")  # X, 10, 9
    phone.wait_for_selector(".verdict")
    assert phone.locator("[data-testid=score-sheet] tbody tr").count() == 20
    assert phone.locator("[data-testid=archer-score]").inner_text() == "580"
    screenshot(phone, "final")
    no_sideways_scroll(phone)


def test_only_the_faces_values_can_be_entered(phone: Any) -> None:
    new_match(phone, indoor=True)  # triple spot: nothing below 6
    assert phone.locator(".keypad button[data-value='5']").count() == 0
    assert phone.locator(".keypad button[data-value='6']").count() == 1
    total = phone.locator("input[name=total]")
    total.fill("31")
    phone.click("[data-submit]")
    assert total.evaluate("el => el.validity.rangeOverflow")  # the browser says why
    assert phone.locator("table.sheet-table").count() == 0  # nothing was sent


def test_set_match_without_javascript(phone_without_js: Any, screenshot: Any) -> None:
    page = phone_without_js
    new_match(page, preset="perfect")
    assert page.locator(".keypad").is_hidden()
    for _ in range(5):
        select_end(page, ["X", "X", "X"])
    page.select_option("#shoot-off-arrow", "9")
    page.click("button:has-text('Enter shoot-off')")
    page.wait_for_load_state()
    assert "The ghost wins." in page.locator("[data-testid=status]").inner_text()
    screenshot(page, "verdict")
    no_sideways_scroll(page)


def test_whole_18m_round_without_javascript(phone_without_js: Any) -> None:
    page = phone_without_js
    new_match(page, kind="ranking", indoor=True)
    for _ in range(20):
        select_end(page, ["10", "9", "9"])
    assert page.locator("[data-testid=score-sheet] tbody tr").count() == 20
    assert page.locator("[data-testid=archer-score]").inner_text() == "560"
    assert page.locator(".verdict").count() == 1


def test_reload_mid_match_and_carry_on(phone: Any) -> None:
    new_match(phone)
    keypad_end(phone, ["10", "9", "9"])
    url = phone.url
    dialogs: list[str] = []
    phone.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    phone.click(".keypad button[data-value='9']")  # half an end entered...
    phone.reload()  # ...asks before throwing it away
    assert phone.url == url
    assert phone.locator("[data-testid=score-sheet] tbody tr").count() == 1
    keypad_end(phone, ["X", "9", "8"])
    assert phone.locator("[data-testid=score-sheet] tbody tr").count() == 2
    assert dialogs in ([], ["beforeunload"])  # headless Chromium may not show it


def test_switch_language(phone: Any, screenshot: Any) -> None:
    phone.goto("/")
    phone.click("a[lang='es']")
    phone.wait_for_selector("h1:has-text('Tira contra el fantasma')")
    assert phone.locator("html").get_attribute("lang") == "es"
    phone.click("main a:has-text('Nueva partida')")
    phone.wait_for_selector("h1:has-text('Nueva partida')")
    screenshot(phone, "spanish-form")
    phone.click("button:has-text('Empezar')")
    phone.wait_for_selector("text=Tu probabilidad de ganar")
    phone.click("a[lang='en']")
    phone.wait_for_selector("text=Your chance of winning")


def test_handicap_hint_follows_the_form(phone: Any) -> None:
    phone.goto("/new")
    hint = phone.locator("#handicap-hint")
    phone.check("input[name=kind][value='ranking']")
    phone.check("input[name=indoor][value='1']")
    phone.fill("#handicap", "30")
    expect(hint).to_have_text(re.compile(r"About \d+ on WA 18m"))


def test_narrow_phone_has_no_sideways_scrolling(browser: Any, live_server: str) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server
    )
    page = context.new_page()
    for path in ("/", "/new", "/about"):
        page.goto(path)
        no_sideways_scroll(page)
    new_match(page, kind="ranking")
    keypad_end(page, ["X", "10", "9", "8", "7", "M"])
    no_sideways_scroll(page)
    context.close()


def test_pages_load_without_console_errors(phone: Any) -> None:
    errors: list[str] = []
    phone.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    phone.on("pageerror", lambda error: errors.append(str(error)))
    for path in ("/", "/new", "/about"):
        phone.goto(path)
    new_match(phone)
    keypad_end(phone, ["9", "9", "9"])
    assert errors == []  # CSP violations show up here too


def test_dark_theme_for_indoor_halls(
    browser: Any, live_server: str, screenshot: Any
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        base_url=live_server,
        color_scheme="dark",
    )
    page = context.new_page()
    new_match(page, kind="ranking", indoor=True)
    keypad_end(page, ["X", "10", "9"])
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(22, 21, 15)"  # the device asks for dark: dark
    screenshot(page, "dark")
    page.click("a:has-text('Light')")
    page.wait_for_load_state()
    assert (
        page.evaluate("getComputedStyle(document.body).backgroundColor")
        == "rgb(255, 253, 246)"
    )
    context.close()
