"""Accounts: register, sign in and out, and the settings page (profile,
password, email, deleting the account).

No answer says whether an account exists: a failed sign-in always reads "Wrong
username or password." and takes as long either way, and a taken username and a
taken email are refused in the same words. Every form that checks a password is
throttled (see :mod:`.limits`).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from ... import passwords
from ...engine import get_round
from ...services import accounts as forms
from ...services.setups import COMMON_ROUNDS
from ...store import archers, signins, tokens
from ...store import days as stored_days
from ...store import ladders as stored_ladders
from ...store import matches as stored
from ...store import teams as stored_teams
from ...store.models import Archer
from ..common.limits import (
    PASSWORD_CHECK,
    SIGN_IN,
    SIGN_IN_PER_ACCOUNT,
    failed,
    limiter,
    register_limit,
    submitted_account,
)
from ..common.templates import LANGUAGES
from ..common.viewer import current_sign_in, owner_key
from ..site import LANGUAGE_COOKIE, return_path, set_preference_cookie
from .sessions import Account

bp = Blueprint("accounts", __name__)

#: The data blueprint's endpoints the settings page links to, once it exists.
DATA_ENDPOINTS = ("data.export_json", "data.export_csv", "data.import_json")


def _next() -> str | None:
    """Where to go after signing in: a path on this site, or None."""
    return return_path(request.values.get("next"))


def _archer() -> Archer:
    archer: Archer = current_user.archer
    return archer


def _sign_in(archer: Archer, target: str | None, remember: bool) -> BaseResponse:
    """Sign the archer in on this browser, hand them the matches it played
    the ghost ladders and competition days it started before, and speak
    their language."""
    stored.claim(owner_key(), archer.id)
    stored_ladders.claim(owner_key(), archer.id)
    stored_days.claim(owner_key(), archer.id)
    stored_teams.claim(owner_key(), archer.id)
    sign_in = signins.start(
        archer.id, unused_for=current_app.permanent_session_lifetime
    )
    login_user(Account(archer, sign_in))
    # Not Flask-Login's remember cookie: the session cookie is already marked
    # Secure per request (see security.py), and lasts a year when asked to.
    session.permanent = remember
    response = redirect(target or url_for("pages.index"), 303)
    if archer.locale and archer.locale in current_app.config["LANGUAGES"]:
        set_preference_cookie(response, LANGUAGE_COOKIE, archer.locale)
    return response


def _sign_out() -> None:
    """End the sign-in on the server (a copy of the cookie stops working too)
    and forget this browser's key: matches played after this on a shared
    device are not the archer's."""
    sign_in = current_sign_in()
    if sign_in is not None:
        signins.end(sign_in)
    session.clear()
    logout_user()


# -- signing in and out ------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(SIGN_IN, methods=["POST"], deduct_when=failed)
@limiter.limit(
    SIGN_IN_PER_ACCOUNT,
    key_func=submitted_account,
    methods=["POST"],
    deduct_when=failed,
)
def login() -> ResponseReturnValue:
    target = _next()
    if current_user.is_authenticated:
        return redirect(target or url_for("pages.index"), 303)
    if request.method == "GET":
        return render_template("login.html", next=target, login="")
    login_name = request.form.get("login", "").strip()
    password = request.form.get("password", "")
    archer = archers.by_login(login_name) if login_name else None
    # Checked against a decoy when there is no such account: as slow either way.
    known = passwords.verify(archer.password_hash if archer else None, password)
    if not known or archer is None:
        error = _("Wrong username or password.")
        page = render_template("login.html", next=target, login=login_name, error=error)
        return page, 400
    return _sign_in(archer, target, remember=bool(request.form.get("remember")))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(register_limit, methods=["POST"])
def register() -> ResponseReturnValue:
    target = _next()
    if current_user.is_authenticated:
        return redirect(target or url_for("pages.index"), 303)
    if request.method == "GET":
        return render_template("register.html", next=target, values={}, errors={})
    parsed = forms.parse_registration(request.form)
    if parsed.errors:
        return _registration_refused(target, parsed)
    username, email = parsed.values["username"], parsed.values["email"]
    # Hashed first, so a taken name answers no faster than a new one.
    password_hash = passwords.hash_password(parsed.values["password"])
    archer: Archer | None = None
    if not archers.username_taken(username) and not (
        email and archers.email_taken(email)
    ):
        try:
            archer = archers.create(username, password_hash, email)
        except archers.AccountExists:
            archer = None
    if archer is None:
        parsed.errors["account"] = _("Choose another username or email.")
        return _registration_refused(target, parsed)
    flash(_("Welcome, %(username)s: your account is ready.", username=username))
    return _sign_in(archer, target, remember=True)


def _registration_refused(target: str | None, parsed: forms.Parsed) -> tuple[str, int]:
    values = {k: v for k, v in parsed.values.items() if k != "password"}
    page = render_template(
        "register.html", next=target, values=values, errors=parsed.errors
    )
    return page, 400


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    _sign_out()
    flash(_("You are signed out."))
    return redirect(url_for("pages.index"), 303)


# -- settings -----------------------------------------------------------------------


def _language_names() -> dict[str, str]:
    names = dict(LANGUAGES)
    return {code: names.get(code, code) for code in current_app.config["LANGUAGES"]}


