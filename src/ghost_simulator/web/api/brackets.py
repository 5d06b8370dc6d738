"""Elimination brackets through the API: a field's bracket shot out many
times, its figures answered; nothing is stored."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from ...engine.constants import DEFAULT_SCHEME
from ...services import brackets
from .errors import ApiError
from .matches import CSRF_HEADER
from .models import brackets as models
from .registry import Answer, operation, reply


@operation(
    "POST",
    "/v1/brackets",
    summary="Simulate an elimination bracket",
    description=(
        "Seeds the field by its qualification scores on World Archery's chart"
        " (byes to the top seeds; its 104 chart for 57 to 104 archers) and"
        " shoots the whole bracket `runs` times,"
        " every match between ghosts (set system, or 15 arrows cumulative for"
        " compound; indoors when the round is). Each archer's true level is"
        " estimated from their score with the round's noise in mind (a lucky"
        " score is partly luck) and drawn afresh in every run. Answers each"
        " seed's share of wins and finals, the shoot-off rate and how often"
        " the higher seed wins, by seed gap. Nothing is stored."
    ),
    tag="brackets",
    params=(CSRF_HEADER,),
    body=models.BracketSetup,
    answers=(Answer(200, "The bracket's figures.", models.BracketFigures),),
)
def simulate_bracket(body: models.BracketSetup) -> ResponseReturnValue:
    try:
        figures = brackets.simulate(
            [(archer.name, float(archer.score)) for archer in body.field],
            body.round,
            body.bow,
            body.runs,
            body.seed,
            body.scheme or DEFAULT_SCHEME,
        )
    except brackets.BracketInvalid as exc:
        raise ApiError(422, str(exc), fields=exc.errors) from None
    return reply(models.BracketFigures.model_validate(figures))
