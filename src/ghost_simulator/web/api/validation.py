"""Reading a request against the schemas the OpenAPI document publishes.

A JSON body and the query string are checked with the very schemas the
document shows (``schemas``), so the two cannot disagree; each problem gets a
sentence per field. Only the JSON Schema keywords the API's schemas use are
understood, and :func:`check_keywords` refuses any other, so a schema cannot
promise a check that is not made.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from flask import request
from flask_babel import gettext as _

from .errors import ApiError

#: The keywords :func:`problem` enforces (the others only describe).
CHECKED = {
    "type",
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "items",
    "minItems",
    "maxItems",
    "properties",
    "required",
    "additionalProperties",
    "format",
    "const",
    # An object's rules across its fields (see :func:`object_problems`).
    "anyOf",
    "if",
    "then",
}
DESCRIPTIVE = {"description", "title", "default", "examples", "$comment"}
#: The formats :func:`problem` checks.
FORMATS = {"date"}

_INTEGER = re.compile(r"[+-]?\d{1,30}")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def check_keywords(schema: Mapping[str, Any], where: str = "schema") -> None:
    """Raise ``ValueError`` for a keyword this module would silently ignore."""
    for key, value in schema.items():
        if key not in CHECKED | DESCRIPTIVE:
            raise ValueError(f"{where}: the API cannot enforce {key!r}")
        if key == "format" and value not in FORMATS:
            raise ValueError(f"{where}: the API cannot check the format {value!r}")
        if key == "items":
            check_keywords(value, f"{where}.items")
        if key == "properties":
            for name, sub in value.items():
                check_keywords(sub, f"{where}.{name}")
        if key in ("if", "then"):
            check_keywords(value, f"{where}.{key}")
        if key == "anyOf":
            for number, sub in enumerate(value):
                check_keywords(sub, f"{where}.anyOf[{number}]")


def _is_type(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (
            isinstance(value, float) and math.isfinite(value) and value.is_integer()
        )
    if kind == "number":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (
            isinstance(value, float) and math.isfinite(value)
        )
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    raise ValueError(f"unknown type {kind!r}")


def _type_message(kinds: list[str]) -> str:
    kinds = [k for k in kinds if k != "null"]
    kind = kinds[0] if kinds else "null"
    return {
        "boolean": _("Give true or false."),
        "integer": _("Give a whole number."),
        "number": _("Give a number."),
        "string": _("Give a text, in quotes."),
        "array": _("Give a list, in square brackets."),
        "object": _("Give an object, in curly brackets."),
    }.get(kind, _("Give a value of the documented type."))


def problem(schema: Mapping[str, Any], value: Any) -> str | None:
    """What is wrong with ``value`` for ``schema`` (not an object's fields),
    in a sentence; None when nothing is."""
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        if not any(_is_type(value, k) for k in kinds):
            return _type_message(kinds)
    if value is None:
        return None
    if "const" in schema and value != schema["const"]:
        return _("Give %(value)s.", value=json.dumps(schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        shown = ", ".join(json.dumps(v) for v in schema["enum"] if v is not None)
        return _("Choose one of %(choices)s.", choices=shown)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                return _("Give a number from %(low)s to %(high)s.", low=low, high=high)
            if low is not None:
                return _("Give a number of %(low)s or more.", low=low)
            return _("Give a number of %(high)s or less.", high=high)
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            return _("Give at most %(count)s characters.", count=schema["maxLength"])
        if len(value) < schema.get("minLength", 0):
            return _("Give at least %(count)s characters.", count=schema["minLength"])
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return _("This text is not in the documented form.")
        if schema.get("format") == "date" and not _is_date(value):
            return _(
                "Give dates as year-month-day, such as %(example)s.",
                example="2026-05-31",
            )
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", len(value)):
            return _("Give at most %(count)s items.", count=schema["maxItems"])
        if len(value) < schema.get("minItems", 0):
            return _("Give at least %(count)s items.", count=schema["minItems"])
        items = schema.get("items")
        if items is not None:
            for index, item in enumerate(value, 1):
                found = problem(items, item)
                if found is not None:
                    return _("Item %(n)s: %(problem)s", n=index, problem=found)
    return None


def _is_date(text: str) -> bool:
    """An RFC 3339 full-date, as JSON Schema's ``date`` format means it."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def object_problems(
    schema: Mapping[str, Any], data: Mapping[str, Any]
) -> dict[str, str]:
    """Each field of ``data`` that ``schema`` (an object's) refuses, and why."""
    properties: Mapping[str, Any] = schema.get("properties", {})
    found: dict[str, str] = {}
    for name in schema.get("required", ()):
        if name not in data:
            found[name] = _("This field is required.")
    for name, value in data.items():
        if name in properties:
            message = problem(properties[name], value)
            if message is not None:
                found[name] = message
        elif schema.get("additionalProperties") is False:
            found[name] = _(
                "There is no such field here; the fields are %(names)s.",
                names=", ".join(properties) or "—",
            )
    if found:
        return found
    # Rules across fields: one of several sets of fields is due ("anyOf" of
    # "required"), or one field's value asks for another's ("if"/"then").
    alternatives = schema.get("anyOf")
    if alternatives and all(object_problems(alt, data) for alt in alternatives):
        names = [n for alt in alternatives for n in alt.get("required", ())]
        message = _("Give one of %(names)s.", names=", ".join(names))
        for name in names:
            found[name] = message
    condition = schema.get("if")
    if condition is not None and not object_problems(condition, data):
        found.update(object_problems(schema.get("then", {}), data))
    return found


