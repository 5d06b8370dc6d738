"""``ghost-sim completion``: the shell's completion script, click's own.

Round codes, preset names, bows, schemes and archers' usernames complete
too (each command's arguments say how). The script calls ``ghost-sim`` with
``_GHOST_SIM_COMPLETE=<shell>_complete``: click's mechanism underneath.
"""

from __future__ import annotations

import click

from .common import CONTEXT_SETTINGS

SHELLS = ("bash", "zsh", "fish")
COMPLETION_EXAMPLES = """\b
Examples:
  eval "$(ghost-sim completion bash)"     # in ~/.bashrc
  eval "$(ghost-sim completion zsh)"      # in ~/.zshrc
  ghost-sim completion fish > ~/.config/fish/completions/ghost-sim.fish
"""


def register(cli: click.Group) -> None:
    cli.add_command(completion_command)


@click.command(
    "completion",
    context_settings=CONTEXT_SETTINGS,
    epilog=COMPLETION_EXAMPLES,
    short_help="Print the shell completion script for bash, zsh or fish.",
)
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion_command(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL (bash, zsh or fish): commands,
    options, round codes, presets, bows and archers' usernames complete on
    Tab. Load it from the shell's start-up file, as the examples show."""
    from click.shell_completion import get_completion_class

    complete = get_completion_class(shell)
    assert complete is not None  # one of SHELLS
    root = ctx.find_root()
    script = complete(
        root.command, {}, root.info_name or "ghost-sim", "_GHOST_SIM_COMPLETE"
    )
    click.echo(script.source())
