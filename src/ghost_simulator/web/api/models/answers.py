"""What the API answers: each response body, declared once. ``web.api.shapes``
builds these from the engine's and the store's objects, the views send them
(``model_dump``), and the OpenAPI document publishes their JSON Schemas: an
answer cannot say something its schema does not.

Every field is always there (null when it has no value) unless it is marked
``Leave``, which is left out when it has none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias

from pydantic import Field

from ....engine.constants import BOWS
from ....services.setups import GHOST_TYPES
from .base import DateTime, Leave, Number, ResponseModel

# The values each can take, as the schema names them; to a type checker they
# are the str the engine and the store hold.
if TYPE_CHECKING:
    Bow: TypeAlias = str
    GhostType: TypeAlias = str
    Auth: TypeAlias = str
    MatchKind: TypeAlias = str
    Status: TypeAlias = str
    Result: TypeAlias = str
else:
    Bow = Literal[BOWS]
    GhostType = Literal[GHOST_TYPES]
    Auth = Literal["token", "session", "anonymous"]
    MatchKind = Literal["set", "cumulative", "ranking"]
    Status = Literal["in_progress", "shoot_off", "won", "lost", "tied"]
    Result = Literal["archer", "ghost", "again"]


# -- errors -----------------------------------------------------------------------


class ErrorDetail(ResponseModel):
    code: int = Field(description="The HTTP status.")
    name: str = Field(description="The status's name.")
    message: str = Field(description="What went wrong and what to do, in a sentence.")
    fields: Leave[dict[str, str]] = Field(
        None, description="A message per field or parameter at fault."
    )
    request_id: Leave[str] = Field(
        None,
        description=(
            "A server error's request id (also in X-Request-ID), to report it by."
        ),
    )


class Error(ResponseModel):
    """Every error, whatever its status."""

    error: ErrorDetail


# -- who is calling ---------------------------------------------------------------


class Archer(ResponseModel):
    username: str
    name: str | None
    bowstyle: str
    sex: str | None
    age_class: str
    season: str
    scheme: str


class Token(ResponseModel):
    name: str
    created_at: DateTime
    last_used_at: DateTime | None


class Me(ResponseModel):
    auth: Auth = Field(
        description=(
            "token: a personal access token; session: the browser's signed-in"
            " session; anonymous: nobody signed in (matches belong to this"
            " browser session)."
        )
    )
    archer: Archer | None
    token: Token | None
    csrf_token: str | None = Field(
        description=(
            "Without a token, send this as the X-CSRFToken header with every POST."
        )
    )


# -- rounds -----------------------------------------------------------------------


class Face(ResponseModel):
    system: str
    name: str
    diameter_cm: Number
    labels: list[str] = Field(
        description="The values an arrow can score, highest first."
    )
    max_value: int


class RoundSummary(ResponseModel):
    code: str
    name: str
    kind: Literal["round", "match"] = Field(
        description="A ranking round, or an elimination match's format."
    )
    arrows: int
    ends: int
    end_size: int
    max_score: int
    indoor: bool
    location: str | None
    body: str | None
    family: str | None
    common: bool = Field(description="Offered first in the new-match form.")


class RoundList(ResponseModel):
    rounds: list[RoundSummary]
    count: int


class Distance(ResponseModel):
    arrows: int
    distance: str = Field(description="70 m, 20 yd")
    metres: Number
    indoor: bool
    face: Face


class PlannedEnd(ResponseModel):
    end: int
    distance: int
    arrows: int


class Round(RoundSummary):
    half: bool
    bow: Bow | None
    distances: list[Distance]
    end_plan: list[PlannedEnd] = Field(
        description="Each end: its number, distance (index) and arrows."
    )


# -- ghosts -----------------------------------------------------------------------


class Preset(ResponseModel):
    name: str
    label: str
    description: str
    kind: Literal["championship", "record", "perfect"]
    handicap: Number | None
    scheme: str | None
    bow: str | None
    age: str | None
    indoor: bool | None
    system: str | None
    min_score: int | None
    round: str | None
    score: Number | None
    archer: str | None
    year: int | None


class PresetList(ResponseModel):
    presets: list[Preset]


class GhostKind(ResponseModel):
    ghost: GhostType
    label: str
    fields: list[str]
    needs_archer: bool


class GhostKinds(ResponseModel):
    ghosts: list[GhostKind]
    kinds: list[str]
    bows: list[str]
    schemes: list[str]
    models: list[int]
    current_model: int


class Ghost(ResponseModel):
    kind: Literal[
        "handicap", "score", "preset", "history", "replay", "minmax", "perfect"
    ]
    label: str = Field(description="The ghost in words.")
    handicap: Number | None
    scheme: str
    model: int
    steady: bool
    form: Number | None
    min_end: int | None
    max_end: int | None
    preset: str | None
    score: Number | None
    classification: str | None


class RoundRef(ResponseModel):
    """What a match is shot on."""

    code: str
    name: str
    half: bool
    bow: str | None
    indoor: bool
    arrows: int
    ends: int
    end_size: int
    max_score: int


class GhostPreview(ResponseModel):
    ghost: Ghost
    round: RoundRef
    expected_score: Number | None = Field(
        description=(
            "The ghost's average score on the round (a match: its five"
            " ends); null for a replayed past round."
        )
    )
    per_end: Number | None


# -- a match ----------------------------------------------------------------------


class Tally(ResponseModel):
    total: int
    xs: int
    tens: int = Field(description="10s, Xs included.")
    hits: int
    arrows: int


class Side(ResponseModel):
    arrows: list[str] | None = Field(
        description="Highest first; null when only the total was given."
    )
    total: int
    running_total: int


class ArcherSide(Side):
    in_order: list[str] | None = Field(
        None,
        description=(
            "The arrows in the order shot, when they were entered so"
            " (`in_order`); else null."
        ),
    )


class MatchEnd(ResponseModel):
    number: int
    archer: ArcherSide
    ghost: Side
    set_points: list[int] | None = Field(
        min_length=2,
        max_length=2,
        description="Yours and the ghost's, for this set.",
    )


class Totals(ResponseModel):
    archer: Tally
    ghost: Tally


class SetPoints(ResponseModel):
    archer: int
    ghost: int


class ShootOff(ResponseModel):
    archer: str
    ghost: str
    closer: str | None
    result: Result | None


class NextStep(ResponseModel):
    action: Literal["end", "shoot_off", "closer", "none"] = Field(
        description=(
            "What is due: an end, a shoot-off arrow, saying who was closer,"
            " or nothing (the match is over)."
        )
    )
    end: int | None
    arrows: int
    labels: list[str]


class MatchLinks(ResponseModel):
    self: str
    page: str
    odds: str


class ArcherModel(ResponseModel):
    steady: bool = Field(description="Counted as the plain handicap model.")
    form: Number | None = Field(
        description=(
            "Your own day-to-day form (handicap points, standard deviation), or"
            " null: that of archers of your level and bow."
        )
    )
    drift: Number | None = Field(
        description="Your own drift within the day, or null: your level's."
    )


class Match(ResponseModel):
    id: str
    version: int = Field(
        description="Bumped by every change: send it back with a write."
    )
    created_at: DateTime
    kind: MatchKind
    status: Status
    finished: bool
    reason: str = Field(
        description=(
            "How it was decided: set points, total, 10s, Xs, tie, shoot-off"
            " (empty while it is not)."
        )
    )
    round: RoundRef
    ghost: Ghost
    ends: list[MatchEnd] = Field(
        description=(
            "The ends shot: yours, and the ghost's for those ends only (its"
            " later arrows are never shown)."
        )
    )
    totals: Totals
    set_points: SetPoints | None
    shoot_offs: list[ShootOff]
    next: NextStep
    archer_handicap: Number | None = Field(
        description="The handicap your arrows so far earn."
    )
    archer_model: ArcherModel = Field(
        description="How the odds model you in this match (kept from its start)."
    )
    seed: int | None = Field(
        description="Shown once the match is over (it fixes the ghost's arrows)."
    )
    share_url: str | None = Field(description="Once over: a link to replay the ghost.")
    links: MatchLinks


class Conflict(ResponseModel):
    """The match changed since it was read (another window, another script),
    or the entry does not fit it as it stands: the error, and the match now."""

    error: ErrorDetail
    match: Match


class Needed(ResponseModel):
    """The totals that win half the time: this set's (a set match), or over
    the arrows left (a cumulative match)."""

    to_win_set: int | None = None
    to_stay_in: int | None = None
    to_win_match: int | None = None
    arrows_left: Leave[int] = None


class Odds(ResponseModel):
    win: Number = Field(
        description="Your chance of winning from here (a tie counts half)."
    )
    loss: Number = Field(description="1 - win.")
    shoot_off: Number = Field(
        description="The chance it goes to a shoot-off (a ranking round: of a tie)."
    )
    archer_handicap: Number | None = Field(
        description="The level the odds take you to shoot at."
    )
    needed: Needed
    status: Status
    version: int


# -- history ----------------------------------------------------------------------


class HistoryLinks(ResponseModel):
    self: str
    page: str


class HistoryItem(ResponseModel):
    id: str
    kind: str
    round_code: str
    half: bool
    what: str = Field(description="What was shot, in words.")
    bow: str | None
    status: str
    finished: bool
    ghost_kind: str | None
    ghost_handicap: Number | None
    archer_total: int
    ghost_total: int
    set_points: SetPoints | None = Field(
        description="A set match's set points (6-5 after a shoot-off); null otherwise."
    )
    ends_shot: int
    arrows_shot: int
    max_score: int | None
    archer_handicap: Number | None
    created_at: DateTime
    finished_at: DateTime | None
    links: HistoryLinks


class HistoryPage(ResponseModel):
    matches: list[HistoryItem]
    total: int
    page: int
    per_page: int
    pages: int


class WinChance(ResponseModel):
    after: str = Field(description="start, end 1 ..., shoot-off 1 ...")
    win: Number


class HistoryMatch(ResponseModel):
    match: Match
    win_chances: list[WinChance] = Field(
        description=(
            "A finished match: your chance of winning before it and after each"
            " end, as the sheet showed it then (empty while it is not)."
        )
    )


class SpreadOnRound(ResponseModel):
    round: str
    mean: Number = Field(description="Your expected total at your level.")
    own: Number = Field(
        description="How much your total varies from one day to the next (points,"
        " standard deviation), by your spread."
    )
    typical: Number = Field(description="The same for archers of your level and bow.")


class Spread(ResponseModel):
    level: Number = Field(
        description="Your level: the average handicap your latest rounds earned."
    )
    bow: str
    scheme: str
    form: Number = Field(
        description=(
            "Your day-to-day form (handicap points, standard deviation), shrunk"
            " toward your level's by how much data there is."
        )
    )
    drift: Number = Field(
        description="Your drift within a day (handicap points), shrunk likewise."
    )
    population_form: Number = Field(description="Archers of your level and bow.")
    population_drift: Number = Field(description="Archers of your level and bow.")
    rounds: int = Field(
        description=(
            "Comparable finished rounds the figures rest on (the same round"
            " with the same bow, shot at least twice)."
        )
    )
    min_rounds: int = Field(description="Rounds needed for your own figures.")
    own: bool = Field(
        description="Whether your own rounds are in the figures (else your level's)."
    )
    weight: Number = Field(description="The share of your own data (0 to 1).")
    raw_form: Number | None = Field(description="Your form before shrinking.")
    raw_drift: Number | None = Field(description="Your drift before shrinking.")
    streakiness: Literal["steadier", "typical", "streakier"] = Field(
        description="Your ends' spells against archers of your level."
    )
    on_round: SpreadOnRound | None = Field(
        None, description="With `round`: the figures in its points."
    )


class PressureMeasure(ResponseModel):
    count: int = Field(description="The moments of this kind in your matches.")
    minimum: int = Field(description="How many a verdict needs.")
    observed: Number = Field(
        description="Your mean set score (sets) or shoot-offs won (shoot-offs)."
    )
    expected: Number = Field(description="What your own level predicted.")
    percentile: Number | None = Field(
        description="Where you stand in what your level predicts (50: exactly it)."
    )
    verdict: Literal["calmer", "as_level", "below", "not_enough"]


class LastArrowMeasure(PressureMeasure):
    before_last: Number | None = Field(
        description="The mean of the arrows before the last, in those sets."
    )


class PressureSet(ResponseModel):
    score: int
    expected: Number
    sd: Number
    percentile: Number
    level: Number


class ShootOffMoment(ResponseModel):
    won: bool
    chance: Number = Field(description="Your chance of winning it, by your level.")
    level: Number


class Pressure(ResponseModel):
    matches: int = Field(description="Your finished elimination matches read.")
    scheme: str
    sets: PressureMeasure = Field(
        description=(
            "Sets at 4-4 (a set won wins the match, a set lost loses it) and the"
            " last end of a cumulative match with the totals within 3 points."
        )
    )
    shoot_offs: PressureMeasure
    last_arrows: LastArrowMeasure = Field(
        description=(
            "The last arrow of a set against the arrows before it, from the"
            " sets entered in the order shot (`in_order`): `observed` the last"
            " arrow's mean, `expected` the sets' mean arrow (the model draws"
            " every arrow of a set alike)."
        )
    )
    method: dict[str, Number]
    pressure_sets: list[PressureSet]
    shoot_off_moments: list[ShootOffMoment]
