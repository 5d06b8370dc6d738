"""The engine's and the store's objects as the API's answers (the models of
``models.answers``, which the OpenAPI document publishes).

Presentation only, as ``services.sheets`` is for the pages: figures come from
the engine (totals, set points, verdicts, odds) and are only arranged here. A
match's state shows what ``services.play.visible`` lets its viewer see: the
ghost's ends already shot and nothing of the ones to come (not its later
arrows, not a replayed round's, not the seed that fixes them until the match
is over).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import url_for
from pydantic import TypeAdapter

from ...engine import Match
from ...engine.faces import Face
from ...engine.rounds import Distance, Round
from ...engine.scoring import Tally
from ...services import play
from ...services.labels import ghost_line, preset_label
from ...services.setups import COMMON_ROUNDS
from ...services.sheets import end_rows
from ..common.links import share_url
from .models import answers as a

_COMMON = frozenset(code for codes in COMMON_ROUNDS.values() for code in codes)


def when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def moment(value: datetime) -> str:
    return value.isoformat()


def face(value: Face) -> a.Face:
    return a.Face(
        system=value.system,
        name=value.name,
        diameter_cm=round(value.diameter * 100, 3),
        labels=list(value.labels),
        max_value=value.max_value,
    )


def round_code(rnd: Round) -> str:
    """The code a round is asked for by (a match format's too)."""
    return str(rnd.ref.get("codename") or rnd.codename)


def _summary_fields(rnd: Round) -> dict[str, Any]:
    code = round_code(rnd)
    return {
        "code": code,
        "name": rnd.name,
        "kind": "match" if "match" in rnd.ref else "round",
        "arrows": rnd.arrows,
        "ends": rnd.ends,
        "end_size": rnd.end_size,
        "max_score": rnd.max_score,
        "indoor": rnd.indoor,
        "location": rnd.location,
        "body": rnd.body,
        "family": rnd.family,
        "common": code in _COMMON,
    }


def round_summary(rnd: Round) -> a.RoundSummary:
    return a.RoundSummary(**_summary_fields(rnd))


def _distance(value: Distance) -> a.Distance:
    return a.Distance(
        arrows=value.arrows,
        distance=value.label,
        metres=value.metres,
        indoor=value.indoor,
        face=face(value.face),
    )


def round_detail(rnd: Round) -> a.Round:
    return a.Round(
        **_summary_fields(rnd),
        half=bool(rnd.ref.get("half")),
        bow=rnd.ref.get("bow") or rnd.ref.get("match", {}).get("bow"),
        distances=[_distance(d) for d in rnd.distances],
        end_plan=[
            a.PlannedEnd(end=number, distance=index, arrows=size)
            for number, (index, size) in enumerate(rnd.end_plan(), 1)
        ],
    )


def round_ref(rnd: Round) -> a.RoundRef:
    """What a match is shot on, in short."""
    ref = rnd.ref
    bow = ref["match"]["bow"] if "match" in ref else ref.get("bow")
    return a.RoundRef(
        code=round_code(rnd),
        name=rnd.name,
        half=bool(ref.get("half")),
        bow=bow,
        indoor=rnd.indoor,
        arrows=rnd.arrows,
        ends=rnd.ends,
        end_size=rnd.end_size,
        max_score=rnd.max_score,
    )


def ghost(value: Any) -> a.Ghost:
    """A ghost as its owner may see it: how it was defined, never what it is
    going to shoot (a replayed round's arrows stay out)."""
    source = value.source or {}
    preset = source.get("preset") if value.kind == "preset" else None
    return a.Ghost(
        kind=value.kind,
        label=ghost_line(value),
        handicap=value.handicap,
        scheme=value.scheme,
        model=value.model,
        steady=bool(value.steady),
        form=value.form,
        min_end=value.min_end,
        max_end=value.max_end,
        preset=preset,
        score=source.get("score") if value.kind == "score" else None,
        classification=source.get("classification"),
    )


def preset(value: Any, scheme: str) -> a.Preset:
    data = value.to_dict(scheme)
    return a.Preset(
        name=value.name,
        label=preset_label(value),
        description=value.description,
        kind=value.kind,
        handicap=data.get("handicap"),
        scheme=data.get("scheme"),
        bow=value.bow,
        age=value.age,
        indoor=value.indoor,
        system=value.system,
        min_score=value.min_score,
        round=value.round,
        score=value.score,
        archer=value.archer,
        year=value.year,
    )


def tally(value: Tally) -> a.Tally:
    return a.Tally(
        total=value.total,
        xs=value.xs,
        tens=value.tens,
        hits=value.hits,
        arrows=value.arrows,
    )


#: The ends of a match, read in one call (a long round has 72 of them).
_ENDS = TypeAdapter(list[a.MatchEnd])


def _ends(match: Match) -> list[a.MatchEnd]:
    shot = [end.shot for end in match.archer_ends]
    return _ENDS.validate_python(
        [
            {
                "number": row.number,
                "archer": {
                    "arrows": row.archer,
                    "total": row.archer_total,
                    "running_total": row.archer_running,
                    "in_order": (
                        list(order)
                        if row.number <= len(shot) and (order := shot[row.number - 1])
                        else None
                    ),
                },
                "ghost": {
                    "arrows": row.ghost,
                    "total": row.ghost_total,
                    "running_total": row.ghost_running,
                },
                "set_points": row.points,
            }
            for row in end_rows(match)
        ]
    )


def next_step(match: Match) -> a.NextStep:
    """What the match waits for, and the labels it takes."""
    verdict = match.verdict()
    if verdict.finished:
        return a.NextStep(action="none", end=None, arrows=0, labels=[])
    if verdict.status == "shoot_off":
        labels = list(match.shoot_off_face.labels)
        if match.shoot_offs and match.shoot_offs[-1].result is None:
            return a.NextStep(action="closer", end=None, arrows=0, labels=[])
        return a.NextStep(action="shoot_off", end=None, arrows=1, labels=labels)
    return a.NextStep(
        action="end",
        end=match.ends_shot + 1,
        arrows=match.expected_arrows(),
        labels=list(match.face_for_end(match.ends_shot).labels),
    )


def match_state(
    match_id: str, match: Match, version: int, created_at: datetime
) -> a.Match:
    """The score sheet: what the match page shows, as data."""
    verdict = match.verdict()
    shown = play.visible(match)  # the pages' rule: no seed before the end
    points = None
    if match.kind == "set":
        points = a.SetPoints(
            archer=verdict.archer_points or 0, ghost=verdict.ghost_points or 0
        )
    return a.Match(
        id=match_id,
        version=version,
        created_at=moment(created_at),
        kind=match.kind,
        status=verdict.status,
        finished=verdict.finished,
        reason=verdict.reason,
        round=round_ref(match.round),
        ghost=ghost(match.ghost),
        ends=_ends(match),
        totals=a.Totals(
            archer=tally(match.archer_tally()), ghost=tally(match.ghost_tally())
        ),
        set_points=points,
        shoot_offs=[
            a.ShootOff(
                archer=s.archer.label,
                ghost=s.ghost.label,
                closer=s.closer,
                result=s.result,
            )
            for s in match.shoot_offs
        ],
        next=next_step(match),
        archer_handicap=match.archer_handicap(),
        archer_model=a.ArcherModel(
            steady=match.archer.steady,
            form=match.archer.form,
            drift=match.archer.drift,
        ),
        seed=shown.seed,
        share_url=share_url(match) if shown.replay_link else None,
        links=a.MatchLinks(
            self=url_for("api.get_match", match_id=match_id),
            page=url_for("play.show", match_id=match_id),
            odds=url_for("api.match_odds", match_id=match_id),
        ),
    )


def history_item(row: Any, what: str) -> a.HistoryItem:
    return a.HistoryItem(
        id=row.id,
        kind=row.kind,
        round_code=row.round_code,
        half=row.half,
        what=what,
        bow=row.bow,
        status=row.status,
        finished=row.finished,
        ghost_kind=row.ghost_kind,
        ghost_handicap=row.ghost_handicap,
        archer_total=row.archer_total or 0,
        ghost_total=row.ghost_total or 0,
        set_points=a.SetPoints(archer=row.set_points[0], ghost=row.set_points[1])
        if row.set_points
        else None,
        ends_shot=row.ends_shot,
        arrows_shot=row.arrows_shot,
        max_score=row.max_score,
        archer_handicap=row.archer_handicap,
        created_at=moment(row.created_at),
        finished_at=when(row.finished_at),
        links=a.HistoryLinks(
            self=url_for("api.history_match", match_id=row.id),
            page=url_for("play.show", match_id=row.id),
        ),
    )
