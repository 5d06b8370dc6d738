"""The API's JSON Schemas (OpenAPI 3.1 speaks JSON Schema 2020-12): what each
request body takes and what each answer holds.

Request bodies are checked against these very schemas (``validation``), and
the OpenAPI document publishes them (``web.openapi``): one source for both.
"""

from __future__ import annotations

from typing import Any

from ...engine.constants import BOWS, SCHEMES
from ...services.setups import GHOST_TYPES, KINDS, MINE, MODEL_VERSIONS

Schema = dict[str, Any]

#: The longest match id (the database column's size).
MATCH_ID = {"type": "string", "minLength": 1, "maxLength": 32}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    """``schema`` or null (JSON Schema 2020-12: a list of types)."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema["type"]
    kinds = [kind] if isinstance(kind, str) else list(kind)
    result = {**schema, "type": [*kinds, "null"]}
    if "enum" in result:
        result["enum"] = [*result["enum"], None]
    return result


def obj(
    properties: dict[str, Schema],
    required: list[str] | None = None,
    description: str = "",
    *,
    closed: bool = True,
    examples: list[dict[str, Any]] | None = None,
    any_of: list[list[str]] | None = None,
    when: tuple[Schema, Schema] | None = None,
) -> Schema:
    """An object's schema. ``any_of``: sets of fields, one of which is due;
    ``when``: (if, then), a rule one field's value sets for others."""
    schema: Schema = {"type": "object", "properties": properties}
    if required is None:
        required = list(properties)
    if required:
        schema["required"] = required
    if any_of:
        schema["anyOf"] = [{"required": names} for names in any_of]
    if when is not None:
        schema["if"], schema["then"] = when
    if closed:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    if examples:
        schema["examples"] = examples
    return schema


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
WHEN = {"type": "string", "format": "date-time"}
LABELS = {"type": "array", "items": STRING}

# -- request bodies -------------------------------------------------------------------

#: Every value an arrow can score on some face, as its label (0 is a miss too).
#: Which of them a given end takes is its face's (``next.labels`` in a match).
ARROW: Schema = {
    "type": "string",
    "enum": ["X", "11", *(str(v) for v in range(10, 0, -1)), "M", "0"],
    "description": "An arrow's value as written: X, 10 ... 1, M (a miss, or 0).",
}

VERSION_FIELD: Schema = {
    "type": "integer",
    "minimum": 1,
    "maximum": 2**31 - 1,
    "description": (
        "The match's version as you last read it (`version` in its state). The"
        " write is refused with 409 and the current state if the match has"
        " changed since. Instead of this field, the `If-Match` header may carry"
        " it. Without either, the write applies to the match as it stands."
    ),
}

