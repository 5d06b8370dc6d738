"""MkDocs hooks: the pages that are generated from the package itself.

- ``<!-- settings-table -->`` becomes the table of settings, rendered from
  :data:`ghost_simulator.settings_doc.SETTINGS` (so the configuration page
  cannot drift from the code);
- ``<!-- api-operations -->`` becomes the JSON API's operations, tag by tag,
  read from the OpenAPI document the app serves;
- the OpenAPI document itself is added to the site as
  ``developers/openapi.json``.

The command reference is the ``mkdocs-click`` extension's, from the commands;
:func:`on_config` teaches it to show each command's epilog (its examples)
after its options, as ``--help`` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from mkdocs.structure.files import File, Files

SETTINGS_MARK = "<!-- settings-table -->"
API_MARK = "<!-- api-operations -->"
METHODS = ("get", "post", "put", "patch", "delete")


def _with_epilog() -> None:
    """mkdocs-click shows a command's description, usage and options, not its
    epilog: add it after the options, as ``--help`` prints it."""
    from mkdocs_click import _docs

    plain_options = _docs._make_options
    if getattr(plain_options, "with_epilog", False):
        return

    def make_options(ctx: Any, style: str = "plain", show_hidden: bool = False) -> Any:
        def lines() -> Iterator[str]:
            yield from plain_options(ctx, style, show_hidden=show_hidden)
            if ctx.command.epilog:
                formatter = ctx.make_formatter()
                ctx.command.format_epilog(ctx, formatter)
                yield "```text"
                yield from formatter.getvalue().strip("\n").splitlines()
                yield "```"
                yield ""

        return lines()

    make_options.with_epilog = True  # type: ignore[attr-defined]
    _docs._make_options = make_options


def on_config(config: Any) -> Any:
    _with_epilog()
    return config


def api_operations(document: dict[str, Any]) -> str:
    """The operations as Markdown: a section per tag, one line each."""
    by_tag: dict[str, list[str]] = {tag["name"]: [] for tag in document["tags"]}
    for path, operations in document["paths"].items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            summary = operation.get("summary", "")
            line = f"- `{method.upper()} {path}`: {summary}"
            for tag in operation.get("tags") or ["other"]:
                by_tag.setdefault(tag, []).append(line)
    parts = []
    for tag in document["tags"]:
        lines = by_tag.get(tag["name"])
        if lines:
            description = tag.get("description", "")
            parts.append(f"### {tag['name']}\n\n{description}\n\n" + "\n".join(lines))
    return "\n\n".join(parts)


def _document() -> dict[str, Any]:
    from ghost_simulator.web.api.openapi import document

    return document()


def on_files(files: Files, config: Any) -> Files:
    content = json.dumps(_document(), indent=1, ensure_ascii=False)
    files.append(File.generated(config, "developers/openapi.json", content=content))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if SETTINGS_MARK in markdown:
        from ghost_simulator.settings_doc import markdown_table

        markdown = markdown.replace(SETTINGS_MARK, markdown_table())
    if API_MARK in markdown:
        markdown = markdown.replace(API_MARK, api_operations(_document()))
    return markdown
