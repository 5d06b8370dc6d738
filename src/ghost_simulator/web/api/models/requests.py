"""What the API takes: each request body and each operation's query string,
declared once. The API reads requests with these models (``web.api.reading``)
and the OpenAPI document publishes their JSON Schemas, rules across fields
included, so a client and the API judge a request alike.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ....engine.constants import BOWS, DEFAULT_SCHEME, MAX_SEED, SCHEMES
from ....services.history import GHOST_KINDS as HISTORY_GHOSTS
from ....services.history import PAGE_SIZE
from ....services.nights import shot_at
from ....services.setups import GHOST_TYPES, KINDS, MINE, MODEL_VERSIONS
from .base import Integer, Leave, Number, QueryModel, RequestModel, whole

#: Every value an arrow can score on some face, as its label (0 is a miss too).
#: Which of them a given end takes is its face's (``next.labels`` in a match).
ARROWS = ("X", "11", *(str(v) for v in range(10, 0, -1)), "M", "0")
#: Who was closer in a shoot-off whose values tie.
CLOSER = ("archer", "ghost", "equal")
#: The kinds of match a ghost from your next classification is for.
CLASSIFICATION_KINDS = ("ranking", "half")
#: The longest match id (the database column's size).
MATCH_ID_LENGTH = 32
#: The most matches on a page of the history.
MOST_PER_PAGE = 100

# The choices come from the services' own tuples; to a type checker they are
# the str (int) the services hold.
if TYPE_CHECKING:
    Kind: TypeAlias = str
    Bow: TypeAlias = str
    GhostType: TypeAlias = str
    Scheme: TypeAlias = str
    Mine: TypeAlias = str
    Label: TypeAlias = str
    Closer: TypeAlias = str
    HistoryGhost: TypeAlias = str
    ModelVersion: TypeAlias = int
else:
    Kind = Literal[KINDS]
    Bow = Literal[BOWS]
    GhostType = Literal[GHOST_TYPES]
    Scheme = Literal[SCHEMES]
    Mine = Literal[MINE]
    Label = Literal[ARROWS]
    Closer = Literal[CLOSER]
    HistoryGhost = Literal[HISTORY_GHOSTS]
    ModelVersion = whole(Literal[MODEL_VERSIONS])

Arrow = Annotated[
    Label,
    Field(description="An arrow's value as written: X, 10 ... 1, M (a miss, or 0)."),
]

VERSION_FIELD = Field(
    None,
    ge=1,
    le=2**31 - 1,
    description=(
        "The match's version as you last read it (`version` in its state). The"
        " write is refused with 409 and the current state if the match has"
        " changed since. Instead of this field, the `If-Match` header may carry"
        " it. Without either, the write applies to the match as it stands."
    ),
)


def needs(field: str, choices: tuple[str, ...], given: bool) -> PydanticCustomError:
    """A rule across fields: ``field`` is due (``given``: it was sent, with
    another value), and one of ``choices``."""
    return PydanticCustomError(
        "field_rule",
        "{field} is due",
        {"field": field, "choices": choices, "given": given},
    )


def one_of_fields(*names: str) -> PydanticCustomError:
    """A rule across fields: one of ``names`` is due."""
    return PydanticCustomError("one_of_fields", "one of {names}", {"names": names})


class Setup(RequestModel):
    """A new match: the same fields, defaults and checks as the new-match form.
    Every field may be left out. A ghost from your next classification is for
    a ranking round (`kind` ranking or half)."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {
                "properties": {"ghost": {"const": "classification"}},
                "required": ["ghost"],
            },
            "then": {
                "properties": {
                    "kind": {"type": "string", "enum": list(CLASSIFICATION_KINDS)}
                },
                "required": ["kind"],
            },
            "examples": [
                {"kind": "set", "bow": "recurve", "ghost": "handicap", "handicap": 40},
                {"kind": "ranking", "round": "wa18", "ghost": "score", "score": 540},
                {
                    "kind": "cumulative",
                    "bow": "compound",
                    "ghost": "preset",
                    "preset": "perfect",
                },
            ],
        }
    )

    kind: Kind = Field(
        "set",
        description=(
            "set: a set-system match (5 sets of 3 arrows, first to 6 set"
            " points); cumulative: a compound match (5 ends of 3 arrows,"
            " highest total); ranking: a whole ranking round; half: its"
            " first half."
        ),
    )
    bow: Bow = "recurve"
    indoor: bool = Field(
        False, description="Where a match is shot (a ranking round says itself)."
    )
    round: Leave[str] = Field(
        None,
        max_length=64,
        description=(
            "For ranking and half: the round's code (GET /api/v1/rounds);"
            " by default WA 18m indoors, WA 720 (70 m) outdoors."
        ),
    )
    ghost: GhostType = Field(
        "handicap", description="How the ghost is defined (GET /api/v1/ghosts)."
    )
    handicap: Leave[Number] = Field(
        None, description="For ghost=handicap: its handicap (40 if left out)."
    )
    score: Leave[Number] = Field(
        None, description="For ghost=score: the score it averages on the round."
    )
    preset: Leave[str] = Field(
        None,
        max_length=64,
        description="For ghost=preset: a preset's name (GET /api/v1/presets).",
    )
    min_end: Leave[Integer] = Field(
        None, description="For ghost=minmax: the fewest points per end."
    )
    max_end: Leave[Integer] = Field(
        None, description="For ghost=minmax: the most points per end."
    )
    form: Leave[Number] = Field(
        None,
        description=(
            "The ghost's day-to-day variation, 0 to 10 handicap points (by"
            " default its level's and bow's)."
        ),
    )
    scheme: Scheme = "AGB"
    seed: Leave[Integer] = Field(
        None,
        ge=0,
        le=MAX_SEED,
        description="Replays the same arrows (random if left out).",
    )
    model: Leave[ModelVersion] = Field(
        None, description="The ghost model's version (the newest by default)."
    )
    steady: bool = Field(
        False, description="A ghost without form, drift or bad arrows."
    )
    pressure: bool = Field(
        False,
        description=(
            "A set match's ghost that feels pressure: its last arrow of each set"
            " is shot 2 handicap points worse (off by default; a ghost that"
            " shoots from a handicap)."
        ),
    )
    past: Leave[str] = Field(
        None,
        max_length=32,
        description=(
            "For ghost=past: the id of one of your past matches, or `best`"
            " (your personal best on the round). Needs an archer."
        ),
    )
    mine: Mine = Field(
        "average",
        description=(
            "For ghost=mine: your average, best or last five, or `like_me` (your"
            " last five's level with your own spread: GET /api/v1/spread)."
        ),
    )
    archer_steady: bool = Field(
        False,
        description=(
            "The odds count you as steady (the plain handicap model). By default"
            " you are as unsteady as archers of your level, or, with 10 or more"
            " comparable finished rounds, as your own rounds say."
        ),
    )

    @model_validator(mode="after")
    def _classification_is_for_a_ranking_round(self) -> Setup:
        given = "kind" in self.model_fields_set
        if self.ghost == "classification" and (
            not given or self.kind not in CLASSIFICATION_KINDS
        ):
            raise needs("kind", CLASSIFICATION_KINDS, given)
        return self

    def form_fields(self) -> dict[str, Any]:
        """The fields sent, and only those (the form's defaults are its own)."""
        return self.model_dump(exclude_unset=True)


