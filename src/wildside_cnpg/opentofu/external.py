"""The `external` data source protocol (hashicorp/external): the query arrives on
standard input as one JSON object of strings, the answer leaves on standard output
as one flat JSON object of strings.

The module sends every input as one JSON-encoded string under the key `inputs`, so
numbers, lists, objects and nulls survive the trip; the answer holds each output
JSON-encoded under its name, decoded again in HCL. Messages about a malformed query
never repeat its contents: it may carry secrets."""

from __future__ import annotations

import json
from typing import Any

from ..errors import UsageError
from ..inputs import Inputs
from ..module import Module

QUERY_KEY = "inputs"
_WHERE = "opentofu external"


def _object(text: str, what: str, expected: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise UsageError(f"{_WHERE}: {what} is not JSON; expected {expected}") from None
    if not isinstance(value, dict):
        raise UsageError(f"{_WHERE}: {what} is not a JSON object; expected {expected}")
    return value


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def decode_query(text: str) -> dict[str, Any]:
    """The input values the query carries; null means "the default", as in an
    inputs file. OpenTofu fills in every variable's default, so a value equal to its
    input's default is dropped too: the module cannot tell it from one left unset,
    and rules about inputs that are set (postgis_extensions without PostGIS or with
    recovery) must not see it."""
    query = _object(text, "standard input", "the data source's query, a JSON object of strings")
    unknown = sorted(set(query) - {QUERY_KEY})
    if unknown:
        raise UsageError(
            f"{_WHERE}: unknown query key {unknown[0]!r}; the query holds only "
            f"{QUERY_KEY!r}, the JSON-encoded inputs"
        )
    encoded = query.get(QUERY_KEY)
    if not isinstance(encoded, str):
        raise UsageError(
            f"{_WHERE}: the query has no string {QUERY_KEY!r}; "
            f"expected query = {{ {QUERY_KEY} = jsonencode(local.inputs) }}"
        )
    values = _object(encoded, f"query.{QUERY_KEY}", "the JSON-encoded object of input values")
    # The defaults as variables.tf spells them, which is what the module sends.
    known = Inputs.names()
    return {
        name: value
        for name, value in values.items()
        if value is not None
        and not (name in known and _canonical(value) == _canonical(Inputs.default_data(name)))
    }


def encode_outputs(outputs: dict[str, dict[str, Any]]) -> str:
    """The answer: each output's value JSON-encoded under its name."""
    flat = {
        name: json.dumps(output["value"], sort_keys=True, separators=(",", ":"))
        for name, output in outputs.items()
    }
    return json.dumps(flat, sort_keys=True, separators=(",", ":"))


def answer(query_text: str) -> str:
    """The data source's answer to `query_text` (raises InputError or UsageError)."""
    inputs = Inputs.from_mapping(decode_query(query_text))
    return encode_outputs(Module(inputs).outputs())
