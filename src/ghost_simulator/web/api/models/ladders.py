"""The ghost ladders' requests and answers (``web.api.ladders``), declared once
as the other models are: the API reads and answers with them and the OpenAPI
document publishes their schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from pydantic import ConfigDict, Field, WithJsonSchema

from ....engine.constants import BOWS, SCHEMES
from ....engine.ladder import HIGHEST_TARGET, KINDS, LOWEST_TARGET
from ....services.ladders import STARTS
from .base import DateTime, Leave, Number, RequestModel, ResponseModel

if TYPE_CHECKING:
    Kind: TypeAlias = str
    Bow: TypeAlias = str
    Scheme: TypeAlias = str
    Start: TypeAlias = str
    RungResult: TypeAlias = str
else:
    Kind = Literal[KINDS]
    Bow = Literal[BOWS]
    Scheme = Literal[SCHEMES]
    Start = Literal[STARTS]
    RungResult = Literal["won", "lost", "tied"]

#: The longest ladder id (the database column's size).
LADDER_ID_LENGTH = 32

#: A ladder's target: a share of matches won, from 5% to 95%.
Share = Annotated[
    Number,
    Field(ge=LOWEST_TARGET, le=HIGHEST_TARGET),
    WithJsonSchema(
        {"type": "number", "minimum": LOWEST_TARGET, "maximum": HIGHEST_TARGET}
    ),
]


# -- requests ----------------------------------------------------------------------


class LadderSetup(RequestModel):
    """A new ghost ladder: what its matches are, the share of them it lets
    you win, and where it starts (a handicap, a score on the format's round,
    or your recent level on the format: the default without either)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"kind": "set", "bow": "recurve", "handicap": 40},
                {"kind": "ranking", "round": "wa18", "score": 540, "target": 0.3},
                {"kind": "cumulative", "bow": "compound", "start": "history"},
            ]
        }
    )

    kind: Kind = Field(
        "set",
        description=(
            "set: set matches; cumulative: compound matches (5 ends of 3"
            " arrows); ranking: a ranking round (`round`)."
        ),
    )
    bow: Bow = "recurve"
    indoor: bool = Field(False, description="Where the matches are shot.")
    round: Leave[str] = Field(
        None,
        max_length=64,
        description="For ranking: the round's code (GET /api/v1/rounds).",
    )
    target: Share = Field(
        0.5,
        description=(
            "The share of matches the ladder lets you win: 0.3 is hard, 0.5"
            " even, 0.7 builds confidence."
        ),
    )
    start: Leave[Start] = Field(
        None,
        description=(
            "Where the ladder starts: a handicap, a score, or your history (your"
            " last finished matches on the format; needs an archer). By default"
            " the one given."
        ),
    )
    handicap: Leave[Number] = Field(
        None, description="Your handicap (on the ladder's scheme)."
    )
    score: Leave[Number] = Field(
        None,
        description=(
            "A score you usually shoot on the format's round (a match: its 15 arrows)."
        ),
    )
    scheme: Leave[Scheme] = Field(
        None, description="The handicap scheme (by default your profile's, or AGB)."
    )


# -- answers -----------------------------------------------------------------------


class LadderFormat(ResponseModel):
    kind: Kind
    bow: Bow
    indoor: bool
    round: str = Field(description="The round's code (a match: its format's).")
    round_name: str
    scheme: Scheme


class LadderEstimate(ResponseModel):
    level: Number = Field(
        description="Your level as the ladder believes it (a handicap)."
    )
    uncertainty: Number = Field(
        description="Its standard deviation, in handicap points."
    )


class LadderRung(ResponseModel):
    number: int
    match_id: str
    estimate: Number = Field(description="Your level as believed before the match.")
    ghost: Number = Field(description="The ghost's handicap.")
    chance: Number = Field(description="The exact chance the ladder gave you.")
    result: RungResult
    earned: Number | None = Field(description="The handicap your arrows earned.")


class NextGhost(ResponseModel):
    handicap: Number
    chance: Number = Field(description="Your exact chance of beating it.")


class LadderLinks(ResponseModel):
    self: str
    page: str
    matches: str = Field(description="POST here to shoot the next match.")


class Ladder(ResponseModel):
    id: str
    created_at: DateTime
    format: LadderFormat
    target: Number = Field(description="The share of matches it lets you win.")
    start_level: Number
    start: Start = Field(description="Where the starting level came from.")
    estimate: LadderEstimate
    rungs: list[LadderRung] = Field(description="Its finished matches, in order.")
    won: int
    lost: int
    tied: int
    win_rate: Number | None = Field(
        description="Matches won (a tie counting half) of those finished."
    )
    next_ghost: NextGhost
    match_in_progress: str | None = Field(
        description="The id of its match not finished yet: shoot that first."
    )
    links: LadderLinks


class LadderSummary(ResponseModel):
    id: str
    created_at: DateTime
    format: LadderFormat
    target: Number
    matches: int = Field(description="Matches finished.")
    won: int
    links: LadderLinks


class LadderList(ResponseModel):
    ladders: list[LadderSummary] = Field(description="Your ladders, newest first.")
