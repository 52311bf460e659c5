"""Writing the tree into a GitOps checkout.

- Every file is replaced atomically (temporary file in the same directory, fsync,
  rename), so a reader or a killed process never leaves a truncated file.
- The tool records the files it owns in `OWNERSHIP_FILE` inside the output
  directory. The record is widened to the union of old and new files *before*
  anything is written and narrowed after pruning, so an interrupted run leaves a
  record that the next run can converge from.
- Files it does not own are never written or removed; an unchanged file is not
  rewritten (contents and modification time stay).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import OwnershipError

OWNERSHIP_FILE = ".wildside-cnpg-owned.json"
_TMP_PREFIX = ".wildside-cnpg-tmp-"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise OwnershipError(f"{path}: refusing a path outside the output directory")
    return rel


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(target: Path, data: bytes) -> None:
    """Replace `target` with `data` so that readers see the old or the new file whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(target.parent)


def read_owned(out_dir: Path) -> set[str]:
    record = out_dir / OWNERSHIP_FILE
    if not record.exists():
        return set()
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise TypeError("files is not a list of paths")
    except (ValueError, KeyError, TypeError) as error:
        raise OwnershipError(
            f"{record}: unreadable ownership record ({error}); restore it from version control"
        ) from None
    return set(files)


def _record_bytes(files: Iterable[str]) -> bytes:
    body = {
        "comment": "Files written by wildside-cnpg; it replaces and prunes only these.",
        "files": sorted(files),
    }
    return (json.dumps(body, indent=2) + "\n").encode()


def _write_record(out_dir: Path, files: Iterable[str]) -> None:
    data = _record_bytes(files)
    record = out_dir / OWNERSHIP_FILE
    if not record.exists() or record.read_bytes() != data:
        atomic_write(record, data)


def _clean_temporaries(directories: Iterable[Path]) -> None:
    """Remove temporary files an interrupted run of this tool left behind."""
    for directory in directories:
        if directory.is_dir():
            for leftover in directory.glob(_TMP_PREFIX + "*"):
                leftover.unlink(missing_ok=True)


def _check_foreign(out_dir: Path, files: Mapping[str, str], owned: set[str], adopt: bool) -> None:
    foreign = sorted(
        path for path in files if path not in owned and (out_dir / _safe_relative(path)).exists()
    )
    if foreign and not adopt:
        raise OwnershipError(
            "\n".join(
                f"{path}: exists but was not written by wildside-cnpg; move it away or "
                "pass --adopt to let wildside-cnpg own it"
                for path in foreign
            )
        )


def write_tree(out_dir: Path, files: Mapping[str, str], *, adopt: bool = False) -> WriteReport:
    """Converge `out_dir` on `files` (relative path -> text)."""
    if not out_dir.is_dir():
        raise OwnershipError(
            f"{out_dir}: not a directory (render writes into an existing checkout)"
        )
    owned = read_owned(out_dir)
    for path in files:
        _safe_relative(path)
    _check_foreign(out_dir, files, owned, adopt)
    stale = sorted(owned - set(files))
    for path in stale:
        _safe_relative(path)

    report = WriteReport()
    _write_record(out_dir, owned | set(files))
    _clean_temporaries({out_dir} | {(out_dir / path).parent for path in files})
    for path, text in files.items():
        target = out_dir / path
        data = text.encode()
        if target.is_file() and target.read_bytes() == data:
            report.unchanged.append(path)
            continue
        atomic_write(target, data)
        report.written.append(path)
    for path in stale:
        target = out_dir / path
        if target.is_file():
            target.unlink()
            _fsync_dir(target.parent)
            report.removed.append(path)
        _remove_empty_parents(out_dir, target.parent)
    _write_record(out_dir, files)
    return report


def _remove_empty_parents(out_dir: Path, directory: Path) -> None:
    root = out_dir.resolve()
    current = directory
    while current.resolve() != root and current.is_dir() and not any(current.iterdir()):
        current.rmdir()
        current = current.parent


@dataclass
class Drift:
    diff: str
    changed: list[str]


def tree_drift(
    out_dir: Path, files: Mapping[str, str], sensitive: frozenset[str] = frozenset()
) -> Drift:
    """A unified diff from the tree on disk to `files`; sensitive files' contents are
    never shown, only that they differ."""
    owned = read_owned(out_dir) if out_dir.is_dir() else set()
    chunks: list[str] = []
    changed: list[str] = []
    for path in sorted(set(files) | owned):
        target = out_dir / _safe_relative(path)
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        wanted = files.get(path)
        if current == wanted:
            continue
        changed.append(path)
        import difflib  # only a drifting --check needs it

        if path in sensitive:
            chunks.append(
                f"--- a/{path}\n+++ b/{path}\n(sensitive file differs; contents not shown)\n"
            )
            continue
        chunks.append(
            "".join(
                difflib.unified_diff(
                    [] if current is None else current.splitlines(keepends=True),
                    [] if wanted is None else wanted.splitlines(keepends=True),
                    fromfile="/dev/null" if current is None else f"a/{path}",
                    tofile="/dev/null" if wanted is None else f"b/{path}",
                )
            )
        )
    if _record_bytes(files) != _existing_record(out_dir):
        changed.append(OWNERSHIP_FILE)
    return Drift("".join(chunks), changed)


def _existing_record(out_dir: Path) -> bytes | None:
    record = out_dir / OWNERSHIP_FILE
    return record.read_bytes() if record.is_file() else None
