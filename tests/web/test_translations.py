"""Every string marked for translation has a Spanish translation, and the
compiled catalogue shipped in the package matches its source."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import ghost_simulator

PACKAGE = Path(ghost_simulator.__file__).parent
CATALOG = PACKAGE / "translations" / "es" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
METHODS = [
    ("**.py", "python"),
    ("templates/**.html", "jinja2"),
]


@pytest.fixture(scope="module")
def po():  # type: ignore[no-untyped-def]
    with (CATALOG / "messages.po").open("rb") as fh:
        return read_po(fh)


def extracted_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), METHODS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_marked_string_is_translated(po) -> None:  # type: ignore[no-untyped-def]
    messages = extracted_messages()
    assert len(messages) > 20
    translated = {m.id for m in po if m.id and m.string}
    missing = sorted(messages - translated)
    assert missing == [], "run: pybabel extract/update, translate, pybabel compile"


def _key(value: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    """Plural forms come back as lists from one reader and tuples from the other."""
    return value if isinstance(value, str) else tuple(value)


def test_compiled_catalogue_is_up_to_date(po) -> None:  # type: ignore[no-untyped-def]
    with (CATALOG / "messages.mo").open("rb") as fh:
        mo = read_mo(fh)
    source = {_key(m.id): _key(m.string) for m in po if m.id}
    compiled = {_key(m.id): _key(m.string) for m in mo if m.id}
    assert compiled == source, (
        "run: pybabel compile -d src/ghost_simulator/translations"
    )
