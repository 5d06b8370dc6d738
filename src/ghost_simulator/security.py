"""HTTP hardening: security headers on every response, cookie flags, and which
host names absolute links may carry.

Absolute links (a match's share link) come from, in order:

1. ``PUBLIC_URL`` (``https://club.example.org/ghost``) when it is set: scheme,
   host and path all from it, whatever Host header a request carries;
2. otherwise the request's Host when ``TRUSTED_HOSTS`` lists it (Flask refuses
   any other Host with 400 before a view runs; ``/healthz`` is answered anyway,
   for health checks that call an instance by its address);
3. with neither (a laptop at home), the request's Host only when it cannot name
   another site: ``localhost`` or a loopback, private or link-local IP address,
   as a phone on the same network uses. Any other Host gets links that are
   paths on this site (``/new?seed=...``), which the browser completes itself.

So a forged Host header can never put a foreign domain into a page.
"""

from __future__ import annotations

import io
import ipaddress
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from flask import Flask, Request, Response, request
from flask.sessions import (
    SecureCookieSession,
    SecureCookieSessionInterface,
    SessionMixin,
)
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import MapAdapter
from werkzeug.utils import cached_property

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

#: Over HTTPS only: browsers then refuse plain HTTP to this host for a year.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

#: Responses that never carry the session cookie.
#: (The offline page and the service worker are fetched by the worker in the
#: background: a session cookie refreshed by them could land after, and undo,
#: the cookie a page's own request set meanwhile.)
COOKIELESS_ENDPOINTS = frozenset(
    {"static", "pages.healthz", "offline.offline_page", "offline.service_worker"}
)

#: Answered whatever the Host header, so a health check can call an instance
#: by its address (it builds no link).
HOST_INDEPENDENT_PATHS = frozenset({"/healthz"})


#: How old an unchanged session cookie gets before a response signs it anew.
COOKIE_REFRESH = timedelta(days=1)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked Secure whenever the request came
    over HTTPS (directly, or through a trusted proxy), so the same app works on
    plain HTTP at home and on HTTPS at a club without a setting to forget; an
    unchanged cookie is signed again once a day, not on every response."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Flask's, also noting when the cookie was signed (see
        :meth:`should_set_cookie`)."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed = serializer.loads(
                value, max_age=max_age, return_timestamp=True
            )
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed  # type: ignore[attr-defined]
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """A changed session is sent back; an unchanged permanent one only
        once its cookie is a day old (its year-long expiry still slides, but
        a page does not pay for signing it again on every request)."""
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed = getattr(session, "signed_at", None)
        return signed is None or datetime.now(UTC) - signed >= COOKIE_REFRESH

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """Static files and the health check neither set nor refresh the
        session cookie (nor vary by it, so caches can share them)."""
        if request.endpoint in COOKIELESS_ENDPOINTS:
            return
        super().save_session(app, session, response)


def form_token() -> str:
    """This request's form token (Flask-WTF's CSRF token, signed once per
    request)."""
    return str(generate_csrf())


class BoundedRequest(Request):
    """Flask's request, refusing a body sent without a ``Content-Length``
    (``Transfer-Encoding: chunked``) that is larger than this request may take.

    Werkzeug caps such a stream at the limit by stopping there, without an
    error: the first megabyte of a 50 MB body would be processed as if it were
    all of it. Here it is read up to the request's limit (the app's, or a
    view's own larger one) and refused beyond it with a 413, as a body whose
    ``Content-Length`` says it is too large is refused."""

    READ_SIZE = 64 * 1024

    @cached_property
    def stream(self) -> IO[bytes]:
        limit = self.max_content_length
        if (
            limit is None
            or self.content_length is not None
            or "chunked" not in self.environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        ):
            return super().stream
        source = self.environ["wsgi.input"]
        parts: list[bytes] = []
        size = 0
        while size <= limit:
            part = source.read(min(self.READ_SIZE, limit + 1 - size))
            if not part:
                break
            parts.append(part)
            size += len(part)
        if size > limit:
            raise RequestEntityTooLarge()
        return io.BytesIO(b"".join(parts))


