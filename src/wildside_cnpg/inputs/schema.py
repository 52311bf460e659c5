"""The JSON Schema of the inputs file: every rule JSON Schema can express (patterns,
enums, ranges, lengths; the cross-input rules stay with the validator), null
allowed wherever a file may write it (null means the default), and a top-level
`$schema` so a file can name its schema itself."""

from __future__ import annotations

from typing import Any

from .model import InputsModel

_DOCUMENTATION = ("title", "description", "default")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """The property's schema, also accepting null (a file's null means the default)."""
    if {"type": "null"} in schema.get("anyOf", []) or schema.get("type") == "null":
        return schema
    outer = {key: schema[key] for key in _DOCUMENTATION if key in schema}
    inner = {key: value for key, value in schema.items() if key not in _DOCUMENTATION}
    return outer | {"anyOf": [inner, {"type": "null"}]}


def inputs_json_schema() -> dict[str, Any]:
    schema = InputsModel.model_json_schema(mode="validation")
    schema["title"] = "wildside-cnpg inputs"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "Inputs of wildside-cnpg; keys are the OpenTofu module's variable names, so a "
        "*.tfvars.json file validates too when each value already has its variable's type "
        "(the tool converts the others as OpenTofu does). A null value means the default."
    )
    properties = {name: _nullable(value) for name, value in schema["properties"].items()}
    properties["$schema"] = {
        "type": "string",
        "description": "The JSON Schema this file follows (ignored by wildside-cnpg)",
    }
    schema["properties"] = properties
    return schema
