"""Playing a match, one path for every way in: the match pages, the JSON API and
the original's old links start a match, enter an end, correct the last one and
shoot off through these functions, and word what they return.

Every entry is applied to the match as stored and saved on the version it was
read at (``store.matches.save``): of two racing writes one is saved and the
other told the match changed; an entry made from an out-of-date page or client
(the version it names, or the end it says it is for) changes nothing; an entry
sent again with its idempotency key is not entered twice.

What a viewer may see of a match (:func:`visible`) is decided here too.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from ..engine import Match, MatchError
from ..store import matches as stored
from .viewers import Viewer

#: What an entry is: the next end, a new version of the last one, a
#: shoot-off arrow (or, with ``closer`` alone, who was closer for the last).
ACTIONS = ("end", "correction", "shoot_off")

#: The engine's refusals that are about what was entered (the field at
#: fault); any other is about the match as it stands (the entry came too
#: late, or for another end).
ENTRY_FIELDS = {
    "bad_label": "arrows",
    "arrow_count": "arrows",
    "bad_total": "total",
    "arrows_or_total": "arrows",
    "bad_closer": "closer",
    "closer_needed": "closer",
    "arrow_needed": "arrow",
}


@dataclass(frozen=True)
class Entry:
    """What the archer entered, however it arrived.

    ``end``: the end it is meant for (the next end's number, or the last
    end's for a correction), when the page or client says; ``read_version``:
    the match's version the entry was made on, when known; ``key``: the
    entry's idempotency key, when it has one."""

    action: str
    arrows: Sequence[str] | None = None
    total: int | None = None
    end: int | None = None
    closer: str | None = None
    read_version: int | None = None
    key: str | None = None
    #: When the phone says the end was shot (an end kept offline and sent
    #: later): a ghost night's end sent after the close counts if it was
    #: shot inside the night's window.
    shot_at: datetime | None = None
    #: The arrows are given in the order they were shot (the archer said so):
    #: the order is kept, for "the last arrow of a set" under pressure.
    in_order: bool = False


@dataclass
class Outcome:
    """What became of an entry: ``saved``; ``repeated`` (its key was stored
    before: nothing entered); ``changed`` (made on an older version, or
    another write came first: nothing saved); ``refused`` (the rules said no:
    ``refusal`` says why); ``missing`` (no such match for this viewer).
    ``match`` and ``version`` are the match as it stands after it (as it
    stood, for a refusal)."""

    result: str
    match_id: str
    match: Match | None = None
    version: int = 0
    created_at: datetime | None = None
    refusal: MatchError | None = None

    @property
    def field(self) -> str | None:
        """The entry's field a refusal is about (None: the match's state)."""
        if self.refusal is None:
            return None
        return ENTRY_FIELDS.get(self.refusal.code)


@dataclass
class Loaded:
    """A stored match (``state``: as stored), rebuilt by the engine when
    :attr:`match` is first asked for (a page kept for this version needs
    only the version)."""

    match_id: str
    version: int
    created_at: datetime
    status: str
    state: dict[str, Any] = field(repr=False)

    @cached_property
    def match(self) -> Match:
        return Match.from_dict(self.state)

    @property
    def finished(self) -> bool:
        return self.status in stored.FINISHED


def load(viewer: Viewer, match_id: str) -> Loaded | None:
    """The viewer's match, or None (no such match, or not theirs: the same)."""
    found = stored.load(match_id, viewer.owner)
    if found is None:
        return None
    return Loaded(match_id, found.version, found.created_at, found.status, found.state)


def start(viewer: Viewer, match: Match) -> str:
    """Keep a new match for the viewer; its id."""
    return stored.create(
        viewer.owner, match.to_dict(), match.verdict().status, match.summary()
    )


def rematch(viewer: Viewer, match_id: str) -> str | None:
    """The same ghost on the same round, with new arrows; its id (None: no
    such match)."""
    old = load(viewer, match_id)
    if old is None:
        return None
    match = Match(old.match.kind, old.match.round, old.match.ghost, new_seed())
    return start(viewer, match)


def new_seed() -> int:
    return secrets.randbits(63)


# -- entries ---------------------------------------------------------------------


def apply(match: Match, entry: Entry) -> None:
    """Apply the entry to the match (in memory), by the rules: a MatchError
    with a code (see :func:`message`) when it cannot be."""
    if entry.action == "end":
        due = match.ends_shot + 1
        if entry.end is not None and match.expected_arrows() and entry.end != due:
            raise MatchError("That end was already entered.", "stale", due=due)
        labels, total = _arrows_or_total(entry)
        match.add_end(labels, total=total, in_order=entry.in_order)
    elif entry.action == "correction":
        if match.verdict().finished:
            raise MatchError("The match is over.", "finished")
        last = match.ends_shot
        if entry.end is not None and last and entry.end != last:
            raise MatchError(
                "Only the last end can be corrected.",
                "not_last",
                last=last,
                end=entry.end,
            )
        labels, total = _arrows_or_total(entry)
        match.correct_last_end(labels, total=total, in_order=entry.in_order)
    elif entry.action == "shoot_off":
        _shoot_off(match, entry)
    else:
        raise ValueError(f"unknown entry {entry.action!r}")


def _arrows_or_total(entry: Entry) -> tuple[list[str] | None, int | None]:
    """The end's labels or its total. Neither: no arrows, which the engine
    refuses as it refuses too few (after saying whether an end is due)."""
    arrows = list(entry.arrows) if entry.arrows else None
    if arrows is None and entry.total is None:
        return [], None
    if arrows is not None and entry.total is not None:
        raise MatchError("Enter the arrows or the total, not both.", "arrows_or_total")
    return arrows, entry.total


def _shoot_off(match: Match, entry: Entry) -> None:
    pending = bool(match.shoot_offs) and match.shoot_offs[-1].result is None
    if pending:  # the values tied: who was closer is what is due
        if entry.closer is None:
            raise MatchError("Say whose arrow is closer.", "closer_needed")
        match.add_shoot_off(match.shoot_offs[-1].archer.label, entry.closer)
        return
    if match.verdict().status != "shoot_off":
        raise MatchError("No shoot-off is due.", "no_shoot_off")
    label = entry.arrows[0] if entry.arrows else None
    if not label:
        raise MatchError("Give the shoot-off arrow.", "arrow_needed")
    match.add_shoot_off(label, entry.closer)


def enter(viewer: Viewer, match_id: str, entry: Entry) -> Outcome:
    """Apply the entry to the viewer's match as stored and save it on the
    version it was read at (see the module's docstring)."""
    owner = viewer.owner
    found = load(viewer, match_id)
    if found is None:
        return Outcome("missing", match_id)
    as_read = Outcome(
        "", match_id, found.match, found.version, found.created_at
    )  # the match as it stood, for every answer that saved nothing
    if entry.key is not None and stored.entered_with(match_id, owner, entry.key):
        as_read.result = "repeated"
        return as_read
    if entry.read_version is not None and entry.read_version != found.version:
        as_read.result = "changed"
        return as_read
    match = found.match
    outside = _outside_night(match_id, entry)
    if outside is not None:
        as_read.result, as_read.refusal = "refused", outside
        return as_read
    try:
        apply(match, entry)
    except MatchError as exc:
        # The engine changes nothing when it refuses; rebuilt all the same.
        as_read.match = Match.from_dict(found.state)
        as_read.result, as_read.refusal = "refused", exc
        return as_read
    try:
        version = _save_end(match_id, owner, match, found.version, entry.key)
    except stored.Repeated:  # a racing request with the same key stored it
        return _as_it_stands(viewer, match_id, "repeated")
    except stored.Conflict:  # another write came first (or it finished)
        return _as_it_stands(viewer, match_id, "changed")
    except LookupError:  # deleted meanwhile (the account, say)
        return Outcome("missing", match_id)
    return Outcome("saved", match_id, match, version, found.created_at)


def _outside_night(match_id: str, entry: Entry) -> MatchError | None:
    """The refusal of an entry for a ghost night's match outside its window
    (None: the match is on no night, or the entry is in time)."""
    from .nights import window_refusal

    return window_refusal(match_id, entry.shot_at)


def _save_end(
    match_id: str, owner: stored.Owner, match: Match, version: int, key: str | None
) -> int:
    """Save the entry and, when the match is a ghost night's entry, tell the
    night its entry moved: one transaction."""
    from ..store import nights, write

    def both(_session: Any) -> int:
        saved = stored.save(
            match_id,
            owner,
            match.to_dict(),
            match.verdict().status,
            match.summary(),
            version=version,
            end_key=key,
        )
        nights.touched(match_id)
        return saved

    return write(both)


def _as_it_stands(viewer: Viewer, match_id: str, result: str) -> Outcome:
    now = load(viewer, match_id)
    if now is None:
        return Outcome("missing", match_id)
    return Outcome(result, match_id, now.match, now.version, now.created_at)


def first_end(viewer: Viewer, match: Match, entry: Entry) -> Outcome:
    """An old link's match, stored with its first end in it: once per viewer
    and seed (two tabs of the same link, a page posted twice: the first one
    stores it, the others are told it changed)."""
    try:
        apply(match, entry)
    except MatchError as exc:
        return Outcome("refused", "", match, 0, refusal=exc)
    match_id, made = stored.create_once(
        viewer.owner, match.to_dict(), match.verdict().status, match.summary()
    )
    if not made:
        return _as_it_stands(viewer, match_id, "changed")
    return Outcome("saved", match_id, match, 1)


def message(exc: MatchError) -> str:
    """The engine's reason, in the user's language."""
    code, params = exc.code, exc.params
    messages = {
        "arrows_or_total": _("Enter the end's arrows or its total, not both."),
        "not_due": _("No end is due: the match is over or goes to a shoot-off."),
        "finished": _("This match is over: its score sheet can no longer change."),
        "nothing_to_correct": _("There is no end to correct yet."),
        "shoot_off_started": _(
            "The shoot-off has started: the ends can no longer change."
        ),
        "no_shoot_off": _("No shoot-off arrow is due."),
        "bad_closer": _("Say whose arrow is closer to the centre."),
        "closer_needed": _("Say whose arrow is closer to the centre."),
        "arrow_needed": _("Give your shoot-off arrow's value."),
        "bad_total_text": _("The end total must be a whole number."),
        "stale": _(
            "That end was already entered (in another window, or twice):"
            " here is the score sheet as it stands."
        ),
    }
    if code in ("night_not_open", "night_closed"):
        from .nights import window_message

        return window_message(code, params)
    if code == "not_last":
        return _(
            "Only the last end, end %(last)s, can be corrected; this"
            " correction is for end %(end)s.",
            last=params["last"],
            end=params["end"],
        )
    if code == "bad_label":
        labels = ", ".join(params["labels"])
        return _("Use only the values on this face: %(labels)s.", labels=labels)
    if code == "arrow_count":
        return ngettext(
            "Enter the end's %(size)s arrow, or its total.",
            "Enter all %(size)s arrows of the end, or its total.",
            params["size"],
            size=params["size"],
        )
    if code == "bad_total":
        return _(
            "An end total on this face is between 0 and %(top)s.", top=params["top"]
        )
    return messages.get(code, _("That entry could not be used."))


# -- what a viewer may see ---------------------------------------------------------


@dataclass(frozen=True)
class Visible:
    """What of a match its viewer is shown.

    Before a match is over, nobody is shown what decides the ghost's arrows to
    come: not its seed, not a link that replays it (the seed is in it), not
    the ghost's ends not yet shot (the engine's ``ghost_ends`` are only those
    the archer has shot). Once it is over, all of it.

    One exception, on the match page only: playing offline, the phone must
    reveal each of the ghost's ends without the server, so the page carries
    the ghost's whole plan (``plan``) in a data block it never shows before
    the archer's end. Someone who reads the page's source can read it: that is
    the price of a match that goes on without a network. The API, which
    cannot play offline, never gives it."""

    seed: int | None
    replay_link: bool
    plan: bool


def visible(match: Match, *, offline: bool = False) -> Visible:
    """What of ``match`` its viewer may see (see :class:`Visible`);
    ``offline``: for a page that plays on without the server."""
    finished = match.verdict().finished
    return Visible(
        seed=match.seed if finished else None,
        replay_link=finished,
        plan=offline and not finished,
    )
