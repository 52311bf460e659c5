"""The configuration every input group shares."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, JsonValue

SENSITIVE: dict[str, JsonValue] = {"sensitive": True}


class InputGroup(BaseModel):
    """Strict, frozen, closed: a typo is an error, never an ignored key.

    The groups are only parents of `Inputs`, never validated on their own, so their
    validators are not built (defer_build); `Inputs` builds the one it uses."""

    model_config = ConfigDict(
        defer_build=True,
        strict=True,
        frozen=True,
        extra="forbid",
        validate_default=False,
        use_attribute_docstrings=False,
        hide_input_in_errors=True,
    )
