"""An elimination field: the archers and their qualification scores, read
from a CSV file (or given as pairs), seeded in score order, and each
archer's true level estimated with the qualification round's noise in mind.

Reading. A field file is UTF-8 CSV whose first line is a header naming the
columns ``name`` and ``score`` (in any order; other columns are ignored);
every other non-blank line is one archer. The archers are seeded by score,
highest first, ties in the file's order. Anything else is refused with a
:class:`FieldError` whose one sentence names the line.

Estimating the levels (empirical Bayes, in the score domain). A
qualification score is one noisy measurement of an archer's level: the
model's own round-to-round spread of the total at that level (model 3: the
day's form, the drift within the round, the arrows), the standard deviation
of :func:`.odds.ghost_round_pmf` read by :func:`.odds.mean_std`. Taking each
score's handicap as the archer's true level would put the lucky ones too
high and the unlucky too low; the method instead

1. reads the noise variance ``n_i`` of each archer's total at the handicap
   their score earns;
2. takes the field's true-level variance as what the scores' variance
   leaves once the mean noise is taken away: ``T = var(scores) - mean(n_i)``,
   floored at :data:`TRUE_VARIANCE_FLOOR` (a field whose spread is all noise
   is one of nearly equal archers);
3. estimates each archer's true expected score as the field's mean plus a
   share of their distance from it, the reliability of their score:
   ``mu_i = mean + r_i (score_i - mean)`` with ``r_i = T / (T + n_i)``, and
   its posterior variance ``r_i n_i`` (a normal prior and likelihood);
4. reads the level as the handicap whose expected score is ``mu_i``.

No factor is tuned: the shrinkage follows from the model's noise and the
field's own spread. (Regression to the mean: the further a score from the
field's mean, the more of that distance is luck, on average.)
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .brackets import LARGEST_FIELD, SMALLEST_FIELD
from .ghost import Ghost
from .odds import ghost_round_pmf, mean_std
from .rounds import Round
from .spread import score_table, score_to_level

#: The smallest true-level variance of a field (points squared): a field
#: whose scores spread no more than the noise does.
TRUE_VARIANCE_FLOOR = 1.0
#: The handicap grid (points) the noise of a total is read on, between which
#: it is interpolated: it changes slowly with the level.
NOISE_GRID = 2.0
#: The longest archer's name kept.
LONGEST_NAME = 100


class FieldError(ValueError):
    """A field that cannot be shot: one sentence, naming the line."""


@dataclass(frozen=True)
class Entry:
    """One archer of the field as given: name, qualification score, and where
    (the file's line, or the archer's place in a list)."""

    name: str
    score: float
    place: int


@dataclass(frozen=True)
class Seeded:
    """An archer seeded in the field, and what is estimated of their level."""

    seed: int
    name: str
    score: float
    raw_level: float  # the handicap the score earns
    expected_score: float  # the estimated true expected score
    score_sd: float  # its posterior standard deviation (points)
    level: float  # the handicap of the estimated true score
    noise_sd: float  # the model's round-to-round spread of the total there


def _line(number: int) -> str:
    return f"Line {number}"


def _score_of(text: str, where: str, max_score: int) -> float:
    try:
        score = float(text.strip())
    except ValueError:
        raise FieldError(
            f"{where}: the score {text.strip()[:40]!r} is not a number."
        ) from None
    return check_score(score, where, max_score)


def check_score(score: float, where: str, max_score: int) -> float:
    if not math.isfinite(score):
        raise FieldError(f"{where}: the score {score} is not a finite number.")
    if score < 0:
        raise FieldError(f"{where}: a score cannot be negative ({score:g}).")
    if score > max_score:
        raise FieldError(
            f"{where}: a score of {score:g} is above the round's maximum of"
            f" {max_score}."
        )
    return score


def check_field(
    entries: Sequence[Entry],
    max_score: int,
    where: Callable[[int], str] = _line,
) -> list[Entry]:
    """``entries`` checked: names given and not repeated, scores possible on
    a round of ``max_score``, 2 to 256 archers."""
    seen: dict[str, int] = {}
    for entry in entries:
        name = entry.name.strip()
        if not name:
            raise FieldError(f"{where(entry.place)}: the archer has no name.")
        if len(name) > LONGEST_NAME:
            raise FieldError(
                f"{where(entry.place)}: a name is at most {LONGEST_NAME} characters."
            )
        check_score(entry.score, where(entry.place), max_score)
        key = name.casefold()
        if key in seen:
            raise FieldError(
                f"{where(entry.place)}: {name!r} is already in the field"
                f" ({where(seen[key]).lower()})."
            )
        seen[key] = entry.place
    if len(entries) < SMALLEST_FIELD:
        raise FieldError(
            f"The field has {len(entries)} archer{'s' * (len(entries) != 1)}:"
            f" a bracket needs at least {SMALLEST_FIELD}."
        )
    if len(entries) > LARGEST_FIELD:
        raise FieldError(
            f"The field has {len(entries):,} archers: a bracket takes at most"
            f" {LARGEST_FIELD}."
        )
    return [Entry(e.name.strip(), float(e.score), e.place) for e in entries]


def read_field(data: bytes | str, max_score: int) -> list[Entry]:
    """The archers of a CSV field file (header ``name,score``), in the file's
    order, checked as :func:`check_field` does."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FieldError(
                f"The field file is not UTF-8 text (a byte it cannot read at"
                f" position {exc.start})."
            ) from None
    data = data.removeprefix("\ufeff")
    if not data.strip():
        raise FieldError(
            "The field file is empty: its first line is the header name,score,"
            " then one archer a line."
        )
    rows = csv.reader(io.StringIO(data, newline=""))
    entries: list[Entry] = []
    columns: tuple[int, int] | None = None
    try:
        for row in rows:
            number = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                header = [cell.strip().casefold() for cell in row]
                if "name" not in header or "score" not in header:
                    shown = ",".join(row)[:60]
                    raise FieldError(
                        f"Line {number}: the first line is a header naming the"
                        f" columns name and score, not {shown!r}."
                    )
                columns = header.index("name"), header.index("score")
                continue
            if len(entries) > LARGEST_FIELD:
                break  # too many already: said below, without reading on
            name_at, score_at = columns
            if max(name_at, score_at) >= len(row):
                raise FieldError(
                    f"Line {number}: a name and a score are needed, not"
                    f" {','.join(row)[:60]!r}."
                )
            score = _score_of(row[score_at], _line(number), max_score)
            entries.append(Entry(row[name_at], score, number))
    except csv.Error as exc:
        raise FieldError(
            f"Line {rows.line_num}: not readable as CSV ({exc})."
        ) from None
    if columns is None:  # pragma: no cover - a non-blank file has a first row
        raise FieldError("The field file has no header name,score.")
    if not entries:
        raise FieldError("The field file has a header and no archers.")
    if len(entries) > LARGEST_FIELD:
        raise FieldError(
            f"The field has more than {LARGEST_FIELD} archers: a bracket takes at"
            f" most {LARGEST_FIELD}."
        )
    return check_field(entries, max_score)


