"""The shooting clock in Chromium: its timing rules (static/js/clock-core.js,
run as it is in the browser) and the clock on a real match page, time driven
by Playwright's fake clock instead of waiting real minutes."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest

from .test_play_in_browser import keypad_end, new_match

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture explains what is missing
    expect = None

pytestmark = pytest.mark.browser

CORE = "/static/js/clock-core.js"
NOTHING_YET = "\N{EN DASH}"  # the ghost's line before its first arrow


@pytest.fixture
def core(phone: Any) -> Any:
    """``run(js)``: the body of an async function given the module as ``core``."""
    phone.goto("/about")

    def run(body: str) -> Any:
        return phone.evaluate(
            f"async () => {{ const core = await import('{CORE}'); {body} }}"
        )

    return run


# -- the rules, on their own --------------------------------------------------------


@pytest.mark.parametrize(("arrows", "seconds"), [(3, 120), (6, 240)])
def test_an_end_shot_together(core: Any, arrows: int, seconds: int) -> None:
    periods = core(f"return core.schedule({{mode: 'end', arrows: {arrows}}});")
    assert [(p["phase"], p["seconds"], p["signal"]) for p in periods] == [
        ("walk-up", 10, 2),
        ("shoot", seconds, 1),
    ]
    assert periods[1]["warnAt"] == 30
    assert periods[1]["shooter"] == "both"


@pytest.mark.parametrize(
    ("arrows", "seconds"),
    [(6, 120), (4, 80), (3, 60), (2, 40)],  # team, mixed; their shoot-offs
)
def test_a_team_end_twenty_seconds_an_arrow_of_the_team(
    core: Any, arrows: int, seconds: int
) -> None:
    periods = core(f"return core.schedule({{mode: 'team', arrows: {arrows}}});")
    assert [(p["phase"], p["seconds"], p["signal"]) for p in periods] == [
        ("walk-up", 10, 2),
        ("shoot", seconds, 1),
    ]
    assert periods[1]["warnAt"] == 30
    assert periods[1]["shooter"] == "both"


def test_an_end_runs_walk_up_shooting_warning_and_collect(core: Any) -> None:
    steps = core(
        """
        const out = [];
        let {state, events} = core.start(core.createClock(core.schedule({arrows: 3})));
        const record = (label) => out.push([label, events, core.view(state)]);
        record('start');
        for (const [label, ms] of [['9.9 s', 9900], ['10 s', 100], ['89.9 s', 89900],
                                   ['90 s', 100], ['end', 30000]]) {
          ({state, events} = core.tick(state, ms));
          record(label);
        }
        return out;
        """
    )
    by_label = {label: (events, view) for label, events, view in steps}
    events, view = by_label["start"]
    assert events == [
        {"type": "signal", "count": 2},
        {"type": "phase", "phase": "walk-up", "shooter": None, "arrow": None},
    ]
    assert (view["tone"], view["seconds"]) == ("stop", 10)
    assert by_label["9.9 s"][0] == []
    assert by_label["9.9 s"][1]["seconds"] == 1  # rounded up, as range clocks do
    events, view = by_label["10 s"]
    assert events[0] == {"type": "signal", "count": 1}
    assert (view["phase"], view["tone"], view["seconds"]) == ("shoot", "go", 120)
    assert by_label["89.9 s"][0] == []
    assert by_label["89.9 s"][1]["tone"] == "go"
    events, view = by_label["90 s"]
    assert events == [{"type": "warning", "seconds": 30}]
    assert (view["tone"], view["seconds"]) == ("warn", 30)
    events, view = by_label["end"]
    assert events[0] == {"type": "time-up", "shooter": "both", "arrow": None}
    assert events[1] == {"type": "signal", "count": 3}
    assert events[2]["phase"] == "collect"
    assert (view["phase"], view["tone"], view["running"]) == ("collect", "stop", False)


def test_one_long_step_keeps_every_event_in_order(core: Any) -> None:
    events = core(
        """
        let {state} = core.start(core.createClock(core.schedule({arrows: 6})));
        return core.tick(state, 10 * 60 * 1000).events.map(
          (e) => e.type + (e.count || e.phase || ''));
        """
    )
    assert events == [
        "signal1",
        "phaseshoot",
        "warning",
        "time-up",
        "signal3",
        "phasecollect",
    ]


def test_pausing_stops_time_and_done_shooting_ends_the_end(core: Any) -> None:
    result = core(
        """
        let {state} = core.start(core.createClock(core.schedule({arrows: 3})));
        ({state} = core.tick(state, 20000));
        ({state} = core.pause(state));
        const paused = core.tick(state, 600000);
        ({state} = core.resume(paused.state));
        const done = core.shot(state);
        return {paused: [paused.events, core.view(paused.state)], done: done.events,
                after: core.view(done.state)};
        """
    )
    events, view = result["paused"]
    assert events == []
    assert view["seconds"] == 110
    assert view["running"] is False
    assert result["done"][0] == {"type": "signal", "count": 3}
    assert result["after"]["phase"] == "collect"


def test_alternate_shooting_twenty_seconds_an_arrow(core: Any) -> None:
    periods = core(
        "return core.schedule({mode: 'alternate', arrows: 3, first: 'ghost'});"
    )
    turns = periods[1:]
    assert [p["shooter"] for p in turns] == ["ghost", "archer"] * 3
    assert [p["arrow"] for p in turns] == [0, 0, 1, 1, 2, 2]
    assert {p["seconds"] for p in turns} == {20}
    assert [p["signal"] for p in periods] == [2, 1, 0, 0, 0, 0, 0]
    # The ghost shoots 12 s into its 20: its period ends with 8 s left.
    assert [p["stopAt"] for p in turns] == [8, 0] * 3


def test_the_ghost_shoots_in_its_turn_and_a_late_archer_loses_the_turn(
    core: Any,
) -> None:
    log = core(
        """
        const out = [];
        let {state, events} = core.start(core.createClock(
          core.schedule({mode: 'alternate', arrows: 3, first: 'archer'})));
        const note = (label) => out.push([label, events.map((e) => e.type + ':' +
          (e.shooter || '') + (e.arrow ?? '')), core.view(state)]);
        ({state, events} = core.tick(state, 10000)); note('line');
        ({state, events} = core.shot(state)); note('archer shot');
        ({state, events} = core.tick(state, 11999)); note('ghost aiming');
        ({state, events} = core.tick(state, 1)); note('ghost shot');
        ({state, events} = core.tick(state, 20000)); note('archer late');
        return out;
        """
    )
    notes = {label: (events, view) for label, events, view in log}
    assert notes["line"][1]["shooter"] == "archer"
    assert notes["archer shot"][0] == ["phase:ghost0"]
    assert notes["archer shot"][1]["tone"] == "wait"
    assert notes["ghost aiming"][0] == []
    assert notes["ghost aiming"][1]["seconds"] == 9
    assert notes["ghost shot"][0] == ["ghost-arrow:0", "phase:archer1"]
    assert notes["archer late"][0] == ["time-up:archer1", "phase:ghost1"]


def test_a_shoot_off_arrow_each_forty_seconds(core: Any) -> None:
    periods = core("return core.schedule({mode: 'shoot-off', first: 'ghost'});")
    assert [(p["shooter"], p["seconds"]) for p in periods[1:]] == [
        ("ghost", 40),
        ("archer", 40),
    ]


@pytest.mark.parametrize(
    ("began", "archer", "ghost", "first"),
    [
        ("archer", 0, 0, "archer"),  # the first end: who began the match
        ("ghost", 0, 0, "ghost"),
        ("archer", 4, 2, "ghost"),  # the lower score shoots first
        ("ghost", 1, 3, "archer"),
        ("ghost", 5, 5, "ghost"),  # level (a shoot-off too): who began
    ],
)
def test_who_shoots_first(
    core: Any, began: str, archer: int, ghost: int, first: str
) -> None:
    args = json.dumps({"began": began, "archer": archer, "ghost": ghost})
    assert core(f"return core.firstShooter({args});") == first


def test_the_ghost_shoots_its_end_in_no_telling_order(core: Any) -> None:
    orders = core(
        """
        const ends = [];
        for (let end = 0; end < 200; end += 1) ends.push(core.inShootingOrder(
          ['X', '10', '9', '8', '7', '6'].slice(0, 3 + end % 4), end));
        return {ends, again: core.inShootingOrder(['10', '9', '7'], 4),
                same: core.inShootingOrder(['10', '9', '7'], 4)};
        """
    )
    assert orders["again"] == orders["same"]  # the same end, the same order
    firsts = {}
    for end, order in enumerate(orders["ends"]):
        labels = ["X", "10", "9", "8", "7", "6"][: 3 + end % 4]
        assert sorted(order) == sorted(labels)
        firsts.setdefault(len(order), []).append(labels.index(order[0]))
    for size, positions in firsts.items():
        # The best arrow comes first about 1 time in `size`, not every time.
        share = positions.count(0) / len(positions)
        assert 0.5 / size < share < 2 / size, (size, share)
        assert set(positions) == set(range(size))


def test_formatting(core: Any) -> None:
    assert core("return [120, 30, 9.2, 0, -1].map((s) => core.formatSeconds(s));") == [
        "2:00",
        "0:30",
        "0:10",
        "0:00",
        "0:00",
    ]


# -- on a match page ------------------------------------------------------------------


def clock_on(page: Any) -> Any:
    page.locator("[data-clock][data-ready]").wait_for()
    page.check("[data-clock-toggle]")
    panel = page.locator("[data-clock-panel]")
    expect(panel).to_be_visible()
    return panel


def freeze(page: Any, ahead_ms: int) -> None:
    """The page's time stops, a moment ahead, until ``run_for`` or ``resume``."""
    now = page.evaluate("Date.now()") / 1000
    page.clock.pause_at(datetime.fromtimestamp(now + ahead_ms / 1000, tz=UTC))


