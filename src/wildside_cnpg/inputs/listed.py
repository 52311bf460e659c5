"""The rule every list input of names shares: each name once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


def listed_twice(where: str, names: Iterable[str]) -> Iterator[str]:
    """One problem for each repetition of a name in `names`, in their order."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            yield f"{where}: '{name}' is listed twice"
        seen.add(name)
