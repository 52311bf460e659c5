"""The JSON Schema of the inputs file."""

from __future__ import annotations

from typing import Any

from .model import Inputs


def inputs_json_schema() -> dict[str, Any]:
    schema = Inputs.model_json_schema(mode="validation")
    schema["title"] = "wildside-cnpg inputs"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "Inputs of wildside-cnpg; keys are the OpenTofu module's variable names, so a "
        "*.tfvars.json file validates too."
    )
    return schema
