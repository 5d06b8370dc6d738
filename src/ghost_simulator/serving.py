"""Running the app: the development server, the production server, and the
start-up banner that tells a person where to point their browser (or phone).

The CLI parses options; this module binds the socket and serves.
"""

from __future__ import annotations

import errno
import os
import socket
import ssl
import sys
import threading
import webbrowser
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from .errors import GhostSimError

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

    from flask import Flask

DEV_SERVER_WARNING = (
    "WARNING: This is a development server. Do not use it in a production"
    " deployment. Use 'ghost-sim serve --production' or another production WSGI"
    " server instead."
)
ALL_INTERFACES = {"0.0.0.0", "::", ""}


class ServeError(GhostSimError):
    """The server cannot start: the port is taken, the certificate unreadable, ..."""


CertOption = ssl.SSLContext | tuple[str, str] | str | None


def load_ssl_context(cert: CertOption) -> ssl.SSLContext | None:
    """Turn ``--cert``/``--key`` into a context now, so a bad file is one clear
    line before the server starts rather than a traceback after."""
    if cert is None or isinstance(cert, ssl.SSLContext):
        return cert
    if cert == "adhoc":
        from werkzeug.serving import generate_adhoc_ssl_context

        return generate_adhoc_ssl_context()
    if isinstance(cert, tuple):
        cert_file, key_file = cert
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        try:
            context.load_cert_chain(cert_file, key_file)
        except ssl.SSLError as exc:
            raise ServeError(
                f"Cannot use certificate {cert_file} with key {key_file}:"
                f" {exc.reason or exc}. Both must be PEM files, and the key must"
                " belong to the certificate."
            ) from None
        except OSError as exc:
            raise ServeError(
                f"Cannot read certificate {cert_file} or key {key_file}:"
                f" {exc.strerror or exc}."
            ) from None
        return context
    raise ServeError(f"Unsupported --cert value: {cert!r}")


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind and listen, or explain in one line why not."""
    from werkzeug.serving import get_sockaddr, select_address_family

    family = select_address_family(host, port)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name != "nt":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(get_sockaddr(host, port, family))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ServeError(_bind_error_message(host, port, exc)) from None
    return sock


def _bind_error_message(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"Port {port} is already in use on {host or 'all interfaces'}: stop the"
            " program using it, or choose another port with --port (--port 0 picks"
            " a free one)."
        )
    if exc.errno == errno.EACCES:
        return (
            f"Permission denied to listen on port {port}: ports below 1024 need"
            " administrator rights. Use a port such as 8080."
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"Cannot listen on {host}: this machine has no such address."
    if isinstance(exc, socket.gaierror):
        return f"Cannot listen on {host!r}: unknown host name ({exc.strerror})."
    return f"Cannot listen on {host}:{port}: {exc.strerror or exc}."


def lan_address(family: int = socket.AF_INET) -> str | None:
    """This machine's address on its local network, for a phone to reach.

    Connecting a UDP socket sends nothing: it only asks the OS which source
    address it would route through (a documentation-only address is the target).
    """
    target = ("192.0.2.1", 9) if family == socket.AF_INET else ("2001:db8::1", 9)
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect(target)
            address: str = probe.getsockname()[0]
    except OSError:
        return None
    if address.startswith("127.") or address in {"::1", "0.0.0.0", "::"}:
        return None
    return address


def _url(scheme: str, host: str, port: int) -> str:
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


@dataclass(frozen=True)
class Addresses:
    """Where the server can be opened: on this machine, and from the network."""

    local: str
    network: str | None
    all_interfaces: bool

    @classmethod
    def for_socket(cls, host: str, port: int, secure: bool) -> Addresses:
        scheme = "https" if secure else "http"
        if host in ALL_INTERFACES:
            ipv6 = ":" in host
            local = _url(scheme, "::1" if ipv6 else "127.0.0.1", port)
            lan = lan_address(socket.AF_INET6 if ipv6 else socket.AF_INET)
            network = _url(scheme, lan, port) if lan else None
            return cls(local, network, True)
        local = _url(scheme, host, port)
        reachable = not (
            host == "localhost" or host.startswith("127.") or host == "::1"
        )
        return cls(local, local if reachable else None, False)


def print_banner(
    addresses: Addresses,
    *,
    title: str,
    lines: Sequence[str],
    qr: bool,
    warning: str | None = None,
) -> None:
    """Say what is running and where to open it."""
    echo = click.echo
    echo(f" * {title}")
    for line in lines:
        echo(f" * {line}")
    if warning:
        click.secho(warning, fg="red", bold=True)
    if addresses.all_interfaces:
        echo(" * Listening on all addresses")
    echo(f" * Running on {addresses.local}")
    if addresses.network and addresses.all_interfaces:
        echo(f" * On a phone or tablet on the same network, open {addresses.network}")
    elif addresses.all_interfaces:
        echo(" * No local network address found: is this machine on a network?")
    if qr:
        print_qr(addresses)
    echo("Press CTRL+C to quit")


def print_qr(addresses: Addresses) -> None:
    """The network address as a QR code, for a phone's camera."""
    if addresses.network is None:
        click.echo(
            " * No QR code: a phone cannot reach this server. Listen on all"
            " addresses with --host 0.0.0.0 to open it from a phone.",
            err=True,
        )
        return
    import segno

    click.echo(f" * Scan to open {addresses.network}")
    code = segno.make(addresses.network, error="m")
    if _can_print(sys.stdout, "\u2580\u2584\u2588"):
        code.terminal(out=sys.stdout, compact=True)
    else:  # a Windows console, a log file in another encoding: plain ASCII
        for row in code.matrix_iter(scale=1, border=4):
            # segno's convention: light modules drawn, for a dark terminal
            click.echo("".join("  " if dark else "##" for dark in row))
    sys.stdout.flush()


