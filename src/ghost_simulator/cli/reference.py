"""The command reference as plain Markdown, from the commands' own ``--help``:
every command and subcommand, walked from the root, so none is left out.

The documentation site renders its reference with mkdocs-click at build time
(``docs/developers/cli.md``); ``tests/test_docs.py`` walks the commands with
:func:`command_paths` to check that each is there. This module prints the same
reference for a terminal, an issue or a page of one's own:

    python -m ghost_simulator.cli.reference > reference.md
"""

from __future__ import annotations

from collections.abc import Iterator

import click
from click.testing import CliRunner

#: The width the help is wrapped at.
WIDTH = 88


def command_paths(
    group: click.Command, ctx: click.Context, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every command's words after ``ghost-sim``, parents first, A to Z."""
    yield path
    if isinstance(group, click.Group):
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is not None and not command.hidden:
                yield from command_paths(command, ctx, (*path, name))


def help_text(args: list[str]) -> str:
    from . import cli

    result = CliRunner().invoke(
        cli,
        [*args, "--help"],
        prog_name="ghost-sim",
        terminal_width=WIDTH,
        env={"NO_COLOR": "1"},
    )
    if result.exit_code != 0:
        raise RuntimeError(f"ghost-sim {' '.join(args)} --help: {result.output}")
    return result.output.rstrip()


def render_reference() -> str:
    """Every command's ``--help``, each under a ``### `ghost-sim ...``` title."""
    from . import cli

    with click.Context(cli, info_name="ghost-sim") as ctx:
        paths = list(command_paths(cli, ctx))
    parts = []
    for path in paths:
        title = " ".join(["ghost-sim", *path])
        parts.append(f"### `{title}`\n\n```text\n{help_text(list(path))}\n```")
    return "\n\n".join(parts)


if __name__ == "__main__":
    print(render_reference())
