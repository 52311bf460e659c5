"""The configuration every input model shares, and the base of the input groups."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, JsonValue

SENSITIVE: dict[str, JsonValue] = {"sensitive": True}


class InputGroup(BaseModel):
    """Strict, frozen, closed: a typo is an error, never an ignored key.

    `InputsModel` and the structured inputs (`{cpu, memory}`, a toleration, ...) are
    such models. A structured input is declared only as part of `InputsModel`, so its
    own validator is not built (defer_build); a render validates with the schema
    compiled from `InputsModel` (`compiled.py`) and builds none of them."""

    model_config = ConfigDict(
        defer_build=True,
        strict=True,
        frozen=True,
        extra="forbid",
        validate_default=False,
        use_attribute_docstrings=False,
        hide_input_in_errors=True,
    )


class InputFields:
    """The inputs of one concern (core, cluster, backup, ...), declared for `InputsModel`.

    A plain class, not a model: pydantic collects the annotated fields of every class
    in `InputsModel`'s bases, so a group needs no model of its own. (As models, the thirteen
    groups cost a start-up of about 7 ms collecting fields no one validates.)"""
