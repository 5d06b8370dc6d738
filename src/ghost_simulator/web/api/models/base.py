"""What the API's models share: their configurations, the JSON types the API
speaks (a whole number, any number, a date-time, a field that may be left out
but not sent as null) and how their JSON Schemas are written for the OpenAPI
document (JSON Schema 2020-12, as OpenAPI 3.1 speaks it).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    WithJsonSchema,
)
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

T = TypeVar("T")

JsonSchema = dict[str, Any]


class RequestModel(BaseModel):
    """A request body: JSON's own types, strictly (a number
    is not a text, true is not 1), and no field the API does not document."""

    model_config = ConfigDict(
        strict=True, extra="forbid", allow_inf_nan=False, frozen=True
    )


class QueryModel(BaseModel):
    """A query string's parameters: texts read as their types (``3``,
    ``true``); parameters it does not document are ignored."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False, frozen=True)


class ResponseModel(BaseModel):
    """An answer's body: every field it documents, and no other."""

    model_config = ConfigDict(extra="forbid")


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("not_null", "null is not accepted here")
    return value


class _NotNull:
    """A field that may be left out, but is never null when it is there: the
    model holds None for "left out", the schema says only the type."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(
            _refuse_null, handler(source)
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return without_null(handler(schema))


def without_null(schema: JsonSchema) -> JsonSchema:
    """``schema`` without its ``null`` alternative."""
    branches = schema.get("anyOf")
    if not branches:
        return schema
    kept = [b for b in branches if b != {"type": "null"}]
    rest = {k: v for k, v in schema.items() if k != "anyOf"}
    if len(kept) == 1:
        return {**kept[0], **rest}
    return {**rest, "anyOf": kept}


#: ``Leave[int]``: an int that may be left out (None then), never sent as null.
Leave = Annotated[T | None, _NotNull()]


def _whole(value: Any) -> Any:
    """A whole number sent as ``3.0`` is 3 (JSON Schema's ``integer`` takes
    it); true and false are not numbers."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "not a whole number")
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("float_type", "not a number")
    return value


#: JSON Schema's ``integer``: 3 and 3.0, not true nor "3".
Integer = Annotated[int, BeforeValidator(_whole)]

#: JSON Schema's ``number``: an int stays an int (35, not 35.0), a float a
#: float; never true, "3", NaN or infinity.
Number = Annotated[
    int | float, BeforeValidator(_number), WithJsonSchema({"type": "number"})
]

#: A moment as ISO 8601 text (``datetime.isoformat``, as the store keeps it).
DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


def whole(choices: Any) -> Any:
    """A Literal of whole numbers that refuses true and false (Python's
    ``True == 1``) and takes 2.0 for 2, as JSON Schema's ``enum`` does."""
    return Annotated[choices, BeforeValidator(_whole)]


#: Bounds as Pydantic names them, and as JSON Schema does.
_BOUNDS = {
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusiveMinimum",
    "lt": "exclusiveMaximum",
}


class ApiJsonSchema(GenerateJsonSchema):
    """The document's dialect: no generated titles, no ``"default": null``
    for a field that may be left out, and a number's bounds by JSON Schema's
    names (Pydantic keeps its own for a bound it checks after a validator of
    ours, as ``Integer``'s)."""

    def generate_inner(self, schema: Any) -> JsonSchemaValue:
        found = super().generate_inner(schema)
        if found.get("type") in ("integer", "number"):
            for ours, theirs in _BOUNDS.items():
                if ours in found:
                    found[theirs] = found.pop(ours)
        return found

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        found = super().model_schema(schema)
        found.pop("title", None)
        if "description" in found:  # a docstring's lines, as one paragraph
            found["description"] = " ".join(found["description"].split())
        return found

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        found = super().default_schema(schema)
        if "default" in found and found["default"] is None:
            del found["default"]
        return found
