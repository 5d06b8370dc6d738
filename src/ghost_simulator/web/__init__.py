"""The web layer: blueprints of thin views over the engine and the store."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter, Map, ValidationError

from ..services.numbers import MAX_ID
from . import (
    accounts,
    api,
    auth,
    data,
    errors,
    history,
    limits,
    pages,
    play,
    tokens,
    training,
)
from .helpers import template_globals
from .offline import bp as offline_bp
from .printing import bp as printing_bp


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
    accounts.init_app(app)
    limits.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(play.bp)
    app.register_blueprint(history.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(data.bp)
    app.register_blueprint(tokens.bp)
    app.register_blueprint(training.bp)
    app.register_blueprint(printing_bp)
    app.register_blueprint(offline_bp)
    errors.init_app(app)
    api.init_app(app)  # after the pages' error handlers, which it keeps
