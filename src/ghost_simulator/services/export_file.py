"""The export file, declared once (Pydantic v2): what "Export my data" and
``ghost-sim archers export`` write, and the shape an import checks a file
against before it replays anything.

The models give each field its type, length, bounds and choices, from the
same rules the forms use (``services.accounts.PROFILE_RULES``,
``services.training_rules``, ``store.training``'s bounds). What only the
engine can tell (a match's state replays, its status and figures are what its
arrows make) is checked by ``services.transfer`` on the validated file.
:func:`problem` words Pydantic's first error as one sentence a person
understands, naming the match, bow or entry by its number in the file.
:func:`json_schema` is the file's JSON Schema.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..engine.constants import BOWS, MAX_SEED, SCHEMES
from ..engine.day import BRONZE, LARGEST_DAY, SMALLEST_DAY
from ..engine.day import stages as day_stages
from ..engine.field import LONGEST_NAME
from ..engine.field_levels import LEVELS as FIELD_LEVELS
from ..engine.ladder import HIGHEST_TARGET, KINDS, LOWEST_TARGET
from ..store import training as limits
from ..store.days import QUALIFICATION
from ..store.matches import FINISHED
from .accounts import PROFILE_RULES, known_round
from .ladders import STARTS as LADDER_STARTS
from .training_rules import (
    EARLIEST,
    ENTRY_NOTES_MAX,
    MARK_NOTES_MAX,
    NAME_MAX,
    NOTES_MAX,
    latest_day,
)

FORMAT = "ghost-simulator-export"  # ExportFile.format says it too
#: The newest format version this app reads (and the one it writes).
VERSION = 1
MAX_MATCHES = 100_000
MAX_TRAINING_ROWS = 100_000
#: The most ghost ladders an import takes (far above what anyone keeps).
MAX_LADDERS = 10_000
#: The most competition days an import takes (far above what anyone keeps).
MAX_DAYS = 10_000
#: The most team matches an import takes (far above what anyone keeps).
MAX_TEAM_MATCHES = 10_000
MAX_DEPTH = 32
MAX_STATE_BYTES = 256 * 1024
MAX_SHOOT_OFFS = 100
STATUSES = ("in_progress", "shoot_off", *FINISHED)
MATCH_ID_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"


def type_name(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a text",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


# -- the file's types ------------------------------------------------------------------


def _moment(value: Any) -> Any:
    """A moment as ``datetime.isoformat`` writes it; one without a time zone
    is UTC (exports are in UTC)."""
    if isinstance(value, datetime):
        return value
    example = "a date and time such as 2026-05-01T10:30:00+00:00"
    if not isinstance(value, str) or len(value) > 40:
        raise PydanticCustomError("moment", f"must be {example}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "moment", "{value} is not " + example, {"value": repr(value)}
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError(
            "moment", "{value} is out of range", {"value": repr(value)}
        ) from None


def _day(value: Any) -> Any:
    """A day as the training forms take it (``training_rules.latest_day``)."""
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("day", "must be a date such as 2026-05-01") from None
    if not EARLIEST <= day <= latest_day(datetime.now(UTC).date()):
        raise PydanticCustomError(
            "day",
            "{value} is not a day from {first} to today, as the training log keeps",
            {"value": value, "first": EARLIEST.isoformat()},
        )
    return day


Moment = Annotated[datetime, BeforeValidator(_moment)]
Day = Annotated[date, BeforeValidator(_day)]
Whole = Annotated[int, Strict()]


def bounded(low: float, high: float, *, whole: bool = False) -> Any:
    """A number from ``low`` to ``high`` (true and false are not numbers)."""
    kind = "a whole number" if whole else "a number"
    kinds: tuple[type, ...] = (int,) if whole else (int, float)
    shown = (f"{int(low)}", f"{int(high)}") if whole else (f"{low:g}", f"{high:g}")

    def check(value: Any) -> Any:
        if type(value) not in kinds or not (
            math.isfinite(value) and low <= value <= high
        ):
            raise PydanticCustomError(
                "bounded", f"must be {kind} from {shown[0]} to {shown[1]}"
            )
        return value

    inner: Any = int if whole else float
    schema = {"type": "integer" if whole else "number", "minimum": low, "maximum": high}
    return Annotated[inner, BeforeValidator(check), WithJsonSchema(schema)]


def text(longest: int, *, empty: bool = True) -> Any:
    """A text of at most ``longest`` characters; ``empty``: may be "" or null."""

    def check(value: Any) -> Any:
        if value is None and empty:
            return None
        if not isinstance(value, str):
            raise PydanticCustomError(
                "text", "must be a text, not {kind}", {"kind": type_name(value)}
            )
        if len(value) > longest:
            raise PydanticCustomError(
                "text",
                "is {length} characters long; at most {longest}",
                {"length": len(value), "longest": longest},
            )
        if value == "" and not empty:
            raise PydanticCustomError("text", "cannot be empty")
        return value

    kind: Any = Annotated[str, Field(max_length=longest, min_length=int(not empty))]
    return Annotated[(kind | None) if empty else kind, BeforeValidator(check)]


def one_of(choices: tuple[str, ...], *, optional: bool = False) -> Any:
    """One of ``choices``; ``optional``: or "not given" (null or "", kept as
    None)."""

    def check(value: Any) -> Any:
        if optional and value in (None, ""):
            return None
        if value == "":
            raise PydanticCustomError("choice", "cannot be empty")
        if not isinstance(value, str):
            raise PydanticCustomError(
                "choice", "must be a text, not {kind}", {"kind": type_name(value)}
            )
        if value not in choices:
            raise PydanticCustomError(
                "choice",
                "{value} is not one of {choices}",
                {"value": repr(value), "choices": ", ".join(choices)},
            )
        return value

    kind: Any = Literal[choices]
    return Annotated[(kind | None) if optional else kind, BeforeValidator(check)]


def _walk_problem(value: Any) -> str | None:
    """Anything in a JSON value that no database should be asked to keep: too
    deep a nesting, a NUL character, a broken (surrogate) character."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"it is nested more than {MAX_DEPTH} levels deep"
        if isinstance(item, str):
            texts: list[str] = [item]
        elif isinstance(item, dict):
            texts = [k for k in item if isinstance(k, str)]
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list | tuple):
            texts = []
            stack.extend((v, depth + 1) for v in item)
        else:
            continue
        for piece in texts:
            if piece.isascii():
                if "\x00" in piece:
                    return "a text in it holds a NUL character"
                continue
            try:
                piece.encode("utf-8")
            except UnicodeEncodeError:
                return "a text in it holds a broken character (a lone surrogate)"
    return None


