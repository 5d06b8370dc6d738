"""``ghost-sim archers``: the accounts on this server, for whoever runs it.

List, create and delete accounts, reset a forgotten password, and move an
archer's data with the same JSON export the settings page offers. Each
command opens the app's database the way ``ghost-sim serve`` would
(``--data-dir``, ``--database-url``); every error is one line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, BinaryIO

import click
from click.shell_completion import CompletionItem

from ..engine.constants import BOWS, SCHEMES
from ..errors import GhostSimError
from .common import (
    CONTEXT_SETTINGS,
    check_schema,
    data_options,
    missing_database,
    overrides,
    require_database,
)
from .files import is_stdout, output_file

if TYPE_CHECKING:
    from flask import Flask

    from ..store.models import Archer

JSON_OPTION = click.option(
    "--json", "as_json", is_flag=True, help="Print the archers as JSON."
)
PASSWORD_STDIN_OPTION = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of"
    " asking for it (for scripts).",
)


def complete_username(
    ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The archers' usernames, for the shell: from an existing database only
    (completing never creates one), and nothing when it cannot be read."""
    from .. import create_app
    from ..config import load_settings
    from ..store import archers

    try:
        given = overrides(ctx)
        if missing_database(load_settings(given)) is not None:
            return []
        with create_app(given).app_context():
            names = [archer.username for archer, _ in archers.all_archers()]
    except Exception:  # a completion never fails loudly
        return []
    return [
        CompletionItem(n) for n in names if n.lower().startswith(incomplete.lower())
    ]


def register(cli: click.Group) -> None:
    cli.add_command(archers_group)


ARCHERS_EXAMPLES = """\b
Examples:
  ghost-sim archers list
  ghost-sim archers create robin --email robin@example.org
  printf '%s\\n' "$PASSWORD" | ghost-sim archers create robin --password-stdin
  ghost-sim archers reset-password robin
  ghost-sim archers export robin -o robin.json
  ghost-sim archers import robin robin.json --data-dir /srv/ghost-simulator
  ghost-sim archers delete robin --yes
  ghost-sim archers spread robin --round wa18
  ghost-sim archers pressure robin --bow recurve
"""


@click.group("archers", context_settings=CONTEXT_SETTINGS, epilog=ARCHERS_EXAMPLES)
def archers_group() -> None:
    """Archers' accounts: list, create, reset a password, delete, export and
    import their data, how much each varies (spread) and how each shoots
    under pressure."""


# -- the database ----------------------------------------------------------------


def _database_failed(app: Flask | None, exc: Exception) -> click.ClickException:
    from ..store import get_engine, masked

    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    where = f" {masked(get_engine(app).url)}" if app is not None else ""
    return click.ClickException(f"Cannot use the database{where}: {reason}")


@contextmanager
def _app_context(ctx: click.Context) -> Iterator[Flask]:
    """The app with this command line's settings, its context pushed; database
    trouble becomes one line."""
    from sqlalchemy.exc import SQLAlchemyError

    from .. import create_app

    require_database(ctx)
    app = None
    try:
        app = create_app(overrides(ctx))
        if not app.config["AUTO_UPGRADE"]:
            check_schema(app)
        with app.app_context():
            yield app
    except GhostSimError as exc:
        raise click.ClickException(str(exc)) from None
    except SQLAlchemyError as exc:
        raise _database_failed(app, exc) from None


def _find(username: str) -> Archer:
    from ..store import archers

    archer = archers.by_login(username)
    if archer is None:
        raise click.ClickException(
            f"There is no archer {username!r}. 'ghost-sim archers list' lists them."
        )
    return archer


def _new_password(username: str, from_stdin: bool) -> str:
    from ..passwords import PasswordError, check_rule

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException("No password on standard input.")
    else:
        import getpass
        import warnings

        with warnings.catch_warnings():
            # getpass falls back to an echoing prompt (and warns) when there
            # is no terminal to hide the password on: refuse instead.
            warnings.simplefilter("error", getpass.GetPassWarning)
            try:
                password = click.prompt(
                    "Password",
                    hide_input=True,
                    confirmation_prompt="Repeat the password",
                )
            except getpass.GetPassWarning:
                raise click.ClickException(
                    "No terminal to ask for the password on: use --password-stdin"
                    " (the password on the first line of standard input)."
                ) from None
    try:
        check_rule(password, username)
    except PasswordError as exc:
        raise click.ClickException(str(exc)) from None
    return password


