"""Who is signed in: Flask-Login's session handling around the store's archers.

The session keeps the archer's id and their ``session_version``; a new
password bumps the version, which signs out every other session.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user

from ..store import archers
from ..store.models import Archer


class Account(UserMixin):
    """A signed-in archer, as Flask-Login sees them."""

    def __init__(self, archer: Archer) -> None:
        self.archer = archer

    def get_id(self) -> str:
        return f"{self.archer.id}.{self.archer.session_version or 0}"


def load_account(user_id: str) -> Account | None:
    archer_id, _, version = user_id.partition(".")
    if not (archer_id.isdigit() and version.isdigit()):
        return None
    archer = archers.get(int(archer_id))
    if archer is None or (archer.session_version or 0) != int(version):
        return None
    return Account(archer)


def signed_in_archer() -> Archer | None:
    """The archer signed in on this request, if any."""
    if current_user.is_authenticated:
        archer: Archer = current_user.archer
        return archer
    return None


def init_app(app: Flask) -> LoginManager:
    manager = LoginManager(app)
    manager.user_loader(load_account)
    manager.anonymous_user = AnonymousUserMixin
    manager.session_protection = "basic"
    manager.login_view = "accounts.login"
    manager.login_message = _l("Sign in to see this page.")
    manager.login_message_category = "notice"
    return manager