class Part(BaseModel):
    """A part of the file: fields it does not name are read past (a newer
    export's additions), and nothing in it a database should not keep."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _keepable(cls, value: Any) -> Any:
        if isinstance(value, dict) and (found := _walk_problem(value)):
            raise PydanticCustomError(
                "unkeepable", "cannot be imported: {problem}", {"problem": found}
            )
        return value


# -- the archer ------------------------------------------------------------------------


def _profile_field(name: str) -> Any:
    rule = PROFILE_RULES[name]
    if rule.choices is not None:
        return one_of(rule.choices, optional=rule.optional)
    return text(rule.longest, empty=rule.optional)


class Archer(Part):
    """The archer's profile, checked by the settings page's rules. The
    username, email and the account's creation time are there for the reader:
    an import keeps the account's own."""

    username: str | None = None
    email: str | None = None
    created_at: str | None = None
    name: _profile_field("name") = None  # type: ignore[valid-type]
    bowstyle: _profile_field("bowstyle") = None  # type: ignore[valid-type]
    sex: _profile_field("sex") = None  # type: ignore[valid-type]
    age_class: _profile_field("age_class") = None  # type: ignore[valid-type]
    season: _profile_field("season") = None  # type: ignore[valid-type]
    default_round: _profile_field("default_round") = None  # type: ignore[valid-type]
    scheme: _profile_field("scheme") = None  # type: ignore[valid-type]
    locale: _profile_field("locale") = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _known_to_this_app(self, info: ValidationInfo) -> Archer:
        """The language is one this app speaks; the default round one it knows
        (kept by its code name)."""
        languages = (info.context or {}).get("languages")
        if self.locale and languages is not None and self.locale not in languages:
            raise PydanticCustomError(
                "profile",
                "locale {value} is not one of {choices}",
                {"value": repr(self.locale), "choices": ", ".join(languages)},
            )
        if self.default_round:
            code = known_round(self.default_round)
            if code is None:
                raise PydanticCustomError(
                    "profile",
                    "default_round {value} is not a round this app knows (see"
                    " `ghost-sim rounds`)",
                    {"value": repr(self.default_round)},
                )
            self.default_round = code
        return self

    def profile(self) -> dict[str, Any]:
        """The profile fields the file gives (those it leaves out stay)."""
        given = self.model_fields_set & set(PROFILE_RULES)
        return {
            name: getattr(self, name) or None for name in PROFILE_RULES if name in given
        }


