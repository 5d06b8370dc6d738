"""The web layer: blueprints of thin views over the engine and the store."""

from __future__ import annotations

from flask import Flask

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


def init_app(app: Flask) -> None:
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
