"""Competition days: the archer picks a field (a level drawn from real
qualification results, or their own file of scores), qualifies (a score they
shot, or the ranking round shot here), is seeded, and shoots their way
through World Archery's elimination chart against the ghosts they meet
(``engine.day``), every other match shot out between ghosts.

A day is stored as what it was made from (field, round, bow, seed, the
archer's score); the bracket is drawn again from those (the same every
time) and the archer's results are read from their matches, which are
ordinary matches. All the matches the archer can meet are made when the
bracket is drawn (the opponents do not depend on the archer's results), so
the day plays on a phone without a network; the ones the archer can no
longer reach are deleted once they cannot be.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from flask_babel import gettext as _

from ..engine import Ghost, Match
from ..engine.constants import BOWS, SCHEMES
from ..engine.day import (
    BRONZE,
    LARGEST_DAY,
    SMALLEST_DAY,
    ArcherBout,
    DayDraw,
    DayError,
    DayState,
    draw_levels,
    seed_field,
)
from ..engine.field import Entry, FieldError, Seeded, check_field, read_field
from ..engine.rounds import Round, get_round
from ..lru import LRU
from ..store import days as stored
from ..store import matches as stored_matches
from .numbers import parse_decimal
from .play import new_seed
from .viewers import Viewer

#: The qualification round of a day, by bow and indoors or out (World
#: Archery's: 70 m recurve, 50 m compound and barebow; 18 m indoors).
QUALIFICATION_ROUNDS = {
    (False, "recurve"): "wa720_70",
    (False, "compound"): "wa720_50_c",
    (False, "barebow"): "wa720_50_b",
    (False, "longbow"): "wa720_50_b",
    (False, "traditional"): "wa720_50_b",
    (True, "compound"): "wa18_compound",
}
INDOOR_ROUND = "wa18"
#: Where a day's field comes from: a level or the archer's file.
UPLOAD = "upload"
#: How the archer qualifies: a score they give, or the round shot here.
QUALIFY = ("score", "shoot")
#: The largest field file read (bytes): 128 archers' lines and far more.
LARGEST_FILE = 64 * 1024
#: The form's default field size.
DEFAULT_SIZE = 32


class DayInvalid(ValueError):
    """A day that cannot be made as asked: a message per field at fault
    (``bow``, ``field``, ``size``, ``file``, ``qualify``, ``score``,
    ``scheme``)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


def qualification_round(bow: str, indoor: bool) -> Round:
    code = QUALIFICATION_ROUNDS.get(
        (indoor, bow), INDOOR_ROUND if indoor else "wa720_70"
    )
    return get_round(code, bow=bow)


@dataclass(frozen=True)
class DayRequest:
    """What a day is asked to be, from the form or the API: the field is a
    level (``club`` …) of ``size`` archers, or ``upload`` with ``file`` (the
    field file's bytes); the archer qualifies with ``score`` or shoots the
    round (``qualify`` = ``shoot``)."""

    bow: str = "recurve"
    indoor: bool = False
    field: str = "international"
    size: int = DEFAULT_SIZE
    file: bytes | None = None
    qualify: str = "score"
    score: float | None = None
    scheme: str | None = None


def parse_form(
    form: Mapping[str, str], file: bytes | None
) -> tuple[DayRequest, dict[str, str]]:
    """The new-day form as a request, and the fields that could not be read."""
    errors: dict[str, str] = {}
    size = DEFAULT_SIZE
    size_text = (form.get("size") or "").strip()
    if size_text:
        try:
            size = int(size_text)
        except ValueError:
            errors["size"] = size_message()
    score = None
    score_text = (form.get("score") or "").strip()
    if score_text:
        try:
            score = parse_decimal(score_text.replace(",", "."))
        except ValueError:
            errors["score"] = _("Give a number.")
    request = DayRequest(
        bow=(form.get("bow") or "recurve").strip(),
        indoor=(form.get("indoor") or "") in ("1", "true", "on", "yes"),
        field=(form.get("field") or "international").strip(),
        size=size,
        file=file,
        qualify=(form.get("qualify") or "score").strip(),
        score=score,
        scheme=(form.get("scheme") or "").strip() or None,
    )
    return request, errors


def level_names() -> dict[str, str]:
    """The field levels in words."""
    return {
        "club": _("Club"),
        "regional": _("Regional"),
        "national": _("National"),
        "international": _("International (World Cup)"),
        UPLOAD: _("My own field (a file)"),
    }


