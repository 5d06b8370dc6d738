"""The public pages: landing and about."""

from __future__ import annotations

from flask import Blueprint, render_template

from .._version import __version__

bp = Blueprint("pages", __name__)


@bp.get("/")
def index() -> str:
    return render_template("index.html")


@bp.get("/about")
def about() -> str:
    return render_template("about.html", version=__version__)
