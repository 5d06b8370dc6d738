"""What a new match is made of, read from a form or a link, with the reasons
in the user's language when something is wrong."""

from __future__ import annotations

import math
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from flask_babel import gettext as _

from ..engine.constants import BOWS, DEFAULT_FORM, DEFAULT_SCHEME, SCHEMES

KINDS = ("set", "cumulative", "ranking", "half")
GHOST_TYPES = ("handicap", "score", "preset", "minmax")

#: Rounds offered first in the form; any other codename can be typed.
COMMON_ROUNDS = {
    "indoor": ["wa18", "wa18_triple", "wa25", "wa25_triple", "portsmouth"],
    "outdoor": [
        "wa720_70",
        "wa720_60",
        "wa720_50_c",
        "wa720_50_b",
        "wa1440_90",
        "wa1440_70",
        "wa900",
        "york",
    ],
}
DEFAULT_ROUND = {True: "wa18", False: "wa720_70"}
DEFAULT_HANDICAP = 40.0


@dataclass
class Setup:
    """A match to start: what is shot, with which bow, against which ghost."""

    kind: str = "set"
    bow: str = "recurve"
    indoor: bool = False
    round: str = ""
    ghost: str = "handicap"
    handicap: float | None = DEFAULT_HANDICAP
    score: float | None = None
    preset: str = ""
    min_end: int | None = None
    max_end: int | None = None
    form: float = DEFAULT_FORM
    scheme: str = DEFAULT_SCHEME
    seed: int | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def round_code(self) -> str:
        return self.round or DEFAULT_ROUND[self.indoor]

    @property
    def system(self) -> str:
        return "ranking" if self.kind in ("ranking", "half") else self.kind

    def query(self) -> dict[str, str]:
        """The setup as link parameters (share, rematch, bookmark)."""
        data = {k: v for k, v in asdict(self).items() if k != "errors"}
        data["indoor"] = "1" if self.indoor else "0"
        return {k: str(v) for k, v in data.items() if v not in (None, "")}

    def build(self) -> Any:
        """The engine's match for this setup (validated: errors raise)."""
        from ..engine import Ghost, Match, get_preset, get_round, match_round

        if self.system == "ranking":
            rnd = get_round(self.round_code, bow=self.bow, half=self.kind == "half")
        else:
            rnd = match_round(self.bow, self.indoor)
        if self.ghost == "handicap":
            assert self.handicap is not None
            ghost = Ghost.from_handicap(self.handicap, self.scheme, self.form)
        elif self.ghost == "score":
            assert self.score is not None
            ghost = Ghost.from_score(rnd, self.score, self.scheme, self.form)
        elif self.ghost == "preset":
            ghost = get_preset(self.preset).ghost(self.scheme, self.form)
        else:
            assert self.min_end is not None
            assert self.max_end is not None
            ghost = Ghost.from_min_max(
                self.min_end,
                self.max_end,
                end_size=rnd.end_size,
                face=rnd.distances[0].face,
                outdoor_ranking=self.system == "ranking" and not self.indoor,
            )
        seed = self.seed if self.seed is not None else secrets.randbits(63)
        return Match(self.system, rnd, ghost, seed)