def size_message() -> str:
    return _(
        "A field has %(low)s to %(high)s archers, you included.",
        low=SMALLEST_DAY,
        high=LARGEST_DAY,
    )


def levels_offered(bow: str, indoor: bool) -> list[str]:
    """The field levels there are real results for, for this bow."""
    from ..engine import field_levels

    rnd = qualification_round(bow, indoor)
    return list(field_levels.offered(rnd.codename, bow))


def _archer_name(viewer: Viewer, others: list[Entry]) -> str:
    name = _("You")
    if viewer.archer is not None and getattr(viewer.archer, "name", None):
        name = str(viewer.archer.name)
    taken = {e.name.casefold() for e in others}
    while name.casefold() in taken:
        name = _("%(name)s (you)", name=name)
    return name


def _field(request: DayRequest, rnd: Round, seed: int) -> list[Entry]:
    """The other archers: drawn from the level's real scores, or the file's."""
    from ..engine import field_levels

    if request.field == UPLOAD:
        if not request.file:
            raise DayInvalid({"file": _("Choose a field file (CSV: name,score).")})
        if len(request.file) > LARGEST_FILE:
            raise DayInvalid(
                {
                    "file": _(
                        "A field file is at most %(kb)s kB: %(high)s archers fit in far"
                        " less.",
                        kb=LARGEST_FILE // 1024,
                        high=LARGEST_DAY,
                    )
                }
            )
        try:
            entries = read_field(request.file, rnd.max_score)
        except FieldError as exc:
            raise DayInvalid({"file": str(exc)}) from None
        if not SMALLEST_DAY - 1 <= len(entries) <= LARGEST_DAY - 1:
            raise DayInvalid(
                {
                    "file": _(
                        "The file has %(n)s archers: a day's field has %(low)s to"
                        " %(high)s others besides you.",
                        n=len(entries),
                        low=SMALLEST_DAY - 1,
                        high=LARGEST_DAY - 1,
                    )
                }
            )
        return entries
    offered = levels_offered(request.bow, request.indoor)
    if request.field not in field_levels.LEVELS:
        raise DayInvalid({"field": _("Choose a field from the list.")})
    if request.field not in offered:
        raise DayInvalid(
            {
                "field": _(
                    "There are no real results of this level for this bow and"
                    " place here: choose %(levels)s, or your own field.",
                    levels=", ".join(level_names()[level] for level in offered) or "—",
                )
            }
        )
    if not SMALLEST_DAY <= request.size <= LARGEST_DAY:
        raise DayInvalid({"size": size_message()})
    rng = np.random.default_rng(seed)
    scores = field_levels.draw_scores(
        request.field, rnd.codename, request.bow, request.size - 1, rng
    )
    return [
        Entry(_("Archer %(n)s", n=index + 1), float(score), index)
        for index, score in enumerate(scores)
    ]


def _check_score(score: float | None, rnd: Round) -> float:
    if score is None:
        raise DayInvalid(
            {"score": _("Give the score you shot on %(round)s.", round=rnd.name)}
        )
    if not (math.isfinite(score) and 0 <= score <= rnd.max_score):
        raise DayInvalid(
            {
                "score": _(
                    "A score on %(round)s is from 0 to %(max)s.",
                    round=rnd.name,
                    max=rnd.max_score,
                )
            }
        )
    return float(score)


def create(viewer: Viewer, request: DayRequest) -> str:
    """Keep a new day for the viewer; its id (:class:`DayInvalid`: why not)."""
    if request.bow not in BOWS:
        raise DayInvalid({"bow": _("Choose a bow from the list.")})
    scheme = request.scheme or (
        str(viewer.archer.scheme)
        if viewer.archer is not None and viewer.archer.scheme in SCHEMES
        else "AGB"
    )
    if scheme not in SCHEMES:
        raise DayInvalid({"scheme": _("Choose a handicap scheme from the list.")})
    if request.qualify not in QUALIFY:
        raise DayInvalid(
            {"qualify": _("Give your qualification score, or shoot the round here.")}
        )
    rnd = qualification_round(request.bow, request.indoor)
    seed = new_seed()
    others = _field(request, rnd, seed)
    name = _archer_name(viewer, others)
    try:
        check_field([*others, Entry(name, 0.0, len(others))], rnd.max_score)
    except FieldError as exc:  # pragma: no cover - the field was read above
        raise DayInvalid({"file": str(exc)}) from None
    day = Drawn.of(
        stored.StoredDay(
            id="",
            bow=request.bow,
            indoor=request.indoor,
            round_code=rnd.codename,
            scheme=scheme,
            seed=seed,
            field_source=request.field,
            field=[(e.name, e.score) for e in others],
            archer_name=name,
            archer_score=None,
            created_at=None,  # type: ignore[arg-type]
        )
    )
    score = None
    if request.qualify == "score":
        score = _check_score(request.score, rnd)
        day = day.with_score(score)
        matches = day.bracket_matches()
    else:
        matches = [day.qualification_match()]
    day_id = stored.create(
        viewer.owner,
        bow=request.bow,
        indoor=request.indoor,
        round_code=rnd.codename,
        scheme=scheme,
        seed=seed,
        field_source=request.field,
        field=[(e.name, e.score) for e in others],
        archer_name=name,
        archer_score=score,
        matches=matches,
    )
    # The day as drawn here (its ghost matches shot out already) is the one
    # its page draws: kept for it.
    kept = replace(day, day=replace(day.day, id=day_id, archer_score=score))
    _DRAWN.put(_drawn_key(kept.day), kept)
    return day_id