# -- matches ---------------------------------------------------------------------------


class State(BaseModel):
    """A match's state, outlined: the engine replays the rest of it (and
    refuses what it cannot replay); an import keeps it as the file has it."""

    model_config = ConfigDict(extra="allow", strict=True)

    version: int
    kind: str
    round: dict[str, Any]
    ghost: dict[str, Any]
    seed: bounded(0, MAX_SEED, whole=True)  # type: ignore[valid-type]
    archer_ends: list[Any]
    shoot_offs: list[Any] = Field(max_length=MAX_SHOOT_OFFS)

    @model_validator(mode="before")
    @classmethod
    def _small(cls, value: Any) -> Any:
        if isinstance(value, dict):
            size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
            if size > MAX_STATE_BYTES:
                raise PydanticCustomError(
                    "state_size",
                    "is {size} bytes long; a match's is at most {most}",
                    {"size": size, "most": MAX_STATE_BYTES},
                )
        return value


class Match(Part):
    """One match: its id, status, times and state; the figures its arrows
    decide (checked against a replay) and the bow and arrow set it was shot
    with (by their ids in this file)."""

    id: Annotated[str, Strict(), Field(pattern=MATCH_ID_PATTERN)]
    status: one_of(STATUSES)  # type: ignore[valid-type]
    state: State
    created_at: Moment
    updated_at: Moment
    finished_at: Moment | None = None
    bow_id: Whole | None = None
    arrow_set_id: Whole | None = None

    @model_validator(mode="after")
    def _finished(self) -> Match:
        if self.finished_at is not None and self.status not in FINISHED:
            raise PydanticCustomError(
                "finished",
                "it has a finished_at time but is not finished ({status})",
                {"status": self.status},
            )
        return self


# -- the training log ------------------------------------------------------------------


class SightMark(Part):
    distance: bounded(*limits.DISTANCE)  # type: ignore[valid-type]
    unit: one_of(limits.UNITS)  # type: ignore[valid-type]
    mark: bounded(*limits.MARK)  # type: ignore[valid-type]
    shot_on: Day
    notes: text(MARK_NOTES_MAX) = None  # type: ignore[valid-type]
    created_at: Moment


class Bow(Part):
    id: Whole
    name: text(NAME_MAX, empty=False)  # type: ignore[valid-type]
    bowstyle: one_of(BOWS)  # type: ignore[valid-type]
    draw_weight: bounded(*limits.DRAW_WEIGHT) | None = None  # type: ignore[valid-type]
    notes: text(NOTES_MAX) = None  # type: ignore[valid-type]
    created_at: Moment
    sight_marks: list[SightMark] = Field(
        default_factory=list, max_length=limits.MOST_MARKS_PER_BOW
    )


class ArrowSet(Part):
    id: Whole
    model: text(NAME_MAX, empty=False)  # type: ignore[valid-type]
    diameter: bounded(*limits.DIAMETER)  # type: ignore[valid-type]
    count: bounded(*limits.ARROW_COUNT, whole=True) | None = None  # type: ignore[valid-type]
    notes: text(NOTES_MAX) = None  # type: ignore[valid-type]
    created_at: Moment


class ArrowEntry(Part):
    shot_on: Day
    arrows: bounded(*limits.ARROWS_PER_ENTRY, whole=True)  # type: ignore[valid-type]
    kind: one_of(limits.ENTRY_KINDS)  # type: ignore[valid-type]
    notes: text(ENTRY_NOTES_MAX) = None  # type: ignore[valid-type]
    created_at: Moment


# -- ghost ladders ---------------------------------------------------------------------


