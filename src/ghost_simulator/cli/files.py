"""Files the ``ghost-sim`` commands write: whole or not at all.

A regular file is written to a temporary file beside it and renamed into
place at the end, so an error, a full disk or Ctrl-C leaves the old file (or
nothing) rather than half a file. A device or a pipe (``/dev/stdout``, a
FIFO) is written in place; ``-`` is standard output. Every failure is one
line naming the file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click


def cannot_write(path: str, exc: OSError) -> click.ClickException:
    reason = exc.strerror or str(exc)
    return click.ClickException(f"Cannot write {path}: {reason}.")


def is_stdout(path: str) -> bool:
    return path == "-"


def _is_special(path: str) -> bool:
    """A path that exists and is not a regular file: a device, a pipe."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


@contextlib.contextmanager
def output_file(path: str, *, private: bool = False) -> Iterator[TextIO]:
    """The stream to write ``path`` through (UTF-8, ``\\n`` line ends).

    ``private`` files are owner-only (0600), as the data directory is; others
    get the usual mode a new file gets (the umask's). Opening happens at
    once, so a bad path is refused before any work is done.
    """
    if is_stdout(path):
        stream = sys.stdout
        yield stream
        try:
            stream.flush()
        except OSError as exc:
            raise cannot_write("standard output", exc) from None
        return
    if _is_special(path):
        try:
            special = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            raise cannot_write(path, exc) from None
        try:
            with special:
                yield special
        except OSError as exc:
            raise cannot_write(path, exc) from None
        return
    target = Path(path)
    try:
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if target.parent.is_dir():
            reason = f"no new file can be made in {target.parent} ({reason})"
        raise click.BadParameter(
            f"Cannot write {path}: {reason}.", param_hint="'--output'"
        ) from None
    done = False
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
        done = True
    except OSError as exc:
        raise cannot_write(path, exc) from None
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
