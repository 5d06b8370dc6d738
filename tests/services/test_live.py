"""The live leaderboard's stream (services.live): the retry delay first, an
event for each new version (at once for a version already past the one the
browser knows), keep-alive comments while nothing moves, and an end."""

from __future__ import annotations

from ghost_simulator.services import live


class Night:
    """A night whose version moves at given times of a fake clock."""

    def __init__(self, moves: dict[float, int]) -> None:
        self.now = 0.0
        self.moves = sorted(moves.items())

    def clock(self) -> float:
        return self.now

    def version(self) -> int:
        return max([v for t, v in self.moves if t <= self.now], default=0)

    def wait(self, _night_id: str, known: int, timeout: float) -> int | None:
        """As store.live.wait_for_change: back at the first move past
        ``known`` or at the timeout."""
        later = [t for t, v in self.moves if v > known and t > self.now]
        if self.version() > known:
            return self.version()
        if later and later[0] <= self.now + timeout:
            self.now = later[0]
        else:
            self.now += timeout
        return self.version()


def test_the_stream_says_each_move_once_then_ends() -> None:
    night = Night({3.0: 1, 4.0: 2, 30.0: 9})
    text = list(live.stream("n", 0, seconds=25, wait=night.wait, clock=night.clock))
    assert text[0] == f"retry: {live.RETRY_MS}\n\n"
    events = [t for t in text if t.startswith("event:")]
    assert events == [live.event(1), live.event(2)]  # 30 s is the next stream's
    assert ": still here\n\n" in text  # 4 s to 25 s: nothing moved
    assert night.now == 25.0


def test_a_browser_behind_gets_the_version_at_once() -> None:
    night = Night({0.0: 5})
    text = list(live.stream("n", 3, seconds=1, wait=night.wait, clock=night.clock))
    assert text[1] == live.event(5)


def test_a_night_gone_ends_the_stream() -> None:
    text = list(
        live.stream("n", 0, seconds=25, wait=lambda *_: None, clock=lambda: 0.0)
    )
    assert text == [f"retry: {live.RETRY_MS}\n\n"]