class EndEntry(RequestModel):
    """One end: its arrows or its total."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [{"required": ["arrows"]}, {"required": ["total"]}],
            "examples": [{"arrows": ["X", "10", "9"], "end": 1}, {"total": 27}],
        }
    )

    arrows: Leave[list[Arrow]] = Field(
        None,
        min_length=1,
        max_length=6,
        description=(
            "The end's arrows by their values on the face, in any order"
            " (3 or 6 of them: `next.arrows` in the match), or in the order"
            " shot with `in_order`. Give these or `total`."
        ),
    )
    in_order: bool = Field(
        False,
        description=(
            "The arrows are given in the order they were shot: the order is"
            " kept (the last arrow of a set under pressure is read from it)."
        ),
    )
    shot_at: Leave[str] = Field(
        None,
        max_length=40,
        description=(
            "When the end was shot (ISO 8601 with its offset), for an end kept"
            " offline and sent later: a ghost night counts an end sent after"
            " its close if it was shot inside the night's window."
        ),
    )
    total: Leave[Integer] = Field(
        None,
        ge=0,
        le=1000,
        description="The end's total alone, when the arrows were not noted.",
    )
    end: Leave[Integer] = Field(
        None,
        ge=1,
        le=1000,
        description=(
            "Which end this is for (1 for the first). If given, an entry meant"
            " for another end (sent twice, or from a stale screen) is refused"
            " with 409."
        ),
    )
    version: Leave[Integer] = VERSION_FIELD

    @field_validator("shot_at")
    @classmethod
    def _a_moment(cls, value: str | None) -> str | None:
        if value is not None and shot_at(value) is None:
            raise PydanticCustomError(
                "datetime_parsing", "not a moment such as 2026-12-05T19:30:00+01:00"
            )
        return value

    @model_validator(mode="after")
    def _arrows_or_total(self) -> EndEntry:
        if self.arrows is None and self.total is None:
            raise one_of_fields("arrows", "total")
        return self


class ShootOffEntry(RequestModel):
    """A shoot-off arrow, and who was closer when the values tie."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"arrow": "9"}, {"closer": "archer"}]}
    )

    arrow: Leave[Label] = Field(
        None,
        description=(
            "Your shoot-off arrow's label. May be left out when only saying"
            " who was closer for the arrow already entered."
        ),
    )
    closer: Leave[Closer] = Field(
        None,
        description="Whose arrow is closer to the centre, when the values tie.",
    )
    version: Leave[Integer] = VERSION_FIELD