def _can_print(stream: Any, text: str) -> bool:
    """Whether ``stream``'s encoding has these characters."""
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def open_browser(url: str) -> None:
    """Open the page without holding up the server (a text browser may block)."""
    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()


def run_development(
    app: WSGIApplication,
    *,
    host: str,
    port: int,
    reload: bool,
    debugger: bool,
    threaded: bool,
    ssl_context: ssl.SSLContext | None,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
    on_ready: Callable[[Addresses], None],
) -> None:
    """Werkzeug's development server, bound by us so errors are ours to word.

    With the reloader, this process binds the socket and watches files; a child
    process (re-running the same command) inherits the socket and serves.
    """
    from werkzeug.serving import is_running_from_reloader, make_server

    if debugger:
        from werkzeug.debug import DebuggedApplication

        app = DebuggedApplication(app, evalex=True)
        app.trusted_hosts.append(host)

    sock = None
    if is_running_from_reloader():
        fd = int(os.environ["WERKZEUG_SERVER_FD"])
    else:
        sock = bind_socket(host, port)
        fd = sock.fileno()
    server = make_server(
        host, port, app, threaded=threaded, ssl_context=ssl_context, fd=fd
    )
    if sock is not None:
        sock.close()  # the server holds its own duplicate of the socket
    server.socket.set_inheritable(True)
    os.environ["WERKZEUG_SERVER_FD"] = str(server.fileno())

    if not is_running_from_reloader():
        on_ready(Addresses.for_socket(host, server.port, ssl_context is not None))

    if reload:
        from werkzeug._reloader import run_with_reloader

        try:
            run_with_reloader(
                server.serve_forever,
                extra_files=extra_files,
                exclude_patterns=exclude_patterns,
            )
        finally:
            server.server_close()
    else:
        server.serve_forever()


def request_body_limit(app: Flask) -> int | None:
    """The largest request body the app accepts anywhere, in bytes (None: no
    limit): ``MAX_CONTENT_LENGTH``, or a view's own larger one (an import of
    an archer's data takes more than any form)."""
    limit = app.config.get("MAX_CONTENT_LENGTH")
    if limit is None:
        return None
    limits = [int(limit)]
    if "data.import_json" in app.view_functions:
        from .services.transfer import UPLOAD_LIMIT

        limits.append(UPLOAD_LIMIT)
    return max(limits)


def production_options(app: Flask) -> dict[str, Any]:
    """Waitress settings that follow the app's: a body larger than the app
    could ever take is refused by waitress from its Content-Length (413)
    before any of it is read, not spooled to disk and then refused; forwarded
    headers reach the app when it trusts a proxy."""
    limit = request_body_limit(app)
    options: dict[str, Any] = {}
    # Waitress refuses a body of its limit or more; the app takes its limit.
    if limit is not None:
        options["max_request_body_size"] = limit + 1
    # Behind a reverse proxy the app reads X-Forwarded-* itself (ProxyFix, as
    # many hops as TRUSTED_PROXIES says): waitress must pass them on, or every
    # client looks like the proxy (one guesser would throttle everyone).
    if int(app.config.get("TRUSTED_PROXIES") or 0) > 0:
        options["clear_untrusted_proxy_headers"] = False
    return options


def run_production(
    app: WSGIApplication,
    *,
    host: str,
    port: int,
    threads: int,
    on_ready: Callable[[Addresses], None],
    stream_threads: int = 0,
    is_stream: Callable[[str, str], bool] | None = None,
    **waitress_options: Any,
) -> None:
    """Waitress: a production WSGI server in pure Python (Windows included).
    With ``stream_threads`` and ``is_stream``, the requests ``is_stream``
    picks (by method and path: the live streams) run on that many threads of
    their own, beside the ``threads`` (``stream_pool``)."""
    from waitress import create_server

    if stream_threads > 0 and is_stream is not None:
        from .stream_pool import StreamingDispatcher

        waitress_options["_dispatcher"] = StreamingDispatcher(
            threads, stream_threads, is_stream
        )
    sock = bind_socket(host, port)
    actual_port = sock.getsockname()[1]
    server = create_server(
        app, sockets=[sock], threads=threads, ident="ghost-sim", **waitress_options
    )
    on_ready(Addresses.for_socket(host, actual_port, secure=False))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
