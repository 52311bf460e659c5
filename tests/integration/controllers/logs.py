"""The log files of every process and server the controller tests start. They live
in the session's temporary directory; conftest prints their tails when a test fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TAIL_LINES = 60
_registered: list[Path] = []


def register(path: Path) -> Path:
    """Remember path so that a failing test prints it; returns path."""
    if path not in _registered:
        _registered.append(path)
    return path


def registered(name: str) -> Path:
    """The registered log whose file is called name (the latest registered)."""
    found = [path for path in _registered if path.name == name]
    if not found:
        raise AssertionError(f"no log {name} registered: {_registered}")
    return found[-1]


@contextmanager
def scoped() -> Iterator[None]:
    """Logs registered inside are forgotten on exit: a per-test environment's logs are
    not printed for a later test."""
    before = list(_registered)
    try:
        yield
    finally:
        _registered[:] = [path for path in _registered if path in before]


def report(lines: int = TAIL_LINES) -> str:
    """The last lines of every registered log, each under its full path."""
    parts: list[str] = []
    for path in _registered:
        text = path.read_text(errors="replace") if path.exists() else "(no log written)"
        tail = "\n".join(text.splitlines()[-lines:])
        parts.append(f"==> {path} (last {lines} lines) <==\n{tail}")
    return "\n\n".join(parts)