def seed_order(entries: Sequence[Entry]) -> list[Entry]:
    """The field seeded: highest score first, ties in the given order."""
    return sorted(entries, key=lambda e: -e.score)  # sorted() is stable


# -- the levels ---------------------------------------------------------------------


@lru_cache(maxsize=2048)
def _noise_at(
    rnd: Round, scheme: str, bow: str, handicap: float, form: float | None = None
) -> float:
    ghost = Ghost.from_handicap(handicap, scheme, form, bow=bow)
    return mean_std(ghost_round_pmf(ghost, rnd))[1]


def noise_sd(
    rnd: Round,
    scheme: str,
    bow: str,
    levels: npt.ArrayLike,
    form: float | None = None,
) -> npt.NDArray[np.float64]:
    """The model's round-to-round standard deviation of the total on ``rnd``
    at each handicap of ``levels`` (read on a grid and interpolated);
    ``form`` overrides the form of the day (0: the spread within one day)."""
    wanted = np.asarray(levels, dtype=float)
    low = math.floor(float(wanted.min()) / NOISE_GRID) * NOISE_GRID
    high = math.ceil(float(wanted.max()) / NOISE_GRID) * NOISE_GRID
    grid = np.arange(low, high + NOISE_GRID / 2, NOISE_GRID)
    _, levels_table = score_table(rnd, scheme)
    lowest, highest = float(levels_table.min()), float(levels_table.max())
    grid = np.unique(np.clip(grid, lowest, highest))
    noise = np.array([_noise_at(rnd, scheme, bow, float(h), form) for h in grid])
    if len(grid) == 1:
        return np.full(wanted.shape, noise[0])
    return np.interp(wanted, grid, noise)


@dataclass(frozen=True)
class FieldEstimate:
    """The field's spread as the method reads it (points of the round)."""

    mean: float
    observed_variance: float
    noise_variance: float  # the mean of the archers' noise variances
    true_variance: float


def estimate_field(
    entries: Sequence[Entry],
    rnd: Round,
    scheme: str,
    bow: str,
    form: float | None = None,
) -> tuple[list[Seeded], FieldEstimate]:
    """The field seeded, each archer's true level estimated (the module's
    method), and the field's figures. ``form`` overrides the model's form of
    the day in the noise (0: the level on the day of the qualification, its
    noise the arrows' and the drift's only)."""
    seeded = seed_order(entries)
    scores = np.array([e.score for e in seeded], dtype=float)
    raw = score_to_level(rnd, scheme, scores)
    noise = noise_sd(rnd, scheme, bow, raw, form)
    noise_var = noise**2
    mean = float(scores.mean())
    observed = float(scores.var(ddof=1)) if len(scores) > 1 else 0.0
    mean_noise = float(noise_var.mean())
    true_var = max(observed - mean_noise, TRUE_VARIANCE_FLOOR)
    reliability = true_var / (true_var + noise_var)
    expected = mean + reliability * (scores - mean)
    posterior_sd = np.sqrt(reliability * noise_var)
    levels = score_to_level(rnd, scheme, expected)
    archers = [
        Seeded(
            seed=index + 1,
            name=entry.name,
            score=entry.score,
            raw_level=float(raw[index]),
            expected_score=float(expected[index]),
            score_sd=float(posterior_sd[index]),
            level=float(levels[index]),
            noise_sd=float(noise[index]),
        )
        for index, entry in enumerate(seeded)
    ]
    return archers, FieldEstimate(mean, observed, mean_noise, true_var)
