"""An archer's data in and out: the JSON export they can keep or move to
another server, CSV tables for a spreadsheet, and the import of an export into
an empty account.

An import trusts nothing in the file: every match is replayed through the
engine, its status must be the one the replay reaches, and its summary is
worked out again from the replay. Everything is checked before anything is
written, and all of it is written in one transaction, or none of it.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .._version import __version__
from ..errors import GhostSimError
from ..store import get_session, write_session
from ..store.archers import PROFILE_FIELDS
from ..store.matches import FINISHED, SUMMARY_FIELDS, new_id, round_code_of
from ..store.models import Archer
from ..store.models import Match as MatchRow
from ..store.times import aware
from .export_file import (
    ARROW_SET_FIELDS,
    BOW_FIELDS,
    DAY_FIELDS,
    DAY_STAGES,
    ENTRY_FIELDS,
    FORMAT,
    LADDER_FIELDS,
    MARK_FIELDS,
    MAX_DAYS,
    MAX_LADDERS,
    MAX_MATCHES,
    MAX_TEAM_MATCHES,
    VERSION,
    ExportFile,
    problem,
)
from .export_file import Match as ExportMatch

#: Limits on what an import reads: far above a lifetime of archery, far below
#: what would tie up a server.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
#: The largest request an import comes in: the file, and the form around it.
UPLOAD_LIMIT = MAX_DOCUMENT_BYTES + 64 * 1024
#: How much replaying an import through a page may take: a match counts
#: ``MATCH_WORK``, and each arrow in it one more (about 20 µs each, measured:
#: about 2 s in all). A larger export is imported with ``ghost-sim archers
#: import``, which holds no web worker.
MATCH_WORK = 40
PAGE_IMPORT_WORK = 100_000

CSV_TABLES = ("archer", "matches")
ARCHER_FIELDS = ("username", "email", *PROFILE_FIELDS, "created_at")
#: Columns kept to the server: who owns a match is the account it is in.
INTERNAL_MATCH_COLUMNS = ("owner_key", "archer_id", "version")
#: Columns an import works out from a match's state, not from the file.
DERIVED_MATCH_COLUMNS = ("kind", "round_code", "ghost", "seed")
#: The equipment a match was shot with: the export's own ids of the archer's
#: bows and arrow sets (in its "bows" and "arrow_sets"), renumbered on import.
EQUIPMENT_MATCH_COLUMNS = ("bow_id", "arrow_set_id")

#: Cells a spreadsheet would run as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TransferError(GhostSimError):
    """An export that cannot be imported (or an account that cannot take one),
    with what is wrong and where."""


# -- export ----------------------------------------------------------------------


def match_columns() -> list[str]:
    """Every column of a match an export carries, in the table's order."""
    return [
        column.name
        for column in MatchRow.__table__.columns
        if column.name not in INTERNAL_MATCH_COLUMNS
    ]


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else aware(moment).astimezone(UTC).isoformat()


def _plain(value: Any) -> Any:
    return _iso(value) if isinstance(value, datetime) else value


def _archer(archer_id: int) -> Archer:
    archer = get_session().get(Archer, archer_id)
    if archer is None:
        raise TransferError("There is no such account.")
    return archer


def _archer_dict(archer: Archer) -> dict[str, Any]:
    return {name: _plain(getattr(archer, name)) for name in ARCHER_FIELDS}


def _match_rows(archer_id: int) -> Iterator[MatchRow]:
    statement = (
        select(MatchRow)
        .where(MatchRow.archer_id == archer_id)
        .order_by(MatchRow.created_at, MatchRow.id)
        .execution_options(yield_per=500)
    )
    yield from get_session().scalars(statement)


def export_archer(archer_id: int) -> dict[str, Any]:
    """The archer's profile, every match they own, their training log, their
    ghost ladders, their competition days and their team matches, as a
    JSON-ready document (never the password hash, nor the keys that tie
    matches to browsers)."""
    archer = _archer(archer_id)
    columns = match_columns()
    matches = [
        {name: _plain(getattr(row, name)) for name in columns}
        for row in _match_rows(archer_id)
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "app_version": __version__,
        "archer": _archer_dict(archer),
        "matches": matches,
        **_training_dict(archer_id),
        "ladders": _ladders_list(archer_id),
        "days": _days_list(archer_id),
        "team_matches": _team_matches_list(archer_id),
    }