def _host_name(host: str) -> str:
    """``host:port`` or ``[v6]:port`` without the port, lower-cased."""
    host = host.lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def is_local_host(host: str) -> bool:
    """True for a Host that cannot name another site on the internet:
    ``localhost`` and loopback, private or link-local IP addresses."""
    name = _host_name(host)
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    present = {name.lower() for name in headers.keys()}  # noqa: SIM118 (a multi-dict)
    headers.extend(
        (name, value)
        for name, value in SECURITY_HEADERS.items()
        if name.lower() not in present
    )
    # HTTPS directly, or through a trusted proxy's X-Forwarded-Proto (ProxyFix).
    # Not for localhost: a year of HTTPS-only would break every other
    # development server on the machine (browsers ignore it for IP addresses).
    # (The raw header: request.host raises for a Host that TRUSTED_HOSTS refused.)
    host = _host_name(request.environ.get("HTTP_HOST", ""))
    if request.is_secure and not host.endswith("localhost"):
        response.headers.setdefault(
            "Strict-Transport-Security", STRICT_TRANSPORT_SECURITY
        )
    return response


class PathOnlyLinks(MapAdapter):
    """A URL adapter that builds every link as a path on this site, even when
    asked for an absolute one: for a request whose Host cannot be trusted.

    With ``refusal`` set, matching raises it: the request is answered with that
    error (a 400), and the error page's links still build.
    """

    refusal: HTTPException | None = None

    def build(
        self,
        endpoint: str,
        values: Any = None,
        method: str | None = None,
        force_external: bool = False,
        append_unknown: bool = True,
        url_scheme: str | None = None,
    ) -> str:
        return super().build(endpoint, values, method, False, append_unknown)

    def match(self, *args: Any, **kwargs: Any) -> Any:
        if self.refusal is not None:
            raise self.refusal
        return super().match(*args, **kwargs)


def _path_only(adapter: MapAdapter, refusal: HTTPException | None) -> MapAdapter:
    links = PathOnlyLinks.__new__(PathOnlyLinks)
    links.__dict__.update(adapter.__dict__)
    links.refusal = refusal
    return links


def _host_refused() -> HTTPException:
    from flask_babel import lazy_gettext as _l
    from werkzeug.exceptions import BadRequest

    return BadRequest(
        _l(
            "This site does not answer to the address in this request's Host"
            " header. Open it at its usual address."
        )
    )


def init_link_hosts(app: Flask) -> None:
    """Build absolute links from ``PUBLIC_URL``, a trusted Host, or not at all
    (see the module's docstring): Flask's URL adapter, per request, adjusted."""
    from .config import parse_public_url

    public = parse_public_url(app.config.get("PUBLIC_URL"))
    trusted = app.config.get("TRUSTED_HOSTS")
    if public is not None:
        app.config["PREFERRED_URL_SCHEME"] = public.scheme
    flask_adapter = app.create_url_adapter

    def create_url_adapter(req: Request | None) -> MapAdapter | None:
        if req is None:
            return flask_adapter(req)
        try:
            adapter = flask_adapter(req)
        except HTTPException:  # an untrusted or malformed Host
            refusal: HTTPException | None = _host_refused()
            adapter = app.url_map.bind(
                public.netloc if public else "localhost",
                script_name=req.script_root or "/",
                subdomain="",
                url_scheme=req.scheme,
                default_method=req.method,
                path_info=req.path,
            )
            if req.path in HOST_INDEPENDENT_PATHS:
                refusal = None
            return _path_only(adapter, refusal)
        if adapter is None:
            return None
        if public is not None:
            adapter.server_name = public.netloc
            adapter.url_scheme = public.scheme
            adapter.script_name = public.path + "/"
        elif not trusted and not is_local_host(req.host):
            return _path_only(adapter, None)
        return adapter

    app.create_url_adapter = create_url_adapter  # type: ignore[method-assign,assignment]


def init_app(app: Flask) -> None:
    from flask_wtf.csrf import CSRFProtect

    from .config import secure_database_file

    # Before the database layer first opens it: owner-only, as the data dir.
    secure_database_file(
        str(app.config["DATABASE_URL"]),
        create=app.config.get("AUTO_UPGRADE") is not False,
    )
    CSRFProtect(app)
    # Where templates find it: Flask-WTF puts its own in both.
    app.jinja_env.globals["csrf_token"] = form_token
    app.context_processor(lambda: {"csrf_token": form_token})
    # A form without a valid token is answered by the web layer's error pages
    # (web.common.errors), in the user's language.
    app.session_interface = SessionInterface()
    app.request_class = BoundedRequest
    app.after_request(add_security_headers)
    init_link_hosts(app)
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
