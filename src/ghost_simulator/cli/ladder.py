"""``ghost-sim ladder``: a ghost ladder played out by a simulated archer."""

from __future__ import annotations

import math
from typing import Any

import click

from ..engine.constants import BOWS, MAX_SEED
from .common import CONTEXT_SETTINGS, echo_table
from .engine import (
    JSON_OPTION,
    SCHEME_OPTION,
    _engine_errors,
    _fail,
    chosen_format,
    emit,
    format_options,
)


def register(cli: click.Group) -> None:
    cli.add_command(ladder_command)


LADDER_EXAMPLES = """\b
Examples:
  ghost-sim ladder --set --level 35
  ghost-sim ladder --set --level 35 --target 30 --matches 2000 --seed 1
  ghost-sim ladder --cumulative --bow compound --indoor --level 15 --target 70
  ghost-sim ladder --round wa18 --level 50 --improve 0.1 --matches 100 --json
"""


@click.command("ladder", context_settings=CONTEXT_SETTINGS, epilog=LADDER_EXAMPLES)
@format_options
@click.option(
    "--bow",
    type=click.Choice(BOWS),
    default="recurve",
    show_default=True,
    help="The bow.",
)
@SCHEME_OPTION
@click.option(
    "--level",
    type=float,
    required=True,
    help="The simulated archer's handicap (where the ladder starts).",
)
@click.option(
    "--target",
    type=float,
    default=50.0,
    show_default=True,
    help="The share of matches the ladder aims to let the archer win, in percent"
    " (5 to 95: 30 is hard, 70 builds confidence).",
)
@click.option(
    "--matches",
    type=click.IntRange(1, 100_000),
    default=100,
    show_default=True,
    help="How many ladder matches to play.",
)
@click.option(
    "--improve",
    type=float,
    default=0.0,
    show_default=True,
    help="Handicap points the archer gets better by after every match.",
)
@click.option("--seed", type=click.IntRange(0, MAX_SEED), default=1, show_default=True)
@JSON_OPTION
def ladder_command(
    set_match: bool,
    cumulative: bool,
    round_name: str | None,
    indoor: bool,
    bow: str,
    scheme: str,
    level: float,
    target: float,
    matches: int,
    improve: float,
    seed: int,
    as_json: bool,
) -> None:
    """Play a ghost ladder out with a simulated archer and print the record.

    After every match the next ghost is the one the exact odds give the
    target win rate against the archer's level as the ladder now believes it
    (learnt from the arrows of every match, not only from winning or losing).
    The simulated archer is a ghost of the bow at --level, getting better by
    --improve after every match.
    """
    from ..engine.ladder import LadderError, LadderFormat, simulate_ladder

    kind = chosen_format(set_match, cumulative, round_name, indoor)
    refused: tuple[type[Exception], ...] = (LadderError, *_engine_errors())
    if not math.isfinite(improve):
        raise click.BadParameter(
            "give a number of handicap points.", param_hint="--improve"
        )
    share = target / 100

    def true_level(number: int) -> float:
        return level - improve * number

    try:
        fmt = LadderFormat(kind, bow, indoor, round_name, scheme)
        ladder = simulate_ladder(
            fmt, level, share, matches, seed, true_level=true_level
        )
    except refused as exc:
        raise _fail(exc) from None

    rungs = [
        {
            "match": r.number,
            "archer_level": round(true_level(r.number - 1), 2),
            "believed_level": round(r.estimate, 2),
            "ghost": r.ghost,
            "chance": round(r.chance, 4),
            "result": r.result,
            "earned": None if r.earned is None else round(r.earned, 2),
        }
        for r in ladder.rungs
    ]
    data: dict[str, Any] = {
        "format": kind,
        "round": fmt.round.codename,
        "bow": bow,
        "scheme": scheme,
        "target": share,
        "matches": matches,
        "won": sum(r.result == "won" for r in ladder.rungs),
        "lost": sum(r.result == "lost" for r in ladder.rungs),
        "tied": sum(r.result == "tied" for r in ladder.rungs),
        "win_rate": ladder.win_rate,
        "believed_level": ladder.estimate.level,
        "uncertainty": ladder.estimate.uncertainty,
        "next_ghost": ladder.next_ghost(),
        "seed": seed,
        "rungs": rungs,
    }

    def text() -> None:
        what = round_name or f"{kind} match ({fmt.round.name})"
        click.echo(
            f"Ghost ladder, {what}: an archer at handicap {level:g}"
            + (f", {improve:g} better every match" if improve else "")
            + f", aiming at {share:.0%} wins; seed {seed}"
        )
        shown = rungs if matches <= 30 else rungs[:10] + rungs[-10:]
        echo_table(
            ("match", "archer", "believed", "ghost", "chance", "result"),
            [
                (
                    str(r["match"]),
                    f"{r['archer_level']:.1f}",
                    f"{r['believed_level']:.1f}",
                    f"{r['ghost']:.1f}",
                    f"{r['chance']:.0%}",
                    str(r["result"]),
                )
                for r in shown
            ],
        )
        if len(shown) < len(rungs):
            click.echo(
                f"({len(rungs) - len(shown):,} matches in between: --json lists all)"
            )
        ties = f", {data['tied']} tied" if data["tied"] else ""
        click.echo(
            f"Won {data['won']} of {matches}{ties}: {ladder.win_rate:.1%}"
            f" (aimed at {share:.0%}). The ladder now believes handicap"
            f" {ladder.estimate.level:.1f} (± {ladder.estimate.uncertainty:.1f});"
            f" next ghost: {data['next_ghost']:.1f}."
        )

    emit(data, as_json, text)