def _matches(count: int) -> str:
    return f"{count} match" if count == 1 else f"{count} matches"


# -- list --------------------------------------------------------------------------


@archers_group.command("list", context_settings=CONTEXT_SETTINGS)
@JSON_OPTION
@data_options
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """List the archers: username, email, name, bow, matches and when each
    account was made."""
    from ..store import archers
    from ..store.times import aware

    with _app_context(ctx):
        rows: list[dict[str, Any]] = [
            {
                "username": archer.username,
                "email": archer.email,
                "name": archer.name,
                "bowstyle": archer.bowstyle,
                "matches": count,
                "created": aware(archer.created_at).isoformat(),
            }
            for archer, count in archers.all_archers()
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No archers yet. Create one with 'ghost-sim archers create'.")
        return
    table = [("USERNAME", "EMAIL", "NAME", "BOW", "MATCHES", "CREATED")]
    table += [
        (
            r["username"],
            r["email"] or "-",
            r["name"] or "-",
            r["bowstyle"],
            str(r["matches"]),
            r["created"][:10],
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        cells = [
            cell.rjust(w) if i == 4 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        click.echo("  ".join(cells).rstrip())


# -- create, reset-password, delete --------------------------------------------


@archers_group.command("create", context_settings=CONTEXT_SETTINGS)
@click.argument("username")
@click.option("--email", metavar="EMAIL", help="The archer's email (optional).")
@PASSWORD_STDIN_OPTION
@data_options
@click.pass_context
def create_command(
    ctx: click.Context, username: str, email: str | None, password_stdin: bool
) -> None:
    """Create an account for USERNAME: 3 to 64 letters, digits, dots, hyphens
    and underscores. Asks for the password twice, hidden."""
    from ..passwords import hash_password
    from ..services.accounts import EMAIL, EMAIL_MAX, USERNAME
    from ..store import archers

    username = username.strip()
    if not USERNAME.fullmatch(username):
        raise click.BadParameter(
            "a username has 3 to 64 characters: letters, digits, dots, hyphens"
            " and underscores.",
            param_hint="'USERNAME'",
        )
    if email is not None:
        email = email.strip().lower() or None
    if email is not None and (len(email) > EMAIL_MAX or not EMAIL.fullmatch(email)):
        raise click.BadParameter(
            f"{email!r} is not an email address.", param_hint="'--email'"
        )
    with _app_context(ctx):
        if archers.username_taken(username):
            raise click.ClickException(f"The username {username!r} is taken.")
        if email is not None and archers.email_taken(email):
            raise click.ClickException(f"The email {email} belongs to another account.")
        password = _new_password(username, password_stdin)
        try:
            archers.create(username, hash_password(password), email)
        except archers.AccountExists:
            raise click.ClickException(
                f"The username {username!r} or the email is taken."
            ) from None
    click.echo(f"Created the account {username}.")


@archers_group.command("reset-password", context_settings=CONTEXT_SETTINGS)
@click.argument("username", shell_complete=complete_username)
@PASSWORD_STDIN_OPTION
@data_options
@click.pass_context
def reset_password_command(
    ctx: click.Context, username: str, password_stdin: bool
) -> None:
    """Give USERNAME a new password (asked twice, hidden); every browser signed
    in with the old one is signed out."""
    from ..passwords import hash_password
    from ..store import archers

    with _app_context(ctx):
        archer = _find(username)
        password = _new_password(archer.username, password_stdin)
        archers.set_password_hash(archer, hash_password(password))
        name = archer.username
    click.echo(f"Changed the password of {name}.")


@archers_group.command("delete", context_settings=CONTEXT_SETTINGS)
@click.argument("username", shell_complete=complete_username)
@click.option("--yes", is_flag=True, help="Delete without asking to confirm.")
@data_options
@click.pass_context
def delete_command(ctx: click.Context, username: str, yes: bool) -> None:
    """Delete USERNAME's account, profile and every match, for good. (Export
    them first with 'ghost-sim archers export' to keep a copy.)"""
    from ..services.transfer import match_count
    from ..store import archers

    with _app_context(ctx):
        archer = _find(username)
        name = archer.username
        if not yes:
            click.confirm(
                f"Delete the account {name} and its"
                f" {_matches(match_count(archer.id))}, for good?",
                abort=True,
            )
        deleted = archers.delete_account(archer)
    click.echo(f"Deleted the account {name} and its {_matches(deleted)}.")


# -- export, import -------------------------------------------------------------


def output_option(help_text: str) -> Any:
    """``-o/--output FILE``, standard output by default."""
    return click.option(
        "-o",
        "--output",
        metavar="FILE",
        type=click.Path(dir_okay=False, allow_dash=True),
        default="-",
        show_default=True,
        help=help_text,
    )


@archers_group.command("schema", context_settings=CONTEXT_SETTINGS)
@output_option("Write the schema to this file ('-': standard output).")
def schema_command(output: str) -> None:
    """Print the JSON Schema (2020-12) of the export file: what 'ghost-sim
    archers export' writes and an import checks a file against, from the
    declaration both use. Needs no database.

    \b
    Example:
      ghost-sim archers schema -o ghost-simulator-export.schema.json
    """
    import json

    from ..services.export_file import json_schema

    with output_file(output) as stream:
        stream.write(json.dumps(json_schema(), indent=2) + "\n")


@archers_group.command("export", context_settings=CONTEXT_SETTINGS)
@click.argument("username", shell_complete=complete_username)
@output_option(
    "Write the export to this file ('-': standard output), owner-only"
    " (it holds the archer's email)."
)
@data_options
@click.pass_context
def export_command(ctx: click.Context, username: str, output: str) -> None:
    """Export USERNAME's profile and every match as JSON: the file the settings
    page downloads, which 'ghost-sim archers import' (or the settings page of
    any server) imports. Never the password."""
    from ..services import transfer

    with _app_context(ctx):
        archer = _find(username)
        document = transfer.export_archer(archer.id)
    with output_file(output, private=True) as stream:
        stream.write(transfer.dumps(document))
    if not is_stdout(output):
        click.echo(
            f"Exported {document['archer']['username']} and"
            f" {_matches(len(document['matches']))} to {output}.",
            err=True,
        )


@archers_group.command("import", context_settings=CONTEXT_SETTINGS)
@click.argument("username", shell_complete=complete_username)
@click.argument("file", type=click.File("rb"))
@data_options
@click.pass_context
def import_command(ctx: click.Context, username: str, file: BinaryIO) -> None:
    """Import FILE, a JSON export, into USERNAME's account, which must have no
    matches yet (create it first with 'ghost-sim archers create'). Every match
    is checked and replayed first: a file with any problem imports nothing.
    '-' reads standard input."""
    from ..services import transfer

    try:
        data = file.read(transfer.MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise click.FileError(file.name, str(exc)) from None
    with _app_context(ctx):
        archer = _find(username)
        name = archer.username
        try:
            count = transfer.import_archer(archer.id, data)
        except transfer.TransferError as exc:
            raise click.ClickException(f"Nothing was imported: {exc}") from None
    click.echo(f"Imported {_matches(count)} into {name}.")


# -- spread ----------------------------------------------------------------------


@archers_group.command("spread", context_settings=CONTEXT_SETTINGS)
@click.argument("username", shell_complete=complete_username)
@click.option(
    "--round",
    "round_code",
    metavar="ROUND",
    help="Also say what the spread means in this round's points (e.g. wa18).",
)
@click.option(
    "--scheme",
    type=click.Choice(SCHEMES),
    help="The handicap scheme of the figures (default: the archer's).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@data_options
@click.pass_context
def spread_command(
    ctx: click.Context,
    username: str,
    round_code: str | None,
    scheme: str | None,
    as_json: bool,
) -> None:
    """How much USERNAME varies from one day to the next (form) and within a
    day (drift), from their finished ranking rounds, shrunk toward archers of
    their level: the figures their odds and a ghost like them use."""
    from ..engine import RoundError, get_round
    from ..services import spread as spreads

    with _app_context(ctx):
        archer = _find(username)
        rnd = None
        if round_code:
            try:
                rnd = get_round(round_code, bow=archer.bowstyle or "recurve")
            except RoundError as exc:
                raise click.BadParameter(str(exc), param_hint="'--round'") from None
        found = spreads.own_spread(archer.id, scheme or archer.scheme or "AGB")
        if found is None:
            raise click.ClickException(
                f"{archer.username} has no finished ranking round yet: a spread"
                " is measured from their rounds."
            )
        data = spreads.as_dict(found, rnd)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    own = "their own" if found.own else "their level's (too few rounds)"
    click.echo(
        f"{archer.username}: level {found.level:.1f} ({found.scheme}), {found.bow}"
    )
    click.echo(
        f"  form (day to day)  {found.form:.2f}  (archers of their level"
        f" {found.population_form:.2f})"
    )
    click.echo(
        f"  drift (within day) {found.drift:.2f}  (archers of their level"
        f" {found.population_drift:.2f}): {data['streakiness']}"
    )
    click.echo(
        f"  from {found.rounds} comparable rounds ({found.weight:.0%} their own"
        f" data; {spreads.MIN_ROUNDS} needed): {own}"
    )
    if rnd is not None:
        on = data["on_round"]
        click.echo(
            f"  on {rnd.name}: about {on['mean']:.0f}, ±{on['own']:.0f} from one"
            f" day to the next (archers of their level ±{on['typical']:.0f})"
        )


# -- pressure --------------------------------------------------------------------

_VERDICTS = {
    "calmer": "calmer than their level",
    "as_level": "as their level predicts",
    "below": "below their level under pressure",
    "not_enough": "not enough yet for a verdict",
}


@archers_group.command("pressure", context_settings=CONTEXT_SETTINGS)
@click.argument("username", shell_complete=complete_username)
@click.option(
    "--round",
    "round_code",
    metavar="FORMAT",
    help="One match format only (e.g. match_recurve_outdoor).",
)
@click.option("--bow", type=click.Choice(BOWS), help="Only the matches with this bow.")
@click.option(
    "--scheme",
    type=click.Choice(SCHEMES),
    help="The handicap scheme of the levels (default: the archer's).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@data_options
@click.pass_context
def pressure_command(
    ctx: click.Context,
    username: str,
    round_code: str | None,
    bow: str | None,
    scheme: str | None,
    as_json: bool,
) -> None:
    """How USERNAME shoots under pressure: their sets at 4-4, the close last
    ends of cumulative matches and their shoot-offs, against what their own
    level predicted at each moment (a percentile: 50 is exactly their
    level)."""
    from ..services import pressure as pressures

    with _app_context(ctx):
        archer = _find(username)
        found = pressures.archer_pressure(
            archer.id,
            scheme or archer.scheme or "AGB",
            round_code=round_code,
            bow=bow,
        )
        if found is None:
            raise click.ClickException(
                f"{archer.username} has no finished elimination match"
                f"{' on ' + round_code if round_code else ''}"
                f"{' with a ' + bow if bow else ''} yet."
            )
        data = pressures.as_dict(found)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(
        f"{archer.username} under pressure ({found.matches} matches, {found.scheme})"
    )
    for name, measure, what in (
        (
            "deciding sets",
            found.sets,
            "averaged {observed:.1f}, their level {expected:.1f}",
        ),
        (
            "shoot-offs",
            found.shoot_offs,
            "won {observed:.0f}, their level {expected:.1f}",
        ),
        (
            "last arrow of a set (sets in the order shot)",
            found.last_arrows,
            "averaged {observed:.1f}, their sets' average arrow {expected:.1f}",
        ),
    ):
        if not measure.count:
            click.echo(f"  {name}: none yet")
            continue
        centile = (
            f"percentile {measure.percentile:.0f}: "
            if measure.percentile is not None and measure.enough
            else ""
        )
        click.echo(
            f"  {name}: {measure.count}, "
            + what.format(observed=measure.observed, expected=measure.expected)
            + f"; {centile}{_VERDICTS[measure.verdict]}"
        )
