"""The account forms' fields: what each accepts, and what to say when it does
not, in the user's language. Views call these and only deal with HTTP."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from .. import passwords
from ..engine.constants import BOWS, SCHEMES

USERNAME = re.compile(r"[A-Za-z0-9._-]{3,64}")
#: Something, an @, something with a dot: the rest is the mail server's call.
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s.]+")
EMAIL_MAX = 254
NAME_MAX = 100

#: Archery GB's age groups, as archeryutils names them.
AGE_CLASSES = (
    "adult",
    "50+",
    "under 21",
    "under 18",
    "under 16",
    "under 15",
    "under 14",
    "under 12",
)
SEXES = ("male", "female")
SEASONS = ("indoor", "outdoor")


@dataclass(frozen=True)
class ProfileRule:
    """What one profile field may hold. The settings form and an import both
    check a profile against these (each wording its refusals its own way)."""

    longest: int  #: its column's length
    choices: tuple[str, ...] | None = None  #: None: any text (but see below)
    optional: bool = False  #: may be left empty: "not given", kept as None


#: The profile's rules, by field (``store.archers.PROFILE_FIELDS``). Two are
#: checked against the app itself: ``locale`` is one of the languages the app
#: is configured to speak, ``default_round`` a round it knows (``known_round``).
PROFILE_RULES: dict[str, ProfileRule] = {
    "name": ProfileRule(NAME_MAX, optional=True),
    "bowstyle": ProfileRule(16, BOWS),
    "sex": ProfileRule(8, SEXES, optional=True),
    "age_class": ProfileRule(16, AGE_CLASSES),
    "season": ProfileRule(8, SEASONS),
    "default_round": ProfileRule(64, optional=True),
    "scheme": ProfileRule(8, SCHEMES),
    "locale": ProfileRule(16, optional=True),
}


def profile_choices(name: str, languages: Sequence[str]) -> tuple[str, ...] | None:
    """The values a profile field may take (None: free text)."""
    if name == "locale":
        return tuple(languages)
    return PROFILE_RULES[name].choices


def known_round(text: str) -> str | None:
    """The code name of the round that goes by ``text``, or None."""
    from ..engine import get_round
    from ..engine.rounds import RoundError

    try:
        return get_round(text[:100]).codename
    except RoundError:
        return None


@dataclass
class Parsed:
    """A form's clean values, and a message per field that was not right."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def age_class_names() -> dict[str, str]:
    return {
        "adult": _("Adult"),
        "50+": _("50 and over"),
        "under 21": _("Under 21"),
        "under 18": _("Under 18"),
        "under 16": _("Under 16"),
        "under 15": _("Under 15"),
        "under 14": _("Under 14"),
        "under 12": _("Under 12"),
    }


def sex_names() -> dict[str, str]:
    return {"male": _("Male"), "female": _("Female"), "": _("Not given")}


def season_names() -> dict[str, str]:
    return {"indoor": _("Indoor"), "outdoor": _("Outdoor")}


def scheme_names() -> dict[str, str]:
    names = {
        "AGB": _("Archery GB (2023)"),
        "AGBold": _("Archery GB (2013)"),
        "AA": _("Archery Australia"),
        "AA2": _("Archery Australia (2)"),
    }
    return {code: names.get(code, code) for code in SCHEMES}


def username_error(username: str) -> str | None:
    if not username:
        return _("Choose a username.")
    if not USERNAME.fullmatch(username):
        return _(
            "A username has 3 to 64 characters: letters, digits, dots, hyphens"
            " and underscores."
        )
    return None


def parse_email(text: str) -> tuple[str | None, str | None]:
    """The email lower-cased (None when left empty), or why it cannot be one."""
    email = text.strip().lower()
    if not email:
        return None, None
    if len(email) > EMAIL_MAX or not EMAIL.fullmatch(email):
        return None, _("This does not look like an email address.")
    return email, None


def new_password_errors(
    password: str, confirm: str, username: str, name: str = "password"
) -> dict[str, str]:
    """The rule's verdict on a new password and its confirmation, by field."""
    errors: dict[str, str] = {}
    try:
        passwords.check_rule(password, username)
    except passwords.PasswordError as error:
        messages = {
            "too_short": _(
                "A password has at least %(count)s characters.",
                count=passwords.MIN_LENGTH,
            ),
            "too_long": _(
                "A password has at most %(count)s characters.",
                count=passwords.MAX_LENGTH,
            ),
            "is_username": _("The password cannot be the username."),
        }
        errors[name] = messages.get(error.code, str(error))
    if name not in errors and password != confirm:
        errors[f"confirm_{name}"] = _("The two passwords are not the same.")
    return errors


def parse_registration(form: Mapping[str, str]) -> Parsed:
    parsed = Parsed()
    username = form.get("username", "").strip()
    parsed.values["username"] = username
    problem = username_error(username)
    if problem:
        parsed.errors["username"] = problem
    email, problem = parse_email(form.get("email", ""))
    parsed.values["email"] = email
    if problem:
        parsed.errors["email"] = problem
    password = form.get("password", "")
    parsed.values["password"] = password
    parsed.errors.update(
        new_password_errors(password, form.get("confirm_password", ""), username)
    )
    return parsed


def parse_profile(form: Mapping[str, str], languages: Sequence[str]) -> Parsed:
    """The profile's fields (``PROFILE_RULES``): each must be one of its
    choices, or empty where that means "not given"."""
    parsed = Parsed()
    values, errors = parsed.values, parsed.errors

    name = " ".join(form.get("name", "").split())
    if len(name) > PROFILE_RULES["name"].longest:
        errors["name"] = _(
            "A name has at most %(count)s characters.",
            count=PROFILE_RULES["name"].longest,
        )
    values["name"] = name or None

    messages = {
        "bowstyle": _("Choose a bow from the list."),
        "sex": _("Choose male, female or not given."),
        "age_class": _("Choose an age class from the list."),
        "season": _("Choose indoor or outdoor."),
        "scheme": _("Choose a handicap scheme from the list."),
        "locale": _("Choose a language from the list."),
    }
    for key, message in messages.items():
        value = form.get(key, "")
        allowed = profile_choices(key, languages) or ()
        optional = PROFILE_RULES[key].optional
        if value not in allowed and not (optional and not value):
            errors[key] = message
        values[key] = (value or None) if optional else value

    default_round = form.get("default_round", "").strip()
    values["default_round"] = None
    if default_round:
        code = known_round(default_round)
        values["default_round"] = code or default_round
        if code is None:
            errors["default_round"] = _(
                "There is no round by that name: choose one from the list."
            )
    return parsed
