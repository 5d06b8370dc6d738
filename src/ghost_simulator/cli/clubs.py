"""``ghost-sim clubs``: the clubs on this server, for whoever runs it.

List them, show one (its members with their roles, and its ghost nights),
and delete one (its members' matches stay in their history). Each command
opens the app's database the way ``ghost-sim serve`` would (``--data-dir``,
``--database-url``); every error is one line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from .archers import _app_context
from .common import CONTEXT_SETTINGS, data_options

JSON_OPTION = click.option(
    "--json", "as_json", is_flag=True, help="Print the clubs as JSON."
)

CLUBS_EXAMPLES = """\b
Examples:
  ghost-sim clubs list
  ghost-sim clubs show qJ7B-vU0x3kTQ2mZp9aLcw --json
  ghost-sim clubs delete qJ7B-vU0x3kTQ2mZp9aLcw --yes
"""


def register(cli: click.Group) -> None:
    cli.add_command(clubs_group)


@click.group("clubs", context_settings=CONTEXT_SETTINGS, epilog=CLUBS_EXAMPLES)
def clubs_group() -> None:
    """Clubs: list them, show one's members and roles, delete one."""


def _table(table: Sequence[Sequence[str]], right: tuple[int, ...] = ()) -> None:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        click.echo("  ".join(cells).rstrip())


def _club_or_fail(club_id: str) -> Any:
    from ..store import clubs

    club = clubs.load(club_id)
    if club is None:
        raise click.ClickException(
            f"There is no club {club_id[:40]!r}. 'ghost-sim clubs list' lists them."
        )
    return club


@clubs_group.command("list", context_settings=CONTEXT_SETTINGS)
@JSON_OPTION
@data_options
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """List the clubs: id, name, location, members and when each was made."""
    from ..store import clubs

    with _app_context(ctx):
        rows: list[dict[str, Any]] = [
            {
                "id": club.id,
                "name": club.name,
                "location": club.location,
                "members": size,
                "created": club.created_at.isoformat(),
            }
            for club, size in clubs.all_clubs()
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No clubs yet. Archers start them on the Clubs page.")
        return
    table = [("ID", "NAME", "LOCATION", "MEMBERS", "CREATED")]
    table += [
        (
            r["id"],
            r["name"],
            r["location"] or "-",
            str(r["members"]),
            r["created"][:10],
        )
        for r in rows
    ]
    _table(table, right=(3,))


@clubs_group.command("show", context_settings=CONTEXT_SETTINGS)
@click.argument("club_id")
@click.option("--json", "as_json", is_flag=True, help="Print the club as JSON.")
@data_options
@click.pass_context
def show_command(ctx: click.Context, club_id: str, as_json: bool) -> None:
    """Show CLUB_ID: its name, location, description, ghost nights and its
    members with their roles."""
    from ..store import clubs, leagues

    with _app_context(ctx):
        club = _club_or_fail(club_id)
        members = clubs.members(club.id)
        nights = clubs.count_nights(club.id)
        league_count = leagues.count(club.id)
        data: dict[str, Any] = {
            "id": club.id,
            "name": club.name,
            "location": club.location,
            "description": club.description,
            "created": club.created_at.isoformat(),
            "nights": nights,
            "leagues": league_count,
            "members": [
                {
                    "archer_id": m.archer_id,
                    "username": m.username,
                    "role": m.role,
                    "joined": m.joined_at.isoformat(),
                }
                for m in members
            ],
        }
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{data['name']} ({data['id']})")
    if data["location"]:
        click.echo(f"Location: {data['location']}")
    if data["description"]:
        click.echo(f"Description: {data['description']}")
    click.echo(f"Created: {data['created'][:10]}")
    click.echo(f"Ghost nights: {nights}")
    click.echo(f"Postal leagues: {league_count}")
    click.echo(f"Members: {len(members)}")
    table = [("USERNAME", "ROLE", "JOINED")]
    table += [(m["username"], m["role"], m["joined"][:10]) for m in data["members"]]
    _table(table)


@clubs_group.command("delete", context_settings=CONTEXT_SETTINGS)
@click.argument("club_id")
@click.option("--yes", is_flag=True, help="Delete without asking to confirm.")
@data_options
@click.pass_context
def delete_command(ctx: click.Context, club_id: str, yes: bool) -> None:
    """Delete CLUB_ID: the club, its members' places, its invitations and its
    ghost nights. The matches its members shot stay in their history."""
    from ..store import clubs

    with _app_context(ctx):
        club = _club_or_fail(club_id)
        size = clubs.count_members(club.id)
        if not yes:
            click.confirm(
                f"Delete the club {club.name} ({size} members), for good?",
                abort=True,
            )
        clubs.delete(club.id)
    click.echo(f"Deleted the club {club.name}.")