def dumps(document: Mapping[str, Any]) -> str:
    """An export as the text of a file: compact, UTF-8, one document."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # shown as text, never run as a formula
    return value


def export_csv(archer_id: int, table: str) -> str:
    """One table of the archer's data as CSV, for a spreadsheet: ``archer`` (one
    row, the profile) or ``matches`` (one row a match, its state and ghost as
    compact JSON). Text that a spreadsheet would run as a formula is prefixed
    with an apostrophe; the JSON export is the one to import."""
    if table not in CSV_TABLES:
        raise TransferError(f"Unknown table {table!r}: archer or matches.")
    archer = _archer(archer_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if table == "archer":
        writer.writerow(ARCHER_FIELDS)
        writer.writerow([_cell(getattr(archer, name)) for name in ARCHER_FIELDS])
    else:
        first = ["id", "kind", "round_code", "status", "created_at", "updated_at"]
        last = ["ghost", "state"]
        columns = first + [c for c in match_columns() if c not in (*first, *last)]
        columns += last
        writer.writerow(columns)
        for row in _match_rows(archer_id):
            writer.writerow([_cell(getattr(row, name)) for name in columns])
    return out.getvalue()


# -- reading a file ------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise TransferError(f"The file holds the number {name}, which no export has.")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise TransferError(f"The file holds the number {text[:20]}, too large.")
    return value


def parse_document(data: bytes | str) -> Any:
    """The JSON in an uploaded or given file, or why it cannot be read."""
    limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise TransferError(f"The file is larger than {limit} MB: no export is.")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TransferError(
                "The file is not text (UTF-8): choose the .json file that"
                " Ghost Simulator exported."
            ) from None
    if not data.strip():
        raise TransferError("The file is empty.")
    try:
        return json.loads(
            data, parse_constant=_refuse_constant, parse_float=_finite_float
        )
    except RecursionError:
        raise TransferError("The file is nested too deeply to be an export.") from None
    except json.JSONDecodeError as exc:
        raise TransferError(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}:"
            f" {exc.msg}): choose the .json file that Ghost Simulator exported."
        ) from None
    except ValueError:  # an integer of thousands of digits
        raise TransferError("The file holds a number too long to read.") from None


# -- import --------------------------------------------------------------------------


@dataclass
class _Prepared:
    """A match from the file, checked and replayed, ready to be written: its
    state as the file has it (nothing lost), its summary from the replay."""

    id: str
    state: dict[str, Any]
    status: str
    summary: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    #: The file's ids of the bow and arrow set it was shot with.
    equipment: tuple[Any, Any] = (None, None)


def _check_header(document: Any) -> None:
    """What tells an export from any other file, before its parts are read."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError(
            "This is not a Ghost Simulator export: choose the .json file from"
            " 'Export my data' (or 'ghost-sim archers export')."
        )
    version = document.get("version")
    if type(version) is not int or version < 1:
        raise TransferError("The export has no valid format version.")
    if version > VERSION:
        raise TransferError(
            f"This export is format version {version}, from a newer Ghost"
            f" Simulator; this one reads version {VERSION}. Upgrade to import it."
        )
    if not isinstance(document.get("archer"), dict):
        raise TransferError("The export has no archer profile.")
    matches = document.get("matches")
    if not isinstance(matches, list):
        raise TransferError("The export has no list of matches.")
    if len(matches) > MAX_MATCHES:
        raise TransferError(
            f"The export has {len(matches)} matches; an import takes at most"
            f" {MAX_MATCHES}."
        )
    ladders = document.get("ladders")
    if isinstance(ladders, list) and len(ladders) > MAX_LADDERS:
        raise TransferError(
            f"Ladder {MAX_LADDERS + 1}: the export has {len(ladders)} ladders,"
            f" and an import takes at most {MAX_LADDERS}."
        )
    days = document.get("days")
    if isinstance(days, list) and len(days) > MAX_DAYS:
        raise TransferError(
            f"Day {MAX_DAYS + 1}: the export has {len(days)} competition days,"
            f" and an import takes at most {MAX_DAYS}."
        )
    team_matches = document.get("team_matches")
    if isinstance(team_matches, list) and len(team_matches) > MAX_TEAM_MATCHES:
        raise TransferError(
            f"Team match {MAX_TEAM_MATCHES + 1}: the export has"
            f" {len(team_matches)} team matches, and an import takes at most"
            f" {MAX_TEAM_MATCHES}."
        )


def _read_file(document: Any) -> ExportFile:
    """The file (its header checked) against its declaration
    (``services.export_file``): every field's type, length, bounds and
    choices."""
    from flask import current_app

    try:
        return ExportFile.model_validate(
            document, context={"languages": current_app.config["LANGUAGES"]}
        )
    except ValidationError as exc:
        raise TransferError(problem(exc, document)) from None


def _engine_errors() -> tuple[type[BaseException], ...]:
    # Whatever a malformed state makes the engine raise: all are refusals.
    return (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        ArithmeticError,
        AssertionError,
        RecursionError,
    )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"its state lacks {exc.args[0]!r}" if exc.args else "incomplete state"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, TypeError | AttributeError | AssertionError | IndexError):
        return f"its state is malformed ({text})"
    return text.rstrip(".")


def _check_round(ref: dict[str, Any]) -> None:
    """The round exists and is one the engine takes (a round of the archer's
    own choosing is bounded there), before it plans its ends."""
    from ..engine.rounds import round_from_ref

    round_from_ref(ref)


def _check_ghost(ghost: Any) -> None:
    """What the pages read from a ghost's ``source`` is of the kind they expect."""
    source = ghost.source
    if not isinstance(source, dict):
        raise ValueError("The ghost's source must be an object.")
    if ghost.kind == "score":
        score = source.get("score")
        if type(score) not in (int, float):
            raise ValueError("A ghost made from a score needs that score.")
        if not isinstance(source.get("classification", ""), str):
            raise ValueError("The ghost's classification must be a text.")
    elif ghost.kind == "preset":
        from ..engine import get_preset

        get_preset(str(source.get("preset")))
    ghost.label  # noqa: B018 - every ghost can be named


