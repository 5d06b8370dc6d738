"""The web layer: blueprints of thin views, grouped by area (play, history,
training, account, api; site for the pages every visitor sees), that parse the
request, call the services and render. ``common`` holds what they share."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter, Map, ValidationError

from ..services.numbers import MAX_ID
from . import api, site
from .account import sessions, your_data
from .account import tokens as account_tokens
from .account import views as account_views
from .club import views as club_views
from .common import errors, limits
from .common.templates import template_globals
from .day import views as day_views
from .history import views as history_views
from .ladder import views as ladder_views
from .league import views as league_views
from .night import live as live  # its route is on the night blueprint
from .night import views as night_views
from .play import legacy as legacy  # its routes are on play's blueprint
from .play import offline, printing
from .play import views as play_views
from .share import views as share_views
from .team import views as team_views
from .training import views as training_views


class RowId(BaseConverter):
    """``<int:...>`` in this app's routes: a row id, in ASCII digits, that the
    databases can hold (at most 2**31 - 1, PostgreSQL's ids). Anything else is
    a 404, as for any id no row has, never a conversion of thousands of digits
    or an integer that overflows the driver."""

    regex = r"[0-9]{1,19}"
    part_isolating = True

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map)

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value: object) -> str:
        return str(int(value))  # type: ignore[call-overload]


def init_app(app: Flask) -> None:
    # Before any blueprint adds its routes: they are compiled with it.
    app.url_map.converters["int"] = RowId
    app.context_processor(template_globals)
    sessions.init_app(app)
    limits.init_app(app)
    app.register_blueprint(site.bp)
    app.register_blueprint(play_views.bp)  # with the old links' routes (legacy)
    app.register_blueprint(history_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(your_data.bp)
    app.register_blueprint(account_tokens.bp)
    app.register_blueprint(training_views.bp)
    app.register_blueprint(ladder_views.bp)
    app.register_blueprint(day_views.bp)
    app.register_blueprint(team_views.bp)
    app.register_blueprint(club_views.bp)
    app.register_blueprint(night_views.bp)
    app.register_blueprint(league_views.bp)
    app.register_blueprint(share_views.bp)
    app.register_blueprint(printing.bp)
    app.register_blueprint(offline.bp)
    errors.init_app(app)
    api.init_app(app)  # after the pages' error handlers, which it keeps
