"""Offline play in Chromium: the phone's scorer against the engine, a match
played offline to its end and sent when the network is back, and what
happens when sending goes wrong."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture explains what is missing
    expect = None

from ghost_simulator.engine import Ghost, Match, MatchError, match_round
from ghost_simulator.engine.rounds import get_round
from ghost_simulator.services.sheets import ghost_plan

from .header import nav_click

pytestmark = pytest.mark.browser


def _verdict(match: Match) -> dict[str, Any]:
    v = match.verdict()
    return {
        "status": v.status,
        "archer": v.archer_points,
        "ghost": v.ghost_points,
        "reason": v.reason,
        "expected": match.expected_arrows(),
    }


def _random_match(rng: random.Random) -> Match:
    shape = rng.choice(
        ["set", "set_indoor", "cumulative", "cumulative_indoor", "ranking"]
    )
    handicap = rng.uniform(0, 70)
    ghost = Ghost.from_handicap(handicap, steady=rng.random() < 0.5)
    seed = rng.randrange(2**63)
    if shape.startswith("set"):
        return Match(
            "set", match_round("recurve", shape.endswith("indoor")), ghost, seed
        )
    if shape.startswith("cumulative"):
        rnd = match_round("compound", shape.endswith("indoor"))
        return Match("cumulative", rnd, ghost, seed)
    code = rng.choice(["wa720_70", "wa18", "wa1440_90"])
    return Match("ranking", get_round(code, half=True), ghost, seed)


def engine_case(rng: random.Random) -> dict[str, Any]:
    """A match played by the engine with random entries (some copying the
    ghost's, for ties and shoot-offs; some wrong): the plan, the entries, and
    the engine's verdict (or refusal) after each."""
    match = _random_match(rng)
    plan = ghost_plan(match, 1)
    mirror = 0.35 if rng.random() < 0.8 else 1.0  # how often it copies the ghost
    steps: list[dict[str, Any]] = []
    while len(steps) < 60:
        verdict = match.verdict()
        if verdict.finished:
            break
        if verdict.status == "shoot_off":
            index = len(match.shoot_offs)
            if index >= len(plan["shoot_off"]):
                break
            ghost_label = plan["shoot_off"][index][0]
            labels = match.shoot_off_face.labels
            label = ghost_label if rng.random() < 0.6 else rng.choice(labels)
            closer = rng.choice(["archer", "ghost", "equal", "equal", None])
            entry: dict[str, Any] = {"shoot_off": label, "closer": closer}
            try:
                match.add_shoot_off(label, closer)
                outcome = _verdict(match)
            except MatchError as exc:
                outcome = {"error": exc.code}
        else:
            index = match.ends_shot
            size = match.expected_arrows()
            face = match.face_for_end(index)
            roll = rng.random()
            if roll < mirror:
                entry = {"labels": list(plan["ends"][index])}  # the ghost's: a tie
            elif roll < 0.75:
                entry = {"labels": [rng.choice(face.labels) for _ in range(size)]}
            elif roll < 0.9:
                entry = {"total": rng.randint(0, size * face.max_value)}
            elif roll < 0.94:
                entry = {"labels": [rng.choice(face.labels) for _ in range(size - 1)]}
            elif roll < 0.97:
                entry = {"labels": ["11"] + [face.labels[0]] * (size - 1)}
            else:
                entry = {"total": size * face.max_value + 1}
            try:
                if "labels" in entry:
                    match.add_end(entry["labels"])
                else:
                    match.add_end(total=entry["total"])
                outcome = _verdict(match)
            except MatchError as exc:
                outcome = {"error": exc.code}
        steps.append({"entry": entry, "engine": outcome})
    return {"plan": plan, "steps": steps}


PHONE_REPLAY = """
async (cases) => {
  const score = await import("/static/js/offline-score.js");
  return cases.map(({ plan, steps }) => {
    let ends = [];
    let shootOffs = [];
    return steps.map(({ entry }) => {
      if ("shoot_off" in entry) {
        const made = score.addShootOff(
          plan, ends, shootOffs, entry.shoot_off, entry.closer,
        );
        if (made.error) return { error: made.error };
        shootOffs = made.shootOffs;
      } else {
        const made = score.makeEnd(
          plan, ends, shootOffs, entry.labels ?? null, entry.total ?? null,
        );
        if (made.error) return { error: made.error };
        ends = [...ends, made.end];
      }
      const v = score.verdict(plan, ends, shootOffs);
      return {
        status: v.status, archer: v.archer, ghost: v.ghost, reason: v.reason,
        expected: score.expectedArrows(plan, ends, shootOffs),
      };
    });
  });
}
"""


def test_the_phone_scores_matches_exactly_as_the_engine(phone: Any) -> None:
    rng = random.Random(20261125)
    cases = [engine_case(rng) for _ in range(400)]
    phone.goto("/about")
    results = phone.evaluate(PHONE_REPLAY, cases)
    statuses: dict[str, int] = {}
    for case, result in zip(cases, results, strict=True):
        engine = [step["engine"] for step in case["steps"]]
        assert result == engine, case["plan"]["kind"]
        for outcome in engine:
            key = outcome.get("status") or outcome["error"]
            statuses[key] = statuses.get(key, 0) + 1
    # The cases cover every way a match ends, shoot-offs and refusals.
    for status in ("won", "lost", "tied", "shoot_off", "arrow_count", "bad_label"):
        assert statuses.get(status, 0) > 0, (status, statuses)


# -- a match played offline ----------------------------------------------------------


@pytest.fixture
def phone_context(browser: Any, live_server: str):  # type: ignore[no-untyped-def]
    """A phone of its own (its own service worker, caches and IndexedDB)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server
    )
    yield context
    context.close()


def start_match(page: Any, seed: int, kind: str = "cumulative") -> str:
    bow = "compound" if kind == "cumulative" else "recurve"
    page.goto(
        f"/new?kind={kind}&bow={bow}&indoor=0&ghost=handicap&handicap=40&seed={seed}"
    )
    page.click("button:has-text('Start')")
    page.wait_for_url(re.compile(r"/matches/[A-Za-z0-9_-]{22}$"))
    # Once the worker runs, the page loaded again goes through it (and is kept).
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    return str(page.url)


def tap_end(page: Any, labels: list[str]) -> None:
    page.locator("#entry .keypad").wait_for()
    for label in labels:
        page.click(f"#entry .keypad button[data-value='{label}']")
    page.click("#entry [data-submit]")


def server_match(page: Any, url: str) -> dict[str, Any]:
    """The match as the server stores it (read through the API)."""
    match_id = url.rsplit("/", 1)[1]
    response = page.request.get(f"/api/v1/matches/{match_id}")
    assert response.ok, response.text()
    return response.json()  # type: ignore[no-any-return]


def server_keys(page: Any, url: str) -> list[str]:
    response = page.request.get(url + "/offline-state")
    assert response.ok
    return response.json()["keys"]  # type: ignore[no-any-return]


def kept_rows(page: Any) -> int:
    return int(page.locator("[data-testid=score-sheet] tr.kept").count())


ENDS = [
    ["10", "9", "9"],
    ["9", "9", "8"],
    ["10", "10", "9"],
    ["8", "8", "7"],
    ["X", "9", "9"],
]


def test_a_match_played_offline_is_stored_once_when_back_online(
    phone_context: Any,
) -> None:
    page = phone_context.new_page()
    url = start_match(page, seed=424242)
    tap_end(page, ENDS[0])  # online: straight to the server
    page.locator("[data-testid=score-sheet] tbody tr").first.wait_for()
    expect(page.locator("tr.sending")).to_have_count(0)  # the server's answer
    assert len(server_match(page, url)["ends"]) == 1

    phone_context.set_offline(True)
    tap_end(page, ENDS[1])
    tap_end(page, ENDS[2])
    expect(page.locator("tr.kept")).to_have_count(2)
    status = page.locator("[data-testid=offline-status]")
    expect(status).to_contain_text("not sent yet: 2")
    # The ghost's ends are revealed as usual, the odds wait for the network.
    rows = page.locator("[data-testid=score-sheet] tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("[data-testid=status]")).to_contain_text(
        "update when back online"
    )

    page.reload()  # offline: the worker's copy of the page, the phone's ends
    expect(page.locator("tr.kept")).to_have_count(2)
    expect(rows).to_have_count(3)
    tap_end(page, ENDS[3])
    tap_end(page, ENDS[4])
    expect(rows).to_have_count(5)
    verdict = page.locator("[data-testid=status] strong").inner_text()
    assert verdict in (
        "You win!",
        "The ghost wins.",
        "Level: one arrow each decides it.",
    )

    phone_context.set_offline(False)
    expect(status).to_contain_text("Sent", timeout=15000)
    expect(page.locator("tr.kept, tr.sending")).to_have_count(0)
    stored = server_match(page, url)
    assert [end["archer"]["arrows"] for end in stored["ends"]] == ENDS
    # The phone scored it as the server does.
    expect(page.locator("[data-testid=status]")).to_contain_text(verdict)
    assert len(server_keys(page, url)) == 5  # each end once, by its own key
    # The page is the server's sheet now, and stays so on reload.
    page.reload()
    expect(rows).to_have_count(5)
    expect(page.locator("tr.kept, tr.sending")).to_have_count(0)


# -- when sending goes wrong ---------------------------------------------------------


def outbox_size(page: Any) -> int:
    return int(
        page.evaluate(
            """async () => {
              const m = await import("/static/js/offline-match.js");
              return (await m.allUnsent()).length;
            }"""
        )
    )


def test_an_answer_lost_mid_send_is_not_entered_twice(phone_context: Any) -> None:
    """The end reaches the server (stored) but the answer never comes back:
    the phone keeps it, and the next send finds its key already stored."""
    page = phone_context.new_page()
    url = start_match(page, seed=5151)
    lost: list[str] = []

    def store_then_drop(route: Any) -> None:
        route.fetch()  # the server stores the end...
        lost.append(route.request.url)
        route.abort("connectionreset")  # ...and the phone never hears it

    page.route("**/ends", store_then_drop)
    tap_end(page, ENDS[0])
    expect(page.locator("tr.kept")).to_have_count(1)
    assert lost
    assert len(server_match(page, url)["ends"]) == 1
    page.unroute("**/ends")
    tap_end(page, ENDS[1])  # the next end sends the outbox again
    expect(page.locator("tr.kept, tr.sending")).to_have_count(0)
    stored = server_match(page, url)
    assert [end["archer"]["arrows"] for end in stored["ends"]] == ENDS[:2]
    assert len(server_keys(page, url)) == 2
    assert outbox_size(page) == 0


def test_an_end_typed_while_the_last_answer_is_kept_is_sent_too(
    phone_context: Any,
) -> None:
    """The server's sheet (with the next keypad) is on the screen while the
    phone still keeps it for offline use: an end typed in that moment is sent
    once that is done, not left on the phone until the network comes back."""
    page = phone_context.new_page()
    url = start_match(page, seed=5454)
    page.evaluate(
        """() => {
          const open = caches.open.bind(caches);
          caches.open = async (name) => {
            await new Promise((done) => setTimeout(done, 1500));
            return open(name);
          };
        }"""
    )
    rows = page.locator("[data-testid=score-sheet] tbody tr")
    tap_end(page, ENDS[0])
    expect(rows).to_have_count(1)  # the server's sheet, still being kept
    tap_end(page, ENDS[1])
    expect(rows).to_have_count(2)
    # Neither kept on the phone nor still on its way: the server's sheet.
    expect(page.locator("tr.kept, tr.sending")).to_have_count(0, timeout=10000)
    stored = server_match(page, url)
    assert [end["archer"]["arrows"] for end in stored["ends"]] == ENDS[:2]
    assert outbox_size(page) == 0


def test_two_offline_submits_in_the_same_tick_keep_one_end(
    phone_context: Any,
) -> None:
    """A double tap while offline: the phone keeps the end once, and sends it
    once; no false "changed elsewhere" panel afterwards."""
    page = phone_context.new_page()
    url = start_match(page, seed=5656)
    phone_context.set_offline(True)
    page.locator("#entry .keypad").wait_for()
    for label in ENDS[0]:
        page.click(f"#entry .keypad button[data-value='{label}']")
    page.evaluate(
        """() => {
          const form = document.getElementById("entry");
          form.requestSubmit();
          form.requestSubmit();
        }"""
    )
    expect(page.locator("tr.kept")).to_have_count(1)
    page.wait_for_timeout(300)  # anything a second copy would do, done
    expect(page.locator("tr.kept")).to_have_count(1)
    assert outbox_size(page) == 1
    phone_context.set_offline(False)
    expect(page.locator("[data-testid=offline-status]")).to_contain_text(
        "Sent", timeout=15000
    )
    expect(page.locator("[data-testid=offline-conflict]")).to_have_count(0)
    stored = server_match(page, url)
    assert [end["archer"]["arrows"] for end in stored["ends"]] == ENDS[:1]
    assert outbox_size(page) == 0


def test_the_same_end_sent_twice_is_entered_once(phone_context: Any) -> None:
    page = phone_context.new_page()
    url = start_match(page, seed=5252)

    def send_twice(route: Any) -> None:
        route.fetch()
        route.fulfill(response=route.fetch())  # the very same request again

    page.route("**/ends", send_twice)
    tap_end(page, ENDS[0])
    expect(page.locator("[data-testid=score-sheet] tbody tr")).to_have_count(1)
    expect(page.locator("tr.sending, tr.kept")).to_have_count(0)  # the server's
    expect(page.locator("[data-testid=error]")).to_have_count(0)
    assert len(server_match(page, url)["ends"]) == 1
    assert outbox_size(page) == 0


def test_a_match_changed_elsewhere_while_offline_keeps_the_phones_ends(
    browser: Any, phone_context: Any
) -> None:
    page = phone_context.new_page()
    url = start_match(page, seed=5353)
    phone_context.set_offline(True)
    tap_end(page, ENDS[0])
    tap_end(page, ENDS[1])
    expect(page.locator("tr.kept")).to_have_count(2)
    # Meanwhile, another device of the same browser session enters end 1.
    other_context = browser.new_context(storage_state=phone_context.storage_state())
    other = other_context.new_page()
    other.goto(url)
    for label in ("8", "8", "8"):
        other.click(f".keypad button[data-value='{label}']")
    other.click("[data-submit]")
    other.locator("[data-testid=score-sheet] tbody tr").first.wait_for()
    other_context.close()

    phone_context.set_offline(False)
    conflict = page.locator("[data-testid=offline-conflict]")
    expect(conflict).to_be_visible(timeout=15000)
    expect(conflict).to_contain_text("End 1: 10 9 9")
    expect(conflict).to_contain_text("End 2: 9 9 8")
    # The server's sheet is shown; nothing of the phone's was sent or lost.
    stored = server_match(page, url)
    assert [end["archer"]["arrows"] for end in stored["ends"]] == [["8", "8", "8"]]
    rows = page.locator("[data-testid=score-sheet] tbody tr")
    expect(rows).to_have_count(1)
    assert outbox_size(page) == 2
    page.reload()  # still there after a reload, until discarded
    expect(conflict).to_be_visible(timeout=15000)
    page.click("[data-discard]")
    expect(page.locator("[data-testid=offline-status]")).to_contain_text("discarded")
    assert outbox_size(page) == 0
    assert len(server_match(page, url)["ends"]) == 1


def test_a_session_lost_while_offline_keeps_the_ends_until_it_is_back(
    phone_context: Any,
) -> None:
    page = phone_context.new_page()
    url = start_match(page, seed=5454)
    cookies = phone_context.cookies()
    phone_context.set_offline(True)
    tap_end(page, ENDS[0])
    phone_context.clear_cookies()  # the session expired (or signed out elsewhere)
    phone_context.set_offline(False)
    status = page.locator("[data-testid=offline-status]")
    expect(status).to_contain_text("sign in again", timeout=15000)
    assert outbox_size(page) == 1
    phone_context.add_cookies(cookies)  # signed in again
    page.reload()
    expect(page.locator("tr.kept, tr.sending")).to_have_count(0, timeout=15000)
    expect(status).to_contain_text("Sent")
    assert len(server_match(page, url)["ends"]) == 1
    assert outbox_size(page) == 0


def test_a_server_error_keeps_the_end_and_sends_it_later(phone_context: Any) -> None:
    page = phone_context.new_page()
    url = start_match(page, seed=5555)
    page.route("**/ends", lambda route: route.fulfill(status=500, body="oops"))
    tap_end(page, ENDS[0])
    status = page.locator("[data-testid=offline-status]")
    expect(status).to_contain_text("could not take the ends")
    expect(page.locator("tr.kept")).to_have_count(1)
    assert len(server_match(page, url)["ends"]) == 0
    page.unroute("**/ends")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # or the retry timer
    expect(status).to_contain_text("Sent")
    assert len(server_match(page, url)["ends"]) == 1
    assert outbox_size(page) == 0


def test_signing_out_forgets_the_pages_kept_offline(phone_context: Any) -> None:
    page = phone_context.new_page()
    page.goto("/register")
    page.fill("#username", "offline-archer")
    page.fill("#password", "a long enough password")
    page.fill("#confirm_password", "a long enough password")
    page.click("main button:has-text('Register')")
    url = start_match(page, seed=5656)
    kept = "async (url) => !!(await caches.match(url, {cacheName: 'ghost-pages'}))"
    assert page.evaluate(kept, url)
    nav_click(page, ".account-nav button:has-text('Sign out')")
    page.wait_for_load_state()
    page.wait_for_function(
        "async (url) => !(await caches.match(url, {cacheName: 'ghost-pages'}))", arg=url
    )
    phone_context.set_offline(True)
    page.goto(url)  # offline: not the archer's match, the offline page
    expect(page.locator("[data-testid=offline]")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Score sheet")


def test_a_shoot_off_played_offline(phone_context: Any) -> None:
    """Level against the perfect ghost, offline: the phone asks for the
    shoot-off arrow, then (both Xs) whose was closer, and the server agrees."""
    page = phone_context.new_page()
    page.goto("/new?kind=cumulative&bow=compound&indoor=0&ghost=preset&preset=perfect")
    page.click("button:has-text('Start')")
    page.wait_for_url(re.compile(r"/matches/[A-Za-z0-9_-]{22}$"))
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    url = str(page.url)
    phone_context.set_offline(True)
    for _ in range(5):
        tap_end(page, ["X", "X", "X"])
    expect(page.locator("[data-testid=status]")).to_contain_text("one arrow each")
    page.select_option("#entry select[name=arrow]", "X")
    page.click("#entry button[type=submit]")
    expect(page.locator("#entry")).to_contain_text("Whose arrow is closer?")
    page.check("#entry input[name=closer][value=archer]")
    page.click("#entry button[type=submit]")
    expect(page.locator("[data-testid=status]")).to_contain_text("You win!")
    assert outbox_size(page) == 7  # 5 ends, the arrow, who was closer

    phone_context.set_offline(False)
    status = page.locator("[data-testid=offline-status]")
    expect(status).to_contain_text("Sent", timeout=15000)
    stored = server_match(page, url)
    assert stored["status"] == "won"
    assert stored["reason"] == "shoot-off"
    assert [s["closer"] for s in stored["shoot_offs"]] == ["archer"]
    assert len(server_keys(page, url)) == 7


def test_arrows_tapped_in_the_order_shot_keep_it_online_and_offline(
    phone_context: Any,
) -> None:
    """The box "In the order I shot them", once ticked, is remembered by the
    phone; the arrows go to the server in the order tapped, online and from
    the outbox, and the sheet still shows them highest first."""
    page = phone_context.new_page()
    url = start_match(page, seed=77, kind="set")
    page.check("#entry input[name=in_order]")
    tap_end(page, ["7", "X", "9"])
    expect(page.locator("tr.sending")).to_have_count(0)
    expect(page.locator("#entry input[name=in_order]")).to_be_checked()
    phone_context.set_offline(True)
    tap_end(page, ["8", "10", "9"])  # the phone redraws its form: still ticked
    expect(page.locator("tr.kept")).to_have_count(1)
    phone_context.set_offline(False)
    expect(page.locator("tr.kept, tr.sending")).to_have_count(0, timeout=15000)
    ends = server_match(page, url)["ends"]
    assert [end["archer"]["arrows"] for end in ends] == [
        ["X", "9", "7"],
        ["10", "9", "8"],
    ]
    assert [end["archer"]["in_order"] for end in ends] == [
        ["7", "X", "9"],
        ["8", "10", "9"],
    ]
    # Unticked, the next end's order is not kept.
    page.uncheck("#entry input[name=in_order]")
    tap_end(page, ["9", "10", "8"])
    expect(page.locator("[data-testid=score-sheet] tbody tr")).to_have_count(3)
    expect(page.locator("tr.sending")).to_have_count(0)
    assert server_match(page, url)["ends"][2]["archer"]["in_order"] is None
