"""What there is to shoot and to shoot against: rounds, presets, the kinds of
ghost, and what a ghost would score; and who is calling."""

from __future__ import annotations

import re
from typing import Any

from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...engine.constants import BOWS, DEFAULT_SCHEME, SCHEMES
from ...security import form_token
from ...services.setups import (
    CURRENT_MODEL,
    GHOST_TYPES,
    KINDS,
    MODEL_VERSIONS,
    OWN_GHOSTS,
    parse_setup,
)
from ...services.setups import Setup as SetupChoice
from . import auth, shapes
from .errors import ApiError
from .models import answers
from .models.requests import PresetsQuery, RoundQuery, RoundsQuery, Setup
from .registry import Answer, Param, operation, reply

_MATCH_CODE = re.compile(r"match_([a-z]+)_(indoor|outdoor)")


@operation(
    "GET",
    "/v1/me",
    summary="Who is calling",
    description=(
        "How this request is authenticated, the archer it acts for, and (for a"
        " browser session) the CSRF token its POSTs must send as X-CSRFToken."
    ),
    tag="account",
    answers=(Answer(200, "Who is calling.", answers.Me),),
)
def me() -> ResponseReturnValue:
    who = auth.caller()
    archer = who.archer
    token = who.token
    return reply(
        answers.Me(
            auth=who.auth,
            archer=answers.Archer(
                username=archer.username,
                name=archer.name,
                bowstyle=archer.bowstyle,
                sex=archer.sex,
                age_class=archer.age_class,
                season=archer.season,
                scheme=archer.scheme,
            )
            if archer is not None
            else None,
            token=answers.Token(
                name=token.name,
                created_at=shapes.moment(token.created_at),
                last_used_at=shapes.when(token.last_used_at),
            )
            if token is not None
            else None,
            csrf_token=form_token() if who.auth != "token" else None,
        )
    )


def _match_formats() -> list[Any]:
    from ...engine import match_round
    from ...engine.rounds import MATCH_FORMATS

    return [match_round(bow, indoor) for bow, indoor in MATCH_FORMATS]


@operation(
    "GET",
    "/v1/rounds",
    summary="List rounds",
    description=(
        "Every ranking round (by its code, as archeryutils names them) and every"
        " elimination match format (`match_<bow>_<indoor|outdoor>`)."
    ),
    tag="rounds",
    query=RoundsQuery,
    answers=(Answer(200, "The rounds.", answers.RoundList),),
)
def list_rounds(query: RoundsQuery) -> ResponseReturnValue:
    from ...engine import search_rounds

    text = query.q or ""
    words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in text.split()]
    rounds = list(search_rounds(text))
    rounds += [
        rnd
        for rnd in _match_formats()
        if all(
            w in re.sub(r"[^a-z0-9]", "", f"{rnd.codename} {rnd.name}".lower())
            for w in words
        )
    ]
    items = [shapes.round_summary(rnd) for rnd in rounds]
    return reply(answers.RoundList(rounds=items, count=len(items)))


@operation(
    "GET",
    "/v1/rounds/<code>",
    summary="One round",
    description=(
        "A round's distances, faces (the values an arrow can score), ends and"
        " maximum score, as a bow scores it."
    ),
    tag="rounds",
    params=(
        Param(
            "code",
            "path",
            {"type": "string", "maxLength": 64},
            "A round's code (or name), or a match format's.",
            required=True,
            example="wa18",
        ),
    ),
    query=RoundQuery,
    answers=(Answer(200, "The round.", answers.Round),),
)
def get_round(code: str, query: RoundQuery) -> ResponseReturnValue:
    from ...engine import RoundError, match_round
    from ...engine import get_round as find_round

    bow, half = query.bow, bool(query.half)
    found = _MATCH_CODE.fullmatch(code)
    try:
        if found and found[1] in BOWS:
            if half:  # no such round: a match has no half
                raise ApiError(404, _("A match has no half: leave half out."))
            rnd = match_round(found[1], found[2] == "indoor")
        else:
            rnd = find_round(code, bow=bow, half=half)
    except RoundError:
        raise ApiError(
            404,
            _(
                "There is no round %(code)s: GET /api/v1/rounds lists them.",
                code=code[:64],
            ),
        ) from None
    return reply(shapes.round_detail(rnd))


