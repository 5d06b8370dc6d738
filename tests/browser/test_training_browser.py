"""The training log in Chromium: add a bow and three sight marks through the
forms, and read the estimate for a distance not shot; the bow card prints
black on white."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .header import nav_click
from .test_archer_journey import register


def test_a_bow_three_sight_marks_and_an_estimate(phone: Any) -> None:
    register(phone)
    nav_click(phone, "nav a:has-text('Training log')")
    expect(phone.locator("h1")).to_have_text("Arrow counter")
    phone.click("a:has-text('Equipment and sight marks')")
    phone.fill("#bow-name", "Indoor recurve")
    phone.fill("#bow-draw_weight", "34")
    phone.locator("[data-testid=bow-form] button[type=submit]").click()
    expect(phone.locator("[data-testid=bows]")).to_contain_text("Indoor recurve")
    phone.click("[data-testid=bows] a:has-text('Sight marks')")
    expect(phone.locator("[data-testid=curve]")).to_contain_text("Not enough marks")
    for distance, mark in (("30", "3.0"), ("50", "5.0"), ("70", "7.2")):
        phone.fill("#distance", distance)
        phone.select_option("#unit", "m")
        phone.fill("#mark", mark)
        phone.locator("[data-testid=mark-form] button[type=submit]").click()
        expect(phone.locator("[data-testid=notice]")).to_contain_text("added")
    expect(phone.locator("[data-testid=curve]")).to_contain_text("straight line")
    row = phone.locator("[data-testid=estimates] tr", has_text="60 m")
    expect(row).to_contain_text("estimated (95% range)")
    value = row.locator("td.num").inner_text()
    found = re.fullmatch(r"([\d.]+) ± ([\d.]+)", value.strip())
    assert found is not None, value
    assert abs(float(found[1]) - 6.1) < 0.05
    measured = phone.locator("[data-testid=estimates] tr.measured")
    expect(measured).to_have_count(3)
    phone.click("a:has-text('Printable bow card')")
    expect(phone.locator("[data-testid=bow-card] h1")).to_have_text("Indoor recurve")
    # The card's own print stylesheet: loaded by the page's load event (the
    # heading can be there before it is, on a busy machine).
    phone.wait_for_load_state("load")
    phone.emulate_media(media="print")
    colours = phone.evaluate(
        """() => {
          const cell = document.querySelector('[data-testid=card] td');
          const style = getComputedStyle(cell);
          const header = getComputedStyle(document.querySelector('.site-header'));
          return [style.color, getComputedStyle(document.body).backgroundColor,
                  header.display];
        }"""
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "none"]
