"""The README's CLI reference is ``--help`` itself: this fails when they drift.

Regenerate it with: python -m tests.test_readme
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ghost_simulator.cli import cli

#: The README against --help: no database.
pytestmark = pytest.mark.database_agnostic

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"
COMMANDS = [
    [],
    ["serve"],
    ["info"],
    ["db"],
    ["db", "upgrade"],
    ["db", "current"],
    ["rounds"],
    ["presets"],
    ["ghost"],
    ["simulate"],
    ["odds"],
]
WIDTH = 88


def help_text(args: list[str]) -> str:
    result = CliRunner().invoke(
        cli, [*args, "--help"], prog_name="ghost-sim", terminal_width=WIDTH
    )
    assert result.exit_code == 0, result.output
    return result.output.rstrip()


def render_reference() -> str:
    parts = []
    for args in COMMANDS:
        title = " ".join(["ghost-sim", *args])
        parts.append(f"### `{title}`\n\n```text\n{help_text(args)}\n```")
    return "\n\n".join(parts)


def reference_span(text: str) -> re.Match[str]:
    match = re.search(re.escape(START) + r"(.*?)" + re.escape(END), text, re.S)
    assert match, f"README.md has no {START} ... {END} section"
    return match


def test_readme_cli_reference_matches_help() -> None:
    expected = render_reference()
    actual = reference_span(README.read_text(encoding="utf-8")).group(1).strip()
    assert actual == expected, "README is stale: run python -m tests.test_readme"


def test_readme_quick_start_is_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "python3 -m pip install ." in text
    assert "python3 -m pip install -e '.[test]' && python3 -m pytest" in text


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    span = reference_span(text)
    new = f"{START}\n{render_reference()}\n{END}"
    README.write_text(text[: span.start()] + new + text[span.end() :], encoding="utf-8")
    print("README.md CLI reference updated")