# -- a day drawn ---------------------------------------------------------------------


@dataclass
class Drawn:
    """A day's field, seeding and ghosts, drawn from what is stored (kept:
    they never change)."""

    day: stored.StoredDay
    round: Round
    others: list[Entry]
    seeded: list[Seeded] = field(default_factory=list)
    draw: DayDraw | None = None

    @classmethod
    def of(cls, day: stored.StoredDay) -> Drawn:
        rnd = get_round(day.round_code, bow=day.bow)
        others = [Entry(name, score, i) for i, (name, score) in enumerate(day.field)]
        return cls(day, rnd, others)

    def with_score(self, score: float) -> Drawn:
        """The day seeded with the archer's qualification score."""
        archer = Entry(self.day.archer_name, score, len(self.others))
        seeded, archer_seed = seed_field(
            self.others, archer, self.round, self.day.scheme, self.day.bow
        )
        levels = draw_levels(seeded, self.round, self.day.scheme, self.day.seed)
        draw = DayDraw(
            levels,
            archer_seed,
            self.day.bow,
            self.day.indoor,
            self.day.scheme,
            self.day.seed,
        )
        return Drawn(self.day, self.round, self.others, seeded, draw)

    def qualification_match(self) -> stored.NewMatch:
        """The ranking round against the field's middle archer."""
        scores = sorted(e.score for e in self.others)
        middle = scores[len(scores) // 2]
        from ..engine.handicaps import handicap_for_score

        level = handicap_for_score(self.round, middle, self.day.scheme)
        ghost = Ghost.from_handicap(round(level, 1), self.day.scheme, bow=self.day.bow)
        match = Match("ranking", self.round, ghost, new_seed())
        return _new(stored.QUALIFICATION, 0, match)

    def bracket_matches(self) -> list[stored.NewMatch]:
        """Every match the archer can meet, against its ghost."""
        assert self.draw is not None
        return [
            _new(
                bout.stage,
                bout.opponent,
                Match.elimination(
                    self.day.bow,
                    self.draw.ghost(bout.opponent),
                    new_seed(),
                    indoor=self.day.indoor,
                ),
            )
            for bout in self.draw.path()
        ]


def _new(stage: str, opponent: int, match: Match) -> stored.NewMatch:
    return stored.NewMatch(
        stage, opponent, match.to_dict(), match.verdict().status, match.summary()
    )


#: Days drawn, by what they are drawn from.
_DRAWN: LRU[tuple[Any, ...], Drawn] = LRU(128)


def _drawn_key(day: stored.StoredDay) -> tuple[Any, ...]:
    return (day.id, day.seed, day.archer_score, day.scheme, day.round_code, day.bow)


def _drawn(day: stored.StoredDay) -> Drawn:
    key = _drawn_key(day)

    def make() -> Drawn:
        plain = Drawn.of(day)
        return plain if day.archer_score is None else plain.with_score(day.archer_score)

    return _DRAWN.get_or_make(key, make)


@dataclass
class DayView:
    """A day as it stands, for its page and the API: what is stored, the
    seeding, the state of the bracket, the archer's matches by stage."""

    drawn: Drawn
    state: DayState | None
    matches: dict[str, stored.StoredDayMatch]

    @property
    def id(self) -> str:
        return self.drawn.day.id

    @property
    def day(self) -> stored.StoredDay:
        return self.drawn.day

    @property
    def qualification(self) -> stored.StoredDayMatch | None:
        return self.matches.get(stored.QUALIFICATION)

    @property
    def next_match(self) -> str | None:
        """The match the archer shoots next (the qualification round first)."""
        if self.state is None:
            found = self.qualification
            return found.match_id if found is not None else None
        if self.state.next_stage is None:
            return None
        found = self.matches.get(self.state.next_stage)
        return found.match_id if found is not None else None

    def name(self, seed: int) -> str:
        return self.drawn.seeded[seed - 1].name if seed else ""

    def upcoming(self) -> list[str]:
        """The matches the archer may still shoot, in the order of the day
        (the qualification round, the bracket's rounds, the bronze match),
        for the phone to keep."""
        shot = (
            set()
            if self.state is None
            else {b.stage for b in self.state.archer_bouts if b.result is not None}
        )
        order = [
            stored.QUALIFICATION,
            *(self.state.stages if self.state else ()),
            BRONZE,
        ]
        return [
            m.match_id
            for stage, m in sorted(
                self.matches.items(),
                key=lambda item: (
                    order.index(item[0]) if item[0] in order else len(order)
                ),
            )
            if stage not in shot and m.status not in stored_matches.FINISHED
        ]


def _reachable(state: DayState, stage: str) -> bool:
    """Whether the archer can still shoot ``stage``."""
    if state.placing is not None:
        return False
    if state.next_stage in ("final", BRONZE):
        return stage == state.next_stage
    if stage == BRONZE:
        return True
    assert state.next_stage is not None
    return state.stages.index(stage) >= state.stages.index(state.next_stage)


def load(viewer: Viewer, day_id: str) -> DayView | None:
    """The viewer's day as it stands, or None (no such day, or not theirs).
    Draws the bracket once the qualification round is over, and deletes the
    matches the archer can no longer reach."""
    found = stored.load(day_id, viewer.owner)
    if found is None:
        return None
    rows = {m.stage: m for m in stored.day_matches(found.id)}
    qualification = rows.get(stored.QUALIFICATION)
    if found.archer_score is None:
        if qualification is None or qualification.status not in stored_matches.FINISHED:
            return DayView(_drawn(found), None, rows)
        score = float(Match.from_dict(qualification.state).archer_tally().total)
        drawn = Drawn.of(found).with_score(score)
        try:
            stored.draw_bracket(found.id, viewer.owner, score, drawn.bracket_matches())
        except stored.AlreadyDrawn:
            pass
        except LookupError:  # pragma: no cover - deleted meanwhile
            return None
        return load(viewer, day_id)
    drawn = _drawn(found)
    assert drawn.draw is not None
    results = {
        stage: m.status
        for stage, m in rows.items()
        if stage != stored.QUALIFICATION and m.status in ("won", "lost")
    }
    try:
        state = drawn.draw.state(results)
    except DayError:  # pragma: no cover - a stage the bracket has not
        state = drawn.draw.state({})
    void = [
        stage
        for stage, m in rows.items()
        if stage != stored.QUALIFICATION
        and m.status not in stored_matches.FINISHED
        and not _reachable(state, stage)
    ]
    if void and stored.drop_unshot(found.id, void):
        rows = {m.stage: m for m in stored.day_matches(found.id)}
    return DayView(drawn, state, rows)


def days_of(viewer: Viewer) -> list[stored.Listed]:
    return stored.list_for(viewer.owner)


@dataclass(frozen=True)
class MatchPlace:
    """A match's place in its day: the day, the stage, and who is the higher
    seed (who chooses the order of shooting in the first end: World Archery
    gives the choice to the higher-ranked athlete)."""

    day_id: str
    stage: str
    archer_seed: int | None
    opponent: int

    @property
    def ghost_is_higher_seed(self) -> bool:
        return bool(
            self.opponent and self.archer_seed and self.opponent < self.archer_seed
        )


def day_of_match(viewer: Viewer, match_id: str) -> MatchPlace | None:
    """The viewer's day a match belongs to, and its place in it."""
    found = stored.day_of(match_id, viewer.owner)
    if found is None:
        return None
    archer_seed = None
    if found.archer_score is not None and found.opponent:
        day = stored.load(found.day_id, viewer.owner)
        if day is not None:
            draw = _drawn(day).draw
            archer_seed = draw.archer_seed if draw is not None else None
    return MatchPlace(found.day_id, found.stage, archer_seed, found.opponent)


def delete(viewer: Viewer, day_id: str) -> bool:
    return stored.delete(day_id, viewer.owner)


__all__ = [
    "ArcherBout",
    "DayInvalid",
    "DayRequest",
    "DayView",
    "create",
    "days_of",
    "delete",
    "load",
    "parse_form",
]