def _match_ref(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(MATCH_ID_PATTERN, value):
        raise PydanticCustomError(
            "match_ref",
            "must be the id of a match in this file (1 to 32 letters, digits,"
            " '-' or '_')",
        )
    return value


class LadderLink(Part):
    """One of a ladder's matches: its number in the ladder, the match (by its
    id in this file) and the handicap of the ghost it was shot against."""

    number: bounded(1, MAX_MATCHES, whole=True)  # type: ignore[valid-type]
    match_id: Annotated[
        str, BeforeValidator(_match_ref), Field(pattern=MATCH_ID_PATTERN)
    ]
    ghost_handicap: bounded(-1000, 1000)  # type: ignore[valid-type]


class Ladder(Part):
    """A ghost ladder: what it was started with, and its matches in order (a
    ladder's state is rebuilt from them, as the app does)."""

    kind: one_of(KINDS)  # type: ignore[valid-type]
    bow: one_of(BOWS)  # type: ignore[valid-type]
    indoor: Annotated[bool, Strict()] = False
    round_code: text(64) = None  # type: ignore[valid-type]
    scheme: one_of(SCHEMES)  # type: ignore[valid-type]
    target: bounded(LOWEST_TARGET, HIGHEST_TARGET)  # type: ignore[valid-type]
    start_level: bounded(-1000, 1000)  # type: ignore[valid-type]
    start_source: one_of(LADDER_STARTS)  # type: ignore[valid-type]
    created_at: Moment
    matches: list[LadderLink] = Field(default_factory=list, max_length=MAX_MATCHES)


#: The fields of each ladder an export carries (besides its matches), as the
#: store names them.
LADDER_FIELDS = (
    "kind",
    "bow",
    "indoor",
    "round_code",
    "scheme",
    "target",
    "start_level",
    "start_source",
    "created_at",
)

# -- competition days ------------------------------------------------------------------

#: Where a day's field came from: a level of real results, or the archer's
#: own file (``services.days.UPLOAD``).
FIELD_SOURCES = (*FIELD_LEVELS, "upload")


def _every_stage() -> tuple[str, ...]:
    """Every stage a day's match can have, first to last: the qualification
    round, the bracket's rounds of any field ("1/64", "1/48" … "final") and
    the bronze medal match. A day has those of its field's size only."""
    found = {
        stage
        for size in range(SMALLEST_DAY, LARGEST_DAY + 1)
        for stage in day_stages(size)
    }
    fractions = sorted(
        (stage for stage in found if stage.startswith("1/")),
        key=lambda stage: -int(stage.removeprefix("1/")),
    )
    last = day_stages(SMALLEST_DAY)  # quarter-final, semi-final, final
    assert found == {*fractions, *last}
    return (QUALIFICATION, *fractions, *last, BRONZE)


DAY_STAGES = _every_stage()


def _field_pairs(value: Any) -> Any:
    """A day's field: the other archers, each a ``[name, score]`` pair (the
    scores are checked against the day's round by ``services.transfer``)."""
    if not isinstance(value, list):
        raise PydanticCustomError(
            "field",
            "must be a list of [name, score] pairs, not {kind}",
            {"kind": type_name(value)},
        )
    low, high = SMALLEST_DAY - 1, LARGEST_DAY - 1
    if not low <= len(value) <= high:
        raise PydanticCustomError(
            "field",
            "has {count} archers; a day's field has {low} to {high} besides the archer",
            {"count": len(value), "low": low, "high": high},
        )
    pairs = []
    for number, pair in enumerate(value, start=1):
        if not isinstance(pair, list) or len(pair) != 2:
            kind = f"a list of {len(pair)}" if isinstance(pair, list) else None
            raise PydanticCustomError(
                "field",
                "entry {number} must be a pair [name, score], not {kind}",
                {"number": number, "kind": kind or type_name(pair)},
            )
        name, score = pair
        if not isinstance(name, str):
            raise PydanticCustomError(
                "field",
                "entry {number}'s name must be a text, not {kind}",
                {"number": number, "kind": type_name(name)},
            )
        if len(name) > LONGEST_NAME:
            raise PydanticCustomError(
                "field",
                "entry {number}'s name is {length} characters long; at most {longest}",
                {"number": number, "length": len(name), "longest": LONGEST_NAME},
            )
        if type(score) not in (int, float) or not math.isfinite(score):
            raise PydanticCustomError(
                "field",
                "entry {number}'s score must be a number, not {kind}",
                {"number": number, "kind": type_name(score)},
            )
        pairs.append((name, float(score)))
    return pairs


def _score_or_null(value: Any) -> Any:
    """A qualification score, or null (not qualified yet); its bounds are the
    day's round's (checked by ``services.transfer``)."""
    if value is None:
        return None
    if type(value) not in (int, float) or not math.isfinite(value):
        raise PydanticCustomError(
            "score", "must be a number or null, not {kind}", {"kind": type_name(value)}
        )
    return float(value)


FieldPair = tuple[Annotated[str, Field(max_length=LONGEST_NAME)], float]


class DayLink(Part):
    """One of a day's matches: its stage, the match (by its id in this file)
    and the seed of the ghost it is against (0: the qualification round)."""

    stage: one_of(DAY_STAGES)  # type: ignore[valid-type]
    match_id: Annotated[
        str, BeforeValidator(_match_ref), Field(pattern=MATCH_ID_PATTERN)
    ]
    opponent: bounded(0, LARGEST_DAY, whole=True)  # type: ignore[valid-type]


class CompetitionDay(Part):
    """A competition day: what its bracket is drawn from (the field, the
    round, the bow, the scheme, the seed and the archer's qualification score,
    null until it is known) and its matches by stage (a day's state is drawn
    again from them, as the app does)."""

    bow: one_of(BOWS)  # type: ignore[valid-type]
    indoor: Annotated[bool, Strict()]
    round_code: text(64, empty=False)  # type: ignore[valid-type]
    scheme: one_of(SCHEMES)  # type: ignore[valid-type]
    seed: bounded(0, MAX_SEED, whole=True)  # type: ignore[valid-type]
    field_source: one_of(FIELD_SOURCES)  # type: ignore[valid-type]
    field: Annotated[
        list[FieldPair],
        BeforeValidator(_field_pairs),
        Field(min_length=SMALLEST_DAY - 1, max_length=LARGEST_DAY - 1),
    ]
    archer_name: text(LONGEST_NAME, empty=False)  # type: ignore[valid-type]
    archer_score: Annotated[float | None, BeforeValidator(_score_or_null)] = None
    created_at: Moment
    matches: list[DayLink] = Field(default_factory=list, max_length=len(DAY_STAGES))


#: The fields of each day an export carries (besides its matches), as the
#: store names them.
DAY_FIELDS = (
    "bow",
    "indoor",
    "round_code",
    "scheme",
    "seed",
    "field_source",
    "field",
    "archer_name",
    "archer_score",
    "created_at",
)


# -- team matches ----------------------------------------------------------------------


class TeamState(BaseModel):
    """A team match's state (``engine.teams.TeamMatch.to_dict()``), outlined:
    the engine replays the rest of it (and refuses what it cannot replay)."""

    model_config = ConfigDict(extra="allow", strict=True)

    version: int
    kind: str
    bow: str
    indoor: bool
    system: str
    seed: bounded(0, MAX_SEED, whole=True)  # type: ignore[valid-type]
    teammates: list[Any]
    opponents: list[Any]
    archer_ends: list[Any]
    shoot_offs: list[Any] = Field(max_length=MAX_SHOOT_OFFS)

    @model_validator(mode="before")
    @classmethod
    def _small(cls, value: Any) -> Any:
        if isinstance(value, dict):
            size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
            if size > MAX_STATE_BYTES:
                raise PydanticCustomError(
                    "state_size",
                    "is {size} bytes long; a match's is at most {most}",
                    {"size": size, "most": MAX_STATE_BYTES},
                )
        return value


class TeamMatchEntry(Part):
    """A team or mixed-team match: its state and times. Nothing names a team
    match, so it has no id here; nor a status: an import works that out from
    the state (a ``status`` in a file is read past)."""

    state: TeamState
    created_at: Moment
    finished_at: Moment | None = None


#: The fields of each training row an export carries, as the store names them.
BOW_FIELDS = ("name", "bowstyle", "draw_weight", "notes", "created_at")
MARK_FIELDS = tuple(SightMark.model_fields)
ARROW_SET_FIELDS = ("model", "diameter", "count", "notes", "created_at")
ENTRY_FIELDS = tuple(ArrowEntry.model_fields)


# -- the file --------------------------------------------------------------------------


class ExportFile(BaseModel):
    """A Ghost Simulator export: the archer, their matches, their training
    log (bows with their sight marks, arrow sets, arrow counts), their ghost
    ladders and their competition days (each naming its matches by their ids
    in the file), and their team matches. ``ladders``, ``days`` and
    ``team_matches`` came after version 1's first files, as optional lists: a
    file without them is still version 1."""

    model_config = ConfigDict(extra="ignore")

    format: Literal["ghost-simulator-export"]
    version: Annotated[int, Strict(), Field(ge=1, le=VERSION)]
    exported_at: str | None = None
    app_version: str | None = None
    archer: Archer
    matches: list[Match] = Field(max_length=MAX_MATCHES)
    bows: list[Bow] = Field(default_factory=list, max_length=MAX_TRAINING_ROWS)
    arrow_sets: list[ArrowSet] = Field(
        default_factory=list, max_length=MAX_TRAINING_ROWS
    )
    arrow_entries: list[ArrowEntry] = Field(
        default_factory=list, max_length=MAX_TRAINING_ROWS
    )
    ladders: list[Ladder] = Field(default_factory=list, max_length=MAX_LADDERS)
    days: list[CompetitionDay] = Field(default_factory=list, max_length=MAX_DAYS)
    team_matches: list[TeamMatchEntry] = Field(
        default_factory=list, max_length=MAX_TEAM_MATCHES
    )


def json_schema() -> dict[str, Any]:
    """The export file's JSON Schema (2020-12)."""
    return ExportFile.model_json_schema()


# -- one sentence for Pydantic's first error -------------------------------------------

_PARTS = {
    "bows": "Bow",
    "arrow_sets": "Arrow set",
    "arrow_entries": "Arrow entry",
    "sight_marks": "sight mark",
    "ladders": "Ladder",
    "days": "Day",
    "team_matches": "Team match",
}
#: The lists within a part, and what one of their items is called.
_SUBPARTS = {"sight_marks": "sight mark", "matches": "match"}


def _where(loc: tuple[Any, ...], document: Any) -> tuple[str, list[str]]:
    """Who an error is about ("Match 3 (id abc)", "Bow 2, sight mark 1"), and
    the field's path within it."""
    head, rest = loc[0], list(loc[1:])
    if head == "archer":
        return "The archer profile", [str(p) for p in rest]
    if head == "matches" and rest and isinstance(rest[0], int):
        index = rest.pop(0)
        raw = document["matches"][index]
        match_id = raw.get("id") if isinstance(raw, dict) else None
        where = f"Match {index + 1}"
        if isinstance(match_id, str) and re.fullmatch(MATCH_ID_PATTERN, match_id):
            where += f" (id {match_id})"
        return where, [str(p) for p in rest]
    if head in _PARTS and rest and isinstance(rest[0], int):
        where = f"{_PARTS[head]} {rest.pop(0) + 1}"
        inner: Any = rest[0] if rest else None
        if inner in _SUBPARTS and len(rest) > 1 and isinstance(rest[1], int):
            where += f", {_SUBPARTS[inner]} {rest[1] + 1}"
            rest = rest[2:]
        return where, [str(p) for p in rest]
    return "The export", [str(p) for p in loc]


def _said(kind: str, value: Any, context: dict[str, Any]) -> str:
    """What is wrong with one field (named by the caller), for the errors of
    Pydantic's own that the file's types can raise."""
    if kind == "missing":
        return "is missing"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be an object, not {type_name(value)}"
    if kind == "list_type":
        return f"must be a list, not {type_name(value)}"
    if kind == "too_long":
        return f"has {len(value)} items; at most {context.get('max_length')}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, not {type_name(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, not {type_name(value)}"
    if kind in ("string_type", "str_type"):
        return f"must be a text, not {type_name(value)}"
    return ""


def problem(error: ValidationError, document: Any) -> str:
    """The first thing wrong with a file, in one sentence."""
    first = error.errors(include_url=False)[0]
    where, path = _where(tuple(first["loc"]), document)
    kind, value = first["type"], first.get("input")
    if path == ["id"]:  # a match's own, or the one its bow or arrows go by
        if where.startswith("Match"):
            return f"{where}: its id must be 1 to 32 letters, digits, '-' or '_'."
        given = "missing" if kind == "missing" else repr(value)
        return f"{where}: its id must be a whole number such as 1 (it is {given})."
    said = _said(kind, value, first.get("ctx") or {})
    what = said or first["msg"]  # ours end a sentence that names the field
    name = "'s ".join(p for p in path if p)  # "state's seed"
    return f"{where}: {name} {what}." if name else f"{where}: {what}."