def start_clock(page: Any) -> None:
    """Time stands still from here but for ``run_for``; then Start."""
    freeze(page, 1000)
    page.click("[data-clock-main]")


def test_a_ranking_end_on_the_clock(phone: Any, screenshot: Any) -> None:
    phone.clock.install()
    new_match(phone, kind="ranking", indoor=True)  # WA 18 m: ends of 3
    clock = phone.locator("[data-clock]")
    expect(phone.locator("[data-clock-panel]")).to_be_hidden()  # off by default
    panel = clock_on(phone)
    phone.reload()  # remembered on this device
    phone.locator("[data-clock][data-ready]").wait_for()
    expect(phone.locator("[data-clock-toggle]")).to_be_checked()
    expect(panel).to_be_visible()
    expect(phone.locator("[data-clock-digits]")).to_have_text("2:00")

    start_clock(phone)
    expect(panel).to_have_attribute("data-phase", "walk-up")
    expect(panel).to_have_attribute("data-tone", "stop")
    expect(clock).to_have_attribute("data-last-signal", "2")
    # Real WebAudio nodes made the blasts (the tap on Start allowed the sound).
    expect(clock).to_have_attribute("data-sound", "running")
    expect(clock).to_have_attribute("data-vibration", "350 250 350")  # two buzzes
    expect(phone.locator("[data-clock-label]")).to_have_text("To the line")
    expect(phone.locator("[data-clock-who]")).to_have_text(
        "You and the ghost shoot together"
    )
    announce = phone.locator("[data-clock-announce]")
    expect(announce).to_have_text("Two signals: to the line, 10 seconds.")

    phone.clock.run_for(10_000)
    expect(panel).to_have_attribute("data-phase", "shoot")
    expect(panel).to_have_attribute("data-tone", "go")
    expect(clock).to_have_attribute("data-last-signal", "1")
    expect(phone.locator("[data-clock-digits]")).to_have_text("2:00")
    expect(announce).to_have_text("One signal: shoot, 2:00.")

    phone.clock.run_for(89_000)
    expect(phone.locator("[data-clock-digits]")).to_have_text("0:31")
    expect(panel).to_have_attribute("data-tone", "go")
    phone.clock.run_for(1_000)
    expect(panel).to_have_attribute("data-tone", "warn")
    expect(phone.locator("[data-clock-label]")).to_have_text("30 seconds left")
    expect(announce).to_have_text("30 seconds left")
    screenshot(phone, "warning")

    phone.clock.run_for(30_000)
    expect(panel).to_have_attribute("data-phase", "collect")
    expect(panel).to_have_attribute("data-tone", "stop")
    expect(clock).to_have_attribute("data-last-signal", "3")
    expect(clock).to_have_attribute("data-signals", "3")
    expect(clock).to_have_attribute("data-vibration", "350 250 350 250 350")
    expect(phone.locator("[data-clock-label]")).to_have_text(
        "Stop: collect your arrows"
    )
    expect(phone.locator("[data-clock-main]")).to_be_disabled()

    phone.clock.resume()  # the sheet's own timers run again
    keypad_end(phone, ["10", "9", "8"])  # the next end: the clock ready again
    expect(panel).to_have_attribute("data-phase", "idle")
    expect(phone.locator("[data-clock-digits]")).to_have_text("2:00")
    expect(phone.locator("[data-clock-main]")).to_have_text("Start")


