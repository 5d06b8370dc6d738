"""``ghost-sim bracket``: a field's elimination bracket simulated many times."""

from __future__ import annotations

from typing import Any

import click

from ..engine.constants import BOWS, MAX_SEED
from .common import CONTEXT_SETTINGS, echo_table
from .engine import (
    JSON_OPTION,
    SCHEME_OPTION,
    _engine_errors,
    _fail,
    complete_round,
    emit,
)

#: The largest field file read (bytes): 256 archers' lines are far smaller.
LARGEST_FILE = 1_000_000


def register(cli: click.Group) -> None:
    cli.add_command(bracket_command)


BRACKET_EXAMPLES = """\b
Examples:
  ghost-sim bracket --field field.csv --round wa720_70 --bow recurve
  ghost-sim bracket --field field.csv --round wa720_50c --bow compound --runs 500
  ghost-sim bracket --field field.csv --round wa18 --runs 200 --seed 7 --json
"""


def _read(path: str) -> bytes:
    try:
        with click.open_file(path, "rb") as handle:
            data: bytes = handle.read(LARGEST_FILE + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise click.ClickException(
            f"Cannot read the field file {path}: {reason}."
        ) from None
    if len(data) > LARGEST_FILE:
        raise click.ClickException(
            f"The field file {path} is over {LARGEST_FILE:,} bytes: a field has"
            " at most 256 archers."
        )
    return data


@click.command("bracket", context_settings=CONTEXT_SETTINGS, epilog=BRACKET_EXAMPLES)
@click.option(
    "--field",
    "field_file",
    metavar="FILE",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The field: a CSV file with a header name,score (the qualification"
    " scores; other columns are ignored), 2 to 256 archers ('-': standard input).",
)
@click.option(
    "--round",
    "round_name",
    metavar="ROUND",
    required=True,
    shell_complete=complete_round,
    help="The qualification round the scores were shot on.",
)
@click.option(
    "--bow",
    type=click.Choice(BOWS),
    default="recurve",
    show_default=True,
    help="The bow (compound: cumulative matches; the others: the set system).",
)
@SCHEME_OPTION
@click.option(
    "--runs",
    type=click.IntRange(1, 10_000),
    default=100,
    show_default=True,
    help="How many times to shoot the bracket.",
)
@click.option(
    "--seed",
    type=click.IntRange(0, MAX_SEED),
    default=1,
    show_default=True,
    help="Seed for the draws and the arrows: the same seed, the same figures.",
)
@JSON_OPTION
def bracket_command(
    field_file: str,
    round_name: str,
    bow: str,
    scheme: str,
    runs: int,
    seed: int,
    as_json: bool,
) -> None:
    """Shoot a field's elimination bracket many times and print who wins.

    The field is seeded by its qualification scores (World Archery's chart,
    byes to the top seeds; its 104 chart for 57 to 104 archers, seeds 1-8
    straight to the 1/16). Each archer's true level is estimated from their
    score with the round's noise in mind (a lucky score is partly luck), and
    drawn afresh in every run (qualification and matches share the day's
    form); every match is shot out by ghosts (set system,
    or 15 arrows cumulative for compound; indoors when the round is). Prints
    each seed's share of wins, the shoot-off rate and how often the higher
    seed wins, by how far apart the seeds are.
    """
    from ..engine.competition import CompetitionError, simulate_bracket
    from ..engine.field import FieldError, read_field
    from ..engine.rounds import get_round

    refused: tuple[type[Exception], ...] = (
        FieldError,
        CompetitionError,
        *_engine_errors(),
    )
    data_bytes = _read(field_file)
    try:
        rnd = get_round(round_name, bow=bow)
        entries = read_field(data_bytes, rnd.max_score)
        figures = simulate_bracket(entries, rnd, bow, runs, seed, scheme)
    except refused as exc:
        raise _fail(exc) from None
    data: dict[str, Any] = figures.to_dict()

    def text() -> None:
        click.echo(
            f"{data['field']} archers, {rnd.name} ({bow}, {data['system']} matches"
            f"{', indoors' if rnd.indoor else ''}): {runs:,} runs, seed {seed}"
        )
        echo_table(
            ("seed", "name", "score", "level", "wins", "final"),
            [
                (
                    str(s["seed"]),
                    str(s["name"]),
                    f"{s['score']:g}",
                    f"{s['level']:.1f}",
                    f"{s['win_share']:.1%}",
                    f"{s['final_share']:.1%}",
                )
                for s in data["seeds"]
            ],
        )
        click.echo(
            f"Matches: {data['matches']['per_run']} a run, "
            f"{data['matches']['total']:,} in all; shoot-offs"
            f" {data['shoot_off_rate']:.1%}; the higher seed won"
            f" {data['higher_seed_win_rate']:.1%}."
        )
        click.echo("Higher seed's wins by seed gap:")
        for label, count in data["higher_seed_win_rate_by_gap"].items():
            rate = "-" if count["rate"] is None else f"{count['rate']:.1%}"
            click.echo(f"  {label:>6}: {rate} of {count['matches']:,} matches")
        click.echo(
            "(level: the handicap the score says once its luck is taken out;"
            " wins and final: shares of the runs)"
        )

    emit(data, as_json, text)
