"""The site's header as a person uses it: on a phone its links are folded into
a menu, opened first."""

from __future__ import annotations

from typing import Any


def nav_click(page: Any, selector: str) -> None:
    """Click a link or button of the header (``selector``), opening the menu
    first where the screen folds them into one, and wait until the page it
    leads to has loaded (every one of them navigates): what the caller looks
    at next is that page, never the document being replaced."""
    target = page.locator(selector).first
    summary = page.locator("header .menu > summary")
    if not target.is_visible() and summary.is_visible():
        summary.click()
    with page.expect_navigation():
        target.click()
