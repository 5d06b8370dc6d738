"""Every page through axe-core (axe-playwright-python bundles it), in the light
and the dark theme: no serious or critical violation. And the keypad's ring
colours: text on each key readable (WCAG AA), each ring colour apart from the
keys around it and from the page (3:1, WCAG's non-text contrast).

To audit a new page, add an ``Audited`` line to ``PAGES``: a path, or a
function of the ``Site`` (the archer's matches, bows...) that gives one.
Every violation found, of any impact, is written to
test-output/accessibility.json for the audit's figures.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .test_archer_journey import register

pytestmark = pytest.mark.browser

THEMES = ("light", "dark")
BLOCKING = ("serious", "critical")
REPORT = Path(os.environ.get("GHOST_SIM_A11Y_REPORT", "test-output/accessibility.json"))


@dataclass
class Site:
    """What the archer has made, for the pages that show it."""

    base: str
    matches: dict[str, str] = field(default_factory=dict)  # name -> /matches/<id>
    bow: str | None = None  # /equipment/bows/<id>
    ladder: str | None = None  # /ladders/<id>, with a finished match
    storage: dict[str, Any] = field(default_factory=dict)  # the signed-in state


@dataclass(frozen=True)
class Audited:
    name: str
    path: str | Callable[[Site], str]
    signed_in: bool = True
    status: int = 200
    #: Bring the page to the state audited (after it loads): returns nothing.
    prepare: Callable[[Any], None] | None = None

    def url(self, site: Site) -> str:
        return self.path if isinstance(self.path, str) else self.path(site)


def _match(name: str) -> Callable[[Site], str]:
    return lambda site: site.matches[name]


def _bow(suffix: str) -> Callable[[Site], str]:
    def path(site: Site) -> str:
        if site.bow is None:
            pytest.skip("no bow could be added on /equipment")
        return site.bow + suffix

    return path


def _refused_import(page: Any) -> None:
    """The import page (a refused import): the settings' import form sent
    without a file."""
    form = page.locator("form[action$='/import']")
    form.locator("input[type=file]").evaluate(
        "input => input.removeAttribute('required')"
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _refused_ladder(page: Any) -> None:
    """The ladder form sent back with its errors: a handicap off the scale."""
    page.check("input[name=start][value='handicap']")
    page.fill("#handicap", "999")
    page.click("button:has-text('Start the ladder')")
    page.wait_for_load_state()


def _keypad_shown(page: Any) -> None:
    page.locator(".keypad:not([hidden])").wait_for()


def _clock_running(page: Any) -> None:
    """The shooting clock switched on and started (the walk-up to the line)."""
    page.locator("[data-clock][data-ready]").wait_for()
    page.check("[data-clock-toggle]")
    page.click("[data-clock-main]")
    page.locator("[data-clock-panel][data-phase='walk-up']").wait_for()


PAGES = [
    Audited("landing", "/", signed_in=False),
    Audited("about", "/about"),
    Audited("login", "/login", signed_in=False),
    Audited("register", "/register", signed_in=False),
    Audited("new-match", "/new"),
    Audited("match-keypad", _match("in_progress"), prepare=_keypad_shown),
    Audited("match-clock", _match("in_progress"), prepare=_clock_running),
    Audited("match-finished", _match("finished")),
    Audited("match-shoot-off", _match("shoot_off")),
    Audited("history", "/history"),
    Audited("round-history", "/history/rounds/wa18?half=1"),
    Audited("settings", "/settings"),
    Audited("tokens", "/settings/tokens"),
    Audited("data-import", "/settings", status=400, prepare=_refused_import),
    Audited("error-400", "/history/rounds/wa18?half=7", status=400),
    Audited("error-404", "/no-such-page", status=404),
    Audited("legacy-error", "/simulator.php?max_points=x", status=400),
    Audited("training-log", "/log"),
    Audited("equipment", "/equipment"),
    Audited("bow", _bow("")),
    Audited("sight-marks", _bow("/sight-marks")),
    Audited("bow-card", _bow("/card")),
    Audited("score-sheet", lambda site: site.matches["finished"] + "/sheet"),
    Audited("score-sheet-set", lambda site: site.matches["shoot_off"] + "/sheet"),
    Audited("ladders", "/ladders"),
    Audited("ladder", lambda site: site.ladder or "/ladders"),
    Audited("ladder-refused", "/ladders", status=400, prepare=_refused_ladder),
]


# -- the site: an archer with matches and a bow ------------------------------------


def _api(page: Any, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = page.request.post(
        path,
        data=json.dumps(body),
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert response.ok, response.text()
    result: dict[str, Any] = response.json()
    return result


def _new(page: Any, token: str, **setup: Any) -> str:
    return str(_api(page, token, "/api/v1/matches", setup)["id"])


def _ends(page: Any, token: str, match_id: str, *ends: list[str]) -> None:
    for arrows in ends:
        _api(page, token, f"/api/v1/matches/{match_id}/ends", {"arrows": arrows})


@pytest.fixture(scope="module")
def site(browser: Any, live_server: str) -> Site:
    """An archer who has played: a match under way, one lost, one at its
    shoot-off, a half WA 18 m (for the round's history), and a bow."""
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    register(page)
    token = page.request.get("/api/v1/me").json()["csrf_token"]
    found = Site(live_server)
    perfect = {
        "ghost": "preset",
        "preset": "perfect",
        "bow": "recurve",
        "indoor": False,
    }
    ongoing = _new(
        page,
        token,
        kind="set",
        ghost="handicap",
        handicap=40,
        bow="recurve",
        indoor=False,
    )
    _ends(page, token, ongoing, ["X", "9", "8"])
    lost = _new(page, token, kind="set", **perfect)
    _ends(page, token, lost, ["9", "8", "7"], ["10", "9", "M"], ["X", "X", "9"])
    level = _new(page, token, kind="set", **perfect)
    _ends(page, token, level, *[["X", "X", "X"]] * 5)
    half = _new(
        page,
        token,
        kind="half",
        round="wa18",
        bow="recurve",
        indoor=True,
        ghost="handicap",
        handicap=40,
    )
    _ends(page, token, half, *[["10", "9", "8"]] * 10)
    found.matches = {
        "in_progress": f"/matches/{ongoing}",
        "finished": f"/matches/{lost}",
        "shoot_off": f"/matches/{level}",
    }
    ladder = _api(page, token, "/api/v1/ladders", {"handicap": 40})["id"]
    shot = _api(page, token, f"/api/v1/ladders/{ladder}/matches", {})["id"]
    for _end in range(6):
        end = _api(page, token, f"/api/v1/matches/{shot}/ends", {"arrows": ["X"] * 3})
        if end["finished"]:
            break
    found.ladder = f"/ladders/{ladder}"
    page.goto("/equipment")
    if page.locator("#bow-name").count():
        page.fill("#bow-name", "Club recurve")
        page.locator("[data-testid=bow-form] button[type=submit]").click()
        page.wait_for_load_state()
        links = page.locator("a[href*='/equipment/bows/']").evaluate_all(
            "links => links.map(a => new URL(a.href).pathname)"
        )
        bows = [link for link in links if re.fullmatch(r"/equipment/bows/\d+", link)]
        found.bow = bows[0] if bows else None
    found.storage = context.storage_state()
    context.close()
    return found


def _context(browser: Any, site: Site, theme: str, signed_in: bool) -> Any:
    context = browser.new_context(
        base_url=site.base,
        viewport={"width": 390, "height": 844},
        storage_state=site.storage if signed_in else None,
    )
    context.add_cookies([{"name": "theme", "value": theme, "url": site.base}])
    return context


@contextmanager
def _report_lock() -> Iterator[None]:
    """One writer of the report at a time: ``pytest -n`` audits pages in
    several processes at once (POSIX; elsewhere, one process is assumed)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with REPORT.with_name(REPORT.name + ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _record(name: str, theme: str, violations: list[dict[str, Any]]) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with _report_lock():
        report = json.loads(REPORT.read_text()) if REPORT.exists() else {}
        report[f"{name}/{theme}"] = [
            {"rule": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
            for v in violations
        ]
        # Whole or not at all: a reader never sees half a file.
        partial = REPORT.with_name(f".{REPORT.name}.{os.getpid()}")
        partial.write_text(json.dumps(report, indent=1, sort_keys=True))
        os.replace(partial, REPORT)


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:4])
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({targets})")
    return "\n".join(lines)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("audited", PAGES, ids=[p.name for p in PAGES])
def test_no_serious_violation(
    browser: Any, site: Site, audited: Audited, theme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    context = _context(browser, site, theme, audited.signed_in)
    try:
        page = context.new_page()
        response = page.goto(audited.url(site))
        if audited.prepare is None:
            assert response.status == audited.status, audited.url(site)
        else:
            audited.prepare(page)
        assert page.locator("html").get_attribute("data-theme") == theme
        results = Axe().run(page)
        violations = results.response["violations"]
        _record(audited.name, theme, violations)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert not blocking, _describe(blocking)
    finally:
        context.close()


# -- the keypad's ring colours -------------------------------------------------------


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``rgb(r, g, b)`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        linear = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", THEMES)
def test_keypad_ring_colours_are_readable(browser: Any, site: Site, theme: str) -> None:
    context = _context(browser, site, theme, signed_in=True)
    try:
        page = context.new_page()
        page.goto(site.matches["in_progress"])
        _keypad_shown(page)
        keys = page.locator(".keypad .key").evaluate_all(
            """keys => keys.map(key => {
                const style = getComputedStyle(key);
                return {
                    label: key.textContent.trim(),
                    text: style.color,
                    fill: style.backgroundColor,
                    border: style.borderTopColor,
                    size: parseFloat(style.fontSize),
                    weight: Number(style.fontWeight),
                };
            })"""
        )
        paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert len(keys) >= 12  # X, 10..1, M and undo
        for key in keys:
            large = key["size"] >= 24 or (key["size"] >= 18.66 and key["weight"] >= 700)
            needed = 3.0 if large else 4.5
            ratio = contrast(key["text"], key["fill"])
            assert ratio >= needed, (key, ratio)
            # The key's edge stands out from the page (its outline as a control).
            edge = max(contrast(key["border"], paper), contrast(key["fill"], paper))
            assert edge >= 3.0, (key, edge, paper)
        # Neighbouring rings (X-10-9 gold, 8-7 red, 6-5 blue, 4-3 black, 2-1
        # white) are told apart: each colour band against the next, 3:1 or an
        # edge between them that is.
        bands: dict[str, dict[str, Any]] = {}
        for key in keys:
            bands.setdefault(key["fill"], key)
        fills = list(bands)
        for inner, outer in itertools.pairwise(fills):
            apart = contrast(inner, outer)
            edges = (
                contrast(bands[inner]["border"], outer),
                contrast(bands[outer]["border"], inner),
            )
            assert max(apart, *edges) >= 3.0, (inner, outer, apart, edges)
        # The arrows on the score sheet, in the same colours but small text:
        # 4.5:1 (the archer's 8 and the ghost's arrows of the match so far).
        chips = page.locator("[data-testid=score-sheet] .arrow").evaluate_all(
            """chips => chips.map(chip => {
                const style = getComputedStyle(chip);
                return {label: chip.textContent, text: style.color,
                        fill: style.backgroundColor};
            })"""
        )
        assert any(chip["label"] == "8" for chip in chips)
        for chip in chips:
            ratio = contrast(chip["text"], chip["fill"])
            assert ratio >= 4.5, (chip, ratio)
    finally:
        context.close()