def _arrows_and_totals(
    where: str, state: dict[str, Any]
) -> tuple[dict[str, Any], dict[int, int]]:
    """The state with each end as the app keeps it (its arrows, or
    ``{"total": n}``), and the totals the file gives beside an end's arrows
    (by end number), to check once the arrows are scored."""
    ends: list[Any] = []
    totals: dict[int, int] = {}
    for number, end in enumerate(state["archer_ends"], start=1):
        if not isinstance(end, dict):
            ends.append(end)
            continue
        unknown = sorted(set(end) - {"total", "arrows"})
        if unknown or "total" not in end:
            raise TransferError(
                f"{where}, end {number}: an end is a list of its arrows or"
                ' {"total": n}, not an object with '
                + (", ".join(repr(k) for k in unknown) or "no total")
                + "."
            )
        if "arrows" in end:
            if type(end["total"]) is not int:
                raise TransferError(
                    f"{where}, end {number}: its total must be a whole number."
                )
            totals[number] = end["total"]
            ends.append(end["arrows"])
        else:
            ends.append({"total": end["total"]})
    return {**state, "archer_ends": ends}, totals


def _replay(where: str, state: dict[str, Any]) -> tuple[dict[str, Any], Any, Any]:
    """The state as it is kept, the match's verdict and its summary."""
    from ..engine import Match

    state, totals = _arrows_and_totals(where, state)
    try:
        _check_round(state["round"])
        match = Match.from_dict(state)
        _check_ghost(match.ghost)
        verdict, summary = match.verdict(), match.summary()
    except _engine_errors() as exc:
        raise TransferError(
            f"{where}: the match cannot be replayed: {_describe(exc)}."
        ) from None
    for number, said in totals.items():
        end = match.archer_ends[number - 1]
        if end.total != said:
            raise TransferError(
                f"{where}, end {number}: the file says its total is {said}, but"
                f" its arrows ({', '.join(end.labels)}) add up to {end.total}."
            )
    return state, verdict, summary


#: A match's figures in a file that its arrows decide, in words: an import
#: refuses a file whose figures are not what its arrows replay to (it was
#: edited by hand, or damaged), rather than keep either silently.
#: ``archer_handicap`` is not among them: it is worked out from the handicap
#: tables, which a later version may refine, and an import works it out anew.
CHECKED_FIGURES = {
    "archer_total": "the archer's total",
    "ghost_total": "the ghost's total",
    "ends_shot": "the ends shot",
    "arrows_shot": "the arrows shot",
    "max_score": "the round's highest score",
    "bow": "the bow",
    "half": "the half round",
    "ghost_kind": "the ghost's kind",
    "ghost_handicap": "the ghost's handicap",
    "model": "the ghost's model",
    "archer_set_points": "the archer's set points",
    "ghost_set_points": "the ghost's set points",
}


def _check_figures(where: str, raw: dict[str, Any], summary: dict[str, Any]) -> None:
    """Each figure the file gives is what the match's arrows replay to."""
    for name, words in CHECKED_FIGURES.items():
        said = raw.get(name)
        if said is None:  # not given (an older export, or a CSV-made file)
            continue
        value: Any = summary.get(name)
        if name == "half":
            value = bool(value)
        if type(said) in (int, float) and type(value) in (int, float):
            same = math.isclose(said, value, rel_tol=1e-9, abs_tol=1e-9)
        else:
            same = said == value
        if not same:
            raise TransferError(
                f"{where}: the file says {words} ({name}) is {said!r}, but its"
                f" arrows replay to {value!r}. A file that contradicts itself is"
                " not imported: was it edited by hand?"
            )


def _check_match(number: int, raw: dict[str, Any], match: ExportMatch) -> _Prepared:
    """A match whose shape is checked: it replays to its status and figures."""
    where = f"Match {number} (id {match.id})"
    state, verdict, summary = _replay(where, raw["state"])
    _check_figures(where, raw, summary)
    if verdict.status != match.status:
        raise TransferError(
            f"{where}: the file says {match.status!r}, but its arrows replay to"
            f" {verdict.status!r}."
        )
    derived = {
        "kind": state["kind"],
        "round_code": round_code_of(state),
        "ghost": state["ghost"],
        "seed": state["seed"],
    }
    for name, value in derived.items():
        if name in raw and raw[name] != value:
            raise TransferError(f"{where}: its {name} does not match its state.")
    if len(derived["round_code"]) > 64:
        raise TransferError(f"{where}: its round's name is too long.")
    return _Prepared(
        match.id,
        state,
        match.status,
        summary,
        match.created_at,
        match.updated_at,
        match.finished_at,
        (match.bow_id, match.arrow_set_id),
    )


def _work(raw: Any) -> int:
    """What replaying a match from a file will take (see ``MATCH_WORK``), from
    its entries as they stand: counted before any of it is replayed."""
    state = raw.get("state") if isinstance(raw, dict) else None
    if not isinstance(state, dict):
        return MATCH_WORK
    work = MATCH_WORK
    for key in ("archer_ends", "shoot_offs"):
        entries = state.get(key)
        if isinstance(entries, list):
            work += sum(len(e) if isinstance(e, list) else 1 for e in entries)
    return work


def check_work(matches: list[Any], most: int | None) -> None:
    """Refuse, before replaying anything, an import that would take more than
    ``most`` (None: any amount)."""
    if most is None:
        return
    work = sum(_work(raw) for raw in matches)
    if work > most:
        raise TransferError(
            f"This export holds {len(matches)} matches, more than a page imports"
            " at once. Import it with the command line instead:"
            " ghost-sim archers import FILE --username NAME (on the server, or"
            " ask whoever runs it)."
        )