def test_entering_an_end_stops_the_clock(phone: Any) -> None:
    phone.clock.install()
    new_match(phone, kind="ranking", indoor=True)
    panel = clock_on(phone)
    start_clock(phone)
    phone.clock.run_for(25_000)
    expect(phone.locator("[data-clock-digits]")).to_have_text("1:45")
    # The screen kept awake while the clock runs (Chromium grants the lock).
    expect(phone.locator("[data-clock]")).to_have_attribute("data-wake-lock", "held")
    phone.clock.resume()  # the sheet's own timers run again
    keypad_end(phone, ["X", "X", "X"])
    expect(panel).to_have_attribute("data-running", "false")
    expect(panel).to_have_attribute("data-phase", "idle")
    expect(phone.locator("[data-clock]")).to_have_attribute(
        "data-wake-lock", "released"
    )
    phone.clock.run_for(60_000)  # nothing runs on
    expect(phone.locator("[data-clock-digits]")).to_have_text("2:00")
    expect(phone.locator("[data-clock]")).to_have_attribute("data-signals", "2")


def shooting_order(page: Any, plan: dict[str, Any], end: int) -> list[str]:
    """The order the ghost shoots an end's arrows in (the plan lists them
    highest first)."""
    labels = json.dumps(plan["ends"][end])
    order = page.evaluate(
        f"async () => (await import('{CORE}')).inShootingOrder({labels}, {end})"
    )
    assert sorted(order) == sorted(plan["ends"][end])
    return order  # type: ignore[no-any-return]


