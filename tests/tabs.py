"""Browser tabs for tests that send truly concurrent requests to a real HTTP
server: each request on its own connection, the browser's cookie shared by
its tabs, and :func:`race` to release several requests at the same instant."""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import TypeVar
from urllib.parse import urlencode

T = TypeVar("T")


@dataclass
class Answer:
    status: int
    location: str
    body: str


class Tab:
    """A browser tab: the browser's cookie, and a connection per request (so
    that two tabs' requests really travel at once)."""

    def __init__(self, port: int, cookie: str = "", host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = port
        jar: SimpleCookie = SimpleCookie()
        jar.load(cookie)
        self.cookies = {name: morsel.value for name, morsel in jar.items()}

    @property
    def cookie(self) -> str:
        """The browser's cookies, as its next request sends them (a new tab of
        the same browser is ``Tab(port, tab.cookie)``)."""
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    @classmethod
    def at(cls, url: str, cookie: str = "") -> Tab:
        """A tab on the server at ``url`` (``http://host:port``)."""
        host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
        return cls(int(port), cookie, host)

    def request(
        self,
        method: str,
        path: str,
        fields: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        sent = dict(headers or {})
        if self.cookie:
            sent["Cookie"] = self.cookie
        body = None
        if fields is not None:
            body = urlencode(fields)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(header)
                self.cookies.update({k: v.value for k, v in jar.items()})
            return Answer(response.status, response.getheader("Location") or "", text)
        finally:
            connection.close()

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(
        self, path: str, fields: list[tuple[str, str]], fetch: bool = False
    ) -> Answer:
        headers = {"X-Requested-With": "fetch"} if fetch else {}
        return self.request("POST", path, fields, headers)


def hidden_fields(page: str, action: str) -> list[tuple[str, str]]:
    """The hidden fields of the form posting to ``action`` on a page."""
    form = re.search(
        r'<form method="post" action="[^"]*/' + action + r'".*?</form>', page, re.S
    )
    assert form is not None, f"no {action} form on the page"
    return re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0)
    )


def race(*sends: Callable[[], T]) -> list[T]:
    """Run the senders at the same instant; their answers, in order."""
    answers: list[T | None] = [None] * len(sends)
    barrier = threading.Barrier(len(sends))

    def run(i: int) -> None:
        barrier.wait()
        answers[i] = sends[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(sends))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    done = [answer for answer in answers if answer is not None]
    assert len(done) == len(sends), "a request never finished"
    return done


# -- many archers at once on several servers ------------------------------------------

#: An indoor ranking round: 20 ends of 3 arrows, so each archer enters many.
LONG_ROUND = {
    "kind": "ranking",
    "round": "wa18",
    "bow": "recurve",
    "indoor": "1",
    "ghost": "handicap",
    "handicap": "40",
}
LONG_ROUND_ENDS = 20


@dataclass
class Load:
    """What many archers entering ends at once got back."""

    statuses: dict[int, int]
    ends_sent: int
    ends_acknowledged: int
    #: Matches whose stored sheet differs from what was acknowledged.
    wrong_sheets: list[str]
    seconds: float
    #: The body of the first answer that was neither a redirect nor a 409.
    first_failure: str = ""
    #: How long each end took to be answered, in seconds.
    latencies: list[float] = field(default_factory=list)

    @property
    def ends_per_second(self) -> float:
        return self.ends_acknowledged / self.seconds if self.seconds else 0.0


def sheet_rows(page: str) -> int:
    """How many ends the score sheet on a page shows."""
    table = re.search(r'data-testid="score-sheet">.*?</table>', page, re.S)
    return table.group(0).count('<th scope="row">') if table else 0


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return found.group(1) if found else ""


def archers_at_once(urls: list[str], archers: int, ends: int = LONG_ROUND_ENDS) -> Load:
    """``archers`` browsers at once, each starting a long round and entering
    ``ends`` ends one after the other, every request to the next server in
    turn (they share a secret key, so a browser's session works on each)."""
    import time
    from collections import Counter

    statuses: Counter[int] = Counter()
    sent = acknowledged = 0
    wrong: list[str] = []
    failures: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def note(answer: Answer, ok: tuple[int, ...] = (303,)) -> bool:
        with lock:
            statuses[answer.status] += 1
            if answer.status not in ok and answer.status != 409:
                failures.append(f"{answer.status}: {answer.body[:2000]}")
        return answer.status in ok

    def archer(number: int) -> None:
        nonlocal sent, acknowledged
        tab = Tab.at(urls[number % len(urls)])
        form = tab.get("/new")
        token = csrf_token(form.body)
        started = tab.post("/matches", [*LONG_ROUND.items(), ("csrf_token", token)])
        if not note(started):
            return
        match = started.location
        entered = 0
        for end in range(1, ends + 1):
            here = Tab.at(urls[(number + end) % len(urls)], tab.cookie)
            fields = [("csrf_token", token), ("end", str(end)), ("total", "25")]
            begun = time.perf_counter()
            answer = here.post(match + "/ends", fields)
            took = time.perf_counter() - begun
            with lock:
                sent += 1
                latencies.append(took)
            if note(answer):
                entered += 1
                with lock:
                    acknowledged += 1
                note(here.get(answer.location.split("#")[0]), ok=(200,))
        if sheet_rows(tab.get(match).body) != entered:
            with lock:
                wrong.append(match)

    begin = time.perf_counter()
    threads = [threading.Thread(target=archer, args=(i,)) for i in range(archers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    seconds = time.perf_counter() - begin
    return Load(
        dict(statuses),
        sent,
        acknowledged,
        wrong,
        seconds,
        failures[0] if failures else "",
        latencies,
    )
