"""At the range, one-handed, on a 390 x 844 phone: every control of an end in
the first screen, the shooting clock's panel never over a control, a page
never shown stale after Back, long names that wrap, a dark header in the dark
theme, and screenshots of the match page in both themes and languages, with
the clock on and off (test-output/screenshots)."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture explains what is missing
    expect = None

from .header import nav_click
from .test_archer_journey import register

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844

#: A match of each format, as the new-match form would start it.
FORMATS = {
    "set": "kind=set&bow=recurve&indoor=0",
    "cumulative": "kind=cumulative&bow=compound&indoor=0",
    "half-wa18": "kind=half&round=wa18&bow=recurve&indoor=1",
}
ENDS = {"set": ["10", "9", "9"], "cumulative": ["10", "9", "9"], "half-wa18": ["9"] * 3}


@pytest.fixture
def context(browser: Any, live_server: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT}, base_url=live_server
    )
    yield context
    context.close()


def start(page: Any, setup: str, language: str = "en", seed: int = 424242) -> str:
    page.goto(f"/language/{language}")
    page.goto(f"/new?{setup}&ghost=handicap&handicap=40&seed={seed}")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/matches/[A-Za-z0-9_-]{22}$"))
    page.locator(".keypad .key").first.wait_for()
    return str(page.url)


def rows(page: Any) -> Any:
    return page.locator("[data-testid=score-sheet] tbody tr")


def tap_end(page: Any, labels: list[str]) -> None:
    shown = rows(page).count()
    for label in labels:
        page.click(f"#entry .keypad button[data-value='{label}']")
    page.click("#entry [data-submit]")
    expect(rows(page)).to_have_count(shown + 1)  # at once, from the phone
    expect(page.locator("tr.sending")).to_have_count(0)  # then the server's sheet


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found  # type: ignore[no-any-return]


def in_first_screen(page: Any, selector: str) -> None:
    """Inside the viewport with the page scrolled to its top."""
    shape = box(page, selector)
    assert shape["y"] >= 0, (selector, shape)
    assert shape["y"] + shape["height"] <= HEIGHT, (selector, shape)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", list(FORMATS))
def test_every_control_of_an_end_is_in_the_first_screen(
    context: Any, kind: str, language: str
) -> None:
    page = context.new_page()
    start(page, FORMATS[kind], language)
    ends = 0
    while page.locator("#entry [data-submit]").count():
        page.evaluate("scrollTo(0, 0)")
        assert page.evaluate("scrollY") == 0
        for selector in (
            ".score-cards",
            "#entry .keypad .chosen",
            "#entry .keypad .key",
            "#entry .keypad .key-undo",
            "#entry [data-submit]",
        ):
            in_first_screen(page, selector)
        keys = page.locator("#entry .keypad .key")
        in_first_screen(page, f"#entry .keypad .key >> nth={keys.count() - 1}")
        tap_end(page, ENDS[kind])
        ends += 1
    assert ends >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_clock_panel_never_covers_a_control(context: Any, language: str) -> None:
    page = context.new_page()
    start(page, FORMATS["set"], language)
    page.check("[data-clock] .clock-switch input[type=checkbox]")
    panel = page.locator(".clock-panel")
    expect(panel).to_be_visible()
    while page.locator("#entry [data-submit]").count():
        covered = box(page, ".clock-panel")
        cards = box(page, ".score-cards")  # the scoreboard in view too
        assert cards["y"] >= 0, cards
        assert not overlaps(cards, covered), (cards, covered)
        keys = page.locator("#entry .keypad .key")
        for index in range(keys.count()):
            key = keys.nth(index).bounding_box()
            assert key["y"] >= 0, key
            assert not overlaps(key, covered), (index, key, covered)
        shown = rows(page).count()
        for label in ENDS["set"]:
            # A click on a key under the panel would fail: the panel takes it.
            page.click(f"#entry .keypad button[data-value='{label}']", timeout=3000)
        send = box(page, "#entry [data-submit]")  # focused after the last arrow
        assert send["y"] >= 0, send
        assert send["y"] + send["height"] <= HEIGHT, send
        assert not overlaps(send, box(page, ".clock-panel")), send
        page.click("#entry [data-submit]", timeout=3000)
        expect(rows(page)).to_have_count(shown + 1)
        expect(page.locator("tr.sending")).to_have_count(0)


def test_back_to_a_match_shows_it_as_it_is_now(context: Any) -> None:
    """An end entered in another tab while this one looked at the history:
    Back shows the match as it is now, and the next end from it is kept."""
    page = context.new_page()
    url = start(page, FORMATS["cumulative"])
    tap_end(page, ENDS["cumulative"])
    page.goto("/about")
    other = context.new_page()
    other.goto(url)
    tap_end(other, ["9", "9", "9"])
    other.close()
    page.go_back()
    expect(rows(page)).to_have_count(2)
    expect(page.locator("#sheet")).not_to_have_attribute("inert", "")
    tap_end(page, ["8", "8", "8"])
    expect(page.locator("[data-testid=error]")).to_have_count(0)
    match_id = url.rsplit("/", 1)[1]
    stored = page.request.get(f"/api/v1/matches/{match_id}").json()
    assert [end["archer"]["arrows"] for end in stored["ends"]] == [
        ENDS["cumulative"],
        ["9", "9", "9"],
        ["8", "8", "8"],
    ]


def test_a_long_name_wraps(context: Any) -> None:
    page = context.new_page()
    username = register(page, "a" * 32 + secrets.token_hex(16))  # 64, no space
    for path in ("/settings", "/history", "/log", "/new"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, (path, width)
    nav_click(page, ".account-nav a:has-text('Settings')")
    expect(page.locator("[data-testid=username]")).to_have_text(username)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_the_history_filters_are_folded_until_used(context: Any) -> None:
    page = context.new_page()
    register(page)
    start(page, FORMATS["cumulative"])
    tap_end(page, ENDS["cumulative"])
    page.goto("/history")
    filters = page.locator("[data-testid=filters]")
    expect(filters).not_to_have_attribute("open", "")
    in_first_screen(page, "[data-testid=history] tbody tr")
    page.click("[data-testid=filters] > summary")
    page.select_option("#filter-bow", "compound")
    page.click("[data-testid=filters] button[type=submit]")
    expect(page).to_have_url(re.compile(r"bow=compound"))
    expect(filters).to_have_attribute("open", "")
    expect(page.locator("[data-testid=history] tbody tr")).to_have_count(1)


def luminance(css: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize(("theme", "dark"), [("light", False), ("dark", True)])
def test_the_header_follows_the_theme(context: Any, theme: str, dark: bool) -> None:
    page = context.new_page()
    page.goto(f"/theme/{theme}")
    header = page.locator("header.site-header")
    background = header.evaluate("e => getComputedStyle(e).backgroundColor")
    ink = header.evaluate("e => getComputedStyle(e).color")
    assert (luminance(background) < 0.2) == dark, background
    assert (luminance(ink) > 0.8) == dark, ink
    assert page.request.get("/favicon.ico").ok


def test_the_menu_opens_and_closes(context: Any) -> None:
    page = context.new_page()
    page.goto("/")
    header = box(page, "header.site-header")
    assert header["height"] <= 64, header  # was 190 px before the menu
    link = page.locator("header nav a:has-text('About')")
    expect(link).to_be_hidden()
    page.click("header .menu > summary")
    expect(link).to_be_visible()
    page.click("header .menu > summary")
    expect(link).to_be_hidden()
    wide = context.browser.new_context(viewport={"width": 1024, "height": 768})
    try:
        desk = wide.new_page()
        desk.goto(page.url)
        expect(desk.locator("header .menu > summary")).to_be_hidden()
        expect(desk.locator("header nav a:has-text('About')")).to_be_visible()
    finally:
        wide.close()


@pytest.mark.parametrize("clock", [False, True], ids=["clock-off", "clock-on"])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_match_page_screenshots(
    context: Any, screenshot: Any, theme: str, language: str, clock: bool
) -> None:
    page = context.new_page()
    page.goto(f"/theme/{theme}")
    start(page, FORMATS["set"], language)
    tap_end(page, ENDS["set"])
    if clock:
        page.check("[data-clock] .clock-switch input[type=checkbox]")
    else:
        page.evaluate("scrollTo(0, 0)")
    for label in ENDS["set"][:2]:
        page.click(f"#entry .keypad button[data-value='{label}']")
    page.wait_for_timeout(100)
    path = screenshot(page, f"match-{theme}-{language}", full_page=False)
    assert path.stat().st_size > 10_000
