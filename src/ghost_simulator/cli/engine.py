"""``ghost-sim`` commands that call the engine: rounds, presets, ghost,
simulate and odds. For scripting and tests as much as for people: every
command has ``--json``.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import secrets
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.shell_completion import CompletionItem

from ..engine.constants import (
    BOWS,
    CURRENT_MODEL,
    DEFAULT_SCHEME,
    MAX_SEED,
    SCHEMES,
)
from .common import CONTEXT_SETTINGS, echo_table
from .files import is_stdout, output_file

if TYPE_CHECKING:
    from ..engine import Ghost, Round

F = TypeVar("F", bound=Callable[..., Any])


def _engine_errors() -> tuple[type[Exception], ...]:
    from ..engine import GhostError, HandicapError, MatchError, RoundError

    return (GhostError, HandicapError, MatchError, RoundError)


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


def emit(data: Any, as_json: bool, text: Callable[[], None]) -> None:
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        text()


#: ``--scheme`` for a command that simulates on one handicap scheme.
SCHEME_OPTION = click.option(
    "--scheme",
    type=click.Choice(SCHEMES),
    default=DEFAULT_SCHEME,
    show_default=True,
    help="The handicap scheme.",
)


def round_options(f: F) -> F:
    f = click.option(
        "--half", is_flag=True, help="Shoot only the first half of the round."
    )(f)
    return f


@dataclass(frozen=True)
class GhostOptions:
    """The ghost as the command line defined it (built once the round is known)."""

    handicap: float | None
    score: float | None
    preset: str | None
    min_end: int | None
    max_end: int | None
    scheme: str
    form: float | None
    bow: str
    steady: bool
    model: int


GHOST_FIELDS = tuple(f.name for f in fields(GhostOptions))


def ghost_options(f: F) -> F:
    """How the ghost is defined: exactly one of handicap, score, preset, min/max,
    with its bow and model; the command receives them as one ``ghost_options``
    argument."""
    options = [
        click.option("--handicap", type=float, help="The ghost's handicap."),
        click.option(
            "--score",
            type=float,
            help="A score to beat: the ghost's expected score on the round.",
        ),
        click.option(
            "--preset",
            metavar="NAME",
            type=PresetType(),
            help="A preset ghost (see 'presets').",
        ),
        click.option(
            "--min-end",
            type=int,
            help="The original app's ghost: least points per end (with --max-end).",
        ),
        click.option(
            "--max-end", type=int, help="Most points per end (with --min-end)."
        ),
        click.option(
            "--scheme",
            type=click.Choice(SCHEMES, case_sensitive=False),
            default=DEFAULT_SCHEME,
            show_default=True,
            help="Handicap scheme.",
        ),
        click.option(
            "--bow",
            type=click.Choice(BOWS),
            default="recurve",
            show_default=True,
            help="The bow: compound scores only the inner ten as 10 indoors.",
        ),
        click.option(
            "--form",
            type=click.FloatRange(min=0),
            help="Day-to-day variation of the ghost's handicap (standard deviation,"
            " handicap points). [default: by the bow, 4.0 Archery GB points,"
            " compound 2.5; 3.0 and 2.25 with --model 2; 2.0 with --model 1]",
        ),
        click.option(
            "--steady",
            is_flag=True,
            help="A steady ghost: no form, no drift, no bad arrows (the plain"
            " handicap model, whose mean scores are the published tables').",
        ),
        click.option(
            "--model",
            type=click.IntRange(1, CURRENT_MODEL),
            default=CURRENT_MODEL,
            show_default=True,
            help="Ghost model version: 1 replays ghosts made before version 2"
            " (form only, 2.0 points), 2 those made before version 3 (less form,"
            " more drift).",
        ),
    ]

    @functools.wraps(f)
    def gather(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in GHOST_FIELDS}
        if values["steady"] and values["form"] is not None:
            raise click.UsageError(
                "--steady and --form cannot be used together: a steady ghost has"
                " no day-to-day form."
            )
        if values["score"] is not None and values["score"] <= 0:
            raise click.BadParameter(
                f"{values['score']:g} is no score to beat: give a total above 0.",
                param_hint="'--score'",
            )
        return f(*args, ghost_options=GhostOptions(**values), **kwargs)

    command = gather
    for option in reversed(options):
        command = option(command)
    return command  # type: ignore[return-value]


class PresetType(click.ParamType):
    """A preset's name: completed in the shell, and a near miss gets a "did
    you mean"."""

    name = "preset"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        import difflib

        from ..engine import all_presets

        names = list(all_presets())
        if value in names:
            return str(value)
        close = difflib.get_close_matches(str(value), names, n=3)
        hint = f" Did you mean {' or '.join(repr(n) for n in close)}?" if close else ""
        self.fail(
            f"Unknown preset {value!r}.{hint} 'ghost-sim presets' lists them all.",
            param,
            ctx,
        )

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from ..engine import all_presets

        return [
            CompletionItem(name)
            for name in all_presets()
            if name.startswith(incomplete)
        ]


