"""The README's CLI reference is ``--help`` itself: this fails when they drift.

Regenerate it with: python -m ghost_simulator.cli.reference
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ghost_simulator.cli.reference import (
    END,
    START,
    reference_span,
    render_reference,
    update,
)

#: The README against --help: no database.
pytestmark = pytest.mark.database_agnostic

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_cli_reference_matches_help() -> None:
    span = reference_span(README.read_text(encoding="utf-8"))
    assert span, f"README.md has no {START} ... {END} section"
    assert span.group(1).strip() == render_reference(), (
        "README is stale: run python -m ghost_simulator.cli.reference"
    )


def test_the_reference_has_every_command() -> None:
    """Walked from the root: archers and its subcommands, completion."""
    reference = render_reference()
    for title in (
        "ghost-sim archers",
        "ghost-sim archers export",
        "ghost-sim completion",
        "ghost-sim db upgrade",
        "ghost-sim simulate",
    ):
        assert f"### `{title}`" in reference


def test_readme_quick_start_is_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "python3 -m pip install ." in text
    assert "python3 -m pip install -e '.[test]' && python3 -m pytest" in text


if __name__ == "__main__":
    update(README)
    print("README.md CLI reference updated")
