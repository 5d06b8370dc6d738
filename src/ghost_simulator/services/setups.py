"""What a new match is made of, read from a form or a link, with the reasons
in the user's language when something is wrong."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from flask_babel import gettext as _

from ..engine.constants import (
    BOWS,
    CURRENT_MODEL,
    DEFAULT_SCHEME,
    MAX_SEED,
    MODEL_VERSIONS,
    SCHEMES,
)
from .numbers import parse_decimal, parse_id, parse_whole

#: The ghost model's versions (see ``engine.variability``); kept here so that
#: reading a form does not load the engine.

KINDS = ("set", "cumulative", "ranking", "half")
#: Ghosts made from the signed-in archer's own history.
OWN_GHOSTS = ("past", "mine", "classification")
GHOST_TYPES = ("handicap", "score", "preset", "minmax", *OWN_GHOSTS)
#: The ghosts that may feel pressure (they shoot from a handicap).
PRESSURE_GHOSTS = ("handicap", "score", "preset", "mine")
#: A ghost at the archer's own level on the round: from which past scores.
MINE = ("average", "best", "last5", "like_me")

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
    form: float | None = None  # None: the form of the ghost's level and bow
    scheme: str = DEFAULT_SCHEME
    seed: int | None = None
    model: int = CURRENT_MODEL
    steady: bool = False
    past: str = ""  # a past match's id, or "best"
    mine: str = "average"
    #: The odds count the archer as steady (the plain handicap model), not
    #: as unsteady as their level (or as their own rounds say).
    archer_steady: bool = False
    #: The ghost feels pressure (a set match's ghost that shoots from a
    #: handicap): its last arrow of each set ``PRESSURE_POINTS`` worse.
    pressure: bool = False
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
        data["steady"] = "1" if self.steady else ""
        data["archer_steady"] = "1" if self.archer_steady else ""
        data["pressure"] = "1" if self.pressure else ""
        return {k: str(v) for k, v in data.items() if v not in (None, "")}

    def make_round(self) -> Any:
        """The engine's round (or match format) this setup shoots."""
        from ..engine import get_round, match_round

        if self.system == "ranking":
            return get_round(self.round_code, bow=self.bow, half=self.kind == "half")
        return match_round(self.bow, self.indoor)

    def build(self, history: OwnHistory | None = None) -> Any:
        """The engine's match for this setup (validated: errors raise).
        ``history`` is the signed-in archer's, for ghosts made from it and for
        their own spread in the odds."""
        from ..engine.matches import ArcherModel

        match = self._build(history)
        if self.archer_steady:
            match.archer = ArcherModel(steady=True)
        elif history is not None:
            spread = history.spread(match.ghost.scheme)
            if spread is not None and spread.own:
                match.archer = ArcherModel(form=spread.form, drift=spread.drift)
        return match

    def _build(self, history: OwnHistory | None) -> Any:
        from ..engine import (
            Ghost,
            GhostError,
            Match,
            get_preset,
        )

        seed = self.seed if self.seed is not None else secrets.randbits(63)
        rnd = self.make_round()
        code, half = rnd.ref.get("codename") or rnd.codename, bool(rnd.ref.get("half"))
        options: dict[str, Any] = {
            "bow": self.bow,
            "model": self.model,
            "steady": self.steady,
        }
        if self.pressure:
            from ..engine.ghost import PRESSURE_POINTS

            options["pressure"] = PRESSURE_POINTS
        if self.ghost in OWN_GHOSTS and history is None:
            raise GhostError("Sign in to shoot against your own past.", "sign_in")
        if self.ghost == "past":
            assert history is not None
            past = history.past_match(self.past or "best", code, half)
            if past is None:
                raise GhostError("No such round in your history.", "no_past")
            source = {"match": past.id, "date": past.date}
            ghost = Ghost.from_past(past.match, **source)
            return Match(past.match.kind, past.match.round, ghost, seed)
        if self.ghost == "mine":
            assert history is not None
            ghost = history.level_ghost(code, half, self.mine, self.scheme, options)
        elif self.ghost == "classification":
            assert history is not None
            if self.system != "ranking":
                raise GhostError(
                    "Classifications are earned on ranking rounds.",
                    "classification_round",
                )
            target = history.next_classification(rnd, self.bow)
            if target is None:
                raise GhostError(
                    "No classification above your best on this round for your profile.",
                    "no_classification",
                )
            name, score = target
            ghost = Ghost.from_score(rnd, score, self.scheme, self.form, **options)
            ghost.source["classification"] = name
        elif self.ghost == "handicap":
            assert self.handicap is not None
            ghost = Ghost.from_handicap(
                self.handicap, self.scheme, self.form, **options
            )
        elif self.ghost == "score":
            assert self.score is not None
            ghost = Ghost.from_score(rnd, self.score, self.scheme, self.form, **options)
        elif self.ghost == "preset":
            del options["bow"]  # a preset shoots with its own bow
            ghost = get_preset(self.preset).ghost(self.scheme, self.form, **options)
        else:
            assert self.min_end is not None
            assert self.max_end is not None
            ghost = Ghost.from_min_max(
                self.min_end,
                self.max_end,
                rnd=rnd,
                outdoor_ranking=self.system == "ranking" and not rnd.indoor,
                model=self.model,
            )
        return Match(self.system, rnd, ghost, seed)


