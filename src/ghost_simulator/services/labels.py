"""Archery things in the user's language: bows, ghosts, presets, rounds.

The pages, the API and the printed sheet word them the same way; the language
is Flask-Babel's for the request (or its default outside one).
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from ..engine.constants import BOWS


def bow_names() -> dict[str, str]:
    names = {
        "recurve": _("Recurve"),
        "compound": _("Compound"),
        "barebow": _("Barebow"),
        "longbow": _("Longbow"),
        "traditional": _("Traditional"),
    }
    return {bow: names[bow] for bow in BOWS}


def ghost_label(ghost: Any) -> str:
    if ghost.kind == "perfect":
        return _("perfect, every arrow an X")
    if ghost.kind == "minmax":
        return _(
            "%(low)s to %(high)s points per end (drawn evenly)",
            low=ghost.min_end,
            high=ghost.max_end,
        )
    handicap = format_decimal(round(ghost.handicap, 1))
    if ghost.kind == "replay" and ghost.source.get("shared"):
        return _(
            "a friend's round (%(by)s), %(total)s (handicap %(handicap)s)",
            by=ghost.source.get("by", "?"),
            total=ghost.source.get("total", "?"),
            handicap=handicap,
        )
    if ghost.kind == "replay":
        return _(
            "your past round, %(total)s (handicap %(handicap)s)",
            total=ghost.source.get("total", "?"),
            handicap=handicap,
        )
    if ghost.kind == "history" and ghost.source.get("method") == "like_me":
        if ghost.source.get("own_spread"):
            return _(
                "like you: your level and your own spread (handicap %(handicap)s)",
                handicap=handicap,
            )
        return _(
            "like you: your level, the spread of archers of your level"
            " (handicap %(handicap)s)",
            handicap=handicap,
        )
    if ghost.kind == "history":
        labels = {
            "average": _("your average"),
            "best": _("your best"),
            "last5": _("your last 5"),
        }
        return _(
            "%(which)s on this round (handicap %(handicap)s)",
            which=labels.get(ghost.source.get("method"), _("your level")),
            handicap=handicap,
        )
    if ghost.kind == "score" and ghost.source.get("classification"):
        return _(
            "%(classification)s: %(score)s (handicap %(handicap)s)",
            classification=ghost.source["classification"],
            score=format_decimal(ghost.source["score"]),
            handicap=handicap,
        )
    if ghost.kind == "score":
        return _(
            "expected %(score)s (handicap %(handicap)s)",
            score=format_decimal(ghost.source["score"]),
            handicap=handicap,
        )
    if ghost.kind == "preset":
        from ..engine import get_preset

        return _(
            "%(preset)s (handicap %(handicap)s)",
            preset=preset_label(get_preset(ghost.source["preset"])),
            handicap=handicap,
        )
    return _("handicap %(handicap)s", handicap=handicap)


def past_label(past: Any) -> str:
    """ "WA 18m, 545, 1 Nov 2026": a past round in the new-match form."""
    from flask_babel import format_date

    from ..engine import get_round
    from ..engine.rounds import RoundError

    try:
        name = get_round(past.round_code, half=past.half).name
    except RoundError:
        name = past.round_code.replace("_", " ")
    return _(
        "%(round)s, %(total)s, %(date)s",
        round=name,
        total=past.archer_total,
        date=format_date(past.created_at, "medium"),
    )


def ghost_line(ghost: Any) -> str:
    """The ghost's label, and how it shoots when that is not the default."""
    label = ghost_label(ghost)
    if getattr(ghost, "pressure", None):
        label = _("%(ghost)s, feels pressure", ghost=label)
    if ghost.steady:
        return _("%(ghost)s, steady", ghost=label)
    if ghost.kind not in ("minmax", "perfect") and ghost.model == 1:
        return _("%(ghost)s, first model (steadier)", ghost=label)
    return label


def preset_label(preset: Any) -> str:
    if preset.kind == "perfect":
        return _("Perfect: every arrow an X")
    if preset.kind == "record":
        return _(
            "Record: %(archer)s, %(score)s (%(year)s)",
            archer=preset.archer,
            score=format_decimal(preset.score),
            year=preset.year,
        )
    seasons = {"indoor": _("Indoor"), "outdoor": _("Outdoor")}
    sexes = {"men": _("men"), "women": _("women")}
    season = seasons["indoor" if preset.indoor else "outdoor"]
    age = _("senior") if preset.age == "senior" else preset.age
    return _(
        "%(season)s %(bow)s, %(age)s %(sex)s: Spanish championship",
        season=season,
        bow=bow_names()[preset.bow].lower(),
        age=age,
        sex=sexes.get(preset.name.rsplit("-", 1)[-1], ""),
    )


def sheet_title(match: Any) -> str:
    rnd = match.round
    if match.kind == "set":
        return _("Set match, %(distance)s", distance=rnd.distances[0].label)
    if match.kind == "cumulative":
        return _("Cumulative match, %(distance)s", distance=rnd.distances[0].label)
    return rnd.name


def percent(value: float) -> str:
    return str(format_percent(value, "#,##0%"))


def millimetres(metres: float | None) -> str:
    return "?" if metres is None else str(format_decimal(round(metres * 1000)))