def complete_round(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Round codenames for the shell, each with its name."""
    from ..engine.rounds import rounds_table, search_rounds

    return [
        CompletionItem(str(row["codename"]), help=str(row["name"]))
        for row in rounds_table(search_rounds(None))
        if str(row["codename"]).startswith(incomplete.lower())
    ]


def describe_ghost(ghost: Ghost, rnd: Round) -> str:
    """The ghost's label, naming a match's round as a person would (not by
    its internal codename)."""
    label = ghost.label
    if ghost.kind == "score" and rnd.codename.startswith("match_"):
        label = label.replace(
            f" on {rnd.codename}", f" over the match's {rnd.arrows} arrows"
        )
    return label


def build_ghost(rnd: Round, options: GhostOptions, *, match: bool = False) -> Ghost:
    """One ghost from the options, or a usage error naming what is wrong."""
    from ..engine import Ghost, get_preset

    handicap, score, preset = options.handicap, options.score, options.preset
    min_end, max_end = options.min_end, options.max_end
    scheme, form = options.scheme, options.form
    model = {"bow": options.bow, "model": options.model, "steady": options.steady}
    chosen = [
        name
        for name, value in (
            ("--handicap", handicap),
            ("--score", score),
            ("--preset", preset),
            ("--min-end/--max-end", min_end if min_end is not None else max_end),
        )
        if value is not None
    ]
    if len(chosen) != 1:
        got = f" (got {' and '.join(chosen)})" if chosen else ""
        raise click.UsageError(
            "Define the ghost with exactly one of --handicap, --score, --preset or"
            f" --min-end with --max-end{got}."
        )
    try:
        if handicap is not None:
            return Ghost.from_handicap(handicap, scheme, form, **model)
        if score is not None:
            return Ghost.from_score(rnd, score, scheme, form, **model)
        if preset is not None:
            del model["bow"]  # a preset shoots with its own bow
            return get_preset(preset).ghost(scheme, form, **model)
        if min_end is None or max_end is None:
            raise click.UsageError("--min-end and --max-end go together.")
        return Ghost.from_min_max(
            min_end,
            max_end,
            rnd=rnd,
            outdoor_ranking=not match and rnd.location == "outdoor",
            model=options.model,
        )
    except _engine_errors() as exc:
        raise _fail(exc) from None


def resolve_round(name: str, bow: str, half: bool) -> Round:
    from ..engine import get_round

    try:
        return get_round(name, bow=bow, half=half)
    except _engine_errors() as exc:
        raise _fail(exc) from None


def _seed(seed: int | None) -> int:
    return secrets.randbits(63) if seed is None else seed


SEED_OPTION = click.option(
    "--seed",
    type=click.IntRange(0, MAX_SEED),
    help="Seed for the ghost's arrows: the same seed replays the same arrows."
    " [default: random, and printed]",
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def register(cli: click.Group) -> None:
    cli.add_command(rounds_command)
    cli.add_command(presets_command)
    cli.add_command(ghost_command)
    cli.add_command(simulate_command)
    cli.add_command(odds_command)


@click.command("rounds", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--search", metavar="TEXT", help="Only rounds whose name has these words."
)
@JSON_OPTION
def rounds_command(search: str | None, as_json: bool) -> None:
    """List the rounds: codename, name, arrows, ends and maximum score."""
    from ..engine.rounds import rounds_table, search_rounds

    rows = rounds_table(search_rounds(search))

    def text() -> None:
        if not rows:
            click.echo("No round matches.")
            return
        echo_table(
            ("ROUND", "ARROWS", "ENDS", "MAX", "NAME"),
            [
                (
                    str(r["codename"]),
                    str(r["arrows"]),
                    f"{r['ends']} of {r['end_size']}",
                    str(r["max_score"]),
                    str(r["name"]),
                )
                for r in rows
            ],
            right=frozenset({1, 2, 3}),
        )

    emit(rows, as_json, text)


@click.command("presets", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--scheme",
    type=click.Choice(SCHEMES, case_sensitive=False),
    default=DEFAULT_SCHEME,
    show_default=True,
    help="Scheme for the handicaps shown.",
)
@JSON_OPTION
def presets_command(scheme: str, as_json: bool) -> None:
    """List the preset ghosts: championship levels, records, the perfect ghost."""
    from ..engine import all_presets

    try:
        rows = [p.to_dict(scheme) for p in all_presets().values()]
    except _engine_errors() as exc:
        raise _fail(exc) from None

    def text() -> None:
        echo_table(
            ("PRESET", "HANDICAP", "DESCRIPTION"),
            [
                (
                    str(r["name"]),
                    f"{r['handicap']:.1f}" if "handicap" in r else "-",
                    str(r["description"]),
                )
                for r in rows
            ],
            right=frozenset({1}),
        )

    emit(rows, as_json, text)


GHOST_EXAMPLES = """\b
Examples:
  ghost-sim ghost wa18 --handicap 40
  ghost-sim ghost wa720_70 --score 620 --seed 12
  ghost-sim ghost wa18 --preset perfect
  ghost-sim ghost wa18 --min-end 24 --max-end 28 --half
  ghost-sim ghost "WA 70m" --handicap 30 --steady --json
"""


@click.command("ghost", context_settings=CONTEXT_SETTINGS, epilog=GHOST_EXAMPLES)
@click.argument("round_name", metavar="ROUND", shell_complete=complete_round)
@ghost_options
@round_options
@SEED_OPTION
@JSON_OPTION
def ghost_command(
    round_name: str,
    ghost_options: GhostOptions,
    half: bool,
    seed: int | None,
    as_json: bool,
) -> None:
    """Let the ghost shoot one ROUND, end by end.

    ROUND is a codename or name from 'ghost-sim rounds' (e.g. wa18, "WA 70m").
    """
    rnd = resolve_round(round_name, ghost_options.bow, half)
    ghost = build_ghost(rnd, ghost_options)
    shot = ghost.shoot(rnd, _seed(seed))
    data = shot.to_dict()

    def text() -> None:
        click.echo(f"{rnd.name} ({rnd.codename}): {rnd.describe()}")
        today = data["handicap_today"]
        click.echo(
            f"Ghost: {describe_ghost(ghost, rnd)}"
            + (f"; on the day {today:.1f}" if today is not None else "")
            + f"; seed {data['seed']}"
        )
        running = data["running_totals"]
        for number, (end, total) in enumerate(zip(shot.ends, running, strict=True), 1):
            click.echo(
                f"End {number:>2}: {' '.join(f'{a:>2}' for a in end.labels)}"
                f"   {end.total:>3}  {total:>4}"
            )
        click.echo(
            f"Total {data['total']} of {data['max_score']}"
            f"  10s {data['tens']}  Xs {data['xs']}  hits {data['hits']}"
        )

    emit(data, as_json, text)


SIMULATE_EXAMPLES = """\b
Examples:
  ghost-sim simulate wa18 --handicap 40
  ghost-sim simulate wa720_70 --score 600 --runs 100000 --seed 7
  ghost-sim simulate wa1440_90 --preset outdoor-recurve-senior-men -o rounds.csv
  ghost-sim simulate wa18 --handicap 40 --json | jq .percentiles
"""


@click.command("simulate", context_settings=CONTEXT_SETTINGS, epilog=SIMULATE_EXAMPLES)
@click.argument("round_name", metavar="ROUND", shell_complete=complete_round)
@ghost_options
@round_options
@click.option(
    "--runs",
    type=click.IntRange(1, 1_000_000),
    default=10_000,
    show_default=True,
    help="How many rounds to shoot.",
)
@SEED_OPTION
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write every simulated round to this CSV file ('-': standard output):"
    " run, total, tens, xs, then end_1 ... end_N (each end's total). The file"
    " appears whole when the runs are done, never half-written.",
)
@JSON_OPTION
def simulate_command(
    round_name: str,
    ghost_options: GhostOptions,
    half: bool,
    runs: int,
    seed: int | None,
    output: str | None,
    as_json: bool,
) -> None:
    """Let the ghost shoot ROUND many times: the mean and standard deviation of
    its totals, next to the exact expected score. A progress bar shows on
    standard error when it is a terminal."""
    from ..engine.ghost import simulate_batches
    from ..engine.odds import ghost_round_pmf, mean_std

    if output is not None and as_json and is_stdout(output):
        raise click.UsageError(
            "--json and --output - would both write to standard output."
        )
    rnd = resolve_round(round_name, ghost_options.bow, half)
    ghost = build_ghost(rnd, ghost_options)
    seed = _seed(seed)
    with contextlib.ExitStack() as stack:
        writer = None
        if output is not None:
            writer = csv.writer(
                stack.enter_context(output_file(output)), lineterminator="\n"
            )
        tally = _shoot_runs(
            simulate_batches(ghost, rnd, runs, seed), runs, writer, stack
        )
    expected, expected_std = mean_std(ghost_round_pmf(ghost, rnd))
    data = _simulation_data(ghost, rnd, seed, runs, tally, expected, expected_std)

    def text() -> None:
        echo = functools.partial(
            click.echo, err=output is not None and is_stdout(output)
        )
        model = f", model {ghost.model}" if ghost.shoots_arrows else ""
        echo(
            f"{rnd.name}: {_plural(runs, 'round')} by the ghost"
            f" ({describe_ghost(ghost, rnd)}{model}), seed {seed}"
        )
        echo(
            f"Mean {data['mean']:.1f} (exact {expected:.1f}), standard deviation"
            f" {data['std']:.1f} (exact {expected_std:.1f}), lowest {data['min']},"
            f" highest {data['max']}"
        )
        p = data["percentiles"]
        echo(
            f"Middle half {p['25']:.0f} to {p['75']:.0f}; 9 in 10 between"
            f" {p['5']:.0f} and {p['95']:.0f}"
        )
        if output is not None and not is_stdout(output):
            echo(f"Wrote {_plural(runs, 'round')} to {output}.")

    emit(data, as_json, text)


@dataclass
class _Tally:
    """What the summary needs of every round: totals, and sums of 10s and Xs."""

    totals: Any
    tens: int = 0
    xs: int = 0


def _shoot_runs(
    batches: Iterator[Any],
    runs: int,
    writer: Any,
    stack: contextlib.ExitStack,
) -> _Tally:
    """Shoot the batches, writing each one's rows as it comes (never every
    round at once), with a progress bar on a terminal's standard error."""
    import numpy as np

    totals = []
    tens = xs = done = 0
    bar = None
    if sys.stderr.isatty():
        bar = stack.enter_context(
            click.progressbar(
                length=runs,
                label=f"Shooting {_plural(runs, 'round')}",
                file=sys.stderr,
            )
        )
    try:
        for batch in batches:
            count = len(batch.totals)
            if writer is not None and not done:
                ends = batch.ends.shape[1]
                writer.writerow(
                    ["run", "total", "tens", "xs"]
                    + [f"end_{i}" for i in range(1, ends + 1)]
                )
            if writer is not None:
                writer.writerows(
                    [run, total, ten, x, *ends]
                    for run, total, ten, x, ends in zip(
                        range(done + 1, done + count + 1),
                        batch.totals.tolist(),
                        batch.tens.tolist(),
                        batch.xs.tolist(),
                        batch.ends.tolist(),
                        strict=True,
                    )
                )
            totals.append(batch.totals)
            tens += int(batch.tens.sum())
            xs += int(batch.xs.sum())
            done += count
            if bar is not None:
                bar.update(count)
    except _engine_errors() as exc:
        raise _fail(exc) from None
    return _Tally(np.concatenate(totals), tens, xs)


