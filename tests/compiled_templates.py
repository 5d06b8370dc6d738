"""Compiled templates shared by every app a test process creates.

Each test makes its own app, and each app its own Jinja environment, which
compiles every template it renders from scratch: most of a page test's time.
The tests' apps (``tests/conftest.py`` installs this for the session) keep the
compiled code in one cache instead, Jinja's own mechanism for that (a
``bytecode_cache``): a template is compiled once per process for each source
(its checksum) and each set of the environment's compile-time settings, and
rendered as it would be otherwise. Servers the tests start run as shipped.
"""

from __future__ import annotations

from types import CodeType

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache


def compile_settings(environment: Environment) -> str:
    """What the code Jinja compiles depends on besides the source: the
    syntax, the extensions (and their settings), and the names of the
    filters and tests, which the compiler checks."""
    return repr(
        (
            environment.block_start_string,
            environment.block_end_string,
            environment.variable_start_string,
            environment.variable_end_string,
            environment.comment_start_string,
            environment.comment_end_string,
            environment.line_statement_prefix,
            environment.line_comment_prefix,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.newline_sequence,
            environment.keep_trailing_newline,
            environment.optimized,
            environment.is_async,
            getattr(environment.autoescape, "__qualname__", environment.autoescape),
            getattr(environment.finalize, "__qualname__", environment.finalize),
            getattr(environment, "newstyle_gettext", None),
            sorted(environment.extensions),
            sorted(environment.filters),
            sorted(environment.tests),
            # The policies that are plain values (compiler.ascii_str,
            # ext.i18n.trimmed...); the others are functions used when a
            # template runs (json.dumps_function...), not when it compiles.
            sorted(
                (name, value)
                for name, value in environment.policies.items()
                if value is None or isinstance(value, (bool, int, float, str))
            ),
        )
    )


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, for every environment of the process
    whose compile-time settings are the same."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[str, str], CodeType] = {}

    def get_bucket(
        self,
        environment: Environment,
        name: str,
        filename: str | None,
        source: str,
    ) -> Bucket:
        key = f"{self.get_cache_key(name, filename)}|{compile_settings(environment)}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        bucket.code = self._compiled.get((bucket.key, bucket.checksum))

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._compiled[(bucket.key, bucket.checksum)] = bucket.code

    def clear(self) -> None:
        self._compiled.clear()