def _settings_page(
    errors: dict[str, str] | None = None,
    profile: dict[str, Any] | None = None,
    email: str | None = None,
) -> str:
    archer = _archer()
    if profile is None:
        profile = {name: getattr(archer, name) for name in archers.PROFILE_FIELDS}
    rounds = [
        (code, get_round(code).name)
        for codes in COMMON_ROUNDS.values()
        for code in codes
    ]
    return render_template(
        "settings.html",
        archer=archer,
        profile=profile,
        email=archer.email if email is None else email,
        errors=errors or {},
        other_sign_ins=signins.count_others(archer.id, keep=current_sign_in()),
        rounds=rounds,
        age_classes=forms.age_class_names(),
        sexes=forms.sex_names(),
        seasons=forms.season_names(),
        schemes=forms.scheme_names(),
        locales=_language_names(),
        data=[e for e in DATA_ENDPOINTS if e in current_app.view_functions],
    )


@bp.get("/settings")
@login_required
def settings() -> str:
    return _settings_page()


def _checks_password(field: str, errors: dict[str, str]) -> None:
    """Add an error unless the form's ``field`` holds the current password."""
    if not passwords.verify(_archer().password_hash, request.form.get(field, "")):
        errors[field] = _("That is not your current password.")


def _saved(message: str) -> BaseResponse:
    flash(message)
    return redirect(url_for("accounts.settings"), 303)


@bp.post("/settings/profile")
@login_required
def save_profile() -> ResponseReturnValue:
    parsed = forms.parse_profile(request.form, current_app.config["LANGUAGES"])
    if parsed.errors:
        return _settings_page(parsed.errors, profile=parsed.values), 400
    archers.update_profile(_archer(), parsed.values)
    locale = parsed.values["locale"]
    if not locale:
        return _saved(_("Your profile is saved."))
    with force_locale(locale):  # said in the language just chosen
        response = _saved(_("Your profile is saved."))
    set_preference_cookie(response, LANGUAGE_COOKIE, locale)
    return response


@bp.post("/settings/password")
@login_required
@limiter.limit(PASSWORD_CHECK, deduct_when=failed)
def change_password() -> ResponseReturnValue:
    errors: dict[str, str] = {}
    _checks_password("current_password", errors)
    new = request.form.get("password", "")
    errors.update(
        forms.new_password_errors(
            new, request.form.get("confirm_password", ""), _archer().username
        )
    )
    if errors:
        return _settings_page(errors), 400
    archer = _archer()
    archers.set_password_hash(
        archer, passwords.hash_password(new), keep_sign_in=current_sign_in()
    )
    return _saved(
        _(
            "Your password is changed. Every other browser signed in to your"
            " account is signed out; your API tokens keep working."
        )
    )


@bp.post("/settings/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> ResponseReturnValue:
    """End every other sign-in of the account (this browser stays signed in)
    and, when asked, every API token."""
    archer = _archer()
    ended = signins.end_others(archer.id, keep=current_sign_in())
    message = ngettext(
        "%(num)d other browser is signed out.",
        "%(num)d other browsers are signed out.",
        ended,
    )
    if request.form.get("tokens"):
        revoked = tokens.revoke_all(archer.id)
        message += " " + ngettext(
            "%(num)d API token is revoked.", "%(num)d API tokens are revoked.", revoked
        )
    return _saved(message)


@bp.post("/settings/email")
@login_required
@limiter.limit(PASSWORD_CHECK, deduct_when=failed)
def change_email() -> ResponseReturnValue:
    errors: dict[str, str] = {}
    _checks_password("email_password", errors)
    text = request.form.get("email", "")
    email, problem = forms.parse_email(text)
    if problem:
        errors["email"] = problem
    archer = _archer()
    if not errors:
        try:
            if email and archers.email_taken(email, other_than=archer.id):
                raise archers.AccountExists(email)
            archers.set_email(archer, email)
        except archers.AccountExists:
            errors["email"] = _("Choose another email.")
    if errors:
        return _settings_page(errors, email=text.strip()), 400
    if email:
        return _saved(_("Your email is saved."))
    return _saved(_("Your email is removed."))


@bp.post("/settings/delete")
@login_required
@limiter.limit(PASSWORD_CHECK, deduct_when=failed)
def delete_account() -> ResponseReturnValue:
    archer = _archer()
    errors: dict[str, str] = {}
    _checks_password("delete_password", errors)
    typed = request.form.get("confirm_username", "").strip()
    if typed.lower() != archer.username.lower():
        errors["confirm_username"] = _("Type your username to confirm.")
    if errors:
        return _settings_page(errors), 400
    archers.delete_account(archer)
    _sign_out()
    flash(_("Your account and all its matches are deleted."))
    return redirect(url_for("pages.index"), 303)


# -- the original's addresses -------------------------------------------------------


@bp.get("/login.html")
def legacy_login() -> ResponseReturnValue:
    return redirect(url_for("accounts.login"), 301)


@bp.get("/register.html")
def legacy_register() -> ResponseReturnValue:
    return redirect(url_for("accounts.register"), 301)


@bp.get("/settings.html")
def legacy_settings() -> ResponseReturnValue:
    return redirect(url_for("accounts.settings"), 301)
