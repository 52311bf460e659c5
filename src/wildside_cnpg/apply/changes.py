"""What applying or pruning did to one object, and how that is shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .refs import ObjectRef

# Metadata the server maintains: never part of "what would change".
_SERVER_METADATA = ("resourceVersion", "managedFields", "generation", "creationTimestamp", "uid")
_SHOWN_VALUE_LENGTH = 60

_PAST = {
    "create": "created",
    "configure": "configured",
    "unchanged": "unchanged",
    "prune": "pruned",
    "keep": "kept",
    "delete": "deleted",
    "absent": "absent",
}
_FUTURE = {
    "create": "would create",
    "configure": "would configure",
    "unchanged": "unchanged",
    "prune": "would prune",
    "keep": "would keep",
    "delete": "would delete",
    "absent": "absent",
}


@dataclass(frozen=True)
class Change:
    """One object's outcome. action: create, configure, unchanged, prune, keep, or
    (uninstall) delete and absent."""

    ref: ObjectRef
    action: str
    dry_run: bool = False
    details: tuple[str, ...] = ()
    note: str = ""

    @property
    def changed(self) -> bool:
        return self.action not in ("unchanged", "keep", "absent")

    def line(self) -> str:
        verb = (_FUTURE if self.dry_run else _PAST)[self.action]
        text = f"{verb} {self.ref}"
        if self.note:
            text += f" ({self.note})"
        return "\n".join([text, *(f"    {d}" for d in self.details)])


def normalized(obj: Mapping[str, Any]) -> dict[str, Any]:
    """obj without status and server-maintained metadata."""
    out = {k: v for k, v in obj.items() if k != "status"}
    meta = dict(out.get("metadata") or {})
    for key in _SERVER_METADATA:
        meta.pop(key, None)
    out["metadata"] = meta
    return out


def _show(value: Any) -> str:
    text = repr(value)
    if len(text) > _SHOWN_VALUE_LENGTH:
        text = text[: _SHOWN_VALUE_LENGTH - 3] + "..."
    return text


def _diff(before: Any, after: Any, path: str, out: list[tuple[str, Any, Any]]) -> None:
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in sorted(set(before) | set(after), key=str):
            sub = f"{path}.{key}" if path else str(key)
            _diff(before.get(key, _MISSING), after.get(key, _MISSING), sub, out)
    elif before != after:
        out.append((path, before, after))


class _Missing:
    def __repr__(self) -> str:
        return "(absent)"


_MISSING: Any = _Missing()


def field_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], *, sensitive: bool
) -> tuple[str, ...]:
    """One line per changed leaf field; values hidden when the object is sensitive."""
    found: list[tuple[str, Any, Any]] = []
    _diff(normalized(before), normalized(after), "", found)
    if sensitive:
        return tuple(f"{path}: (value hidden)" for path, _, _ in found)
    return tuple(f"{path}: {_show(old)} -> {_show(new)}" for path, old, new in found)