def ghost_plan(page: Any) -> dict[str, Any]:
    return json.loads(page.locator("#ghost-plan").text_content())  # type: ignore[no-any-return]


def test_a_set_match_end_shot_in_turns_with_the_ghost(
    phone: Any, screenshot: Any
) -> None:
    phone.clock.install()
    new_match(phone, kind="set")
    panel = clock_on(phone)
    plan = ghost_plan(phone)
    ghost = phone.locator("[data-clock-ghost]")
    phone.select_option("[data-clock-first]", "ghost")
    start_clock(phone)
    phone.clock.run_for(10_000)
    expect(panel).to_have_attribute("data-tone", "wait")
    expect(phone.locator("[data-clock-who]")).to_have_text(
        "The ghost shoots its arrow 1"
    )
    expect(phone.locator("[data-clock-shot]")).to_be_disabled()
    phone.clock.run_for(11_000)
    expect(ghost).to_have_text(NOTHING_YET)  # never before its turn is over
    phone.clock.run_for(1_000)
    order = shooting_order(phone, plan, 0)
    first = order[0]
    expect(ghost).to_have_text(first)
    expect(phone.locator("[data-clock-announce]")).to_have_text(
        f"The ghost's arrow: {first}. Your turn: arrow 1, 20 seconds."
    )
    expect(panel).to_have_attribute("data-tone", "go")
    expect(phone.locator("[data-clock-who]")).to_have_text("Your arrow 1")
    expect(phone.locator("[data-clock-digits]")).to_have_text("0:20")
    screenshot(phone, "your-turn")
    for arrow in range(1, 3):
        phone.click("[data-clock-shot]")
        phone.clock.run_for(12_000)
        shot = order[: arrow + 1]
        expect(ghost).to_have_text(re.compile(r"\s+".join(shot)))
    phone.clock.run_for(20_000)  # the archer's last arrow: too late
    expect(panel).to_have_attribute("data-phase", "collect")
    expect(phone.locator("[data-clock]")).to_have_attribute("data-signals", "3")

    phone.clock.resume()  # the sheet's own timers run again
    keypad_end(phone, ["10", "10", "10"])
    expect(ghost).to_have_text(NOTHING_YET)
    archer = int(phone.locator("[data-testid=archer-score]").inner_text())
    ghost_points = int(phone.locator("[data-testid=ghost-score]").inner_text())
    start_clock(phone)
    phone.clock.run_for(10_000)
    # The lower score shoots first; level, who began the match (the ghost).
    ghost_first = archer >= ghost_points
    expected = "The ghost shoots its arrow 1" if ghost_first else "Your arrow 1"
    expect(phone.locator("[data-clock-who]")).to_have_text(expected)
    expect(phone.locator("[data-clock-first-line]")).to_be_hidden()


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(c) for c in re.findall(r"\d+", colour)[:3]]
        srgb = [c / 255 for c in channels]
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_state_of_the_clock_is_readable(phone: Any, theme: str) -> None:
    new_match(phone, kind="set")
    phone.goto(f"/theme/{theme}?next={urlsplit(phone.url).path}")
    assert phone.locator("html").get_attribute("data-theme") == theme
    panel = clock_on(phone)
    ratios = {}
    for tone in ("idle", "stop", "go", "warn", "wait"):
        panel.evaluate("(panel, tone) => { panel.dataset.tone = tone; }", tone)
        for part in ("[data-clock-digits]", "[data-clock-label]", ".clock-shape"):
            colours = phone.locator(part).evaluate(
                """(el) => {
                  const panel = el.closest('[data-clock-panel]');
                  return [getComputedStyle(el).color,
                          getComputedStyle(panel).backgroundColor];
                }"""
            )
            ratios[tone, part] = contrast(*colours)
    for button in ("[data-clock-main]", "[data-clock-reset]"):
        colours = phone.locator(button).evaluate(
            "(el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
        )
        ratios["button", button] = contrast(*colours)
    low = {key: round(ratio, 2) for key, ratio in ratios.items() if ratio < 4.5}
    assert not low, low


