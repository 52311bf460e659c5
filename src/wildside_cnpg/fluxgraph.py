"""Which objects a Flux Kustomization applies, read from a tree the way Flux reads it.

A Flux Kustomization's `path` names a directory. With a `kustomization.yaml` there,
kustomize builds what it lists (files, and directories holding their own
kustomization.yaml). Without one, kustomize-controller generates a kustomization
(fluxcd/pkg kustomize/kustomize_generator.go, `scanManifests`): every `*.yaml` or
`*.yml` file below the directory is added on its own, and a sub-directory holding a
kustomization.yaml is added as one resource and not descended into. Paths may climb
out of their directory (`../`): Flux builds with LoadRestrictionsNone.

The plan uses this to see which Kustomization applies each object before and after a
change; the tests use it to prove that a root at any ancestor of the tree builds
without duplicate objects and reaches every object through exactly one
Kustomization.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_MANIFEST_SUFFIXES = (".yaml", ".yml")
_KUSTOMIZE_API = "kustomize.config.k8s.io/"
_FLUX_KUSTOMIZE_API = "kustomize.toolkit.fluxcd.io/"

Files = Mapping[str, list[Any]]  # relative path -> the documents of that file
ROOT = "<root>"  # the applier of objects no Kustomization of the tree reaches


class BuildError(ValueError):
    """What `kustomize build` (or Flux's) would fail with."""


@dataclass(frozen=True, order=True)
class ObjectKey:
    """An object's identity for kustomize and the API server (the group, not the
    version: one object served under two versions is still one object)."""

    group: str
    kind: str
    namespace: str
    name: str

    @classmethod
    def of(cls, document: Mapping[str, Any]) -> ObjectKey:
        metadata = document.get("metadata") or {}
        api_version = str(document.get("apiVersion", ""))
        return cls(
            api_version.rpartition("/")[0],
            str(document.get("kind", "")),
            str(metadata.get("namespace") or ""),
            str(metadata.get("name", "")),
        )

    def __str__(self) -> str:
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.kind}/{where}"


def is_kustomize_file(document: Any) -> bool:
    return isinstance(document, dict) and str(document.get("apiVersion", "")).startswith(
        _KUSTOMIZE_API
    )


def is_flux_kustomization(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and document.get("kind") == "Kustomization"
        and str(document.get("apiVersion", "")).startswith(_FLUX_KUSTOMIZE_API)
    )


def _directories(files: Files) -> set[str]:
    found = set()
    for path in files:
        directory = posixpath.dirname(path)
        while directory:
            found.add(directory)
            directory = posixpath.dirname(directory)
    found.add("")
    return found


def kustomization_file(files: Files, directory: str) -> str | None:
    for name in KUSTOMIZATION_NAMES:
        path = posixpath.join(directory, name) if directory else name
        if path in files:
            return path
    return None


def _join(directory: str, entry: str) -> str:
    return posixpath.normpath(posixpath.join(directory, entry)).removeprefix("./")


def _generated_resources(files: Files, directory: str) -> list[str]:
    """What Flux's generated kustomization lists for a directory without one."""
    resources: list[str] = []
    prefix = f"{directory}/" if directory else ""
    subdirectories = {
        d for d in _directories(files) if d.startswith(prefix) and d != directory and d
    }
    # Walk in lexical order like filepath.Walk: files and directories, skipping the
    # inside of directories that hold a kustomization.
    skipped: list[str] = []
    for path in sorted(set(files) | subdirectories):
        if not path.startswith(prefix) or any(path.startswith(f"{s}/") for s in skipped):
            continue
        if path in subdirectories:
            if kustomization_file(files, path) is not None:
                resources.append(path)
                skipped.append(path)
            continue
        if path.endswith(_MANIFEST_SUFFIXES):
            resources.append(path)
    return resources


def build(files: Files, directory: str) -> list[tuple[str, dict[str, Any]]]:
    """(file, document) of every object `kustomize build directory` yields under Flux,
    kustomization.yaml files resolved, duplicates refused as kustomize refuses them."""
    objects: list[tuple[str, dict[str, Any]]] = []
    _build(files, directory, objects, ())
    seen: dict[ObjectKey, str] = {}
    for path, document in objects:
        key = ObjectKey.of(document)
        if key in seen:
            raise BuildError(
                f"{directory or '.'}: {key} is listed twice ({seen[key]} and {path}): "
                "may not add resource with an already registered id"
            )
        seen[key] = path
    return objects


def _build(
    files: Files,
    directory: str,
    objects: list[tuple[str, dict[str, Any]]],
    visiting: tuple[str, ...],
) -> None:
    if directory in visiting:
        raise BuildError(f"{directory}: kustomizations include each other")
    own = kustomization_file(files, directory)
    if own is None:
        if directory not in _directories(files):
            raise BuildError(f"{directory}: no such directory")
        entries = _generated_resources(files, directory)
    else:
        documents = [doc for doc in files[own] if isinstance(doc, dict)]
        listed = documents[0].get("resources", []) if documents else []
        entries = [_join(directory, str(entry)) for entry in listed or []]
    for entry in entries:
        if entry in files:
            objects.extend(
                (entry, document)
                for document in files[entry]
                if isinstance(document, dict) and not is_kustomize_file(document)
            )
        elif kustomization_file(files, entry) is not None:
            _build(files, entry, objects, (*visiting, directory))
        else:
            raise BuildError(f"{own or directory}: lists {entry}, which is not in the tree")


def flux_directory(path: str, prefix: str) -> str:
    """A Flux Kustomization's spec.path as a directory of the tree, given the path
    of the tree's root inside the repository."""
    clean = posixpath.normpath(path).removeprefix("./")
    root = posixpath.normpath(prefix).removeprefix("./").strip(".")
    if root and (clean == root or clean.startswith(f"{root}/")):
        clean = clean[len(root) :].lstrip("/")
    return "" if clean == "." else clean


def appliers(files: Files, prefix: str) -> dict[ObjectKey, str]:
    """Object -> the name of the tree's Flux Kustomization that applies it (ROOT for
    objects that none of them reaches: the repository's root applies those)."""
    result: dict[ObjectKey, str] = {}
    for path in sorted(files):
        for document in files[path]:
            if isinstance(document, dict) and not is_kustomize_file(document):
                result.setdefault(ObjectKey.of(document), ROOT)
    for path in sorted(files):
        for document in files[path]:
            if not is_flux_kustomization(document):
                continue
            name = str((document.get("metadata") or {}).get("name", ""))
            target = flux_directory(str((document.get("spec") or {}).get("path", "")), prefix)
            try:
                reached = build(files, target)
            except BuildError:
                continue
            for _, reached_document in reached:
                result[ObjectKey.of(reached_document)] = name
    return result
