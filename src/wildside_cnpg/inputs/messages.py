"""Validation failures as one line per problem, naming the input and the expected
form (the value shown shortened, a sensitive one never)."""

from __future__ import annotations

import difflib
import json
from decimal import Decimal
from typing import Any

from pydantic_core import ErrorDetails, ValidationError

from ..yamlload import shorten, show_value
from .compiled import BOUNDS, NAMES, SENSITIVE
from .text import has_control

_TYPE_EXPECTATIONS = {
    "bool_type": "expected true or false",
    "int_type": "expected a whole number",
    "string_type": "expected a string",
    "dict_type": "expected a mapping",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "missing": "required",
    "too_short": "expected at least one item",
    "model_type": "expected a mapping",
}


def _show(value: Any) -> str:
    """The offending value for a message, cut to a few dozen characters."""
    if isinstance(value, str):
        return show_value(value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, Decimal):  # a `*.tfvars.json` number the tool does not read
        return shorten(str(value))
    try:
        return shorten(json.dumps(value, sort_keys=True, default=str))
    except (TypeError, ValueError, RecursionError):
        return shorten(repr(value))


def _bounds(loc: tuple[int | str, ...]) -> tuple[Any, Any]:
    """The ge and le bounds of the field at `loc`, inside objects and lists too
    (`synchronous_replication.number`, `pod_security_context.supplemental_groups[0]`)."""
    return BOUNDS.get(tuple(0 if isinstance(part, int) else part for part in loc), (None, None))


def _expected(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}".replace("'", "")
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = _bounds(error["loc"])
        if low is not None and high is not None:
            return f"expected a whole number from {low} to {high}"
        return f"expected a whole number {'>=' if high is None else '<='} {low or high}"
    if kind in _TYPE_EXPECTATIONS:
        return _TYPE_EXPECTATIONS[kind]
    return str(error["msg"]).lower()


# pydantic tags each member of a union in an error's location (helm_values).
_UNION_MEMBER_TAGS = frozenset({"list[str]", "dict[str,any]"})


def _name(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part in _UNION_MEMBER_TAGS:
            continue
        else:
            text = str(part)
            # A key the user made up is echoed shortened; an input's own name never is.
            if has_control(text) or (len(text) > 40 and text not in NAMES):
                text = show_value(text, 40)
            parts.append(("." if parts else "") + text)
    return "".join(parts)


def describe(error: ValidationError) -> list[str]:
    sensitive = SENSITIVE
    known = list(NAMES)
    expectations: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for detail in error.errors(include_url=False):
        loc = detail["loc"]
        name = _name(loc)
        top = str(loc[0]) if loc else ""
        if detail["type"] == "extra_forbidden":
            # A key inside an object input is checked against that object, not the inputs.
            close = difflib.get_close_matches(top, known, n=1, cutoff=0.6) if len(loc) == 1 else []
            hint = f"; did you mean '{close[0]}'?" if close else "; see `wildside-cnpg schema`"
            expectations.setdefault(name, []).append(f"unknown input{hint}")
            continue
        expected = _expected(detail)
        # A union (helm_values) fails once per member: say so in one line.
        expectations.setdefault(name, [])
        if expected not in expectations[name]:
            expectations[name].append(
                expected.removeprefix("expected ") if expectations[name] else expected
            )
        if detail["type"] != "missing":
            shown[name] = "<sensitive>" if top in sensitive else _show(detail.get("input"))
    return [
        f"{name}: {' or '.join(parts)}" + (f", got {shown[name]}" if name in shown else "")
        for name, parts in expectations.items()
    ]