def test_a_shoot_off_arrow_each_in_turn(phone: Any) -> None:
    phone.clock.install()
    new_match(phone, kind="set", preset="perfect")
    for _ in range(5):
        keypad_end(phone, ["X", "X", "X"])  # 5-5: a shoot-off
    panel = clock_on(phone)
    plan = ghost_plan(phone)
    expect(phone.locator("[data-clock-first-line]")).to_be_hidden()
    expect(phone.locator("[data-clock-digits]")).to_have_text("0:40")
    start_clock(phone)
    phone.clock.run_for(10_000)
    # Level: who began the match (the archer, by default) shoots first.
    expect(phone.locator("[data-clock-who]")).to_have_text("Your arrow 1")
    expect(phone.locator("[data-clock-digits]")).to_have_text("0:40")
    phone.clock.run_for(30_000)
    expect(panel).to_have_attribute("data-tone", "go")  # no 30 s warning on 40 s
    phone.click("[data-clock-shot]")
    expect(panel).to_have_attribute("data-tone", "wait")
    expect(phone.locator("[data-clock-digits]")).to_have_text("0:40")
    phone.clock.run_for(12_000)
    expect(phone.locator("[data-clock-ghost]")).to_have_text(plan["shoot_off"][0][0])
    expect(panel).to_have_attribute("data-phase", "collect")
    phone.clock.resume()  # the sheet's own timers run again
    phone.select_option("#shoot-off-arrow", "X")
    phone.click("button:has-text('Enter shoot-off')")
    phone.wait_for_selector("text=Whose arrow is closer?")
    expect(phone.locator("[data-clock-label]")).to_have_text(
        "Measure the shoot-off arrows, then the clock times the next one."
    )
    expect(phone.locator("[data-clock-main]")).to_be_disabled()


