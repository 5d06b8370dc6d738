"""Archers at their phones: each a browser with its own cookie jar and its own
client address, entering ends one after another and reading the sheet back.

A request that fails on the way (the connection drops, nginx answers 502 or
504 because the instance serving it died) is sent again, the same form with
the same end number, as a person would tap the button again; the server's
checks make a repeated end either stored once or answered "already entered".
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

#: An indoor ranking round: 20 ends of 3 arrows.
ROUND = [
    ("kind", "ranking"),
    ("round", "wa18"),
    ("bow", "recurve"),
    ("indoor", "1"),
    ("ghost", "handicap"),
    ("handicap", "40"),
]
ENDS = 20
LABELS = ["10", "9", "8", "7", "6", "5", "M"]
PASSWORD = "a long enough password"
ARROW = re.compile(r'<span class="arrow v-[^"]*">([^<]+)</span>')
#: Answers of a request that never reached the app, or whose app died.
PROXY_TROUBLE = {502, 503, 504}


@dataclass
class Answer:
    status: int
    location: str
    body: str
    upstream: str


@dataclass
class Tally:
    """What the archers saw, for the test's figures. Shared by the threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    upstreams: Counter[str] = field(default_factory=Counter)
    troubles: Counter[str] = field(default_factory=Counter)
    acknowledged: int = 0
    already_entered: int = 0

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)


def hidden_fields(page: str, action: str) -> list[tuple[str, str]]:
    """The hidden fields of the form whose action ends in ``action``."""
    form = re.search(
        r'<form method="post" action="[^"]*' + re.escape(action) + r'".*?</form>',
        page,
        re.S,
    )
    assert form is not None, f"no form posting to {action} on the page"
    return re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0)
    )


def sheet_ends(page: str) -> list[list[str]]:
    """The archer's arrows, end by end, as the score sheet shows them."""
    body = re.search(r'data-testid="score-sheet".*?<tbody>(.*?)</tbody>', page, re.S)
    if body is None:
        return []
    ends = []
    for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
        archer = re.search(r'<td class="arrows">(.*?)</td>', row, re.S)
        assert archer is not None, row
        ends.append(re.findall(ARROW, archer.group(1)))
    return ends


class Browser:
    """One archer's browser behind the proxy: its cookies, and its own address
    (``127.0.0.N``: nginx passes it on, and the app's limits count per client)."""

    def __init__(self, port: int, address: str, tally: Tally) -> None:
        self.port = port
        self.address = address
        self.tally = tally
        self.cookies: dict[str, str] = {}

    def once(
        self, method: str, path: str, fields: list[tuple[str, str]] | None = None
    ) -> Answer:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
        )
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            self.cookies.update({k: m.value for k, m in jar.items()})
        upstream = response.getheader("X-Upstream") or ""
        with self.tally.lock:
            self.tally.requests += 1
            self.tally.upstreams[upstream] += 1
        location = response.getheader("Location") or ""
        return Answer(response.status, location, text, upstream)

    def send(
        self, method: str, path: str, fields: list[tuple[str, str]] | None = None
    ) -> tuple[Answer, int]:
        """The request, sent again while the way to the app fails; the answer
        and how many tries it took."""
        for attempt in range(1, 31):
            try:
                answer = self.once(method, path, fields)
            except (OSError, http.client.HTTPException) as exc:
                trouble = type(exc).__name__
            else:
                if answer.status not in PROXY_TROUBLE:
                    return answer, attempt
                trouble = f"HTTP {answer.status}"
            with self.tally.lock:
                self.tally.troubles[trouble] += 1
            time.sleep(0.1 * attempt)
        raise AssertionError(f"{method} {path}: no answer after 30 tries")

    def get(self, path: str, expect: int = 200) -> Answer:
        answer, _ = self.send("GET", path)
        assert answer.status == expect, (path, answer.status, answer.body[:500])
        return answer


class Archer:
    """Registers, starts a round, and enters every end, reading each back."""

    def __init__(self, number: int, port: int, tally: Tally, run: str) -> None:
        self.number = number
        self.username = f"archer{number}-{run}"
        self.browser = Browser(port, f"127.0.0.{10 + number}", tally)
        self.tally = tally
        chance = random.Random(f"{run}-{number}")
        #: Every archer's own arrows: a misplaced end would show.
        self.ends = [
            sorted((chance.choice(LABELS) for _ in range(3)), key=LABELS.index)
            for _ in range(ENDS)
        ]  # highest first, as a score sheet lists an end
        self.match_path = ""
        #: Ends the server acknowledged (303), by number.
        self.acknowledged: list[int] = []

    def register(self) -> None:
        page = self.browser.get("/register").body
        fields = [
            *hidden_fields(page, "/register"),
            ("username", self.username),
            ("password", PASSWORD),
            ("confirm_password", PASSWORD),
        ]
        answer, tries = self.browser.send("POST", "/register", fields)
        if answer.status == 400 and tries > 1 and "another username" in answer.body:
            self.sign_in()  # the first try made the account; its answer was lost
            return
        assert answer.status == 303, (answer.status, answer.body[:500])

    def sign_in(self) -> None:
        page = self.browser.get("/login").body
        fields = [
            *hidden_fields(page, "/login"),
            ("login", self.username),
            ("password", PASSWORD),
        ]
        answer, _ = self.browser.send("POST", "/login", fields)
        assert answer.status == 303, (answer.status, answer.body[:500])

    def start_match(self) -> None:
        page = self.browser.get("/new").body
        fields = [*hidden_fields(page, "/matches"), *ROUND]
        answer, _ = self.browser.send("POST", "/matches", fields)
        assert answer.status == 303, (answer.status, answer.body[:500])
        self.match_path = urlsplit(answer.location).path
        assert re.fullmatch(r"/matches/[\w-]+", self.match_path), answer.location

    def enter_ends(self) -> None:
        for number in range(1, ENDS + 1):
            self.enter(number)

    def enter(self, number: int) -> None:
        """Enter end ``number`` until the sheet shows it, exactly once."""
        arrows = self.ends[number - 1]
        for _ in range(20):
            page = self.browser.get(self.match_path).body
            shown = sheet_ends(page)
            if len(shown) == number:
                assert shown == self.ends[:number], (self.username, shown)
                return
            assert shown == self.ends[: number - 1], (self.username, number, shown)
            form = hidden_fields(page, "/ends")
            assert ("end", str(number)) in form, form
            fields = form + [("arrow", label) for label in arrows]
            answer, tries = self.browser.send("POST", self.match_path + "/ends", fields)
            if answer.status == 303:
                self.acknowledged.append(number)
                self.tally.add(acknowledged=1)
                shown = sheet_ends(self.browser.get(self.match_path).body)
                assert shown == self.ends[:number], (self.username, number, shown)
                return
            refused = answer.status in (400, 409) and (
                "already entered" in answer.body or "another window" in answer.body
            )
            # Refused only when a lost answer's first try was stored after all.
            assert refused, (answer.status, answer.body[:800])
            assert tries > 1, "refused at the first try: " + answer.body[:800]
            self.tally.add(already_entered=1)
        raise AssertionError(f"{self.username}: end {number} never showed")