SETUP: Schema = obj(
    {
        "kind": {
            "type": "string",
            "enum": list(KINDS),
            "default": "set",
            "description": (
                "set: a set-system match (5 sets of 3 arrows, first to 6 set"
                " points); cumulative: a compound match (5 ends of 3 arrows,"
                " highest total); ranking: a whole ranking round; half: its"
                " first half."
            ),
        },
        "bow": {"type": "string", "enum": list(BOWS), "default": "recurve"},
        "indoor": {
            "type": "boolean",
            "default": False,
            "description": "Where a match is shot (a ranking round says itself).",
        },
        "round": {
            "type": "string",
            "maxLength": 64,
            "description": (
                "For ranking and half: the round's code (GET /api/v1/rounds);"
                " by default WA 18m indoors, WA 720 (70 m) outdoors."
            ),
        },
        "ghost": {
            "type": "string",
            "enum": list(GHOST_TYPES),
            "default": "handicap",
            "description": "How the ghost is defined (GET /api/v1/ghosts).",
        },
        "handicap": {
            "type": "number",
            "description": "For ghost=handicap: its handicap (40 if left out).",
        },
        "score": {
            "type": "number",
            "description": "For ghost=score: the score it averages on the round.",
        },
        "preset": {
            "type": "string",
            "maxLength": 64,
            "description": "For ghost=preset: a preset's name (GET /api/v1/presets).",
        },
        "min_end": {
            "type": "integer",
            "description": "For ghost=minmax: the fewest points per end.",
        },
        "max_end": {
            "type": "integer",
            "description": "For ghost=minmax: the most points per end.",
        },
        "form": {
            "type": "number",
            "description": (
                "The ghost's day-to-day variation, 0 to 10 handicap points (by"
                " default its level's and bow's)."
            ),
        },
        "scheme": {"type": "string", "enum": list(SCHEMES), "default": "AGB"},
        "seed": {
            "type": "integer",
            "minimum": 0,
            "maximum": 2**63 - 1,
            "description": "Replays the same arrows (random if left out).",
        },
        "model": {
            "type": "integer",
            "enum": list(MODEL_VERSIONS),
            "description": "The ghost model's version (the newest by default).",
        },
        "steady": {
            "type": "boolean",
            "default": False,
            "description": "A ghost without form, drift or bad arrows.",
        },
        "past": {
            "type": "string",
            "maxLength": 32,
            "description": (
                "For ghost=past: the id of one of your past matches, or `best`"
                " (your personal best on the round). Needs an archer."
            ),
        },
        "mine": {
            "type": "string",
            "enum": list(MINE),
            "default": "average",
            "description": "For ghost=mine: your average, best or last five.",
        },
    },
    required=[],
    description=(
        "A new match: the same fields, defaults and checks as the new-match form."
        " Every field may be left out. A ghost from your next classification is"
        " for a ranking round (`kind` ranking or half)."
    ),
    when=(
        {"properties": {"ghost": {"const": "classification"}}, "required": ["ghost"]},
        {
            "properties": {"kind": {"type": "string", "enum": ["ranking", "half"]}},
            "required": ["kind"],
        },
    ),
    examples=[
        {"kind": "set", "bow": "recurve", "ghost": "handicap", "handicap": 40},
        {"kind": "ranking", "round": "wa18", "ghost": "score", "score": 540},
        {
            "kind": "cumulative",
            "bow": "compound",
            "ghost": "preset",
            "preset": "perfect",
        },
    ],
)

END_ENTRY: Schema = obj(
    {
        "arrows": {
            "type": "array",
            "items": ARROW,
            "minItems": 1,
            "maxItems": 6,
            "description": (
                "The end's arrows by their values on the face, in any order"
                " (3 or 6 of them: `next.arrows` in the match). Give these or"
                " `total`."
            ),
        },
        "total": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000,
            "description": "The end's total alone, when the arrows were not noted.",
        },
        "end": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000,
            "description": (
                "Which end this is for (1 for the first). If given, an entry meant"
                " for another end (sent twice, or from a stale screen) is refused"
                " with 409."
            ),
        },
        "version": VERSION_FIELD,
    },
    required=[],
    description="One end: its arrows or its total.",
    any_of=[["arrows"], ["total"]],
    examples=[{"arrows": ["X", "10", "9"], "end": 1}, {"total": 27}],
)

SHOOT_OFF_ENTRY: Schema = obj(
    {
        "arrow": {
            **ARROW,
            "description": (
                "Your shoot-off arrow's label. May be left out when only saying"
                " who was closer for the arrow already entered."
            ),
        },
        "closer": {
            "type": "string",
            "enum": ["archer", "ghost", "equal"],
            "description": (
                "Whose arrow is closer to the centre, when the values tie."
            ),
        },
        "version": VERSION_FIELD,
    },
    required=[],
    description="A shoot-off arrow, and who was closer when the values tie.",
    examples=[{"arrow": "9"}, {"closer": "archer"}],
)

REQUEST_BODIES = {
    "Setup": SETUP,
    "EndEntry": END_ENTRY,
    "ShootOffEntry": SHOOT_OFF_ENTRY,
}

# -- answers ------------------------------------------------------------------------

ERROR: Schema = obj(
    {
        "error": obj(
            {
                "code": {"type": "integer", "description": "The HTTP status."},
                "name": {"type": "string", "description": "The status's name."},
                "message": {
                    "type": "string",
                    "description": "What went wrong and what to do, in a sentence.",
                },
                "fields": {
                    "type": "object",
                    "additionalProperties": STRING,
                    "description": "A message per field or parameter at fault.",
                },
                "request_id": {
                    "type": "string",
                    "description": (
                        "A server error's request id (also in X-Request-ID), to"
                        " report it by."
                    ),
                },
            },
            required=["code", "name", "message"],
        )
    },
    description="Every error, whatever its status.",
)

