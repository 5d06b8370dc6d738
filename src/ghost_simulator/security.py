"""HTTP hardening: security headers on every response and cookie flags."""

from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from flask.typing import ResponseReturnValue

#: Only the app's own files: no inline script or style, no third-party host.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked Secure whenever the request came
    over HTTPS (directly, or through a trusted proxy), so the same app works on
    plain HTTP at home and on HTTPS at a club without a setting to forget."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def csrf_failed(_error: Exception) -> ResponseReturnValue:
    """A form without a valid token: say what to do, in the user's language."""
    from flask_babel import gettext as _
    from werkzeug.exceptions import BadRequest

    from .web.errors import handle_http_error

    message = _(
        "This form has expired or did not come from this site."
        " Reload the page and try again."
    )
    return handle_http_error(BadRequest(description=message))


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError, CSRFProtect

    CSRFProtect(app)
    app.register_error_handler(CSRFError, csrf_failed)
    app.session_interface = SessionInterface()
    app.after_request(add_security_headers)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=proxies,
            x_proto=proxies,
            x_host=proxies,
            x_prefix=proxies,
        )
