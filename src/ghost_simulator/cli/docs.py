"""``ghost-sim docs``: this release's documentation site, on this machine.

The site's sources (``mkdocs.yml`` and ``docs/``) ship inside the package
(``ghost_simulator/_docs``, put there when the wheel is built) or, from a
checkout, sit at its root. Building them needs MkDocs, Material and
mkdocs-click: the ``docs`` extra. Nothing is built or served at run time of
the app itself.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import click
import platformdirs

from ..config import APP_NAME
from .common import CONTEXT_SETTINGS

#: The modules the build needs, and the distribution each comes from.
NEEDS = {
    "mkdocs": "mkdocs",
    "material": "mkdocs-material",
    "mkdocs_click": "mkdocs-click",
}
INSTALL_HINT = (
    "install ghost-simulator[docs]: python3 -m pip install 'ghost-simulator[docs]'"
)

DOCS_EXAMPLES = """\b
Examples:
  ghost-sim docs                      # build into the user cache, serve on localhost
  ghost-sim docs --port 8001
  ghost-sim docs --build site/        # build into site/ for any web server
  ghost-sim docs --build site/ --serve
"""


def register(cli: click.Group) -> None:
    cli.add_command(docs_command)


def missing_packages() -> list[str]:
    return [
        dist for module, dist in NEEDS.items() if not importlib.util.find_spec(module)
    ]


def sources() -> Path:
    """The folder holding ``mkdocs.yml``: the package's copy, else the checkout's."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_docs", package.parent.parent):
        if (candidate / "mkdocs.yml").is_file() and (candidate / "docs").is_dir():
            return candidate
    raise click.ClickException(
        "This installation has no documentation sources (mkdocs.yml and docs/):"
        " reinstall ghost-simulator from a wheel or a checkout."
    )


def build_site(destination: Path) -> Path:
    """Build the site into ``destination`` (strict: any warning fails it)."""
    missing = missing_packages()
    if missing:
        raise click.ClickException(
            f"Building the documentation needs {', '.join(missing)}: {INSTALL_HINT}"
        )
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = sources() / "mkdocs.yml"
    try:
        config = load_config(config_file=str(config_file), site_dir=str(destination))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise click.ClickException(f"The documentation did not build: {exc}") from None
    return destination


def serve_site(site: Path, host: str, port: int) -> None:
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(QuietHandler, directory=str(site))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise click.ClickException(
            f"Cannot serve the documentation on {host}:{port}: {exc.strerror or exc}."
            " Choose another port with --port."
        ) from None
    with server:
        address = f"http://{host}:{server.server_address[1]}/"
        click.echo(f"The documentation is at {address} (Ctrl-C to stop)")
        server.serve_forever()


@click.command(
    "docs",
    context_settings=CONTEXT_SETTINGS,
    epilog=DOCS_EXAMPLES,
    short_help="Build this release's documentation site and serve it locally.",
)
@click.option(
    "--build",
    "build_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Build the site into this folder and stop (with --serve: then serve it)."
    " [default: the user cache directory, then serve]",
)
@click.option(
    "--serve/--no-serve",
    default=None,
    help="Serve the built site on this machine. [default: on, unless --build]",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to serve on.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to serve on (0: a free one).",
)
def docs_command(
    build_dir: Path | None, serve: bool | None, host: str, port: int
) -> None:
    """Build the documentation site of this release from the sources shipped in
    the package, and serve it on this machine: for archers, clubs and
    developers, with the command reference and the JSON API. Needs the docs
    extra (pip install 'ghost-simulator[docs]')."""
    site = build_dir or platformdirs.user_cache_path(APP_NAME, appauthor=False) / "docs"
    click.echo(f"Building the documentation into {site} ...", err=True)
    build_site(site.absolute())
    if serve is None:
        serve = build_dir is None
    if serve:
        serve_site(site, host, port)
    else:
        click.echo(f"Built: open {site.absolute() / 'index.html'}")
