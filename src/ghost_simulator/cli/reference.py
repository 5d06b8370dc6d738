"""The command reference in the README, generated from the commands' own
``--help``: every command and subcommand, walked from the root, so a new one
cannot be left out. ``tests/test_readme.py`` fails when the README drifts.

Regenerate it with: python -m ghost_simulator.cli.reference [README.md]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from click.testing import CliRunner

START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"
#: The width the README's help is wrapped at.
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
    from . import cli

    with click.Context(cli, info_name="ghost-sim") as ctx:
        paths = list(command_paths(cli, ctx))
    parts = []
    for path in paths:
        title = " ".join(["ghost-sim", *path])
        parts.append(f"### `{title}`\n\n```text\n{help_text(list(path))}\n```")
    return "\n\n".join(parts)


def reference_span(text: str) -> re.Match[str] | None:
    return re.search(re.escape(START) + r"(.*?)" + re.escape(END), text, re.S)


def update(readme: Path) -> bool:
    """Rewrite the reference between the markers; True if it changed."""
    text = readme.read_text(encoding="utf-8")
    span = reference_span(text)
    if span is None:
        raise SystemExit(f"{readme} has no {START} ... {END} section")
    new = text[: span.start()] + f"{START}\n{render_reference()}\n{END}"
    new += text[span.end() :]
    if new == text:
        return False
    readme.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    changed = update(target)
    print(f"{target}: command reference {'updated' if changed else 'up to date'}")