def _integral(schema: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Whole numbers sent as ``3.0`` become ``3`` where an integer is due."""
    for name, sub in schema.get("properties", {}).items():
        value = data.get(name)
        if sub.get("type") == "integer" and isinstance(value, float):
            data[name] = int(value)
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_body(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The request's JSON object, checked against ``schema``: 415 unless it
    says it is JSON, 400 unless it is a JSON object, 422 with a message per
    field unless the schema takes it."""
    mimetype = request.mimetype
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError(
            415,
            _(
                "Send the request body as a JSON object, with the header"
                " Content-Type: application/json."
            ),
        )
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise ApiError(
            400,
            _("The request body is empty: send a JSON object, such as {}."),
        )
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        raise ApiError(
            400,
            _(
                "The request body is not valid JSON (%(problem)s): check its"
                " quotes, commas and brackets.",
                problem=detail or _("nested too deeply"),
            ),
        ) from None
    if not isinstance(data, dict):
        raise ApiError(
            400,
            _(
                "The request body must be a JSON object (in curly brackets), with"
                " the fields this operation documents."
            ),
        )
    problems = object_problems(schema, data)
    if problems:
        raise ApiError(
            422,
            _("Some fields cannot be used: see each field's message."),
            fields=problems,
        )
    return _integral(schema, data)


def _coerce(schema: Mapping[str, Any], text: str) -> Any:
    """A query string's text as the parameter's type (unchanged when it does
    not read as one: the check then says so)."""
    kind = schema.get("type")
    if kind == "integer" and _INTEGER.fullmatch(text.strip()):
        return int(text)
    if kind == "number" and _NUMBER.fullmatch(text.strip()):
        return float(text)
    if kind == "boolean":
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return text


def read_query(parameters: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
    """The documented query parameters, typed and checked (400 with a message
    per parameter); the ones not sent are left out."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, schema in parameters:
        if name not in request.args:
            continue
        value = _coerce(schema, request.args[name])
        message = problem(schema, value)
        if message is not None:
            problems[name] = message
        else:
            values[name] = value
    if problems:
        raise ApiError(
            400,
            _("Some query parameters cannot be used: see each one's message."),
            fields=problems,
        )
    return values