def _number(data: Mapping[str, str], name: str, kind: type = float) -> Any:
    text = (data.get(name) or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(name) from None
    if kind is float and not math.isfinite(value):  # nan, inf, 1e309
        raise ValueError(name)
    return value


def parse_setup(data: Mapping[str, str]) -> Setup:
    """Read a setup; ``errors`` maps each bad field to a message to show."""
    setup = Setup()
    errors: dict[str, str] = {}

    setup.kind = data.get("kind", setup.kind)
    if setup.kind not in KINDS:
        errors["kind"] = _("Choose a match or a round.")
        setup.kind = "set"
    setup.bow = data.get("bow", setup.bow)
    if setup.bow not in BOWS:
        errors["bow"] = _("Choose a bow from the list.")
        setup.bow = "recurve"
    setup.indoor = data.get("indoor", "0") in ("1", "true", "on", "indoor")
    setup.round = (data.get("round") or "").strip()[:64]
    setup.ghost = data.get("ghost", setup.ghost)
    if setup.ghost not in GHOST_TYPES:
        errors["ghost"] = _("Choose how to define the ghost.")
        setup.ghost = "handicap"
    setup.preset = (data.get("preset") or "").strip()
    setup.scheme = data.get("scheme") or DEFAULT_SCHEME
    if setup.scheme not in SCHEMES:
        errors["scheme"] = _("Choose a handicap scheme from the list.")
        setup.scheme = DEFAULT_SCHEME
    for name, kind in (
        ("handicap", float),
        ("score", float),
        ("min_end", int),
        ("max_end", int),
        ("form", float),
        ("seed", int),
    ):
        try:
            value = _number(data, name, kind)
        except ValueError:
            errors[name] = _("Enter a number.")
            continue
        if name == "handicap" and value is None and setup.ghost == "handicap":
            value = DEFAULT_HANDICAP if name not in data else None
        if name == "form" and value is None:
            value = DEFAULT_FORM
        setattr(setup, name, value)
    if setup.seed is not None and not 0 <= setup.seed < 2**63:
        errors["seed"] = _("The seed is a whole number from 0 to 9223372036854775807.")
    if not 0 <= setup.form <= 10:
        errors["form"] = _("Form is between 0 and 10 handicap points.")
    setup.errors = errors
    _check_with_engine(setup)
    return setup


def _check_with_engine(setup: Setup) -> None:
    """Build the match once to catch what only the engine knows (reachable
    scores, the face's maximum), and word its findings for the user."""
    from ..engine import GhostError, HandicapError, RoundError, get_round
    from ..engine.handicaps import bounds, expected_score

    errors = setup.errors
    required = {"handicap": "handicap", "score": "score", "preset": "preset"}
    if setup.ghost in required and getattr(setup, required[setup.ghost]) in (None, ""):
        errors.setdefault(setup.ghost, _("This field is required."))
    if setup.ghost == "minmax" and (setup.min_end is None or setup.max_end is None):
        errors["min_end"] = _("Enter both the minimum and the maximum points per end.")
    if errors:
        return
    try:
        setup.build()
    except RoundError:
        errors["round"] = _("Unknown round %(name)s.", name=setup.round)
    except GhostError as exc:
        if exc.code:
            errors["min_end"] = min_max_message(exc.code, **exc.params)
        else:
            errors["preset"] = _("Unknown preset.")
    except HandicapError:
        if setup.ghost == "handicap":
            best, worst = bounds(setup.scheme)
            errors["handicap"] = _(
                "A handicap goes from %(best)s (best) to %(worst)s.",
                best=f"{best:g}",
                worst=f"{worst:g}",
            )
        else:
            try:
                rnd = get_round(
                    setup.round_code, bow=setup.bow, half=setup.kind == "half"
                )
                top = expected_score(rnd, bounds(setup.scheme)[0], setup.scheme)
            except RoundError:
                top = 0.0
            errors["score"] = _(
                "Enter a score between 0 and %(top)s for this round.", top=f"{top:.0f}"
            )


def min_max_message(code: str, limit: int = 30) -> str:
    """The original app's min/max rules, in the user's language."""
    if code == "min_negative":
        return _("The minimum points per end must be 0 or more.")
    if code == "max_not_above_min":
        return _("The maximum points per end must be greater than the minimum.")
    return _("The maximum points per end cannot be more than %(limit)s.", limit=limit)


# -- the original app's bookmarked links ---------------------------------------------


def _plain(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


LEGACY_TYPES = {
    "eliminatorias": "elimination",
    "eliminatoria": "elimination",
    "eliminacion": "elimination",
    "elimination": "elimination",
    "competicion": "ranking",
    "competition": "ranking",
    "ranking": "ranking",
}
LEGACY_LOCATIONS = {
    "interior": True,
    "indoor": True,
    "exterior": False,
    "outdoor": False,
}
LEGACY_COMPOUND = {"compuesto", "compound", "poleas"}


def legacy_rules() -> list[str]:
    """The original's rules for its simulator link, as a list to show."""
    return [
        _("type is eliminatorias (elimination match) or competición (ranking round)."),
        _("location is interior (indoor) or exterior (outdoor)."),
        _("modality is compound or another bow."),
        _("min_points is 0 or more, and max_points is greater than min_points."),
        _(
            "max_points is at most 30 per end indoors and in eliminations, and at most"
            " 60 per end in an outdoor ranking round."
        ),
    ]


def parse_legacy(data: Mapping[str, str]) -> tuple[Setup | None, list[str]]:
    """``simulator.php?max_points=..&min_points=..&type=..&location=..&modality=..
    [&competition_split=true]`` as a setup, or the problems found."""
    problems: list[str] = []
    kind = LEGACY_TYPES.get(_plain(data.get("type")))
    if kind is None:
        problems.append(_("Unknown type %(value)s.", value=data.get("type") or "—"))
    indoor = LEGACY_LOCATIONS.get(_plain(data.get("location")))
    if indoor is None:
        problems.append(
            _("Unknown location %(value)s.", value=data.get("location") or "—")
        )
    compound = _plain(data.get("modality")) in LEGACY_COMPOUND
    points = {}
    for name in ("min_points", "max_points"):
        try:
            points[name] = int((data.get(name) or "").strip())
        except ValueError:
            problems.append(_("%(name)s must be a whole number.", name=name))
    if problems or kind is None or indoor is None:
        return None, problems
    from ..engine.ghost import GhostError, check_min_max

    try:
        check_min_max(
            points["min_points"],
            points["max_points"],
            outdoor_ranking=kind == "ranking" and not indoor,
        )
    except GhostError as exc:
        return None, [min_max_message(exc.code, **exc.params)]
    bow = "compound" if compound else "recurve"
    if kind == "elimination":
        setup_kind = "cumulative" if compound else "set"
        round_code = ""
    else:
        split = _plain(data.get("competition_split")) in (
            "true",
            "1",
            "yes",
            "si",
            "on",
        )
        setup_kind = "half" if split else "ranking"
        round_code = DEFAULT_ROUND[indoor]
        if compound and not indoor:
            round_code = "wa720_50_c"
    setup = Setup(
        kind=setup_kind,
        bow=bow,
        indoor=indoor,
        round=round_code,
        ghost="minmax",
        handicap=None,
        min_end=points["min_points"],
        max_end=points["max_points"],
    )
    return setup, []
