"""OPA's `sprintf` and number text, as the real OPA (conftest) produces them.

OPA's WebAssembly build leaves `sprintf` to the host. OPA (topdown) turns each
operand into a Go value (a number that parses as an int64 becomes an int64, one with
a decimal point a float64, other digits a big integer, anything else its text; a
string stays itself; any other value its Rego text) and hands them to Go's
`fmt.Sprintf`. This module does the same for the verbs the policies use (`%s`, `%d`,
`%v`, `%%`, without flags or widths), including Go's markers for a wrong verb, a
missing operand and extra operands, so that a message reads the same under both
engines whatever the input holds.

Numbers reach conftest's engine as Go reads YAML, every one a float64, and as text
that depends on the view: with --combine the input goes through Go's encoding/json
(1000000 stays `1000000`, 1e-7 is `1e-7`), one file at a time OPA writes each float
itself (`strconv.FormatFloat(f, 'g', -1, 64)`: 1000000 is `1e+06`). `json_text`
writes the input handed to the in-process engine with the same text, so that a
number reaches a message as it does under conftest."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

_INT64 = re.compile(r"[+-]?[0-9]{1,19}")
_BIG_INT = re.compile(r"[+-]?[0-9]+")
_VERB = re.compile(r"%(.?)", re.S)
_INT64_RANGE = range(-(1 << 63), 1 << 63)


class Number(str):
    """A JSON number kept as the text the engine wrote (what OPA's ast.Number holds)."""


class FormatError(ValueError):
    """A format the host does not implement (the policies use %s, %d, %v and %%)."""


def _shortest(number: float) -> tuple[str, int]:
    """The shortest digits that read back as `abs(number)` (as Go and repr find
    them), and the position of the decimal point relative to them."""
    mantissa, _, exponent = repr(abs(number)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + int(exponent or 0)
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    return stripped.rstrip("0") or "0", point


def _exponent_form(sign: str, digits: str, exp: int, width: int) -> str:
    tail = f".{digits[1:]}" if len(digits) > 1 else ""
    return f"{sign}{digits[0]}{tail}e{'-' if exp < 0 else '+'}{abs(exp):0{width}d}"


def _fixed_form(sign: str, digits: str, point: int) -> str:
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


def number_text(value: int | float) -> str:
    """Go's strconv.FormatFloat(float64(value), 'g', -1, 64)."""
    number = float(value)
    sign = "-" if math.copysign(1.0, number) < 0 else ""
    if number == 0:
        return f"{sign}0"
    digits, point = _shortest(number)
    exp = point - 1
    if exp < -4 or exp >= 6:  # Go's rule for the shortest form
        return _exponent_form(sign, digits, exp, 2)
    return _fixed_form(sign, digits, point)


def json_number_text(value: int | float) -> str:
    """A float64 as Go's encoding/json writes it."""
    number = float(value)
    sign = "-" if math.copysign(1.0, number) < 0 else ""
    if number == 0:
        return f"{sign}0"
    digits, point = _shortest(number)
    if 1e-6 <= abs(number) < 1e21:
        return _fixed_form(sign, digits, point)
    return _exponent_form(sign, digits, point - 1, 1 if point - 1 < 0 else 2)


def _operand(value: Any) -> tuple[str, Any]:
    """(Go type, Go value) of one operand, as OPA's builtinSprintf converts it."""
    if isinstance(value, Number):
        text = str(value)
        if _INT64.fullmatch(text) and int(text) in _INT64_RANGE:
            return "int64", int(text)
        if "." in text:
            try:
                number = float(text)
            except ValueError:
                return "string", text
            if math.isinf(number):
                return "string", text
            return "float64", number
        if _BIG_INT.fullmatch(text):
            return "big", int(text)
        return "string", text
    if isinstance(value, str):
        return "string", value
    return "string", rego_text(value)


def rego_text(value: Any) -> str:
    """A value as OPA's Value.String() writes it (sets arrive as arrays)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, list):
        return "[" + ", ".join(rego_text(item) for item in value) + "]"
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ", ".join(f"{go_quote(k)}: {rego_text(v)}" for k, v in items) + "}"
    return str(value)


_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def go_quote(text: str) -> str:
    """Go's strconv.Quote."""
    out = ['"']
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char == " " or (char.isprintable() and not char.isspace()):
            out.append(char)
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)


def _plain(kind: str, value: Any) -> str:
    """The operand as %v writes it."""
    if kind == "float64":
        return number_text(value)
    return str(value)


def _format(verb: str, kind: str, value: Any) -> str:
    if verb == "v" or (kind == "big" and verb in "sd"):
        return _plain(kind, value)
    if verb == "s" and kind == "string":
        return str(value)
    if verb == "d" and kind == "int64":
        return str(value)
    return f"%!{verb}({kind}={_plain(kind, value)})"


def sprintf(template: str, operands: Sequence[Any]) -> str:
    """Go's fmt.Sprintf(template, operands...) after OPA's conversion of operands."""
    converted = [_operand(value) for value in operands]
    out: list[str] = []
    used = 0
    position = 0
    for match in _VERB.finditer(template):
        out.append(template[position : match.start()])
        position = match.end()
        verb = match.group(1)
        if not verb:
            out.append("%!(NOVERB)")
            continue
        if verb == "%":
            out.append("%")
            continue
        if verb not in "sdv":
            raise FormatError(f"sprintf: the format verb %{verb} is not implemented")
        if used >= len(converted):
            out.append(f"%!{verb}(MISSING)")
            continue
        out.append(_format(verb, *converted[used]))
        used += 1
    out.append(template[position:])
    if used < len(converted):
        extra = ", ".join(f"{kind}={_plain(kind, value)}" for kind, value in converted[used:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


# Integers below these write the same in Python as in Go: one file at a time Go
# uses an exponent from a million on; through encoding/json, integers stay digits
# while a float64 holds them exactly.
_PLAIN_DOCUMENT = 1_000_000
_PLAIN_COMBINED = 1 << 53


def _plain_numbers(value: Any, limit: int) -> bool:
    """No number in `value` whose JSON text differs from Go's (floats, and integers
    from `limit` on)."""
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is dict:
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
        elif kind is float or (kind is int and not -limit < item < limit):
            return False
    return True


def json_text(value: Any, combined: bool) -> str:
    """`value` as JSON with every number written as conftest's engine holds it: in
    the combined view (`combined`) or one file at a time."""
    if _plain_numbers(value, _PLAIN_COMBINED if combined else _PLAIN_DOCUMENT):
        return json.dumps(value, separators=(",", ":"))
    out: list[str] = []
    _write(value, out, json_number_text if combined else number_text)
    return "".join(out)


def _write(value: Any, out: list[str], number: Callable[[int | float], str]) -> None:
    if value is None or value is True or value is False or isinstance(value, str):
        out.append(json.dumps(value))
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"not a JSON number: {value}")
        out.append(number(value))
    elif isinstance(value, list):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out, number)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out.append(",")
            out.append(json.dumps(key if isinstance(key, str) else json.dumps(key)))
            out.append(":")
            _write(item, out, number)
        out.append("}")
    else:
        raise TypeError(f"not a JSON value: {type(value).__name__}")