def _simulation_data(
    ghost: Ghost,
    rnd: Round,
    seed: int,
    runs: int,
    tally: _Tally,
    expected: float,
    expected_std: float,
) -> dict[str, Any]:
    import numpy as np

    totals = tally.totals
    variability = ghost.variability()
    return {
        "round": rnd.codename,
        "ghost": ghost.label,
        "handicap": ghost.handicap,
        "scheme": ghost.scheme,
        "model": ghost.model,
        "steady": ghost.steady,
        "variability": variability.to_dict(),
        "base_handicap": (
            ghost.base_handicap(rnd) if ghost.handicap is not None else None
        ),
        "form": variability.form,
        "seed": seed,
        "runs": runs,
        "mean": float(totals.mean()),
        "std": float(totals.std()),
        "min": int(totals.min()),
        "max": int(totals.max()),
        "percentiles": {
            str(p): float(np.percentile(totals, p)) for p in (5, 25, 50, 75, 95)
        },
        "expected": expected,
        "expected_std": expected_std,
        "mean_tens": tally.tens / runs,
        "mean_xs": tally.xs / runs,
    }


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


ODDS_EXAMPLES = """\b
Examples:
  ghost-sim odds --set --archer-handicap 35 --handicap 30
  ghost-sim odds --cumulative --bow compound --indoor --archer-handicap 20 --score 140
  ghost-sim odds --round wa720_70 --archer-handicap 40 --preset perfect
"""


