"""JSON paths as the messages spell them: `$.spec.storage.size`, `$.spec.x[0]`,
`$.metadata.labels['cnpg.io/cluster']`."""

from __future__ import annotations

import re
from collections.abc import Iterable

_PLAIN = re.compile(r"\A[A-Za-z_$][A-Za-z0-9_$-]*\Z")


def child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _PLAIN.match(key):
        return f"{path}.{key}"
    return f"{path}[{key!r}]"


def json_path(parts: Iterable[str | int]) -> str:
    path = "$"
    for part in parts:
        path = child(path, part)
    return path