def check_document(
    document: Any, *, most_work: int | None = None
) -> tuple[
    dict[str, Any],
    list[_Prepared],
    _Training,
    list[_PreparedLadder],
    list[_PreparedDay],
    list[_PreparedTeamMatch],
]:
    """Every check of an import that needs no database: the profile to set,
    the matches, the training rows, the ladders, the competition days and the
    team matches to write; a TransferError at the first problem.
    ``most_work``: see :func:`check_work` (team matches are replayed too, and
    count as matches do)."""
    _check_header(document)
    team_matches = document.get("team_matches")
    if not isinstance(team_matches, list):
        team_matches = []  # none in an older file (a wrong one is refused below)
    check_work([*document["matches"], *team_matches], most_work)
    file = _read_file(document)
    prepared = []
    seen: set[str] = set()
    for number, (raw, match) in enumerate(
        zip(document["matches"], file.matches, strict=True), start=1
    ):
        if match.id in seen:
            raise TransferError(
                f"Match {number} (id {match.id}): the file has another match with"
                " this id."
            )
        seen.add(match.id)
        prepared.append(_check_match(number, raw, match))
    training = _training(file)
    for number, ready in enumerate(prepared, start=1):
        _equipment_ids(number, ready.equipment, training)
    on_ladders: dict[str, int] = {}
    ladders = _check_ladders(file, prepared, on_ladders)
    days = _check_days(file, prepared, on_ladders)
    teams = _check_team_matches(file)
    return file.archer.profile(), prepared, training, ladders, days, teams


def _taken_ids(ids: list[str]) -> set[str]:
    session = get_session()
    taken: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        statement = select(MatchRow.id).where(MatchRow.id.in_(chunk))
        taken.update(session.scalars(statement))
    return taken


def match_count(archer_id: int) -> int:
    statement = select(func.count()).where(MatchRow.archer_id == archer_id)
    return int(get_session().scalar(statement) or 0)


def _row(match: _Prepared, match_id: str, owner_key: str, archer_id: int) -> MatchRow:
    row = MatchRow(
        id=match_id,
        owner_key=owner_key,
        archer_id=archer_id,
        kind=match.state["kind"],
        round_code=round_code_of(match.state),
        ghost=match.state["ghost"],
        seed=match.state["seed"],
        state=match.state,
        status=match.status,
        created_at=match.created_at,
        updated_at=match.updated_at,
        finished_at=match.finished_at,
    )
    for name in SUMMARY_FIELDS:
        setattr(row, name, match.summary.get(name))
    row.half = bool(match.summary.get("half"))
    row.ends_shot = int(match.summary.get("ends_shot") or 0)
    row.arrows_shot = int(match.summary.get("arrows_shot") or 0)
    return row


def _importable_into(archer_id: int, *, lock: bool = False) -> Archer:
    """The account an import goes into: it must exist and have no matches."""
    archer = get_session().get(
        Archer, archer_id, with_for_update=lock, populate_existing=lock
    )
    if archer is None:
        raise TransferError("There is no such account.")
    existing = match_count(archer_id)
    if existing:
        raise TransferError(
            f"This account already has {existing}"
            f" {'match' if existing == 1 else 'matches'}: an export is"
            " imported into a new, empty account only, so that nothing is"
            " mixed up or duplicated."
        )
    if _training_rows(archer_id):
        raise TransferError(
            "This account already keeps bows, arrows or arrows counted by hand:"
            " an export is imported into a new, empty account only, so that"
            " nothing is mixed up or duplicated."
        )
    return archer


def _training_rows(archer_id: int) -> int:
    from ..store.models import ArrowEntry, ArrowSet, Bow

    session = get_session()
    return sum(
        int(
            session.scalar(
                select(func.count())
                .select_from(model)
                .where(model.archer_id == archer_id)
            )
            or 0
        )
        for model in (Bow, ArrowSet, ArrowEntry)
    )


def import_archer(
    archer_id: int,
    document: Mapping[str, Any] | bytes | str,
    *,
    most_work: int | None = None,
) -> int:
    """Import an export (its parsed JSON, or the file's text) into the archer's
    account, which must have no matches yet: the profile (not the username,
    email or password), every match, with its times, state, seed, ghost and
    status, the training log, the ghost ladders, the competition days and the
    team matches. A match keeps its id unless another match has it already; a
    ladder or a day gets a new id, and names its matches by the ids they are
    kept by; a team match gets a new id, its status the engine's verdict.
    Returns how many matches were imported; raises TransferError, writing
    nothing, at the first problem. ``most_work`` bounds the replaying (see
    :func:`check_work`): a page's import passes ``PAGE_IMPORT_WORK``."""
    if isinstance(document, bytes | str):
        document = parse_document(document)
    # Checked first without the write lock (replaying every match takes a
    # while, and other writers wait for the lock), then again under it.
    _importable_into(archer_id)
    profile, matches, training, ladders, days, team_matches = check_document(
        document, most_work=most_work
    )
    try:
        with write_session() as session:
            archer = _importable_into(archer_id, lock=True)
            taken = _taken_ids([m.id for m in matches])
            used = {m.id for m in matches}
            owner_key = f"import-{new_id()}"
            bow_ids, set_ids = _write_training(session, archer_id, training)
            match_ids: dict[str, str] = {}  # the file's id: the one kept
            for match in matches:
                match_id = match.id
                if match_id in taken:
                    while match_id in taken or match_id in used:
                        match_id = new_id()
                    used.add(match_id)
                match_ids[match.id] = match_id
                row = _row(match, match_id, owner_key, archer_id)
                bow_id, set_id = match.equipment
                row.bow_id = bow_ids[bow_id] if bow_id is not None else None
                row.arrow_set_id = set_ids[set_id] if set_id is not None else None
                session.add(row)
            _write_ladders(session, archer_id, owner_key, ladders, match_ids)
            _write_days(session, archer_id, owner_key, days, match_ids)
            _write_team_matches(session, archer_id, owner_key, team_matches)
            for name, value in profile.items():
                setattr(archer, name, value)
    except IntegrityError:
        raise TransferError(
            "Another change reached the database during the import; nothing was"
            " imported. Try again."
        ) from None
    return len(matches)