CONFLICT: Schema = obj(
    {"error": ERROR["properties"]["error"], "match": ref("Match")},
    description=(
        "The match changed since it was read (another window, another script),"
        " or the entry does not fit it as it stands: the error, and the match"
        " now."
    ),
)

ARCHER: Schema = obj(
    {
        "username": STRING,
        "name": nullable(STRING),
        "bowstyle": STRING,
        "sex": nullable(STRING),
        "age_class": STRING,
        "season": STRING,
        "scheme": STRING,
    }
)

ME: Schema = obj(
    {
        "auth": {
            "type": "string",
            "enum": ["token", "session", "anonymous"],
            "description": (
                "token: a personal access token; session: the browser's signed-in"
                " session; anonymous: nobody signed in (matches belong to this"
                " browser session)."
            ),
        },
        "archer": nullable(ref("Archer")),
        "token": nullable(
            obj(
                {
                    "name": STRING,
                    "created_at": WHEN,
                    "last_used_at": nullable(WHEN),
                }
            )
        ),
        "csrf_token": nullable(
            {
                "type": "string",
                "description": (
                    "Without a token, send this as the X-CSRFToken header with"
                    " every POST."
                ),
            }
        ),
    }
)

FACE: Schema = obj(
    {
        "system": STRING,
        "name": STRING,
        "diameter_cm": NUMBER,
        "labels": {
            "type": "array",
            "items": STRING,
            "description": "The values an arrow can score, highest first.",
        },
        "max_value": INTEGER,
    }
)

ROUND_SUMMARY_FIELDS: dict[str, Schema] = {
    "code": STRING,
    "name": STRING,
    "kind": {
        "type": "string",
        "enum": ["round", "match"],
        "description": "A ranking round, or an elimination match's format.",
    },
    "arrows": INTEGER,
    "ends": INTEGER,
    "end_size": INTEGER,
    "max_score": INTEGER,
    "indoor": BOOLEAN,
    "location": nullable(STRING),
    "body": nullable(STRING),
    "family": nullable(STRING),
    "common": {
        "type": "boolean",
        "description": "Offered first in the new-match form.",
    },
}

ROUND_SUMMARY: Schema = obj(ROUND_SUMMARY_FIELDS)

ROUND_LIST: Schema = obj(
    {"rounds": {"type": "array", "items": ref("RoundSummary")}, "count": INTEGER}
)

ROUND: Schema = obj(
    {
        **ROUND_SUMMARY_FIELDS,
        "half": BOOLEAN,
        "bow": nullable({"type": "string", "enum": list(BOWS)}),
        "distances": {
            "type": "array",
            "items": obj(
                {
                    "arrows": INTEGER,
                    "distance": {"type": "string", "description": "70 m, 20 yd"},
                    "metres": NUMBER,
                    "indoor": BOOLEAN,
                    "face": ref("Face"),
                }
            ),
        },
        "end_plan": {
            "type": "array",
            "items": obj({"end": INTEGER, "distance": INTEGER, "arrows": INTEGER}),
            "description": "Each end: its number, distance (index) and arrows.",
        },
    }
)

PRESET: Schema = obj(
    {
        "name": STRING,
        "label": STRING,
        "description": STRING,
        "kind": {"type": "string", "enum": ["championship", "record", "perfect"]},
        "handicap": nullable(NUMBER),
        "scheme": nullable(STRING),
        "bow": nullable(STRING),
        "age": nullable(STRING),
        "indoor": nullable(BOOLEAN),
        "system": nullable(STRING),
        "min_score": nullable(INTEGER),
        "round": nullable(STRING),
        "score": nullable(NUMBER),
        "archer": nullable(STRING),
        "year": nullable(INTEGER),
    }
)

PRESET_LIST: Schema = obj({"presets": {"type": "array", "items": ref("Preset")}})