@dataclass(frozen=True)
class PastMatch:
    """A match from the archer's history, rebuilt by the engine."""

    id: str
    date: str
    match: Any


class OwnHistory(Protocol):
    """What a setup needs of the signed-in archer's history."""

    def past_match(self, ref: str, round_code: str, half: bool) -> PastMatch | None:
        """A past match by id, or their personal best on the round ("best")."""

    def level_ghost(
        self,
        round_code: str,
        half: bool,
        method: str,
        scheme: str,
        options: dict[str, Any],
    ) -> Any:
        """A ghost at the archer's average, best or last five on the round."""

    def next_classification(self, rnd: Any, bow: str) -> tuple[str, int] | None:
        """The next classification above their best on the round, and its
        score."""

    def spread(self, scheme: str) -> Any:
        """Their own spread (``engine.spread.Spread``) on the scheme's
        points, or None with no finished round."""


def _number(data: Mapping[str, str], name: str, kind: type = float) -> Any:
    text = (data.get(name) or "").strip().replace(",", ".")
    if not text:
        return None
    # Bounded before it is converted: no nan, inf, 1e309 or 5,000 digits.
    return parse_whole(text) if kind is int else parse_decimal(text)


def parse_setup(data: Mapping[str, str], history: OwnHistory | None = None) -> Setup:
    """Read a setup; ``errors`` maps each bad field to a message to show.
    ``history``: the signed-in archer's, for ghosts made from it."""
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
        setattr(setup, name, value)
    if setup.seed is not None and not 0 <= setup.seed <= MAX_SEED:
        errors["seed"] = _("The seed is a whole number from 0 to 9223372036854775807.")
    if setup.form is not None and not 0 <= setup.form <= 10:
        errors["form"] = _("Form is between 0 and 10 handicap points.")
    setup.steady = data.get("steady", "") in ("1", "true", "on", "yes")
    setup.archer_steady = data.get("archer_steady", "") in ("1", "true", "on", "yes")
    setup.model = _model(data, setup, errors)
    setup.pressure = data.get("pressure", "") in ("1", "true", "on", "yes")
    if setup.pressure:
        if setup.kind != "set":
            errors["pressure"] = _(
                "Only a set match's ghost feels pressure: its last arrow of each set."
            )
        elif setup.ghost not in PRESSURE_GHOSTS:
            errors["pressure"] = _(
                "Only a ghost that shoots from a handicap feels pressure, not a"
                " min-max end or a past round."
            )
        elif setup.model == 1:
            errors["pressure"] = _(
                "A ghost feels pressure with model version 2 or later."
            )
    setup.past = (data.get("past") or "").strip()[:32]
    setup.mine = data.get("mine") or "average"
    if setup.mine not in MINE:
        errors["mine"] = _(
            "Choose your average, your best, your last five, or like you."
        )
        setup.mine = "average"
    setup.errors = errors
    _check_with_engine(setup, history)
    return setup


def _model(data: Mapping[str, str], setup: Setup, errors: dict[str, str]) -> int:
    """The ghost model a setup asks for: a link says which; a link with a seed
    and no model was shared before versions existed (version 1, so it replays
    the same arrows); anything new gets the current model."""
    text = (data.get("model") or "").strip()
    if not text:
        return 1 if setup.seed is not None else CURRENT_MODEL
    version = parse_id(text)
    if version in MODEL_VERSIONS:
        return version
    errors["model"] = _(
        "This link was made by a newer version of Ghost Simulator: update it to"
        " replay this match."
    )
    return CURRENT_MODEL


def _check_with_engine(setup: Setup, history: OwnHistory | None = None) -> None:
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
        setup.build(history)
    except RoundError:
        errors["round"] = _("Unknown round %(name)s.", name=setup.round)
    except GhostError as exc:
        if exc.code in OWN_GHOST_CODES:
            errors["ghost"] = own_ghost_message(exc.code)
        elif exc.code:
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


