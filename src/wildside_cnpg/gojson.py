"""JSON text as Go's encoding/json writes it, for output another Go program's is
compared with byte for byte (`tofu output -json`, conftest's SARIF): Go escapes `&`,
`<`, `>`, U+2028 and U+2029 in strings (they appear nowhere else in JSON) and writes
every other character as UTF-8."""

from __future__ import annotations

import json
from typing import Any

_ESCAPES = (
    ("&", "\\u0026"),
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def go_json(data: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """`data` as Go's json.Marshal (or MarshalIndent, with `indent`) writes it."""
    separators = None if indent is not None else (",", ":")
    text = json.dumps(
        data, indent=indent, separators=separators, sort_keys=sort_keys, ensure_ascii=False
    )
    for char, escaped in _ESCAPES:
        text = text.replace(char, escaped)
    return text