GHOST_KINDS: Schema = obj(
    {
        "ghosts": {
            "type": "array",
            "items": obj(
                {
                    "ghost": {"type": "string", "enum": list(GHOST_TYPES)},
                    "label": STRING,
                    "fields": {"type": "array", "items": STRING},
                    "needs_archer": BOOLEAN,
                }
            ),
        },
        "kinds": {"type": "array", "items": STRING},
        "bows": {"type": "array", "items": STRING},
        "schemes": {"type": "array", "items": STRING},
        "models": {"type": "array", "items": INTEGER},
        "current_model": INTEGER,
    }
)

GHOST: Schema = obj(
    {
        "kind": {
            "type": "string",
            "enum": [
                "handicap",
                "score",
                "preset",
                "history",
                "replay",
                "minmax",
                "perfect",
            ],
        },
        "label": {"type": "string", "description": "The ghost in words."},
        "handicap": nullable(NUMBER),
        "scheme": STRING,
        "model": INTEGER,
        "steady": BOOLEAN,
        "form": nullable(NUMBER),
        "min_end": nullable(INTEGER),
        "max_end": nullable(INTEGER),
        "preset": nullable(STRING),
        "score": nullable(NUMBER),
        "classification": nullable(STRING),
    }
)

ROUND_REF: Schema = obj(
    {
        "code": STRING,
        "name": STRING,
        "half": BOOLEAN,
        "bow": nullable(STRING),
        "indoor": BOOLEAN,
        "arrows": INTEGER,
        "ends": INTEGER,
        "end_size": INTEGER,
        "max_score": INTEGER,
    },
    description="What a match is shot on.",
)

GHOST_PREVIEW: Schema = obj(
    {
        "ghost": ref("Ghost"),
        "round": ref("RoundRef"),
        "expected_score": nullable(
            {
                "type": "number",
                "description": (
                    "The ghost's average score on the round (a match: its five"
                    " ends); null for a replayed past round."
                ),
            }
        ),
        "per_end": nullable(NUMBER),
    }
)

TALLY: Schema = obj(
    {
        "total": INTEGER,
        "xs": INTEGER,
        "tens": {"type": "integer", "description": "10s, Xs included."},
        "hits": INTEGER,
        "arrows": INTEGER,
    }
)

SIDE: Schema = obj(
    {
        "arrows": nullable(
            {
                "type": "array",
                "items": STRING,
                "description": "Highest first; null when only the total was given.",
            }
        ),
        "total": INTEGER,
        "running_total": INTEGER,
    }
)

MATCH: Schema = obj(
    {
        "id": STRING,
        "version": {
            "type": "integer",
            "description": "Bumped by every change: send it back with a write.",
        },
        "created_at": WHEN,
        "kind": {"type": "string", "enum": ["set", "cumulative", "ranking"]},
        "status": {
            "type": "string",
            "enum": ["in_progress", "shoot_off", "won", "lost", "tied"],
        },
        "finished": BOOLEAN,
        "reason": {
            "type": "string",
            "description": (
                "How it was decided: set points, total, 10s, Xs, tie, shoot-off"
                " (empty while it is not)."
            ),
        },
        "round": ref("RoundRef"),
        "ghost": ref("Ghost"),
        "ends": {
            "type": "array",
            "items": obj(
                {
                    "number": INTEGER,
                    "archer": SIDE,
                    "ghost": SIDE,
                    "set_points": nullable(
                        {
                            "type": "array",
                            "items": INTEGER,
                            "minItems": 2,
                            "maxItems": 2,
                            "description": "Yours and the ghost's, for this set.",
                        }
                    ),
                }
            ),
            "description": (
                "The ends shot: yours, and the ghost's for those ends only (its"
                " later arrows are never shown)."
            ),
        },
        "totals": obj({"archer": ref("Tally"), "ghost": ref("Tally")}),
        "set_points": nullable(obj({"archer": INTEGER, "ghost": INTEGER})),
        "shoot_offs": {
            "type": "array",
            "items": obj(
                {
                    "archer": STRING,
                    "ghost": STRING,
                    "closer": nullable(STRING),
                    "result": nullable(
                        {
                            "type": "string",
                            "enum": ["archer", "ghost", "again"],
                        }
                    ),
                }
            ),
        },
        "next": obj(
            {
                "action": {
                    "type": "string",
                    "enum": ["end", "shoot_off", "closer", "none"],
                    "description": (
                        "What is due: an end, a shoot-off arrow, saying who was"
                        " closer, or nothing (the match is over)."
                    ),
                },
                "end": nullable(INTEGER),
                "arrows": INTEGER,
                "labels": {"type": "array", "items": STRING},
            }
        ),
        "archer_handicap": nullable(
            {
                "type": "number",
                "description": "The handicap your arrows so far earn.",
            }
        ),
        "seed": nullable(
            {
                "type": "integer",
                "description": (
                    "Shown once the match is over (it fixes the ghost's arrows)."
                ),
            }
        ),
        "share_url": nullable(
            {"type": "string", "description": "Once over: a link to replay the ghost."}
        ),
        "links": obj({"self": STRING, "page": STRING, "odds": STRING}),
    }
)

