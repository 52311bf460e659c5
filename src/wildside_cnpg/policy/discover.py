"""Which files of a checkout `policy DIR` checks.

With the writer's ownership record in DIR, the files the tool owns there (every
owner's), the kustomizations that list them, and the files beside those
kustomizations by path only (so that the tree rules see what each kustomization
lists and what its directory holds, without checking another application's
objects). Without a record, every manifest under DIR, as before.

What is not Kubernetes YAML (a Helm chart's templates, its values.yaml and
Chart.yaml, a document without apiVersion and kind) is skipped with a reason;
`--ignore` globs leave files out before anything is read."""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import UsageError
from ..yamlload import MANIFEST_LIMITS, AliasBudget, YAMLInputError, load_all, read_limited

MANIFEST_SUFFIXES = (".yaml", ".yml")
KUSTOMIZATION_NAMES = frozenset({"kustomization.yaml", "kustomization.yml"})
# The fields of a kustomization that name files or directories it builds from.
_LISTING_FIELDS = ("resources", "components", "patchesStrategicMerge", "crds")


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str

    def note(self) -> str:
        return f"skipped {self.path}: {self.reason}"

    def as_json(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


@dataclass
class Discovery:
    """The documents to check by path, the paths passed without contents, and what
    was left out and why."""

    documents: dict[str, list[Any]] = field(default_factory=dict)
    by_path_only: set[str] = field(default_factory=set)
    skipped: list[Skipped] = field(default_factory=list)


def ignored(relative: str, patterns: Sequence[str]) -> bool:
    """Whether a glob matches the path or one of its parent directories (fnmatch:
    `*` matches `/` too)."""
    parts = PurePosixPath(relative).parts
    candidates = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns for path in candidates)


def manifests(root: Path, patterns: Sequence[str] = ()) -> list[str]:
    """Every .yaml/.yml file under root (relative POSIX paths, sorted), hidden
    entries and ignored paths left out."""
    if not root.is_dir():
        raise UsageError(f"{root}: not a directory")
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in PurePosixPath(relative).parts):
            continue
        if path.suffix in MANIFEST_SUFFIXES and path.is_file() and not ignored(relative, patterns):
            found.append(relative)
    return found


def owned_paths(root: Path) -> set[str] | None:
    """The paths the ownership record holds (every owner's), or None without one."""
    from ..writer import OWNERSHIP_FILE, Checkout

    if not (root / OWNERSHIP_FILE).is_file():
        return None
    with Checkout(root.resolve(), exclusive=False) as checkout:
        return set(checkout.record().entries)


