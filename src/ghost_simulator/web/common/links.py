"""Links to a match that outlive the page: the address that sets up the same
ghost, round and seed again (a replay to share or bookmark)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import url_for

from ...engine import Match


def share_url(match: Match) -> str | None:
    """A link that sets up the same ghost, round and seed: a replay to share
    (none for a replay of the archer's own past, which a link cannot carry).
    It holds the seed: shown once the match is over (``services.play.visible``)."""
    ref = match.round.ref
    ghost = match.ghost
    if ghost.kind == "replay":
        return None
    params: dict[str, Any] = {"seed": match.seed, "model": ghost.model}
    if ghost.form is not None and ghost.kind != "minmax":
        params["form"] = ghost.form
    params["scheme"] = ghost.scheme
    if ghost.steady:
        params["steady"] = 1
    if "match" in ref:
        params.update(
            kind=match.kind, bow=ref["match"]["bow"], indoor=int(ref["match"]["indoor"])
        )
    else:
        params.update(
            kind="half" if ref.get("half") else "ranking",
            round=ref.get("codename", ""),
            bow=ref.get("bow") or "recurve",
            indoor=int(match.round.indoor),
        )
    if ghost.kind == "minmax":
        params.update(ghost="minmax", min_end=ghost.min_end, max_end=ghost.max_end)
    elif ghost.kind == "preset":
        params.update(ghost="preset", preset=ghost.source["preset"])
    elif ghost.kind == "perfect":
        params.update(ghost="preset", preset="perfect")
    elif ghost.kind == "score":
        params.update(ghost="score", score=ghost.source["score"])
    elif ghost.kind == "history":  # the exact level, so the arrows replay
        params.update(ghost="handicap", handicap=repr(ghost.handicap))
    else:
        params.update(ghost="handicap", handicap=round(ghost.handicap or 0, 6))
    return url_for("play.new", _external=True) + "?" + urlencode(params)