ODDS: Schema = obj(
    {
        "win": {
            "type": "number",
            "description": "Your chance of winning from here (a tie counts half).",
        },
        "loss": {"type": "number", "description": "1 - win."},
        "shoot_off": {
            "type": "number",
            "description": (
                "The chance it goes to a shoot-off (a ranking round: of a tie)."
            ),
        },
        "archer_handicap": nullable(
            {
                "type": "number",
                "description": "The level the odds take you to shoot at.",
            }
        ),
        "needed": obj(
            {
                "to_win_set": nullable(INTEGER),
                "to_stay_in": nullable(INTEGER),
                "to_win_match": nullable(INTEGER),
                "arrows_left": INTEGER,
            },
            required=[],
            description=(
                "The totals that win half the time: this set's (a set match), or"
                " over the arrows left (a cumulative match)."
            ),
        ),
        "status": MATCH["properties"]["status"],
        "version": INTEGER,
    }
)

HISTORY_ITEM: Schema = obj(
    {
        "id": STRING,
        "kind": STRING,
        "round_code": STRING,
        "half": BOOLEAN,
        "what": {"type": "string", "description": "What was shot, in words."},
        "bow": nullable(STRING),
        "status": STRING,
        "finished": BOOLEAN,
        "ghost_kind": nullable(STRING),
        "ghost_handicap": nullable(NUMBER),
        "archer_total": INTEGER,
        "ghost_total": INTEGER,
        "ends_shot": INTEGER,
        "arrows_shot": INTEGER,
        "max_score": nullable(INTEGER),
        "archer_handicap": nullable(NUMBER),
        "created_at": WHEN,
        "finished_at": nullable(WHEN),
        "links": obj({"self": STRING, "page": STRING}),
    }
)

HISTORY_PAGE: Schema = obj(
    {
        "matches": {"type": "array", "items": ref("HistoryItem")},
        "total": INTEGER,
        "page": INTEGER,
        "per_page": INTEGER,
        "pages": INTEGER,
    }
)

HISTORY_MATCH: Schema = obj(
    {
        "match": ref("Match"),
        "win_chances": {
            "type": "array",
            "items": obj(
                {
                    "after": {
                        "type": "string",
                        "description": "start, end 1 ..., shoot-off 1 ...",
                    },
                    "win": NUMBER,
                }
            ),
            "description": (
                "A finished match: your chance of winning before it and after each"
                " end, as the sheet showed it then (empty while it is not)."
            ),
        },
    }
)

RESPONSES = {
    "Error": ERROR,
    "Conflict": CONFLICT,
    "Archer": ARCHER,
    "Me": ME,
    "Face": FACE,
    "RoundSummary": ROUND_SUMMARY,
    "RoundList": ROUND_LIST,
    "Round": ROUND,
    "Preset": PRESET,
    "PresetList": PRESET_LIST,
    "GhostKinds": GHOST_KINDS,
    "Ghost": GHOST,
    "RoundRef": ROUND_REF,
    "GhostPreview": GHOST_PREVIEW,
    "Tally": TALLY,
    "Match": MATCH,
    "Odds": ODDS,
    "HistoryItem": HISTORY_ITEM,
    "HistoryPage": HISTORY_PAGE,
    "HistoryMatch": HISTORY_MATCH,
}

#: Every named schema the document lists under ``components.schemas``.
COMPONENTS: dict[str, Schema] = {**REQUEST_BODIES, **RESPONSES}
