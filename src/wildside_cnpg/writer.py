"""Writing the tree into a GitOps checkout, confined to it, one writer at a time.

- Confinement: every file is reached from the output directory one path component
  at a time, relative to the directory's file descriptor and with O_NOFOLLOW, so a
  symbolic link anywhere under the directory is refused and nothing the tool writes,
  reads or removes can resolve outside it. Anything but a regular file where the
  tool reads or writes one (a directory, a FIFO, a socket, a device) is refused
  without waiting on it, and before anything is written.
- Ownership: `OWNERSHIP_FILE` records each file the tool wrote, with its owners (the
  clusters whose renders hold it, as NAMESPACE/NAME) and the SHA-256 of the bytes
  written. The record is data to verify, never a list of paths to trust: an entry
  for a path the tool never renders is reported and ignored, and a file is removed
  only while its bytes are still those the tool wrote (otherwise it is reported and
  left). Several renders may own one file while they render it byte for byte (a
  namespace two clusters share); it goes when the last of them stops rendering it.
  A file another owner holds with other bytes is a collision, an error naming both.
- Atomicity: each file is replaced through a temporary file, fsync and rename; the
  record is widened before anything is written and narrowed after pruning, so an
  interrupted run leaves a record the next run converges from.
- One writer at a time: an exclusive lock on the directory (`--check` takes a
  shared one), so concurrent renders never mix their trees.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import posixpath
import re
import stat
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import EnvironmentFailureError, OwnershipError

OWNERSHIP_FILE = ".wildside-cnpg-owned.json"
RENDERED_ROOT = "platform"  # every path the tool renders lies under it
_TMP_PREFIX = ".wildside-cnpg-tmp-"
_RECORD_VERSION = 2
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# A file is opened without blocking (a FIFO would wait for a writer) and never as a
# controlling terminal; `Checkout.read` reads only what fstat says is a regular file.
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOCTTY
_MANAGED_BY = ("app.kubernetes.io/managed-by", "wildside-cnpg")
_KUSTOMIZE_API = "kustomize.config.k8s.io/"
# A rendered Secret (the tree's YAML puts kind on a line of its own): such a file is
# written readable by its owner only, even when the caller did not say it is private.
_SECRET_KIND = b"\nkind: Secret\n"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The longest name a file system takes for one component, and for a whole path, in
# bytes (Linux's NAME_MAX and PATH_MAX, the latter counting a terminating NUL).
NAME_MAX = 255
PATH_MAX = 4096


def renderable(path: str) -> bool:
    """A path the tool can have written: relative, under RENDERED_ROOT, a .yaml file,
    without empty, '.', '..' or hidden components or control characters, valid UTF-8
    no longer than a file system takes (checked for every entry of a record: a fleet's
    holds thousands)."""
    parts = path.split("/")
    if not (
        parts[0] == RENDERED_ROOT
        and path.endswith(".yaml")
        and all(part and not part.startswith(".") for part in parts)
        and _CONTROL.search(path) is None
    ):
        return False
    try:
        encoded = path.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which JSON can spell
        return False
    return len(encoded) < PATH_MAX and all(len(part) <= NAME_MAX for part in encoded.split(b"/"))


@dataclass(frozen=True)
class Entry:
    owners: tuple[str, ...]
    sha256: str | None  # None: a record written before hashes were kept


@dataclass(frozen=True)
class Record:
    """The ownership record, never changed once made (`next_record` makes the next)."""

    entries: dict[str, Entry] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)  # entries that were not trusted
    # `by_owner`, when the maker worked it out (`next_record` does, from the record
    # before, so that a fleet's records do not each walk every entry).
    index: dict[str, frozenset[str]] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def by_owner(self) -> dict[str, frozenset[str]]:
        """Each owner's paths."""
        if self.index is not None:
            return self.index
        paths: dict[str, set[str]] = {}
        for path, entry in self.entries.items():
            for owner in entry.owners:
                paths.setdefault(owner, set()).add(path)
        return {owner: frozenset(held) for owner, held in paths.items()}

    def owned_by(self, owner: str) -> set[str]:
        return set(self.by_owner.get(owner, ()))

    def to_bytes(self) -> bytes:
        body = {
            "comment": "Files written by wildside-cnpg, each with the clusters whose renders "
            "hold it and the SHA-256 of its bytes; a render replaces and prunes only its own.",
            "files": {
                path: {"owners": sorted(entry.owners), "sha256": entry.sha256}
                for path, entry in sorted(self.entries.items())
            },
            "version": _RECORD_VERSION,
        }
        return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Files this render no longer owns that stay: other renders still hold them.
    released: list[str] = field(default_factory=list)
    # Problems reported and left alone (modified files, untrusted record entries).
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed or self.released)


