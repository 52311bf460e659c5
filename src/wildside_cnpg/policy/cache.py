"""What the policy check keeps between processes, where, and who can change it.

Two things are kept: the policies' WebAssembly compiled to machine code for this
machine (compiling takes about half a second, loading it a millisecond), and the
verdict of every tree checked recently, keyed by a digest of the exact input the
engine saw and of everything else that decides a verdict (engine.identity), so that
an unchanged tree is not evaluated again and the engine is not even loaded.

Both decide verdicts, so they must be as hard to replace as the policies themselves.
A user cache directory (~/.cache, $XDG_CACHE_HOME) is not: it is shared with every
other tool, restored from CI caches, sometimes pointed elsewhere, and a checksum or
key kept beside a file, or in another directory the same user writes, can be
replaced with it. So they live where Python keeps this package's own compiled code:
the `__pycache__` directory beside the runner (or its mirror under
PYTHONPYCACHEPREFIX). Whoever can write there can already replace the runner's .pyc,
or the .rego files and policy.wasm, and decide every verdict anyway; whoever cannot
write the package cannot touch them. Where the package is not writable (a system
install), nothing is cached. PYTHONDONTWRITEBYTECODE stops the writes, as it does
for .pyc files.

Each file starts with the SHA-256 of the rest, to catch a damaged (not a forged)
file; a damaged or unreadable one is treated as absent."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

_COMPILED = "policy-wasm-"
_VERDICT = "policy-verdict-"
# Artifacts of earlier releases (regopy bundles), removed when a new one is saved.
_STALE = ("policy-bundle-",)
# Verdicts kept: the most recently used ones; the oldest quarter goes when full.
VERDICT_LIMIT = 4096
_saved = {"verdicts": 0}  # verdicts this process saved (pruning looks every 256)
_counter = {"files": 0}  # temporary file names of this process


def cache_directory() -> Path | None:
    """The package's bytecode cache directory for the policy runner (None: Python
    keeps no bytecode cache)."""
    try:
        pyc = importlib.util.cache_from_source(str(Path(__file__).with_name("runner.py")))
    except NotImplementedError:  # sys.implementation.cache_tag is None
        return None
    return Path(pyc).parent


def wasmtime_build() -> str:
    """Which wasmtime runs the policies (its library's name, size and time), found
    without importing it."""
    spec = importlib.util.find_spec("wasmtime")
    if spec is None or not spec.submodule_search_locations:
        return "wasmtime: not installed"
    parts = []
    for location in spec.submodule_search_locations:
        for path in sorted(Path(location).glob("*/*wasmtime*")):
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "wasmtime:" + ",".join(parts)


def _named(prefix: str, key: str, suffix: str) -> Path | None:
    directory = cache_directory()
    if directory is None:
        return None
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return directory / f"{prefix}{digest}{suffix}"


def compiled_path(key: str) -> Path | None:
    """Where the module compiled for `key` (policy.wasm's digest, the engine's
    settings) is kept; the wasmtime build is part of the name."""
    return _named(_COMPILED, f"{key}\0{wasmtime_build()}", ".cwasm")


def read_intact(path: Path) -> bytes | None:
    """The file's content when its checksum matches, else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    checksum, newline, body = data.partition(b"\n")
    if not newline or hashlib.sha256(body).hexdigest().encode() != checksum:
        return None
    return body


def save(path: Path, body: bytes) -> bool:
    """Write `body` with its checksum atomically; a directory that cannot be written
    is no error (nothing is cached). For a compiled module, drop the ones of other
    versions."""
    if sys.dont_write_bytecode:
        return False
    _counter["files"] += 1
    temporary = path.with_name(f".policy-{os.getpid()}-{_counter['files']}.tmp")
    data = hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    try:
        try:
            fd = _create(temporary)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = _create(temporary)
        try:
            written = os.write(fd, data)
        finally:
            os.close(fd)
        if written != len(data):
            raise OSError("short write")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    if path.name.startswith(_COMPILED):
        with contextlib.suppress(OSError):
            for stale in path.parent.iterdir():
                if stale.name.startswith((_COMPILED, *_STALE)) and stale != path:
                    stale.unlink(missing_ok=True)
    return True


def _create(path: Path) -> int:
    # Readable by all, as Python's .pyc files are: a shared install's users load what
    # its owner cached.
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)


def verdict_path(key: str) -> Path | None:
    return _named(_VERDICT, key, ".json")


def load_verdict(key: str) -> dict[str, Any] | None:
    """The verdict saved for `key`, or None; a hit counts as a use (its time is
    renewed, so the most recently used verdicts are the ones kept)."""
    path = verdict_path(key)
    if path is None:
        return None
    body = read_intact(path)
    if body is None:
        return None
    try:
        verdict: dict[str, Any] = json.loads(body)
    except ValueError:
        return None
    if sys.dont_write_bytecode:
        return verdict
    with contextlib.suppress(OSError):
        os.utime(path)
    return verdict


def save_verdict(key: str, verdict: dict[str, Any]) -> None:
    path = verdict_path(key)
    if path is None:
        return
    body = json.dumps(verdict, separators=(",", ":"), ensure_ascii=False).encode()
    if save(path, body):
        _saved["verdicts"] += 1
        if _saved["verdicts"] % 256 == 1:
            _prune(path.parent)


def _prune(directory: Path) -> None:
    """Keep at most VERDICT_LIMIT verdicts: past that, the least recently used
    quarter goes."""
    try:
        entries = [e for e in os.scandir(directory) if e.name.startswith(_VERDICT)]
        if len(entries) <= VERDICT_LIMIT:
            return
        entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
        for entry in entries[: len(entries) - VERDICT_LIMIT * 3 // 4]:
            os.unlink(entry.path)
    except OSError:
        return