# -- the training log --------------------------------------------------------------

#: Fields of each training row an export carries (besides its ``id`` for
#: bows and arrow sets): ``services.export_file``'s.


def _row_dict(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {
        name: value.isoformat()
        if isinstance(value, date) and not isinstance(value, datetime)
        else _plain(value)
        for name in fields
        for value in (getattr(row, name),)
    }


def _training_dict(archer_id: int) -> dict[str, Any]:
    from ..store import training

    bows = []
    for bow in training.bows(archer_id):
        item = {"id": bow.id, **_row_dict(bow, BOW_FIELDS)}
        marks = training.sight_marks(archer_id, bow.id)
        item["sight_marks"] = [_row_dict(m, MARK_FIELDS) for m in marks]
        bows.append(item)
    return {
        "bows": bows,
        "arrow_sets": [
            {"id": a.id, **_row_dict(a, ARROW_SET_FIELDS)}
            for a in training.arrow_sets(archer_id)
        ],
        "arrow_entries": [
            _row_dict(e, ENTRY_FIELDS)
            for e in reversed(training.arrow_entries(archer_id))
        ],
    }


@dataclass(frozen=True)
class _Training:
    """The training rows of an import, checked: each bow with its marks, the
    arrow sets, the entries; bows and arrow sets by the file's own ids."""

    bows: dict[int, tuple[dict[str, Any], list[dict[str, Any]]]]
    arrow_sets: dict[int, dict[str, Any]]
    entries: list[dict[str, Any]]


def _unique_ids(rows: list[Any], what: str) -> None:
    """Each bow (or arrow set) has an id of its own: the file's matches and
    sight marks name them by it."""
    seen: dict[int, int] = {}
    for number, row in enumerate(rows, start=1):
        if row.id in seen:
            raise TransferError(
                f"{what} {number}: its id {row.id} is also {what}"
                f" {seen[row.id]}'s; no two may share one, since the file's"
                " matches name them by it."
            )
        seen[row.id] = number


def _training(file: ExportFile) -> _Training:
    """The training log's rows in an export (none in an older one)."""
    from ..store import training as t

    _unique_ids(file.bows, "Bow")
    _unique_ids(file.arrow_sets, "Arrow set")
    if len(file.bows) > t.MOST_BOWS or len(file.arrow_sets) > t.MOST_ARROW_SETS:
        raise TransferError(
            f"An account keeps at most {t.MOST_BOWS} bows and"
            f" {t.MOST_ARROW_SETS} arrow sets."
        )
    return _Training(
        bows={
            bow.id: (
                bow.model_dump(include=set(BOW_FIELDS)),
                [mark.model_dump(include=set(MARK_FIELDS)) for mark in bow.sight_marks],
            )
            for bow in file.bows
        },
        arrow_sets={
            arrows.id: arrows.model_dump(include=set(ARROW_SET_FIELDS))
            for arrows in file.arrow_sets
        },
        entries=[e.model_dump(include=set(ENTRY_FIELDS)) for e in file.arrow_entries],
    )


def _equipment_ids(
    number: int, equipment: tuple[int | None, int | None], training: _Training
) -> None:
    """A match's bow and arrow set are among the file's."""
    for name, value, known in (
        ("bow_id", equipment[0], training.bows),
        ("arrow_set_id", equipment[1], training.arrow_sets),
    ):
        if value is not None and value not in known:
            raise TransferError(
                f"Match {number}: its {name} {value!r} is not in the export."
            )


def _write_training(
    session: Any, archer_id: int, training: _Training
) -> tuple[dict[int, int], dict[int, int]]:
    """Add the training rows for the archer; the new ids of the file's bows
    and arrow sets."""
    from ..store.models import ArrowEntry, ArrowSet, Bow, SightMark

    bow_ids: dict[int, int] = {}
    for old, (values, marks) in training.bows.items():
        bow = Bow(archer_id=archer_id, **values)
        session.add(bow)
        session.flush()
        bow_ids[old] = bow.id
        for mark in marks:
            session.add(SightMark(bow_id=bow.id, **mark))
    set_ids: dict[int, int] = {}
    for old, values in training.arrow_sets.items():
        arrows = ArrowSet(archer_id=archer_id, **values)
        session.add(arrows)
        session.flush()
        set_ids[old] = arrows.id
    for values in training.entries:
        session.add(ArrowEntry(archer_id=archer_id, **values))
    return bow_ids, set_ids


# -- ghost ladders -------------------------------------------------------------------


def _ladders_list(archer_id: int) -> list[dict[str, Any]]:
    """The archer's ladders as an export carries them: each one's fields and
    its matches, in order, by their ids in the export."""
    from ..store import ladders

    return [
        {
            **{name: _plain(getattr(item.ladder, name)) for name in LADDER_FIELDS},
            "matches": [
                {"number": number, "match_id": match_id, "ghost_handicap": ghost}
                for number, match_id, ghost in item.links
            ],
        }
        for item in ladders.of_archer(archer_id)
    ]


@dataclass(frozen=True)
class _PreparedLadder:
    """A ladder from the file, checked (its matches replay through it as the
    app replays them), ready to be written: its fields, and its links (the
    number, the file's match id, the ghost's handicap) in order."""

    values: dict[str, Any]
    links: list[tuple[int, str, float]]


def _ladder_format(where: str, ladder: Any) -> Any:
    """The engine's format of a ladder from the file, or why it has none."""
    from ..engine.ladder import LadderFormat

    if ladder.kind == "ranking" and not ladder.round_code:
        raise TransferError(f"{where}: a ranking ladder needs its round_code.")
    code = ladder.round_code if ladder.kind == "ranking" else None
    try:
        fmt = LadderFormat(ladder.kind, ladder.bow, ladder.indoor, code, ladder.scheme)
        fmt.round  # noqa: B018 - an unknown round is refused now
    except _engine_errors():
        raise TransferError(
            f"{where}: its round_code {str(ladder.round_code)[:64]!r} is not a"
            f" round this app knows for a {ladder.bow} bow (see `ghost-sim rounds`)."
        ) from None
    return fmt


def _check_ladder(
    number: int, ladder: Any, prepared: dict[str, _Prepared], linked: dict[str, int]
) -> _PreparedLadder:
    """One ladder: its format is one the app plays, its numbers its own, each
    of its matches in the file, on no other ladder and of its format, only
    its last unfinished, and its finished ones replay through it."""
    from ..engine import Match
    from ..engine.handicaps import check_handicap
    from ..engine.ladder import Ladder

    where = f"Ladder {number}"
    fmt = _ladder_format(where, ladder)
    try:
        replay = Ladder.start(fmt, ladder.start_level, ladder.target)
    except _engine_errors() as exc:
        raise TransferError(
            f"{where}: its start_level cannot be used: {_describe(exc)}."
        ) from None
    code = round_code_of({"round": fmt.round.ref})
    links = sorted(ladder.matches, key=lambda link: link.number)
    seen: set[int] = set()
    for place, link in enumerate(ladder.matches, start=1):
        at = f"{where}, match {place}"
        if link.number in seen:
            raise TransferError(
                f"{at}: its number {link.number} is another of the ladder's"
                " matches' too; each has its own."
            )
        seen.add(link.number)
        match = prepared.get(link.match_id)
        if match is None:
            raise TransferError(
                f"{at}: its match_id {link.match_id!r} is not a match in the export."
            )
        if linked.get(link.match_id) == number:
            raise TransferError(
                f"{at}: match {link.match_id} is on the ladder twice; a match is"
                " one of a ladder's matches once."
            )
        if link.match_id in linked:
            raise TransferError(
                f"{at}: match {link.match_id} is on Ladder {linked[link.match_id]}"
                " too; a match is on one ladder at most."
            )
        linked[link.match_id] = number
        try:
            check_handicap(link.ghost_handicap, fmt.scheme)
        except _engine_errors() as exc:
            raise TransferError(
                f"{at}: its ghost_handicap cannot be used: {_describe(exc)}."
            ) from None
        if match.state["kind"] != fmt.kind or round_code_of(match.state) != code:
            raise TransferError(
                f"{at}: match {link.match_id} is a {match.state['kind']} match on"
                f" {round_code_of(match.state)}, not the ladder's {fmt.kind} on"
                f" {code}."
            )
    for place, link in enumerate(links, start=1):
        match = prepared[link.match_id]
        if match.status not in FINISHED:
            if place != len(links):
                raise TransferError(
                    f"{where}: its match number {link.number} ({link.match_id}) is"
                    " not finished, but a later one was shot: only a ladder's last"
                    " match can be unfinished."
                )
            continue
        try:
            replay.record(Match.from_dict(match.state), link.ghost_handicap)
        except _engine_errors() as exc:
            raise TransferError(
                f"{where}: its match number {link.number} ({link.match_id})"
                f" cannot be replayed on the ladder: {_describe(exc)}."
            ) from None
    values = ladder.model_dump(include=set(LADDER_FIELDS))
    values["round_code"] = fmt.round_code
    return _PreparedLadder(
        values,
        [(link.number, link.match_id, link.ghost_handicap) for link in links],
    )


def _check_ladders(
    file: ExportFile, matches: list[_Prepared], linked: dict[str, int] | None = None
) -> list[_PreparedLadder]:
    """The export's ladders (none in an older one), each checked; ``linked``
    is filled with the ladder each match is on (by its number)."""
    prepared = {match.id: match for match in matches}
    linked = {} if linked is None else linked
    return [
        _check_ladder(number, ladder, prepared, linked)
        for number, ladder in enumerate(file.ladders, start=1)
    ]


def _write_ladders(
    session: Any,
    archer_id: int,
    owner_key: str,
    ladders: list[_PreparedLadder],
    match_ids: Mapping[str, str],
) -> None:
    """Add the ladders for the archer, each with a new id, naming their
    matches by the ids they are kept by (``match_ids``)."""
    from ..store.models import Ladder, LadderMatch

    if not ladders:
        return
    session.flush()  # the matches before the rows that refer to them
    for ladder in ladders:
        ladder_id = new_id()
        session.add(
            Ladder(
                id=ladder_id, owner_key=owner_key, archer_id=archer_id, **ladder.values
            )
        )
        session.flush()
        for number, match_id, ghost in ladder.links:
            session.add(
                LadderMatch(
                    ladder_id=ladder_id,
                    number=number,
                    match_id=match_ids[match_id],
                    ghost_handicap=ghost,
                )
            )


# -- competition days -----------------------------------------------------------------


def _days_list(archer_id: int) -> list[dict[str, Any]]:
    """The archer's competition days as an export carries them: each one's
    fields (its field as ``[name, score]`` pairs) and its matches, qualification
    first and bronze last, by their ids in the export."""
    from ..store import days

    order = {stage: place for place, stage in enumerate(DAY_STAGES)}
    return [
        {
            **{name: _plain(getattr(item.day, name)) for name in DAY_FIELDS},
            "field": [[name, score] for name, score in item.day.field],
            "matches": [
                {"stage": stage, "match_id": match_id, "opponent": opponent}
                for stage, match_id, opponent in sorted(
                    item.links, key=lambda link: order.get(link[0], len(order))
                )
            ],
        }
        for item in days.of_archer(archer_id)
    ]


@dataclass(frozen=True)
class _PreparedDay:
    """A day from the file, checked, ready to be written: its fields, and its
    links (stage, the file's match id, the opponent's seed)."""

    values: dict[str, Any]
    links: list[tuple[str, str, int]]


def _day_round(where: str, day: Any) -> Any:
    """The day's qualification round, or why it has none."""
    from ..engine.rounds import get_round

    try:
        return get_round(day.round_code, bow=day.bow)
    except _engine_errors():
        raise TransferError(
            f"{where}: its round_code {day.round_code[:64]!r} is not a round this"
            f" app knows for a {day.bow} bow (see `ghost-sim rounds`)."
        ) from None


def _check_day_field(where: str, day: Any, max_score: int) -> None:
    """The field as a new day's is checked: every name given and its own (the
    archer's too, case ignored), every score possible on the day's round."""
    from ..engine.field import Entry, FieldError, check_field, check_score

    others = len(day.field)

    def place(index: int) -> str:
        if index < others:
            return f"{where}, field entry {index + 1}"
        return f"{where}, archer_name"

    try:
        if day.archer_score is not None:
            check_score(day.archer_score, f"{where}, archer_score", max_score)
        entries = [Entry(n, s, i) for i, (n, s) in enumerate(day.field)]
        check_field([*entries, Entry(day.archer_name, 0.0, others)], max_score, place)
    except FieldError as exc:
        raise TransferError(str(exc)) from None


def _check_day(
    number: int,
    day: Any,
    prepared: Mapping[str, _Prepared],
    linked: dict[str, int],
    on_ladders: Mapping[str, int],
) -> _PreparedDay:
    """One day: its round one the app knows for its bow, its field one a new
    day could have, its seed 63 bits; each of its matches in the file, on no
    other day or ladder, of a stage its bracket has (once), against a seed of
    its field (0 for the qualification round) and of the stage's format."""
    from ..engine.day import BRONZE, stages
    from ..engine.rounds import match_round
    from ..store.days import QUALIFICATION

    where = f"Day {number}"
    rnd = _day_round(where, day)
    _check_day_field(where, day, rnd.max_score)
    size = len(day.field) + 1
    allowed = (QUALIFICATION, *stages(size), BRONZE)
    bracket_code = round_code_of({"round": match_round(day.bow, day.indoor).ref})
    stage_at: dict[str, int] = {}
    for place, link in enumerate(day.matches, start=1):
        at = f"{where}, match {place}"
        if link.stage not in allowed:
            raise TransferError(
                f"{at}: its stage {link.stage!r} is not one of a {size}-archer"
                f" day's ({', '.join(allowed)})."
            )
        if link.stage in stage_at:
            raise TransferError(
                f"{at}: its stage {link.stage!r} is the day's match"
                f" {stage_at[link.stage]}'s too; a day has one match a stage."
            )
        stage_at[link.stage] = place
        match = prepared.get(link.match_id)
        if match is None:
            raise TransferError(
                f"{at}: its match_id {link.match_id!r} is not a match in the export."
            )
        if linked.get(link.match_id) == number:
            raise TransferError(
                f"{at}: match {link.match_id} is on the day twice; a match is one"
                " of a day's matches once."
            )
        if link.match_id in linked:
            raise TransferError(
                f"{at}: match {link.match_id} is on Day {linked[link.match_id]}"
                " too; a match is on one day at most."
            )
        if link.match_id in on_ladders:
            raise TransferError(
                f"{at}: match {link.match_id} is on Ladder"
                f" {on_ladders[link.match_id]} too; a match is on a ladder or a"
                " day, not both."
            )
        linked[link.match_id] = number
        kind, code = match.state["kind"], round_code_of(match.state)
        if link.stage == QUALIFICATION:
            if link.opponent != 0:
                raise TransferError(
                    f"{at}: its opponent is {link.opponent}, but the qualification"
                    " round is shot against no seed (0)."
                )
            if kind != "ranking" or code != rnd.codename:
                raise TransferError(
                    f"{at}: match {link.match_id} is a {kind} match on {code}, not"
                    f" the day's qualification round (a ranking round on"
                    f" {rnd.codename})."
                )
            continue
        if day.archer_score is None:
            raise TransferError(
                f"{at}: its stage is {link.stage}, but the day has no"
                " archer_score: until the archer has qualified, a day has its"
                " qualification match only."
            )
        if not 1 <= link.opponent <= size:
            raise TransferError(
                f"{at}: its opponent {link.opponent} is not a seed of the day's"
                f" {size} archers (1 to {size})."
            )
        if kind == "ranking" or code != bracket_code:
            raise TransferError(
                f"{at}: match {link.match_id} is a {kind} match on {code}, not an"
                f" elimination match on {bracket_code}."
            )
    values = day.model_dump(include=set(DAY_FIELDS))
    values["round_code"] = rnd.codename
    values["field"] = [[name, score] for name, score in day.field]
    return _PreparedDay(
        values, [(link.stage, link.match_id, link.opponent) for link in day.matches]
    )


def _check_days(
    file: ExportFile, matches: list[_Prepared], on_ladders: Mapping[str, int]
) -> list[_PreparedDay]:
    """The export's competition days (none in an older one), each checked."""
    prepared = {match.id: match for match in matches}
    linked: dict[str, int] = {}
    return [
        _check_day(number, day, prepared, linked, on_ladders)
        for number, day in enumerate(file.days, start=1)
    ]


def _write_days(
    session: Any,
    archer_id: int,
    owner_key: str,
    days: list[_PreparedDay],
    match_ids: Mapping[str, str],
) -> None:
    """Add the days for the archer, each with a new id, naming their matches
    by the ids they are kept by (``match_ids``)."""
    from ..store.days import add_imported

    if not days:
        return
    session.flush()  # the matches before the rows that refer to them
    for day in days:
        add_imported(
            session,
            owner_key=owner_key,
            archer_id=archer_id,
            values=day.values,
            links=[
                (stage, match_ids[match_id], opponent)
                for stage, match_id, opponent in day.links
            ],
        )


# -- team matches ---------------------------------------------------------------------


def _team_matches_list(archer_id: int) -> list[dict[str, Any]]:
    """The archer's own team matches as an export carries them, oldest first:
    each one's state and times (no id: nothing refers to a team match; no
    status: an import works it out from the state)."""
    from ..store import teams

    return [
        {
            "state": item.state,
            "created_at": _iso(item.created_at),
            "finished_at": _iso(item.finished_at),
        }
        for item in teams.of_archer(archer_id)
    ]


@dataclass(frozen=True)
class _PreparedTeamMatch:
    """A team match from the file, replayed, ready to be written: its state as
    the engine keeps it, the status the engine's verdict gives, its times."""

    state: dict[str, Any]
    status: str
    created_at: datetime
    finished_at: datetime | None


#: The fields of a team match's state that its row keeps beside it: the
#: state's must be what the engine plays the match by.
TEAM_STATE_FIELDS = ("kind", "bow", "indoor", "system", "seed")


def _check_team_match(number: int, entry: Any) -> _PreparedTeamMatch:
    """One team match, rebuilt by the engine from its state (which refuses
    what the app could not have played). Its status is the engine's verdict
    on the replay, never the file's: a file's ``status`` is not read, so an
    edited one cannot mark a match won that its arrows do not win. The
    state's kind, bow, indoor, system and seed must be the ones the engine
    plays it by (the row keeps them beside the state). A finished match keeps
    its finished_at (its created_at if the file has none); an unfinished one
    has none."""
    from ..engine.teams import TeamMatch

    where = f"Team match {number}"
    state = entry.state.model_dump()
    try:
        match = TeamMatch.from_dict(state)
        for ghost in (*match.teammates, *match.opponents):
            _check_ghost(ghost)
        verdict = match.verdict()
        kept = match.to_dict()
    except _engine_errors() as exc:
        raise TransferError(
            f"{where}: the match cannot be replayed: {_describe(exc)}."
        ) from None
    for name in TEAM_STATE_FIELDS:
        if state[name] != kept[name]:
            raise TransferError(
                f"{where}: its state's {name} is {state[name]!r}, but the match"
                f" is played as {kept[name]!r}."
            )
    finished_at = None
    if verdict.finished:
        finished_at = entry.finished_at or entry.created_at
    return _PreparedTeamMatch(kept, verdict.status, entry.created_at, finished_at)


def _check_team_matches(file: ExportFile) -> list[_PreparedTeamMatch]:
    """The export's team matches (none in an older one), each replayed."""
    return [
        _check_team_match(number, entry)
        for number, entry in enumerate(file.team_matches, start=1)
    ]


def _write_team_matches(
    session: Any,
    archer_id: int,
    owner_key: str,
    team_matches: list[_PreparedTeamMatch],
) -> None:
    """Add the team matches for the archer, each with a new id, at version 1."""
    from ..store.teams import add_imported

    for match in team_matches:
        add_imported(
            session,
            owner_key=owner_key,
            archer_id=archer_id,
            state=match.state,
            status=match.status,
            created_at=match.created_at,
            finished_at=match.finished_at,
        )