def format_options(function: F) -> F:
    """--set, --cumulative, --round ROUND and --indoor: what is shot (see
    :func:`chosen_format`)."""
    for option in reversed(
        [
            click.option(
                "--set", "set_match", is_flag=True, help="A set-system match."
            ),
            click.option(
                "--cumulative", is_flag=True, help="A cumulative (compound) match."
            ),
            click.option(
                "--round",
                "round_name",
                metavar="ROUND",
                shell_complete=complete_round,
                help="A ranking round.",
            ),
            click.option(
                "--indoor", is_flag=True, help="Matches: shoot at 18 m indoors."
            ),
        ]
    ):
        function = option(function)
    return function


def chosen_format(
    set_match: bool, cumulative: bool, round_name: str | None, indoor: bool
) -> str:
    """ "set", "cumulative" or "ranking", from :func:`format_options`' flags,
    or a usage error naming what does not go together."""
    if set_match and cumulative:
        raise click.UsageError(
            "--set and --cumulative cannot be used together: a match is one or"
            " the other."
        )
    if round_name is not None and indoor:
        raise click.UsageError(
            "--round and --indoor cannot be used together: --indoor is for"
            " matches (a round is indoors or out by itself)."
        )
    if (set_match or cumulative) == (round_name is not None):
        raise click.UsageError("Choose one of --set, --cumulative or --round ROUND.")
    return "set" if set_match else "cumulative" if cumulative else "ranking"


