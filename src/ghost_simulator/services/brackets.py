"""Elimination brackets simulated for the API: a field given as a list of
archers and their qualification scores, shot out many times
(``engine.competition``); nothing is stored."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from ..engine.competition import CompetitionError, simulate_bracket
from ..engine.constants import DEFAULT_SCHEME, MAX_SEED
from ..engine.field import Entry, FieldError, check_field
from ..engine.rounds import RoundError, get_round


class BracketInvalid(ValueError):
    """A field or a round the simulation cannot take: the sentence, and the
    request's field it is about."""

    def __init__(self, message: str, errors: Mapping[str, str]) -> None:
        super().__init__(message)
        self.errors = dict(errors)


def _archer(index: int) -> str:
    return f"Archer {index + 1} of the field"


def simulate(
    field: Sequence[tuple[str, float]],
    round_code: str,
    bow: str,
    runs: int,
    seed: int | None = None,
    scheme: str = DEFAULT_SCHEME,
) -> dict[str, Any]:
    """The figures of ``runs`` brackets of the field (as ``ghost-sim bracket
    --json`` prints them); a random seed when none is given (it is in the
    figures, to replay them)."""
    try:
        rnd = get_round(round_code, bow=bow)
    except RoundError as exc:
        raise BracketInvalid(str(exc), {"round": str(exc)}) from None
    entries = [Entry(name, score, index) for index, (name, score) in enumerate(field)]
    try:
        checked = check_field(entries, rnd.max_score, _archer)
    except FieldError as exc:
        raise BracketInvalid(str(exc), {"field": str(exc)}) from None
    chosen = secrets.randbelow(MAX_SEED + 1) if seed is None else seed
    try:
        figures = simulate_bracket(checked, rnd, bow, runs, chosen, scheme)
    except CompetitionError as exc:
        raise BracketInvalid(str(exc), {"runs": str(exc)}) from None
    return figures.to_dict()
