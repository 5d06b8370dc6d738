"""Your data is yours: download everything you keep here (JSON, or CSV tables
for a spreadsheet), and bring an export into a new account on any server."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import BuildError

from ...services import transfer
from ...store.models import Archer
from ..common.limits import limiter
from ..common.viewer import signed_in_archer

bp = Blueprint("data", __name__, url_prefix="/settings")

#: An upload may be as large as the largest export an import takes, plus the
#: form around it (the app's own limit on a request is far smaller).
UPLOAD_LIMIT = transfer.UPLOAD_LIMIT
#: Imports replay every match: a client may try a few files, not hammer it.
IMPORT_LIMIT = "20 per hour"


def _archer() -> Archer:
    archer = signed_in_archer()
    if archer is None:  # login_required let an anonymous user through
        abort(401)
    return archer


def _settings_url() -> str:
    try:
        return url_for("accounts.settings")
    except BuildError:  # the settings page is not part of this app
        return f"{request.script_root}/settings"


def _file_name(archer: Archer, kind: str) -> str:
    """``ghost-simulator-<username>[-<table>]-<date>.<ext>``."""
    username = re.sub(r"[^\w.-]+", "_", archer.username) or "archer"
    today = datetime.now(UTC).date().isoformat()
    table, _dot, extension = kind.rpartition(".")
    middle = f"-{table}" if table else ""
    return f"ghost-simulator-{username}{middle}-{today}.{extension}"


def _download(body: bytes, mimetype: str, name: str) -> Response:
    response = send_file(
        io.BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=name
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.url_value_preprocessor
def _allow_large_upload(endpoint: str | None, _values: object) -> None:
    """Runs before any hook reads the form (CSRF does): an import may be larger
    than the app's limit on other requests."""
    if endpoint == "data.import_json":
        request.max_content_length = UPLOAD_LIMIT


@bp.get("/export.json")
@login_required
def export_json() -> Response:
    archer = _archer()
    body = transfer.dumps(transfer.export_archer(archer.id)).encode("utf-8")
    return _download(body, "application/json", _file_name(archer, "json"))


@bp.get("/export/<table>.csv")
@login_required
def export_csv(table: str) -> Response:
    if table not in transfer.CSV_TABLES:
        abort(404)
    archer = _archer()
    # A byte-order mark, so that spreadsheets read the text as UTF-8.
    body = ("\ufeff" + transfer.export_csv(archer.id, table)).encode("utf-8")
    return _download(body, "text/csv", _file_name(archer, f"{table}.csv"))


def _refused(reason: str, status: int = 400) -> ResponseReturnValue:
    page = render_template(
        "data_import.html", reason=reason, settings_url=_settings_url()
    )
    return page, status


@bp.post("/import")
@limiter.limit(IMPORT_LIMIT)
@login_required
def import_json() -> ResponseReturnValue:
    archer = _archer()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _refused(_("Choose the .json file to import."))
    try:
        data = upload.stream.read(transfer.MAX_DOCUMENT_BYTES + 1)
    finally:
        upload.close()  # a large upload sits in a temporary file
    try:
        count = transfer.import_archer(
            archer.id, data, most_work=transfer.PAGE_IMPORT_WORK
        )
    except transfer.TransferError as exc:
        return _refused(str(exc))
    flash(ngettext("Imported %(num)d match.", "Imported %(num)d matches.", count))
    return redirect(_settings_url(), 303)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
    megabytes = transfer.MAX_DOCUMENT_BYTES // (1024 * 1024)
    return _refused(
        _("The file is larger than %(size)s MB: no export is.", size=megabytes), 413
    )