@click.command("odds", context_settings=CONTEXT_SETTINGS, epilog=ODDS_EXAMPLES)
@format_options
@click.option(
    "--archer-handicap", type=float, required=True, help="The archer's handicap."
)
@click.option(
    "--archer-steady",
    is_flag=True,
    help="The archer shoots the plain handicap model (no form, no drift, no bad"
    " arrows). Without it the archer is as unsteady as a ghost of their bow and"
    " level.",
)
@ghost_options
@round_options
@JSON_OPTION
def odds_command(
    set_match: bool,
    cumulative: bool,
    round_name: str | None,
    indoor: bool,
    archer_handicap: float,
    archer_steady: bool,
    ghost_options: GhostOptions,
    half: bool,
    as_json: bool,
) -> None:
    """The archer's exact chances against the ghost, in a match or a round.

    The archer and the ghost are modelled alike: two of the same level have
    even chances. For a match, --score is the ghost's expected total over the
    match's 15 arrows. Win and loss add up to 1; shoot_off is the chance of
    needing one.
    """
    from ..engine import handicaps, match_round, odds

    kind = chosen_format(set_match, cumulative, round_name, indoor)
    system = None if kind == "ranking" else kind
    if round_name is not None:
        rnd = resolve_round(round_name, ghost_options.bow, half)
    else:
        if half:
            raise click.UsageError("--half is for rounds, not matches.")
        try:
            rnd = match_round(ghost_options.bow, indoor)
        except _engine_errors() as exc:
            raise _fail(exc) from None
    ghost = build_ghost(rnd, ghost_options, match=system is not None)
    try:
        scheme = ghost_options.scheme
        handicaps.check_handicap(archer_handicap, scheme)
        if round_name is not None:
            result = odds.round_odds(
                rnd, archer_handicap, ghost, scheme, steady=archer_steady
            )
        else:
            opponents = odds.Opponents(
                rnd.distances[0], archer_handicap, scheme, ghost.bow, archer_steady
            )
            compute = (
                odds.set_match_odds if system == "set" else odds.cumulative_match_odds
            )
            result = compute(opponents, ghost)
    except _engine_errors() as exc:
        raise _fail(exc) from None
    data = {
        **result.to_dict(),
        "system": system or "ranking",
        "round": rnd.codename,
        "archer_handicap": archer_handicap,
        "archer_steady": archer_steady,
        "ghost": ghost.label,
        "scheme": scheme,
    }

    def text() -> None:
        what = rnd.name if round_name else f"{system} match ({rnd.name})"
        steadily = " (steady)" if archer_steady else ""
        click.echo(
            f"{what}: archer at handicap {archer_handicap:g}{steadily} against"
            f" {describe_ghost(ghost, rnd)}"
        )
        click.echo(
            f"Win {result.win:.1%}   lose {result.loss:.1%}   "
            + (
                f"tie on total {result.shoot_off:.1%}"
                if round_name
                else f"shoot-off {result.shoot_off:.1%}"
            )
        )

    emit(data, as_json, text)
