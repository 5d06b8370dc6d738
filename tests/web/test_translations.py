"""Every string marked for translation has a Spanish translation, each
translation carries exactly the placeholders of its original, and the compiled
catalogue shipped in the package matches its source."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import ghost_simulator

#: About the catalogues: not run again on PostgreSQL.
pytestmark = pytest.mark.database_agnostic

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


# -- placeholders: a translation is %-formatted as its original is -----------------

#: Any ``%`` and what Python's %-formatting reads after it: a ``(name)``, flags,
#: width, precision, a length modifier and the conversion. No conversion (a
#: lone ``%``, ``%,``...) is an error: formatting would raise. Jinja's
#: newstyle gettext formats every translation a template shows, placeholders
#: or not, so ``"% de victorias"`` is a ``% d`` and a 500.
PLACEHOLDER = re.compile(
    r"""
    %
    (?:\((?P<name>[^)]*)\))?
    [-#0 +]*
    (?:\*|\d+)?
    (?:\.(?:\*|\d*))?
    [hlL]?
    (?P<conversion>[diouxXeEfFgGcrsa%])?
    """,
    re.VERBOSE,
)
#: The conversion a placeholder with none has.
INVALID = "no conversion"
#: Conversions that format the same values the same way.
SAME_CONVERSION = {"i": "d", "u": "d"}

Placeholders = Counter[tuple[str | None, str]]
Message = tuple[str | Sequence[str], str | Sequence[str]]


def placeholders(text: str) -> Placeholders:
    """The multiset of (name, conversion) of the text's %-format tokens:
    ``%%`` counted as ``(None, "%")``, a positional placeholder named by its
    place (``#1``, ``#2``...: their order is what matches them to values)."""
    found: Placeholders = Counter()
    position = 0
    for token in PLACEHOLDER.finditer(text):
        conversion = token.group("conversion") or INVALID
        name = token.group("name")
        if conversion == "%":
            name = None
        elif name is None:
            position += 1
            name = f"#{position}"
        found[(name, SAME_CONVERSION.get(conversion, conversion))] += 1
    return found


def _shown(found: Placeholders) -> str:
    def token(name: str | None, conversion: str) -> str:
        if conversion == INVALID:
            return f"a % with {INVALID}"
        if name is None:
            return "%%"
        if name.startswith("#"):
            return f"%{conversion} ({name})"
        return f"%({name}){conversion}"

    shown = sorted(
        token(name, conversion) + (f" x{count}" if count > 1 else "")
        for (name, conversion), count in found.items()
    )
    return "{" + ", ".join(shown) + "}"


def placeholder_problems(messages: Iterable[Message]) -> list[str]:
    """One line per translation (each plural form on its own) whose
    placeholders are not exactly those of its msgid (or, for a plural form,
    of its msgid_plural), or that has a ``%`` with no conversion."""
    problems = []
    for msgid, msgstr in messages:
        ids = [msgid] if isinstance(msgid, str) else list(msgid)
        forms = [msgstr] if isinstance(msgstr, str) else list(msgstr)
        wanted = [placeholders(text) for text in ids]
        for form in forms:
            if not form:  # untranslated: the test above says so
                continue
            found = placeholders(form)
            if found in wanted and found[(None, INVALID)] == 0:
                continue
            problems.append(
                f"msgid {msgid!r}: msgstr {form!r} has {_shown(found)},"
                f" wants {' or '.join(_shown(w) for w in wanted)}"
            )
    return problems


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Win rate", "% de victorias"),
        ("Win rate", "Victorias (%)"),
        ("Win rate", "100% de victorias"),
        ("%(n)d arrows", "%(n)s flechas"),
        ("%(n)d arrows", "%(m)d flechas"),
        ("%(n)d arrows", "flechas"),
        ("%(n)d arrows", "%(n)d flechas, %(n)d"),
        ("%(n)d%% done", "%(n)d hecho"),
        ("%(n)d%% done", "%(n)d%%%% hecho"),
        ("%d of %s", "%s de %d"),
        (("%(num)d match", "%(num)d matches"), ("%(num)d partida", "%(num)s partidas")),
    ],
)
def test_the_checker_rejects_other_placeholders(
    msgid: str | tuple[str, str], msgstr: str | tuple[str, str]
) -> None:
    problems = placeholder_problems([(msgid, msgstr)])
    assert len(problems) == 1
    assert problems[0].startswith(f"msgid {msgid!r}: msgstr ")


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Win rate", "Porcentaje de victorias"),
        ("%(n)d%% done", "%(n)d%% hecho"),
        ("%(n)d arrows", "%(n)i flechas"),
        ("%(a)s, %(b)s", "%(b)s y %(a)s"),
        ("%d of %s", "%d de %s"),
        (("One match", "%(num)d matches"), ("Una partida", "%(num)d partidas")),
        ("Untranslated", ""),
    ],
)
def test_the_checker_accepts_the_same_placeholders(
    msgid: str | tuple[str, str], msgstr: str | tuple[str, str]
) -> None:
    assert placeholder_problems([(msgid, msgstr)]) == []


def test_the_checker_lists_every_offending_message() -> None:
    problems = placeholder_problems(
        [
            ("Win rate", "% de victorias"),
            ("Fine", "Bien"),
            ("%(n)d arrows", "%(n)s flechas"),
        ]
    )
    assert len(problems) == 2
    assert problems == [
        "msgid 'Win rate': msgstr '% de victorias' has {%d (#1)}, wants {}",
        "msgid '%(n)d arrows': msgstr '%(n)s flechas' has {%(n)s}, wants {%(n)d}",
    ]


def test_translations_keep_their_placeholders(po) -> None:  # type: ignore[no-untyped-def]
    messages = [(m.id, m.string) for m in po if m.id]
    assert any(not isinstance(m.id, str) for m in po if m.id)  # plurals checked too
    problems = placeholder_problems(messages)
    assert problems == [], "placeholders differ:\n" + "\n".join(problems)
