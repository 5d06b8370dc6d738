"""Who is signed in: Flask-Login's session handling around the store's sign-ins.

The session keeps a sign-in's random token, never an archer's id: the token
names one account for its whole life (see :mod:`..store.signins`), and is
checked against the database on every request, so a sign-in ended elsewhere
(signing out, "sign out everywhere", a new password, the account deleted)
ends here at the next request.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, LoginManager, UserMixin

from ...store import signins
from ...store.models import Archer


class Account(UserMixin):
    """A signed-in archer, as Flask-Login sees them: the archer and the token
    of this browser's sign-in."""

    def __init__(self, archer: Archer, sign_in: str) -> None:
        self.archer = archer
        self.sign_in = sign_in

    def get_id(self) -> str:
        return self.sign_in


def load_account(user_id: str) -> Account | None:
    found = signins.find(user_id) if isinstance(user_id, str) else None
    return None if found is None else Account(found.archer, user_id)


def init_app(app: Flask) -> LoginManager:
    manager = LoginManager(app)
    manager.user_loader(load_account)
    manager.anonymous_user = AnonymousUserMixin
    manager.session_protection = "basic"
    manager.login_view = "accounts.login"
    manager.login_message = _l("Sign in to see this page.")
    manager.login_message_category = "notice"
    return manager
