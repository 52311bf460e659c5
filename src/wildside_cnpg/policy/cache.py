"""Where the compiled policy bundle is kept between processes, and who can change it.

A compiled bundle decides every verdict, so it must be as hard to replace as the
policies themselves. A user cache directory (~/.cache, $XDG_CACHE_HOME) is not: it
is shared with every other tool, restored from CI caches, sometimes pointed
elsewhere, and a checksum or key kept beside the bundle, or in another directory
the same user writes, can be replaced with it. So the bundle lives where Python
keeps this package's own compiled code: the `__pycache__` directory beside the
runner (or its mirror under PYTHONPYCACHEPREFIX). Whoever can write there can
already replace the runner's .pyc, or the .rego files, and decide every verdict
anyway; whoever cannot write the package cannot touch the bundle. Where the
package is not writable (a system install), nothing is cached and each process
compiles the policies (about a tenth of a second). PYTHONDONTWRITEBYTECODE stops
the writes, as it does for .pyc files.

The file name is a digest of the policy texts, the query and the regopy build; a
SHA-256 of the bundle sits beside it to catch a damaged (not a forged) file."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_PREFIX = "policy-bundle-"
_SUFFIX = ".rbb"


def bundle_directory() -> Path | None:
    """The package's bytecode cache directory for the policy runner (None: Python
    keeps no bytecode cache)."""
    try:
        pyc = importlib.util.cache_from_source(str(Path(__file__).with_name("runner.py")))
    except NotImplementedError:  # sys.implementation.cache_tag is None
        return None
    return Path(pyc).parent


def bundle_path(regopy: Any, parts: Iterable[str]) -> Path | None:
    """Where the bundle compiled from `parts` (policies and query) with this regopy
    build is kept."""
    directory = bundle_directory()
    if directory is None:
        return None
    library = Path(regopy.__file__).resolve().parent
    build = [str(regopy.__version__)]
    for path in sorted(library.glob("*rego_shared*")):
        stat = path.stat()
        build.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    digest = hashlib.sha256()
    for part in (*build, *parts):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return directory / f"{_PREFIX}{digest.hexdigest()[:32]}{_SUFFIX}"


def _checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def intact(path: Path) -> bool:
    """The bundle is there with exactly the bytes that were saved."""
    try:
        data = path.read_bytes()
        expected = _checksum_path(path).read_text(encoding="ascii").strip()
    except OSError:
        return False
    return hashlib.sha256(data).hexdigest() == expected


def save(interpreter: Any, bundle: Any, path: Path, regopy: Any) -> None:
    """Write the bundle and its checksum atomically, and drop bundles of other policy
    versions; a directory that cannot be written is no error (nothing is cached)."""
    if sys.dont_write_bytecode:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".bundle-", suffix=".tmp")
        os.close(fd)
        try:
            interpreter.save_bundle(temporary, bundle, regopy.BundleFormat.Binary)
            digest = hashlib.sha256(Path(temporary).read_bytes()).hexdigest()
            os.replace(temporary, path)
            Path(temporary).write_text(digest + "\n", encoding="ascii")
            os.replace(temporary, _checksum_path(path))
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        for stale in path.parent.glob(f"{_PREFIX}*"):
            if stale.name not in (path.name, _checksum_path(path).name):
                stale.unlink(missing_ok=True)
    except (OSError, regopy.RegoError):
        return
