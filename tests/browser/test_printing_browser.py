"""The printable score sheet in Chromium: printed (print media, as page.pdf()
renders it) it is black on white on A4, without the site's header, footer or
buttons, a page per distance on a WA 1440; its button opens the print dialog."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.browser

#: A4 in PDF points (1/72 inch), as Chromium writes the MediaBox.
A4 = (595, 842)


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size (width, height) in points; Chromium writes one page
    object per page, each with its MediaBox."""
    assert pdf.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert len(boxes) >= len(pages)
    return [(float(w), float(h)) for w, h in boxes[: len(pages)]]


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    yield page
    context.close()


def play(page: Any, setup: dict[str, Any], ends: list[list[str]] | None) -> str:
    """A match started and shot through the JSON API with this page's session
    (``ends`` None: to the end, with arrows from X to 7)."""
    me = page.request.get("/api/v1/me").json()
    headers = {"X-CSRFToken": me["csrf_token"], "Content-Type": "application/json"}

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = page.request.post(path, data=json.dumps(body), headers=headers)
        assert response.ok, response.text()
        result: dict[str, Any] = response.json()
        return result

    state = post("/api/v1/matches", setup)
    match_id = state["id"]
    cycle = ["X", "10", "9", "9", "8", "7"]
    number = 0
    while state["status"] == "in_progress":
        size = state["next"]["arrows"]
        arrows = ends[number] if ends is not None else (cycle * 2)[number % 6 :][:size]
        state = post(f"/api/v1/matches/{match_id}/ends", {"arrows": arrows})
        number += 1
        if ends is not None and number == len(ends):
            break
    return str(match_id)


def test_a_wa_1440_prints_a_page_per_distance(page: Any) -> None:
    match_id = play(
        page,
        {
            "kind": "ranking",
            "round": "wa1440_70",
            "bow": "recurve",
            "indoor": False,
            "ghost": "handicap",
            "handicap": 30,
        },
        None,
    )
    page.goto(f"/matches/{match_id}")
    page.click("[data-testid=print-sheet]")
    page.wait_for_url(re.compile(r"/sheet$"))
    assert page.locator("[data-testid=distance]").count() == 4
    page.emulate_media(media="print", color_scheme="dark")
    for hidden in ("header.site-header", "footer.site-footer", "nav", "[data-print]"):
        assert page.locator(hidden).first.is_hidden(), hidden
    colours = page.evaluate(
        """() => [getComputedStyle(document.body).color,
                  getComputedStyle(document.body).backgroundColor]"""
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    sizes = pdf_pages(pdf)
    # The four distances each start a page (the last one with the totals and
    # the signature lines after it).
    assert len(sizes) == 4, sizes
    for width, height in sizes:
        assert (round(width), round(height)) == A4


def test_a_set_match_prints_on_one_page(page: Any) -> None:
    setup = {
        "kind": "set",
        "bow": "recurve",
        "indoor": False,
        "ghost": "preset",
        "preset": "perfect",
    }
    match_id = play(page, setup, [["9", "9", "9"], ["X", "9", "8"], ["M", "1", "2"]])
    page.goto(f"/matches/{match_id}/sheet")
    # The button, shown by the page's script, calls the browser's print.
    page.evaluate(
        "() => { window.print = () => { window.printed = (window.printed ?? 0) + 1 } }"
    )
    page.click("[data-print]")
    assert page.evaluate("window.printed") == 1
    assert page.locator("[data-print-hint]").is_hidden()
    sizes = pdf_pages(page.pdf(prefer_css_page_size=True))
    assert len(sizes) == 1, sizes
    assert (round(sizes[0][0]), round(sizes[0][1])) == A4


def test_without_script_the_page_says_how_to_print(
    phone_without_js: Any, live_server: str, page: Any
) -> None:
    setup = {
        "kind": "set",
        "bow": "recurve",
        "indoor": False,
        "ghost": "handicap",
        "handicap": 50,
    }
    match_id = play(page, setup, [["9", "9", "9"]])
    # Another browser: another archer's (this browser's) match is not found.
    response = phone_without_js.goto(f"/matches/{match_id}/sheet")
    assert response.status == 404
    cookies = page.context.cookies()
    phone_without_js.context.add_cookies(cookies)
    phone_without_js.goto(f"/matches/{match_id}/sheet")
    assert phone_without_js.locator("[data-print]").is_hidden()
    assert phone_without_js.locator("[data-print-hint]").is_visible()
