"""HCL literals and type expressions, written the way `tofu fmt` leaves them."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class HclError(ValueError):
    """A value HCL cannot spell (the generator reports it with the input's name)."""


def string(text: str) -> str:
    """A quoted HCL string whose value is exactly `text` (no interpolation)."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    # "${" and "%{" start templates: doubling the sigil makes them literal.
    return '"' + "".join(out).replace("${", "$${").replace("%{", "%%{") + '"'


def key(name: str) -> str:
    """An object key: bare when it is an identifier, else quoted."""
    return name if _IDENTIFIER.match(name) else string(name)


def literal(value: Any) -> str:
    """The HCL expression of a JSON-like value (single line)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise HclError(f"{value!r} has no HCL spelling")
        return json.dumps(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = ", ".join(f"{key(str(k))} = {literal(v)}" for k, v in value.items())
        return "{ " + items + " }"
    if isinstance(value, Sequence):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    raise HclError(f"a {type(value).__name__} has no HCL spelling")


def template_text(text: str) -> str:
    """`text` as literal content inside a quoted HCL template."""
    return string(text)[1:-1]


def attributes(pairs: list[tuple[str, str]], indent: str) -> list[str]:
    """Consecutive `name = expression` lines with the `=` aligned, as `tofu fmt`
    writes them."""
    width = max(len(name) for name, _ in pairs)
    return [f"{indent}{name.ljust(width)} = {value}" for name, value in pairs]