OWN_GHOST_CODES = (
    "sign_in",
    "no_past",
    "no_history",
    "classification_round",
    "no_classification",
    "replay_round",
    "empty_past",
)


def own_ghost_message(code: str) -> str:
    """Why a ghost from the archer's own past cannot be made, in their language."""
    messages = {
        "sign_in": _("Sign in to shoot against your own past."),
        "no_past": _("That round is not in your history."),
        "no_history": _("You have no finished rounds on this round yet."),
        "classification_round": _("Classifications are earned on ranking rounds."),
        "no_classification": _(
            "There is no classification above your best on this round for your"
            " profile (set your bowstyle, sex and age class in the settings)."
        ),
        "replay_round": _("That past round can only be replayed on its own round."),
        "empty_past": _("That round has no arrows to replay."),
    }
    return messages.get(code, _("That ghost cannot be made."))


def min_max_message(code: str, **params: Any) -> str:
    """The original app's min/max rules, in the user's language."""
    if code == "min_negative":
        return _("The minimum points per end must be 0 or more.")
    if code == "max_not_above_min":
        return _("The maximum points per end must be greater than the minimum.")
    if code == "no_scorable_total":
        return _(
            "No %(arrows)s arrows on this target face score between %(low)s and"
            " %(high)s points: widen the range.",
            arrows=params.get("arrows", "?"),
            low=params.get("low", "?"),
            high=params.get("high", "?"),
        )
    return _(
        "The maximum points per end cannot be more than %(limit)s.",
        limit=params.get("limit", 30),
    )


# -- the original app's bookmarked links ---------------------------------------------