def _environment(
    out_dir: Path, path: str, error: OSError, *, doing: str = "write"
) -> EnvironmentFailureError:
    what = os.strerror(error.errno) if error.errno else str(error)
    return EnvironmentFailureError(f"{out_dir}: cannot {doing} {path}: {what}")


class Checkout:
    """An output directory opened for confined access (use as a context manager)."""

    def __init__(self, out_dir: Path, *, exclusive: bool = True) -> None:
        self.out_dir = out_dir
        try:
            self._fd = os.open(out_dir, _DIR_FLAGS)
        except FileNotFoundError:
            raise OwnershipError(
                f"{out_dir}: no such directory (render writes into an existing checkout)"
            ) from None
        except NotADirectoryError:
            raise OwnershipError(
                f"{out_dir}: not a directory (render writes into an existing checkout)"
            ) from None
        except OSError as error:
            raise _environment(out_dir, ".", error) from None
        self._record: Record | None = None  # read once, under the lock
        try:
            fcntl.flock(self._fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise EnvironmentFailureError(
                f"{out_dir}: another wildside-cnpg is writing this directory; "
                "run again when it has finished"
            ) from None

    def __enter__(self) -> Checkout:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self._fd)  # closing the descriptor releases the lock

    # -- confined access -------------------------------------------------------
    @contextlib.contextmanager
    def _parent(self, path: str, *, create: bool = False) -> Iterator[tuple[int | None, str]]:
        """The descriptor of `path`'s directory (None when it does not exist and
        `create` is false) and its last component."""
        parts = PurePosixPath(path).parts
        opened: list[int] = []
        current = self._fd
        try:
            for index, part in enumerate(parts[:-1]):
                try:
                    current = os.open(part, _DIR_FLAGS, dir_fd=current)
                except FileNotFoundError:
                    if not create:
                        yield None, parts[-1]
                        return
                    os.mkdir(part, 0o777, dir_fd=current)
                    current = os.open(part, _DIR_FLAGS, dir_fd=current)
                except OSError as error:
                    if error.errno in (errno.ELOOP, errno.ENOTDIR):
                        where = "/".join(parts[: index + 1])
                        raise OwnershipError(
                            f"{where}: a symbolic link or a file where a directory is "
                            f"expected inside {self.out_dir}; refusing to follow it"
                        ) from None
                    raise
                opened.append(current)
            yield current, parts[-1]
        finally:
            for fd in reversed(opened):
                os.close(fd)

    def read(self, path: str) -> bytes | None:
        """The bytes of a regular file inside the directory, None when it is missing.
        Anything else there is refused unread: the file is opened without blocking,
        so a FIFO (which would wait for a writer) or a device is never waited on."""
        try:
            return self._read(path)
        except OSError as error:
            raise _environment(self.out_dir, path, error, doing="read") from None

    def _read(self, path: str) -> bytes | None:
        with self._parent(path) as (parent, name):
            if parent is None:
                return None
            try:
                fd = os.open(name, _READ_FLAGS, dir_fd=parent)
            except FileNotFoundError:
                return None
            except OSError as error:
                if error.errno == errno.ELOOP:
                    raise self._symlink(path) from None
                if error.errno == errno.ENXIO:  # a socket, or a device without a driver
                    raise self._not_regular(path) from None
                raise
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise self._not_regular(path)
                os.set_blocking(fd, True)
                chunks = []
                while chunk := os.read(fd, 1 << 20):
                    chunks.append(chunk)
                return b"".join(chunks)
            finally:
                os.close(fd)

    def _symlink(self, path: str) -> OwnershipError:
        return OwnershipError(
            f"{path}: a symbolic link inside {self.out_dir}; refusing to follow it"
        )

    def _not_regular(self, path: str) -> OwnershipError:
        return OwnershipError(f"{path}: not a regular file inside {self.out_dir}; move it away")

    def write(self, path: str, data: bytes, *, private: bool = False) -> None:
        """Replace `path` atomically. A private file (a plaintext Secret) is made
        readable by its owner only; others get 0644 less the umask."""
        try:
            self._write(path, data, private)
        except OwnershipError:
            raise
        except OSError as error:
            raise _environment(self.out_dir, path, error) from None

    def _write(self, path: str, data: bytes, private: bool) -> None:
        with self._parent(path, create=True) as (parent, name):
            if parent is None:  # pragma: no cover - create=True always yields a parent
                raise AssertionError(path)
            mode = 0o600 if private else 0o644
            temporary = f"{_TMP_PREFIX}{os.getpid()}-{name}"
            fd = os.open(
                temporary,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                mode,
                dir_fd=parent,
            )
            try:
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view) :]
                    os.fsync(fd)
                finally:
                    os.close(fd)
                os.replace(temporary, name, src_dir_fd=parent, dst_dir_fd=parent)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary, dir_fd=parent)
                raise
            os.fsync(parent)

    def remove(self, path: str) -> None:
        """Remove a file, then the directories it leaves empty (never the root)."""
        parts = PurePosixPath(path).parts
        with self._parent(path) as (parent, name):
            if parent is None:
                return
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name, dir_fd=parent)
            os.fsync(parent)
        for depth in range(len(parts) - 1, 0, -1):
            with self._parent("/".join(parts[:depth])) as (holder, directory):
                if holder is None:
                    continue
                try:
                    os.rmdir(directory, dir_fd=holder)
                except OSError:
                    return

    def clean_temporaries(self, directories: Iterable[str]) -> None:
        """Remove temporary files an interrupted run of this tool left behind."""
        for directory in sorted(set(directories)):
            with self._parent(f"{directory}/x" if directory else "x") as (parent, _):
                if parent is None:
                    continue
                for name in os.listdir(parent):
                    if name.startswith(_TMP_PREFIX):
                        with contextlib.suppress(OSError):
                            os.unlink(name, dir_fd=parent)

    # -- the ownership record --------------------------------------------------
    def record(self) -> Record:
        """The ownership record: read from disk once while this checkout is open (it
        holds the lock: only this run writes the record meanwhile), then the record
        this run last wrote."""
        if self._record is None:
            self._record = self._read_record()
        return self._record

    def _read_record(self) -> Record:
        data = self.read(OWNERSHIP_FILE)
        if data is None:
            return Record()
        try:
            body = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise self._unreadable(f"not JSON: {error}") from None
        except RecursionError:
            raise self._unreadable("nested too deeply") from None
        if not isinstance(body, dict):
            raise self._unreadable("expected a JSON object")
        files = body.get("files")
        if isinstance(files, list):
            return self._legacy_record(files)
        if body.get("version") != _RECORD_VERSION or not isinstance(files, dict):
            raise self._unreadable(f"expected version {_RECORD_VERSION} with a files object")
        entries: dict[str, Entry] = {}
        ignored: list[str] = []
        for path, entry in sorted(files.items()):
            owners = entry.get("owners") if isinstance(entry, dict) else None
            sha = entry.get("sha256") if isinstance(entry, dict) else None
            if (
                not isinstance(owners, list)
                or not owners
                or not all(isinstance(owner, str) for owner in owners)
                or not (sha is None or isinstance(sha, str))
            ):
                raise self._unreadable(f"entry {path!r}: expected owners and sha256")
            if not renderable(path):
                ignored.append(path)
                continue
            entries[path] = Entry(tuple(sorted(set(owners))), sha)
        return Record(entries, ignored)

    def _legacy_record(self, files: list[Any]) -> Record:
        """A record of the first release: a list of paths, one cluster, no hashes. The
        files belong to the cluster whose Cluster document they hold."""
        paths: list[str] = []
        ignored: list[str] = []
        for path in files:
            if isinstance(path, str) and renderable(path):
                paths.append(path)
            else:
                ignored.append(str(path))
        owner = self._legacy_owner(paths) or "legacy/unknown"
        return Record(dict.fromkeys(paths, Entry((owner,), None)), ignored)

    def _legacy_owner(self, paths: list[str]) -> str | None:
        from .yamlio import load_all_yaml_text

        for path in paths:
            data = self.read(path)
            if data is None:
                continue
            try:
                documents = load_all_yaml_text(data.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                continue
            for doc in documents:
                if isinstance(doc, dict) and doc.get("kind") == "Cluster":
                    meta = doc.get("metadata") or {}
                    if isinstance(meta, dict) and meta.get("name") and meta.get("namespace"):
                        return f"{meta['namespace']}/{meta['name']}"
        return None

    def _unreadable(self, why: str) -> OwnershipError:
        return OwnershipError(
            f"{self.out_dir / OWNERSHIP_FILE}: unreadable ownership record ({why}); "
            "restore it from version control"
        )

    def write_record(self, record: Record) -> None:
        data = record.to_bytes()
        if self.read(OWNERSHIP_FILE) != data:
            self.write(OWNERSHIP_FILE, data)
        self._record = record


@contextlib.contextmanager
def opened(target: Path | Checkout, *, exclusive: bool) -> Iterator[Checkout]:
    """The checkout itself when one is already open (its lock held), else open it."""
    if isinstance(target, Checkout):
        yield target
        return
    with Checkout(target, exclusive=exclusive) as checkout:
        yield checkout


# The keys of the kustomization files this tool writes.
_KUSTOMIZATION_KEYS = frozenset({"apiVersion", "kind", "resources"})


def _looks_rendered(data: bytes, path: str, recorded: Collection[str]) -> bool:
    """For records without hashes (the first release's): every document is one this
    tool labels as its own, or a kustomization file as it writes them, whose resources
    are all files the record holds (or directories of them). A kustomization file a
    user extended with a resource of their own is theirs now."""
    from .yamlio import load_all_yaml_text

    try:
        documents = load_all_yaml_text(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    for doc in documents:
        if not isinstance(doc, dict):
            return False
        if str(doc.get("apiVersion", "")).startswith(_KUSTOMIZE_API):
            if not _lists_only_recorded(doc, path, recorded):
                return False
            continue
        labels = (doc.get("metadata") or {}).get("labels") or {}
        if not isinstance(labels, dict) or labels.get(_MANAGED_BY[0]) != _MANAGED_BY[1]:
            return False
    return bool(documents)


def _lists_only_recorded(doc: Mapping[str, Any], path: str, recorded: Collection[str]) -> bool:
    resources = doc.get("resources")
    if not set(doc) <= _KUSTOMIZATION_KEYS or not isinstance(resources, list):
        return False
    here = posixpath.dirname(path)
    for resource in resources:
        if not isinstance(resource, str):
            return False
        target = posixpath.normpath(posixpath.join(here, resource))
        if target not in recorded and not any(p.startswith(target + "/") for p in recorded):
            return False
    return True


def collisions(
    read: Callable[[str], bytes | None],
    record: Record,
    files: Mapping[str, bytes],
    owner: str,
    adopt: bool,
) -> list[str]:
    """What writing `files` for `owner` would take from others: files the tool did not
    write, and files another render holds with other contents (`read`: a path's
    current bytes, or None)."""
    problems = []
    for path, data in files.items():
        entry = record.entries.get(path)
        if entry is None:
            if not adopt and read(path) is not None:
                problems.append(
                    f"{path}: exists but was not written by wildside-cnpg; move it away or "
                    "pass --adopt to let wildside-cnpg own it"
                )
            continue
        others = [other for other in entry.owners if other != owner]
        if not others or adopt:
            continue
        current = read(path)
        if current is None or current == data:
            continue
        name = owner.partition("/")[2]
        moved = [other for other in others if other.partition("/")[2] == name]
        if moved:
            problems.append(
                f"{path}: owned by the render of {', '.join(moved)}, the same cluster name "
                f"in another namespace; this render ({owner}) would overwrite it. A cluster "
                "cannot move to another namespace: give the new one a new cluster_name too "
                "('Renaming a cluster' in docs/day2.md)"
            )
            continue
        problems.append(
            f"{path}: owned by the render of {', '.join(others)} with other contents; "
            f"this render ({owner}) would overwrite it. Give each cluster its own "
            "names (or identical settings for what they share), or pass --adopt to "
            f"take it over from {', '.join(others)}"
        )
    return problems


def taken_over(
    read: Callable[[str], bytes | None], record: Record, files: Mapping[str, bytes], owner: str
) -> set[str]:
    """The files another render holds that writing `files` changes (what --adopt takes
    over); a file that already holds these bytes is shared, not taken."""
    return {
        path
        for path, data in files.items()
        if (entry := record.entries.get(path)) is not None
        and any(other != owner for other in entry.owners)
        and read(path) not in (None, data)
    }


def next_record(
    record: Record,
    files: Mapping[str, bytes],
    owner: str,
    *,
    taken: Collection[str] = (),
    prune: bool = True,
) -> Record:
    """The record once this owner's render is written: its files recorded with their
    new hashes (this owner alone for the `taken` ones, which it takes over), the
    files it no longer renders released (dropped when no other render holds them)
    unless `prune` is false."""
    entries = dict(record.entries)
    for path, data in files.items():
        entry = record.entries.get(path)
        owners = {owner} if entry is None or path in taken else {*entry.owners, owner}
        entries[path] = Entry(tuple(sorted(owners)), digest(data))
    stale = record.owned_by(owner) - set(files) if prune else set()
    for path in stale:
        remaining = tuple(other for other in record.entries[path].owners if other != owner)
        if remaining:
            entries[path] = Entry(remaining, record.entries[path].sha256)
        else:
            del entries[path]
    return Record(entries, index=_by_owner_after(record, entries, {*files, *stale}))


def _by_owner_after(
    record: Record, entries: Mapping[str, Entry], changed: set[str]
) -> dict[str, frozenset[str]]:
    """Each owner's paths once `changed` paths hold `entries`' owners: only the owners
    of those paths (before or after) are worked out again."""
    held = dict(record.by_owner)
    affected = {
        owner
        for path in changed
        for source in (record.entries, entries)
        if path in source
        for owner in source[path].owners
    }
    for owner in affected:
        paths = (held.get(owner, frozenset()) - changed) | {
            path for path in changed if path in entries and owner in entries[path].owners
        }
        if paths:
            held[owner] = frozenset(paths)
        else:
            held.pop(owner, None)
    return held


@dataclass(frozen=True)
class Part:
    """One owner's part of a write: its files (relative path -> text) and which of
    them hold secret values."""

    owner: str
    files: Mapping[str, str]
    private: frozenset[str] = frozenset()


def write_tree(
    out_dir: Path | Checkout,
    files: Mapping[str, str],
    *,
    owner: str,
    adopt: bool = False,
    private: frozenset[str] = frozenset(),
    prune: bool = True,
) -> WriteReport:
    """Converge this owner's part of `out_dir` on `files` (relative path -> text);
    without `prune`, write `files` and leave this owner's other files as they are."""
    return write_trees(out_dir, [Part(owner, files, private)], adopt=adopt, prune=prune)[0]


def write_trees(
    out_dir: Path | Checkout, parts: Sequence[Part], *, adopt: bool = False, prune: bool = True
) -> list[WriteReport]:
    """`write_tree` for several owners in one write (a fleet): each part checked
    against the checkout the parts before it leave, nothing written unless every
    part can be, the record rewritten once before and once after all of them. The
    checkout ends as the parts written one by one, in order, leave it."""
    for part in parts:
        for path in part.files:
            if not renderable(path):
                raise OwnershipError(f"{path}: refusing a path outside the rendered tree")
    encoded = [{path: text.encode() for path, text in part.files.items()} for part in parts]
    with opened(out_dir, exclusive=True) as checkout:
        try:
            return _write(checkout, parts, encoded, adopt=adopt, prune=prune)
        except OSError as error:
            raise _environment(
                checkout.out_dir, getattr(error, "filename", None) or ".", error
            ) from None


def _stale(record: Record, owner: str, files: Mapping[str, bytes], prune: bool) -> list[str]:
    return sorted(record.owned_by(owner) - set(files)) if prune else []


def _records(
    checkout: Checkout,
    record: Record,
    parts: Sequence[Part],
    encoded: Sequence[Mapping[str, bytes]],
    *,
    adopt: bool,
    prune: bool,
) -> tuple[Record, list[dict[str, Entry]]]:
    """The record after all the parts, and each part's stale files (those its owner
    held and no longer renders) with their entries before that part; raise with
    every collision first. Each part is checked against the files the parts before
    it write and remove (kept in memory), as if they were on disk. Only the last
    record is kept: a fleet's records would each hold the whole checkout."""
    written: dict[str, bytes] = {}
    gone: set[str] = set()

    def read(path: str) -> bytes | None:
        if path in written:
            return written[path]
        return None if path in gone else checkout.read(path)

    current = record
    stale: list[dict[str, Entry]] = []
    problems: list[str] = []
    for part, files in zip(parts, encoded, strict=True):
        problems.extend(collisions(read, current, files, part.owner, adopt))
        taken = taken_over(read, current, files, part.owner) if adopt else set()
        after = next_record(current, files, part.owner, taken=taken, prune=prune)
        stale.append(
            {path: current.entries[path] for path in _stale(current, part.owner, files, prune)}
        )
        for path, entry in stale[-1].items():
            if path not in after.entries and _holds(read(path), path, entry, current.entries):
                gone.add(path)
                written.pop(path, None)
        written.update(files)
        gone.difference_update(files)
        current = after
    if problems:
        raise OwnershipError("\n".join(problems))
    return current, stale


def _holds(data: bytes | None, path: str, entry: Entry, recorded: Collection[str]) -> bool:
    """Whether `data` is what the tool wrote at `path` (its `entry` in a record of the
    `recorded` paths)."""
    if data is None:
        return False
    if entry.sha256 is not None:
        return digest(data) == entry.sha256
    return _looks_rendered(data, path, recorded)


def _write(
    checkout: Checkout,
    parts: Sequence[Part],
    encoded: Sequence[Mapping[str, bytes]],
    *,
    adopt: bool,
    prune: bool,
) -> list[WriteReport]:
    record = checkout.record()
    final, stale = _records(checkout, record, parts, encoded, adopt=adopt, prune=prune)

    # Widen: every file this run may write is recorded (with its new hash) before it
    # is written; stale files keep their entries until they are gone.
    claimed = {path: final.entries[path] for files in encoded for path in files}
    # Each file is read (to leave one that already holds its bytes untouched) before
    # anything is written: what `read` refuses (a FIFO, a directory, a symbolic link)
    # leaves the checkout as it was.
    same = [
        {path for path, data in files.items() if checkout.read(path) == data} for files in encoded
    ]
    checkout.write_record(Record({**record.entries, **claimed}))
    checkout.clean_temporaries(
        ["", *sorted({str(PurePosixPath(path).parent) for files in encoded for path in files})]
    )

    reports: list[WriteReport] = []
    written: dict[str, bytes] = {}  # by this run (a fleet's parts may share a file)
    for part, files, leaving, unchanged in zip(parts, encoded, stale, same, strict=True):
        ignored = [] if reports else record.ignored  # told once
        report = WriteReport(
            notes=[
                f"{path}: not a path wildside-cnpg renders; record entry ignored"
                for path in ignored
            ]
        )
        for path, data in files.items():
            if written[path] == data if path in written else path in unchanged:
                report.unchanged.append(path)
                continue
            checkout.write(path, data, private=path in part.private or _SECRET_KIND in data)
            written[path] = data
            report.written.append(path)
        for path, entry in leaving.items():
            if any(other != part.owner for other in entry.owners):
                report.released.append(path)
                continue
            current = checkout.read(path)
            if current is None:
                continue  # already gone
            if _holds(current, path, entry, record.entries):
                checkout.remove(path)
                report.removed.append(path)
            else:
                report.notes.append(
                    f"{path}: no longer rendered, but changed since wildside-cnpg wrote it; "
                    "left in place (remove it yourself if it is not needed)"
                )
        reports.append(report)
    checkout.write_record(final)
    return reports


@dataclass
class Drift:
    diff: str
    changed: list[str]


def _is_secret_text(text: str) -> bool:
    """Whether a file on disk holds a Secret (its contents are never printed)."""
    from .yamlio import load_all_yaml_text

    try:
        documents = load_all_yaml_text(text)
    except ValueError:
        return True  # unparseable: do not print what we cannot classify
    return any(isinstance(doc, dict) and doc.get("kind") == "Secret" for doc in documents)


def tree_drift(
    out_dir: Path | Checkout,
    files: Mapping[str, str],
    *,
    owner: str,
    sensitive: frozenset[str] = frozenset(),
) -> Drift:
    """A unified diff from this owner's part of the tree on disk to `files`. The
    contents of a Secret (rendered or on disk) are never shown, only that it differs;
    nor are those of a file that no longer holds what the tool wrote."""
    return trees_drift(out_dir, [Part(owner, files, sensitive)])[0]


def trees_drift(out_dir: Path | Checkout, parts: Sequence[Part]) -> list[Drift]:
    """`tree_drift` of each part (a fleet) against the checkout as it is, the record
    read once."""
    with opened(out_dir, exclusive=False) as checkout:
        record = checkout.record()
        # A record on disk that is its own canonical form changes only where a part's
        # entries do: no part needs to write the whole record out to compare it.
        canonical = checkout.read(OWNERSHIP_FILE) == record.to_bytes()
        return [_drift(checkout, record, canonical, part) for part in parts]


def _drift(checkout: Checkout, record: Record, canonical: bool, part: Part) -> Drift:
    files, owner, sensitive = part.files, part.owner, part.private
    chunks: list[str] = []
    changed: list[str] = []
    owned = record.owned_by(owner)
    for path in sorted(set(files) | owned):
        if path not in files and len(record.entries[path].owners) > 1:
            changed.append(path)  # released to its other owners, not removed
            continue
        data = checkout.read(path)
        current = data.decode("utf-8", errors="replace") if data is not None else None
        wanted = files.get(path)
        if current == wanted:
            continue
        changed.append(path)
        hidden = path in sensitive or (current is not None and _is_secret_text(current))
        if wanted is None and current is not None:
            hidden = hidden or not _holds(data, path, record.entries[path], record.entries)
        if hidden:
            chunks.append(
                f"--- a/{path}\n+++ b/{path}\n(sensitive or modified file differs; "
                "contents not shown)\n"
            )
            continue
        import difflib  # only a drifting --check needs it

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
    encoded = {path: text.encode() for path, text in files.items()}
    after = next_record(record, encoded, owner)
    if not canonical or any(
        after.entries.get(p) != record.entries.get(p) for p in {*encoded, *owned}
    ):
        changed.append(OWNERSHIP_FILE)
    return Drift("".join(chunks), changed)


def read_checkout(out_dir: Path | Checkout) -> tuple[Record, dict[str, str]]:
    """The record and the text of every recorded file on disk, as it is: what Flux
    applies, hand edits and a run that stopped halfway included, is what the plan
    compares a new render with (bytes that are not UTF-8 read as U+FFFD)."""
    with opened(out_dir, exclusive=False) as checkout:
        record = checkout.record()
        texts: dict[str, str] = {}
        for path in record.entries:
            data = checkout.read(path)
            if data is not None:
                texts[path] = data.decode("utf-8", errors="replace")
        return record, texts
