"""Reading a request with the models the OpenAPI document publishes.

A JSON body is parsed here (415 unless it says it is JSON, 400 unless it is a
JSON object) and checked by its model (``models.requests``); a query string
by its operation's query model. What a model refuses is told field by field,
in a sentence a person can act on: Pydantic's error types are translated
here, with the limits and choices the field's own JSON Schema states (the
ones the document shows), so the message and the document agree.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from .errors import ApiError
from .models import QueryModel, RequestModel, field_schemas

R = TypeVar("R", bound=RequestModel)
Q = TypeVar("Q", bound=QueryModel)

#: Pydantic's error types that mean "not of the field's type".
TYPE_ERRORS = {
    "not_null",
    "bool_type",
    "bool_parsing",
    "int_type",
    "int_parsing",
    "int_parsing_size",
    "int_from_float",
    "float_type",
    "float_parsing",
    "finite_number",
    "string_type",
    "list_type",
    "dict_type",
    "model_type",
}
#: Pydantic's error types for a number out of its field's range.
RANGE_ERRORS = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "array": (list,),
    "object": (dict,),
}


def type_message(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    return {
        "boolean": _("Give true or false."),
        "integer": _("Give a whole number."),
        "number": _("Give a number."),
        "string": _("Give a text, in quotes."),
        "array": _("Give a list, in square brackets."),
        "object": _("Give an object, in curly brackets."),
    }.get(str(kind), _("Give a value of the documented type."))


def choices_message(choices: Any) -> str:
    shown = ", ".join(json.dumps(v) for v in choices if v is not None)
    return _("Choose one of %(choices)s.", choices=shown)


def _of_type(value: Any, schema: Mapping[str, Any]) -> bool:
    kinds = _JSON_TYPES.get(str(schema.get("type")))
    if kinds is None:
        return True
    return isinstance(value, kinds) and not (
        isinstance(value, bool) and bool not in kinds
    )


def message(kind: str, schema: Mapping[str, Any], error: Mapping[str, Any]) -> str:
    """A sentence for one of Pydantic's errors on a value of ``schema``."""
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in TYPE_ERRORS:
        return type_message(schema)
    if kind in ("literal_error", "enum"):
        if not _of_type(error.get("input"), schema):
            return type_message(schema)
        return choices_message(schema.get("enum", ()))
    if kind in RANGE_ERRORS:
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return _("Give a number from %(low)s to %(high)s.", low=low, high=high)
        if low is not None:
            return _("Give a number of %(low)s or more.", low=low)
        return _("Give a number of %(high)s or less.", high=high)
    if kind == "string_too_long":
        return _("Give at most %(count)s characters.", count=ctx["max_length"])
    if kind == "string_too_short":
        return _("Give at least %(count)s characters.", count=ctx["min_length"])
    if kind == "too_long":
        return _("Give at most %(count)s items.", count=ctx["max_length"])
    if kind == "too_short":
        return _("Give at least %(count)s items.", count=ctx["min_length"])
    if kind == "string_pattern_mismatch":
        return _("This text is not in the documented form.")
    if kind == "date_format":
        return _(
            "Give dates as year-month-day, such as %(example)s.",
            example="2026-05-31",
        )
    return _("Give a value of the documented type.")


def field_messages(error: ValidationError, model: type[BaseModel]) -> dict[str, str]:
    """Each field ``model`` refused, and why (the first reason of each)."""
    fields = field_schemas(model)
    found: dict[str, str] = {}
    for item in error.errors(include_url=False):
        kind, loc = item["type"], item["loc"]
        ctx = item.get("ctx") or {}
        if kind == "one_of_fields":  # a rule across fields: one of them is due
            names = list(ctx["names"])
            text = _("Give one of %(names)s.", names=", ".join(names))
            for name in names:
                found.setdefault(name, text)
            continue
        if kind == "field_rule":  # another field's value asks for this one
            name = str(ctx["field"])
            found.setdefault(
                name,
                choices_message(ctx["choices"])
                if ctx.get("given")
                else _("This field is required."),
            )
            continue
        if not loc:
            continue
        name = str(loc[0])
        if name in found:
            continue
        if kind == "extra_forbidden":
            found[name] = _(
                "There is no such field here; the fields are %(names)s.",
                names=", ".join(fields) or "—",
            )
            continue
        schema = fields.get(name, {})
        index = next((part for part in loc[1:] if isinstance(part, int)), None)
        if index is not None and "items" in schema:
            text = message(kind, schema["items"], item)
            found[name] = _("Item %(n)s: %(problem)s", n=index + 1, problem=text)
        else:
            found[name] = message(kind, schema, item)
    return found


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_json() -> dict[str, Any]:
    """The request's JSON object: 415 unless it says it is JSON, 400 unless
    it is a JSON object."""
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
    return data


def read_body(model: type[R]) -> R:
    """The request's JSON object as ``model`` (422 with a message per field
    when the model refuses it)."""
    data = read_json()
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(
            422,
            _("Some fields cannot be used: see each field's message."),
            fields=field_messages(exc, model),
        ) from None


def read_query(model: type[Q]) -> Q:
    """The query string as ``model``: its parameters typed and checked (400
    with a message per parameter); the ones not sent are None."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise ApiError(
            400,
            _("Some query parameters cannot be used: see each one's message."),
            fields=field_messages(exc, model),
        ) from None


def as_form(body: BaseModel) -> dict[str, str]:
    """A request model's fields as the web form sends them (a box ticked is
    "1", unticked "0"; a field left out is not there), for a service that
    reads the form's fields, so the page and the API are checked alike."""
    return {
        key: ("1" if value else "0") if isinstance(value, bool) else str(value)
        for key, value in body.model_dump().items()
        if value is not None
    }
