"""The API's requests and answers, each declared once as a Pydantic model:
the same model reads a request (``web.api.reading``) or makes an answer
(``web.api.shapes``), and gives its JSON Schema to the OpenAPI document
(``web.api.openapi``)."""

from __future__ import annotations

import functools

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from . import answers, requests
from .base import ApiJsonSchema, JsonSchema, QueryModel, RequestModel, ResponseModel

__all__ = [
    "ApiJsonSchema",
    "JsonSchema",
    "QueryModel",
    "RequestModel",
    "ResponseModel",
    "answers",
    "component_schemas",
    "field_schemas",
    "ref",
    "requests",
]

REF_TEMPLATE = "#/components/schemas/{model}"


def ref(model: type[BaseModel]) -> JsonSchema:
    """A reference to ``model``'s schema among the document's components."""
    return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def component_schemas(models: list[type[BaseModel]]) -> dict[str, JsonSchema]:
    """The JSON Schemas of ``models`` and of every model they hold, by name,
    for ``components.schemas``: request bodies as they are read, answers as
    they are written."""
    modes = [
        (model, "validation" if issubclass(model, RequestModel) else "serialization")
        for model in models
    ]
    _keys, schemas = models_json_schema(
        modes,  # type: ignore[arg-type]
        ref_template=REF_TEMPLATE,
        schema_generator=ApiJsonSchema,
    )
    found: dict[str, JsonSchema] = schemas.get("$defs", {})
    return dict(sorted(found.items()))


@functools.cache
def field_schemas(model: type[BaseModel]) -> dict[str, JsonSchema]:
    """Each field's JSON Schema, as the document shows it (a request's or a
    query's model: their fields hold no other model)."""
    schema = model.model_json_schema(
        ref_template=REF_TEMPLATE, schema_generator=ApiJsonSchema
    )
    properties: dict[str, JsonSchema] = schema.get("properties", {})
    return properties