# -- query strings --------------------------------------------------------------


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _is_date(text: str) -> str:
    """An RFC 3339 full-date, as JSON Schema's ``date`` format means it."""
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        date.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError("date_format", "not a date") from None
    return text


_WHOLE_TEXT = re.compile(r"[+-]?\d{1,30}")
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def _whole_text(text: Any) -> Any:
    """A query's whole number: digits, maybe signed (not 3.0, nor 1_000)."""
    if isinstance(text, str) and not _WHOLE_TEXT.fullmatch(text.strip()):
        raise PydanticCustomError("int_parsing", "not a whole number")
    return text


def _yes_or_no(text: Any) -> Any:
    """A query's true or false: true, 1, yes, on; false, 0, no, off."""
    if isinstance(text, str):
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise PydanticCustomError("bool_parsing", "not true or false")
    return text


#: A query parameter's whole number, and its true or false.
QueryInteger = Annotated[int, BeforeValidator(_whole_text)]
QueryBool = Annotated[bool, BeforeValidator(_yes_or_no)]

Day = Annotated[
    str,
    Field(max_length=10, json_schema_extra={"format": "date"}),
    AfterValidator(_is_date),
]


class RoundsQuery(QueryModel):
    q: Leave[str] = Field(
        None,
        max_length=100,
        description="Only rounds whose code or name contains every word of this.",
    )


class RoundQuery(QueryModel):
    bow: Leave[Bow] = Field(
        None,
        description=(
            "The bow that shoots a ranking round (compound archers score the"
            " inner ten only on indoor faces); a match format names its own."
        ),
    )
    half: Leave[QueryBool] = Field(
        None,
        description="Its first half (a ranking round's: a match has none, 404).",
    )


class PresetsQuery(QueryModel):
    scheme: Leave[Scheme] = Field(
        None, description=f"The handicap scheme (default {DEFAULT_SCHEME})."
    )


class SpreadQuery(QueryModel):
    round: Leave[str] = Field(
        None,
        max_length=70,
        pattern="^[a-z0-9_]{1,64}(:half)?$",
        description=(
            "A ranking round's code (`wa18`, or `wa18:half`): the answer then"
            " says what your spread means in its points."
        ),
    )
    scheme: Leave[Scheme] = Field(
        None,
        description="The handicap scheme of the figures (default: your profile's).",
    )


class PressureQuery(QueryModel):
    round: Leave[str] = Field(
        None,
        max_length=70,
        pattern="^match_[a-z]{1,20}_(indoor|outdoor)$",
        description=(
            "One match format's code (`match_recurve_outdoor`); default: all"
            " your elimination matches."
        ),
    )
    bow: Leave[Bow] = Field(None, description="Only the matches shot with this bow.")
    scheme: Leave[Scheme] = Field(
        None,
        description="The handicap scheme of the levels (default: your profile's).",
    )


class HistoryQuery(QueryModel):
    round: Leave[str] = Field(
        None,
        max_length=70,
        pattern="^[a-z0-9_]{1,64}(:half)?$",
        description=(
            "A round's code (`wa18`, or `wa18:half` for its half) or a match"
            " format's (`match_recurve_outdoor`); a code no match of yours has"
            " gives an empty page."
        ),
    )
    bow: Leave[Bow] = None
    ghost: Leave[HistoryGhost] = Field(None, description="The kind of ghost.")
    since: Leave[Day] = Field(
        None, description="The first day (year-month-day), included."
    )
    until: Leave[Day] = Field(
        None, description="The last day (year-month-day), included."
    )
    page: Leave[QueryInteger] = Field(None, ge=1, le=999999)
    per_page: Leave[QueryInteger] = Field(
        None,
        ge=1,
        le=MOST_PER_PAGE,
        description=f"Matches per page (default {PAGE_SIZE}).",
    )