@operation(
    "GET",
    "/v1/presets",
    summary="List preset ghosts",
    description=(
        "Ready-made ghosts: Spanish championship categories, world records and"
        " the perfect ghost, with the handicap each shoots at on a scheme."
    ),
    tag="ghosts",
    query=PresetsQuery,
    answers=(Answer(200, "The presets.", answers.PresetList),),
)
def list_presets(query: PresetsQuery) -> ResponseReturnValue:
    from ...engine import all_presets

    scheme = query.scheme or DEFAULT_SCHEME
    presets = [shapes.preset(p, scheme) for p in all_presets().values()]
    return reply(answers.PresetList(presets=presets))


def _ghost_kinds() -> list[answers.GhostKind]:
    labels = {
        "handicap": (_("A handicap"), ["handicap"]),
        "score": (_("A score to beat on the round"), ["score"]),
        "preset": (_("A championship category or a record"), ["preset"]),
        "minmax": (
            _("The original's points per end, drawn evenly"),
            ["min_end", "max_end"],
        ),
        "past": (_("One of your past rounds, replayed"), ["past"]),
        "mine": (_("Your own level on the round"), ["mine"]),
        "classification": (_("The next classification above your best"), []),
    }
    return [
        answers.GhostKind(
            ghost=kind,
            label=labels[kind][0],
            fields=labels[kind][1],
            needs_archer=kind in OWN_GHOSTS,
        )
        for kind in GHOST_TYPES
    ]


@operation(
    "GET",
    "/v1/ghosts",
    summary="The kinds of ghost",
    description=(
        "How a ghost can be defined (the `ghost` field of a new match and the"
        " fields each kind reads), and the bows, schemes and model versions."
    ),
    tag="ghosts",
    answers=(Answer(200, "The kinds of ghost.", answers.GhostKinds),),
)
def ghost_kinds() -> ResponseReturnValue:
    return reply(
        answers.GhostKinds(
            ghosts=_ghost_kinds(),
            kinds=list(KINDS),
            bows=list(BOWS),
            schemes=list(SCHEMES),
            models=list(MODEL_VERSIONS),
            current_model=CURRENT_MODEL,
        )
    )


def setup_fields(body: Setup) -> dict[str, str]:
    """A checked JSON setup as the new-match form's fields (those sent), so
    that both are read by the same ``parse_setup``."""
    fields: dict[str, str] = {}
    for name, value in body.form_fields().items():
        if isinstance(value, bool):
            fields[name] = "1" if value else "0"
        elif isinstance(value, float):
            fields[name] = repr(value)
        else:
            fields[name] = str(value)
    return fields


def read_setup(body: Setup) -> SetupChoice:
    """The setup a body asks for, checked as the form is (422 otherwise)."""
    setup = parse_setup(setup_fields(body), auth.history())
    if setup.errors:
        raise ApiError(
            422,
            _("This match cannot be set up: see each field's message."),
            fields=setup.errors,
        )
    return setup


@operation(
    "POST",
    "/v1/ghosts/preview",
    summary="Build a ghost without playing it",
    description=(
        "The ghost a new match with these fields would meet, and what it scores"
        " on average on what is shot. Nothing is stored."
    ),
    tag="ghosts",
    body=Setup,
    answers=(Answer(200, "The ghost and its expected score.", answers.GhostPreview),),
)
def preview_ghost(body: Setup) -> ResponseReturnValue:
    from ...engine.odds import ghost_round_pmf, mean_std

    match = read_setup(body).build(auth.history())
    rnd, ghost = match.round, match.ghost
    if ghost.kind == "replay":
        expected = float(ghost.source.get("total", 0))
    else:
        expected = mean_std(ghost_round_pmf(ghost, rnd))[0]
    return reply(
        answers.GhostPreview(
            ghost=shapes.ghost(ghost),
            round=shapes.round_ref(rnd),
            expected_score=round(expected, 2),
            per_end=round(expected / rnd.ends, 2),
        )
    )
