"""The values of an OpenTofu `*.tfvars.json`, converted to their variables' types as
OpenTofu converts them (go-cty's `convert` of the value to the variable's type), so
that such a file loads in the tool as it does in the module.

The types are those of variables.tf, from the same mapping (typemap.py). Where a
variable is a

- `string`: a number becomes its decimal text (cty's: `1.0` is "1", `1e3` is
  "1000"), a bool "true" or "false";
- `number`: a string that cty reads as a number becomes that number ("3", "1.5",
  "1e3", but not "three" or " 3");
- `bool`: the strings "true" and "1" become true, "false" and "0" false (cty's
  list: not "True" or "yes");
- `list`, `map` or `object`: each item, value or attribute converts to its own type;
- `any`: the value stays as it is.

Every number, wherever it is, is the number OpenTofu holds (ctynumber.py) as the
module hands it to the tool; one of more than 150 significant digits, which OpenTofu
rounds to 512 bits, stays the Decimal it was read as. null stays null (the default).
A value that does not convert is left as it is, so that the inputs model refuses it
with its own message for that input (sensitive values masked); nothing here raises
or quotes a value. Unlike OpenTofu, which drops an object's attributes its type does
not name, an unknown key stays for the model to refuse as a typo."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from . import ctynumber
from .hcltypes import HclType, ListOf, MapOf, ObjectOf, Primitive

# cty's conversion of a string to a bool (convert/conversion_primitive.go).
_BOOLS = {"true": True, "1": True, "false": False, "0": False}


def variable_types() -> dict[str, HclType]:
    """Each input's variable type, as variables.tf declares it (generated from the
    inputs' declaration into variable_types.py, as the compiled validator is)."""
    from .variable_types import VARIABLE_TYPES

    return VARIABLE_TYPES


def convert_tfvars(
    values: Mapping[str, Any], types: Mapping[str, HclType] | None = None
) -> dict[str, Any]:
    """`values` (a `*.tfvars.json`, its numbers exact Decimals) converted to the
    variables' `types` (default: the inputs'); an unknown name's value stays."""
    known = variable_types() if types is None else types
    return {
        name: convert(value, known[name]) if name in known else _plain(value)
        for name, value in values.items()
    }


def convert(value: Any, target: HclType) -> Any:
    """One value converted to `target` where cty converts it, else left as it is."""
    if value is None:
        return None
    match target:
        case Primitive("string"):
            if isinstance(value, bool):
                return "true" if value else "false"
            number = _number(value)
            if number is not None:
                return ctynumber.text(number)
        case Primitive("number"):
            if isinstance(value, str):
                parsed = ctynumber.parse(value)
                return value if parsed is None else ctynumber.value(parsed)
        case Primitive("bool"):
            if isinstance(value, str):
                return _BOOLS.get(value, value)
        case ListOf(item) if isinstance(value, list):
            return [convert(element, item) for element in value]
        case MapOf(item) if isinstance(value, dict):
            return {key: convert(element, item) for key, element in value.items()}
        case ObjectOf(attributes) if isinstance(value, dict):
            named = dict(attributes)
            return {
                key: convert(element, named[key].type) if key in named else _plain(element)
                for key, element in value.items()
            }
    return _plain(value)


def _number(value: Any) -> Decimal | None:
    """The cty number a JSON number stands for (None: not a number, or past the
    bounds)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return ctynumber.held(value)
    if isinstance(value, int):
        return ctynumber.held(Decimal(value))
    if isinstance(value, float) and math.isfinite(value):
        # Only a YAML spelling (`.5`) reads as a float here; JSON numbers are Decimals.
        return ctynumber.held(Decimal(repr(value)))
    return None


def _plain(value: Any) -> Any:
    """`value` with every Decimal the number the module would hand over (past the
    bounds, the Decimal as read)."""
    if isinstance(value, Decimal):
        number = ctynumber.held(value)
        return value if number is None else ctynumber.value(number)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