def test_switching_the_clock_off_stops_it(phone: Any) -> None:
    phone.clock.install()
    new_match(phone, kind="ranking", indoor=True)
    panel = clock_on(phone)
    start_clock(phone)
    phone.clock.run_for(15_000)
    phone.uncheck("[data-clock-toggle]")
    expect(panel).to_be_hidden()
    expect(phone.locator("[data-clock]")).to_have_attribute(
        "data-wake-lock", "released"
    )
    phone.clock.run_for(60_000)
    phone.check("[data-clock-toggle]")
    expect(phone.locator("[data-clock-digits]")).to_have_text("1:55")  # paused
    expect(phone.locator("[data-clock-main]")).to_have_text("Resume")
    phone.reload()
    phone.locator("[data-clock][data-ready]").wait_for()
    expect(phone.locator("[data-clock-toggle]")).to_be_checked()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_clock_passes_the_accessibility_audit(
    phone: Any, theme: str, screenshot: Any
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    phone.clock.install()
    new_match(phone, kind="set")
    phone.goto(f"/theme/{theme}?next={urlsplit(phone.url).path}")
    clock_on(phone)
    found = {}
    for state, step in [("idle", 0), ("walk-up", 1), ("ghost", 10_000)]:
        if step == 1:
            phone.select_option("[data-clock-first]", "ghost")
            start_clock(phone)
        elif step:
            phone.clock.run_for(step)
        phone.clock.resume()  # axe-core waits on timers of its own
        screenshot(phone, f"{theme}-{state}")
        violations = Axe().run(phone).response["violations"]
        freeze(phone, 250)  # ahead of the time it takes to ask, under load
        found[state] = [
            (v["id"], v["impact"], len(v["nodes"]))
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
    assert found == {"idle": [], "walk-up": [], "ghost": []}


def test_keypad_taps_leave_a_paused_clock_alone(phone: Any) -> None:
    phone.clock.install()
    new_match(phone, kind="ranking", indoor=True)
    clock_on(phone)
    start_clock(phone)
    phone.clock.run_for(25_000)
    phone.click("[data-clock-main]")  # pause
    for label in ("X", "9"):
        phone.click(f".keypad button[data-value='{label}']")
    phone.clock.run_for(30_000)
    expect(phone.locator("[data-clock-digits]")).to_have_text("1:45")
    expect(phone.locator("[data-clock-main]")).to_have_text("Resume")
    expect(phone.locator("[data-clock-label]")).to_have_text("Paused · Shoot")
    phone.click("[data-clock-main]")
    phone.clock.run_for(5_000)
    expect(phone.locator("[data-clock-digits]")).to_have_text("1:40")


def test_an_end_of_six_has_four_minutes(phone: Any) -> None:
    phone.clock.install()
    new_match(phone, kind="ranking", indoor=False)
    assert phone.locator("#entry").get_attribute("data-arrows") == "6"
    panel = clock_on(phone)
    expect(phone.locator("[data-clock-digits]")).to_have_text("4:00")
    start_clock(phone)
    phone.clock.run_for(10_000 + 210_000)
    expect(panel).to_have_attribute("data-tone", "warn")
    expect(phone.locator("[data-clock-digits]")).to_have_text("0:30")
    phone.click("[data-clock-shot]")  # done shooting before the time is up
    expect(panel).to_have_attribute("data-phase", "collect")
    expect(phone.locator("[data-clock]")).to_have_attribute("data-last-signal", "3")


def test_the_clock_follows_the_offline_sheet(browser: Any, live_server: str) -> None:
    """Offline, the phone's sheet is drawn in place: entering an end still
    stops the clock and readies it for the next end, with that end's arrows."""
    from .test_offline_browser import tap_end

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server
    )
    try:
        page = context.new_page()
        page.clock.install()
        page.goto("/new?kind=set&bow=recurve&indoor=0&ghost=handicap&handicap=40")
        page.click("button:has-text('Start')")
        page.wait_for_url(re.compile(r"/matches/[A-Za-z0-9_-]{22}$"))
        # Once the service worker has the page, it keeps it for offline use. A
        # page whose navigation began while the worker was installing is never
        # taken (clients.claim() takes only the pages there are): load it again.
        controlled = "() => navigator.serviceWorker.controller !== null"
        for attempt in range(100):
            if page.evaluate(controlled):
                break
            if attempt % 20 == 19:
                page.reload()
            time.sleep(0.1)
        assert page.evaluate(controlled), "the service worker never took the page"
        page.reload()
        plan = ghost_plan(page)
        panel = clock_on(page)
        context.set_offline(True)
        page.select_option("[data-clock-first]", "ghost")
        start_clock(page)
        page.clock.run_for(10_000 + 12_000)
        expect(page.locator("[data-clock-ghost]")).to_have_text(
            shooting_order(page, plan, 0)[0]
        )
        page.clock.resume()
        tap_end(page, ["10", "9", "9"])
        expect(page.locator("tr.kept")).to_have_count(1)  # kept on the phone
        expect(panel).to_have_attribute("data-phase", "idle")
        expect(page.locator("[data-clock-ghost]")).to_have_text(NOTHING_YET)
        expect(page.locator("[data-clock]")).to_have_attribute(
            "data-wake-lock", "released"
        )
        archer = int(page.locator("[data-testid=archer-score]").inner_text())
        ghost = int(page.locator("[data-testid=ghost-score]").inner_text())
        start_clock(page)
        page.clock.run_for(10_000)
        who = page.locator("[data-clock-who]")
        if archer < ghost:
            expect(who).to_have_text("Your arrow 1")
            page.click("[data-clock-shot]")
        else:  # ahead, or level (the ghost began the match)
            expect(who).to_have_text("The ghost shoots its arrow 1")
        page.clock.run_for(12_000)
        expect(page.locator("[data-clock-ghost]")).to_have_text(
            shooting_order(page, plan, 1)[0]
        )
        page.clock.resume()
        page.reload()  # offline: the clock's files come from the worker's cache
        page.locator("[data-clock][data-ready]").wait_for()
        expect(panel).to_be_visible()
        expect(panel).to_have_attribute("data-phase", "idle")
    finally:
        context.close()


def test_the_signals_without_sound(phone: Any) -> None:
    """At a shared range the sound can be off: the signals still vibrate and
    show, and this device remembers the choice."""
    phone.clock.install()
    new_match(phone, kind="ranking", indoor=True)
    clock_on(phone)
    sound = phone.locator("[data-clock-sound]")
    expect(sound).to_be_checked()  # on unless turned off
    phone.uncheck("[data-clock-sound]")
    phone.reload()
    phone.locator("[data-clock][data-ready]").wait_for()
    expect(sound).not_to_be_checked()
    start_clock(phone)
    clock = phone.locator("[data-clock]")
    expect(clock).to_have_attribute("data-last-signal", "2")
    expect(clock).to_have_attribute("data-sound", "off")
    expect(clock).to_have_attribute("data-vibration", "350 250 350")
    phone.uncheck("[data-clock-toggle]")
    expect(phone.locator("[data-clock-sound-line]")).to_be_hidden()


@pytest.mark.parametrize(("kind", "time"), [("team", "2:00"), ("mixed", "1:20")])
def test_a_team_end_on_the_clock(phone: Any, kind: str, time: str) -> None:
    """A team match page's clock: both teams together, the team's time."""
    phone.clock.install()
    phone.goto("/teams")
    phone.check(f"input[name=kind][value='{kind}']")
    phone.fill("#handicap", "40")
    phone.click("button[type=submit]:has-text('Start the team match')")
    phone.wait_for_url(re.compile(r"/teams/[\w-]+$"))
    panel = clock_on(phone)
    expect(phone.locator("[data-clock-digits]")).to_have_text(time)
    start_clock(phone)
    phone.clock.run_for(10_000)
    expect(panel).to_have_attribute("data-phase", "shoot")
    expect(phone.locator("[data-clock-who]")).to_contain_text(
        "Both teams shoot together"
    )
    expect(phone.locator("[data-clock-digits]")).to_have_text(time)