def _plain(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: The original's ``type``: it sent ``qualifiers`` for the option its form
#: labelled "Eliminatorias" (an elimination match) and ``competition`` for
#: "Competición" (a ranking round). Spanish spellings are accepted too.
LEGACY_TYPES = {
    "qualifiers": "elimination",
    "qualifier": "elimination",
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
        _(
            "type is qualifiers (shown as “Eliminatorias”: an elimination match) or"
            " competition (“Competición”: a ranking round)."
        ),
        _("location is indoor (interior) or outdoor (exterior)."),
        _("modality is compound, or other for every other bow."),
        _(
            "competition_split, when present, shoots half the round (the original's"
            " “media competición”)."
        ),
        _("min_points is 0 or more, and max_points is greater than min_points."),
        _(
            "max_points is at most 30 per end indoors and in eliminations, and at most"
            " 60 per end in an outdoor ranking round."
        ),
    ]


def parse_legacy(data: Mapping[str, str]) -> tuple[Setup | None, list[str]]:
    """``simulator.php?max_points=..&min_points=..&type=..&location=..&modality=..
    [&competition_split=true]`` as a setup, or the problems found.

    The original's values (``type=qualifiers|competition``,
    ``location=indoor|outdoor``, ``modality=compound|other``) and their Spanish
    spellings, in any case and with or without accents; ``competition_split``
    present with any value (even empty or "false": the original only checked
    that it was there) means half a ranking round."""
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
            points[name] = parse_whole(data.get(name) or "")
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
        setup_kind = "half" if "competition_split" in data else "ranking"
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


# -- version 2's ghost.php: a championship category's ghost --------------------------

#: ``sex``: h (hombre) and m (mujer).
GHOST_SEXES = {
    "h": "men",
    "hombre": "men",
    "men": "men",
    "m": "women",
    "mujer": "women",
    "women": "women",
}
#: ``category``: c compound, o olympic (recurve), i instinctive (traditional),
#: lb longbow, d barebow ("desnudo").
GHOST_BOWS = {
    "c": "compound",
    "o": "recurve",
    "i": "traditional",
    "lb": "longbow",
    "d": "barebow",
    "compuesto": "compound",
    "olimpico": "recurve",
    "recurvo": "recurve",
    "instintivo": "traditional",
    "tradicional": "traditional",
    "desnudo": "barebow",
}
GHOST_BOWS |= {bow: bow for bow in BOWS}
#: ``age``: s15, s19 (its youth class; the nearest today is U18), s21, a (adult).
GHOST_AGES = {
    "s15": "U15",
    "s19": "U18",
    "s21": "U21",
    "a": "senior",
    "u15": "U15",
    "u18": "U18",
    "u21": "U21",
    "senior": "senior",
}
#: The age classes from youngest to oldest: "nearest" is counted in this order.
AGE_ORDER = ("U15", "U18", "U21", "senior")

#: A championship category: (indoor, bow, age class, sex).
Category = tuple[bool, str, str, str]


def championship_categories() -> dict[Category, str]:
    """The categories with championship results, and their preset's name."""
    from ..engine import all_presets

    found: dict[Category, str] = {}
    for name, preset in all_presets().items():
        if preset.kind == "championship":
            assert preset.indoor is not None
            assert preset.bow is not None
            assert preset.age is not None
            sex = name.rsplit("-", 1)[-1]
            found[(preset.indoor, preset.bow, preset.age, sex)] = name
    return found


def nearest_category(wanted: Category) -> Category:
    """The category whose championship ghost stands in for ``wanted``.

    ``wanted`` itself when it has results; otherwise, keeping the bow always:
    the same sex and age class in the other season (a handicap is the same
    archer indoors and out, and an indoor senior is better matched by outdoor
    seniors than by indoor juniors); then the same sex at the nearest age class
    (counted in the order U15, U18, U21, senior; at equal distance the older
    class, whose archers shoot the longer distance, so the ghost is no easier
    than the category), this season first; then the other sex, in the same
    way. Every bow has outdoor senior results for both sexes, so some category
    is always found."""
    available = championship_categories()
    indoor, bow, age, sex = wanted
    other_sex = "women" if sex == "men" else "men"
    rank = AGE_ORDER.index(age)
    ages = sorted(
        AGE_ORDER,
        key=lambda a: (abs(AGE_ORDER.index(a) - rank), -AGE_ORDER.index(a)),
    )
    for who in (sex, other_sex):
        for near in ages:
            for season in (indoor, not indoor):
                if (season, bow, near, who) in available:
                    return (season, bow, near, who)
    from ..engine import GhostError

    raise GhostError(f"No championship results for {bow}.")


def category_label(category: Category) -> str:
    """ "indoor traditional U15 women", in the user's language."""
    from .labels import bow_names

    indoor, bow, age, sex = category
    return _(
        "%(season)s %(bow)s %(age)s %(sex)s",
        season=_("indoor") if indoor else _("outdoor"),
        bow=bow_names()[bow].lower(),
        age=_("senior") if age == "senior" else age,
        sex=_("men") if sex == "men" else _("women"),
    )


def ghost_link_rules() -> list[str]:
    """Version 2's rules for its ghost.php link, as a list to show."""
    return [
        _("sex is h (hombre: men) or m (mujer: women)."),
        _(
            "category is c (compound), o (olympic: recurve), i (instinctive:"
            " traditional), lb (longbow) or d (barebow)."
        ),
        _(
            "age is s15 (under 15), s19 (youth: today's nearest class is under 18),"
            " s21 (under 21) or a (senior)."
        ),
        _(
            "location, if given, is outdoor (exterior, the default) or indoor"
            " (interior)."
        ),
        _(
            "A category without championship results gets the nearest one's ghost:"
            " the nearest age class, then the other sex, then the other season."
        ),
    ]


def parse_ghost_link(
    data: Mapping[str, str],
) -> tuple[Setup | None, list[str], str]:
    """``ghost.php?sex=h|m&category=c|o|i|lb|d&age=s15|s19|s21|a[&location=..]``
    as a match against that championship category's preset ghost: the setup,
    the problems found, and a notice to show when a nearby category's ghost
    stands in (see :func:`nearest_category`). Outdoors unless ``location``
    says otherwise; values in any case, with or without accents."""
    problems: list[str] = []
    sex = GHOST_SEXES.get(_plain(data.get("sex")))
    if sex is None:
        problems.append(_("Unknown sex %(value)s.", value=data.get("sex") or "—"))
    bow = GHOST_BOWS.get(_plain(data.get("category")))
    if bow is None:
        problems.append(
            _("Unknown category %(value)s.", value=data.get("category") or "—")
        )
    age = GHOST_AGES.get(_plain(data.get("age")))
    if age is None:
        problems.append(_("Unknown age %(value)s.", value=data.get("age") or "—"))
    indoor: bool | None = False
    if "location" in data:
        indoor = LEGACY_LOCATIONS.get(_plain(data.get("location")))
        if indoor is None:
            problems.append(
                _("Unknown location %(value)s.", value=data.get("location") or "—")
            )
    if problems or sex is None or bow is None or age is None or indoor is None:
        return None, problems, ""
    wanted: Category = (indoor, bow, age, sex)
    used = nearest_category(wanted)
    notice = ""
    if used != wanted:
        notice = _(
            "No championship results for %(wanted)s: your ghost is the one for"
            " %(used)s.",
            wanted=category_label(wanted),
            used=category_label(used),
        )
    setup = Setup(
        kind="cumulative" if bow == "compound" else "set",
        bow=bow,
        indoor=indoor,
        ghost="preset",
        handicap=None,
        preset=championship_categories()[used],
    )
    return setup, [], notice