class _Reader:
    """Reads and parses files of one tree, once each, within one alias budget."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.aliases = AliasBudget(MANIFEST_LIMITS.max_alias_values)
        self._texts: dict[str, str] = {}
        self._documents: dict[str, list[Any]] = {}

    def text(self, path: str) -> str:
        if path not in self._texts:
            try:
                with (self.root / path).open("rb") as stream:
                    self._texts[path] = read_limited(stream, MANIFEST_LIMITS)
            except YAMLInputError as error:
                raise UsageError(f"{path}: {error}") from None
            except OSError as error:
                raise UsageError(f"{path}: cannot read ({error.strerror})") from None
        return self._texts[path]

    def documents(self, path: str) -> list[Any]:
        if path not in self._documents:
            try:
                self._documents[path] = load_all(self.text(path), MANIFEST_LIMITS, self.aliases)
            except YAMLInputError as error:
                raise UsageError(f"{path}: {error}") from None
        return self._documents[path]

    def not_kubernetes(self, path: str) -> str | None:
        """Why the file is not Kubernetes YAML, or None when it is. A file that does
        not parse is an error unless it holds template markup."""
        if _chart_template(self.root, path):
            return "not Kubernetes YAML (a Helm chart's template)"
        try:
            documents = self.documents(path)
        except UsageError:
            if "{{" in self.text(path):
                return "not Kubernetes YAML (template markup {{ }})"
            raise
        if PurePosixPath(path).name in KUSTOMIZATION_NAMES:
            return None
        if any(_is_object(document) for document in documents):
            return None
        return "not Kubernetes YAML (no document has apiVersion and kind)"


def _chart_template(root: Path, path: str) -> bool:
    """Whether the file lies under the templates/ directory of a Helm chart (a
    directory holding Chart.yaml)."""
    parts = PurePosixPath(path).parts
    return any(
        part == "templates" and (root.joinpath(*parts[:index]) / "Chart.yaml").is_file()
        for index, part in enumerate(parts[:-1])
    )


def _is_object(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and isinstance(document.get("apiVersion"), str)
        and isinstance(document.get("kind"), str)
    )


def _listed(path: str, documents: Iterable[Any]) -> set[str]:
    """The paths (relative to the tree's root) a kustomization lists; entries
    outside the tree and remote ones are left out."""
    directory = posixpath.dirname(path)
    entries: set[str] = set()
    for document in documents:
        if not isinstance(document, dict):
            continue
        values = [
            value
            for name in _LISTING_FIELDS
            if isinstance(document.get(name), list)
            for value in document[name]
        ]
        patches = document.get("patches")
        if isinstance(patches, list):
            values += [patch.get("path") for patch in patches if isinstance(patch, dict)]
        for value in values:
            if isinstance(value, str) and "://" not in value:
                resolved = posixpath.normpath(posixpath.join(directory, value))
                if resolved != ".." and not resolved.startswith("../"):
                    entries.add(resolved)
    return entries


def _covers(listed: str, owned: set[str]) -> bool:
    """Whether a listed path is an owned file or a directory holding one."""
    prefix = "" if listed == "." else listed + "/"
    return listed in owned or any(path.startswith(prefix) for path in owned)


def discover(root: Path, patterns: Sequence[str] = ()) -> Discovery:
    candidates = manifests(root, patterns)
    reader = _Reader(root)
    owned = owned_paths(root)
    result = Discovery()
    if owned is None:
        checked = candidates
    else:
        present = set(candidates)
        owned_here = {path for path in owned if path in present}
        listers = _listers(reader, candidates, owned_here, result)
        checked = sorted(owned_here | set(listers))
    for path in checked:
        reason = reader.not_kubernetes(path)
        if reason is None:
            result.documents[path] = reader.documents(path)
        else:
            result.skipped.append(Skipped(path, reason))
    if owned is not None:
        result.by_path_only = _context(reader, candidates, result)
    return result


def _listers(
    reader: _Reader, candidates: list[str], owned: set[str], result: Discovery
) -> list[str]:
    """The kustomizations, not themselves owned, that list an owned file or a
    directory holding one. One that cannot be read is noted: it may list them."""
    found = []
    for path in candidates:
        if PurePosixPath(path).name not in KUSTOMIZATION_NAMES or path in owned:
            continue
        try:
            if reader.not_kubernetes(path) is not None:
                continue
        except UsageError as error:
            result.skipped.append(Skipped(path, _unread(path, error)))
            continue
        if any(_covers(entry, owned) for entry in _listed(path, reader.documents(path))):
            found.append(path)
    return found


def _unread(path: str, error: UsageError) -> str:
    return f"not read ({str(error).removeprefix(f'{path}: ')})"


def _context(reader: _Reader, candidates: list[str], result: Discovery) -> set[str]:
    """The Kubernetes files the checked kustomizations list or sit beside, outside
    the checked set: passed by path, so the tree rules see them present."""
    kustomizations = [
        path for path in result.documents if PurePosixPath(path).name in KUSTOMIZATION_NAMES
    ]
    directories = {posixpath.dirname(path) for path in kustomizations}
    listed = set().union(*(_listed(path, result.documents[path]) for path in kustomizations))
    by_path: set[str] = set()
    skipped = {entry.path for entry in result.skipped}
    for path in candidates:
        if path in result.documents or path in skipped:
            continue
        directory = posixpath.dirname(path)
        beside = directory in directories
        named = path in listed or (
            PurePosixPath(path).name in KUSTOMIZATION_NAMES and directory in listed
        )
        if not (beside or named):
            continue
        try:
            reason = reader.not_kubernetes(path)
        except UsageError as error:
            # Not the tool's file, and only its presence matters: unreadable, it is
            # noted and left out rather than failing the run.
            reason = _unread(path, error)
        if reason is None:
            by_path.add(path)
        else:
            result.skipped.append(Skipped(path, reason))
    result.skipped.sort(key=lambda entry: entry.path)
    return by_path
