"""The house's one direction of imports (docs/developers/design.md): web, api
and cli → services → store → engine. Read from the source, so a module that
imports against the flow fails here before anyone reads it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ghost_simulator

pytestmark = pytest.mark.database_agnostic

PACKAGE = Path(ghost_simulator.__file__).parent

#: What each room may not import (a room: a folder of the package).
FORBIDDEN = {
    "engine": ("web", "cli", "services", "store", "flask", "sqlalchemy"),
    "store": ("web", "cli", "services"),
    "services": ("web", "cli"),
}
#: The web areas: none imports another's views (``common`` and ``api`` are
#: shared helpers and an area of their own that imports no page module).
AREAS = ("play", "history", "training", "account", "ladder")


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, as a dotted name from the package's root
    (``ghost_simulator.x.y``) or a third party's (``flask``)."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if path.name == "__init__.py":
        module = module.rsplit(".", 1)[0]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            names.add(stem)
            names.update(f"{stem}.{alias.name}" for alias in node.names)
    return names


def _room_files(room: str) -> list[Path]:
    return sorted((PACKAGE / room).rglob("*.py"))


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_imports_flow_one_way(room: str) -> None:
    wrong = []
    for path in _room_files(room):
        for name in sorted(_imports(path)):
            for other in FORBIDDEN[room]:
                inside = f"ghost_simulator.{other}"
                ours = name == inside or name.startswith(inside + ".")
                theirs = name.split(".")[0] == other  # flask, sqlalchemy
                if ours or theirs:
                    wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_no_page_area_imports_another() -> None:
    wrong = []
    for area in (*AREAS, "api"):
        for path in _room_files(f"web/{area}"):
            for name in _imports(path):
                for other in AREAS:
                    inside = f"ghost_simulator.web.{other}"
                    if other != area and (
                        name == inside or name.startswith(inside + ".")
                    ):
                        wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not wrong, "\n".join(sorted(wrong))


def test_relative_imports_resolve_to_the_package() -> None:
    """The reading itself: relative imports resolve to the package's names."""
    names = _imports(PACKAGE / "services" / "play.py")
    assert any(name.startswith("ghost_simulator.store") for name in names)
    assert any(name.startswith("ghost_simulator.engine") for name in names)
