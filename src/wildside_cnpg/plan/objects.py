"""A checkout's objects by key, kept up to date file by file.

A plan compares the whole checkout before and after a render. Built from scratch,
that costs what the checkout holds; a fleet (`render --each`) plans every cluster
against the checkout the ones before it leave, so each plan derives its objects from
the previous ones and pays only for the files that change."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .. import fluxgraph
from ..fluxgraph import ObjectKey
from ..kinds import BARMAN_CLOUD_PLUGIN
from ..yamlio import load_all_yaml_text

Files = dict[str, list[Any]]
Objects = dict[ObjectKey, dict[str, Any]]


class Parses:
    """What the plans of a fleet share: each file's documents, parsed once while its
    text stays the same, and each document list's objects by key (documents are only
    read, never changed). A plan of one render makes its own."""

    def __init__(self) -> None:
        self._documents: dict[str, tuple[str, list[Any]]] = {}
        # path -> the document list its objects were keyed from, and those objects
        self._objects: dict[str, tuple[list[Any], Objects]] = {}

    def parse(
        self, texts: Mapping[str, str], rendered_from: Mapping[str, list[Any]] | None = None
    ) -> Files:
        """Each text's documents. A text rendered from documents (`rendered_from`)
        that parse back equal is represented by those documents: the same data, held
        once (a fleet holds every cluster's tree until it is written)."""
        files: Files = {}
        for path, text in texts.items():
            hit = self._documents.get(path)
            if hit is not None and hit[0] == text:
                files[path] = hit[1]
                continue
            try:
                documents = load_all_yaml_text(text)
            except ValueError:
                continue  # the writer reports a file it cannot read; the plan skips it
            source = (rendered_from or {}).get(path)
            files[path] = source if source is not None and source == documents else documents
            self._documents[path] = (text, files[path])
        return files

    def objects_of(self, path: str, documents: list[Any]) -> Objects:
        """The objects of the file at `path` by key, kustomize's own files left out;
        keyed again when the path holds another document list (a new parse or render)."""
        hit = self._objects.get(path)
        if hit is not None and hit[0] is documents:
            return hit[1]
        objects = {
            ObjectKey.of(doc): doc
            for doc in documents
            if isinstance(doc, dict) and not fluxgraph.is_kustomize_file(doc)
        }
        self._objects[path] = (documents, objects)
        return objects

    def keys(self, files: Files, paths: Iterable[str]) -> set[ObjectKey]:
        """The keys of the objects in `paths` among `files`."""
        return {
            key for path in paths if path in files for key in self.objects_of(path, files[path])
        }


def terms(key: ObjectKey, doc: Mapping[str, Any]) -> set[str]:
    """What the plan looks objects up by: each object's kind and, for a Cluster, its use
    of the Barman Cloud plugin and every server name it may archive WAL under (more
    than it does: the plan works out the archive itself from these few)."""
    found = {f"kind {key.kind}"}
    if key.kind != "Cluster":
        return found
    spec = doc.get("spec") or {}
    store = (spec.get("backup") or {}).get("barmanObjectStore")
    if isinstance(store, dict):
        found.add(f"server {store.get('serverName') or key.name}")
    for plugin in spec.get("plugins") or []:
        if isinstance(plugin, dict) and plugin.get("name") == BARMAN_CLOUD_PLUGIN:
            found.add("plugin user")
            found.add(f"server {(plugin.get('parameters') or {}).get('serverName') or key.name}")
    return found


@dataclass(frozen=True)
class CheckoutObjects:
    """The files of a checkout and their objects: each object by key (the copy in the
    last file, in path order, winning), the files holding each key, and the keys
    under each of their `terms`. Never changed once built: `replaced` makes the next
    one, sharing what did not change."""

    files: Files
    objects: Objects
    holders: dict[ObjectKey, tuple[str, ...]]  # the paths holding each key, sorted
    index: dict[str, frozenset[ObjectKey]]  # term -> the keys of the objects it is a term of

    @classmethod
    def of(cls, files: Files, known: Parses) -> CheckoutObjects:
        return cls({}, {}, {}, {}).replaced(files, known)

    def having(self, term: str) -> frozenset[ObjectKey]:
        return self.index.get(term, frozenset())

    def of_kind(self, kind: str) -> Iterator[tuple[ObjectKey, dict[str, Any]]]:
        """The objects of one kind, in no particular order (sort what is shown)."""
        for key in self.having(f"kind {kind}"):
            yield key, self.objects[key]

    def replaced(self, changes: Mapping[str, list[Any] | None], known: Parses) -> CheckoutObjects:
        """The checkout with each path in `changes` holding the documents given (None:
        the file is gone)."""
        files = dict(self.files)
        touched: set[ObjectKey] = set()
        held: dict[ObjectKey, list[str]] = {}  # the changed paths that hold each key now
        for path, documents in changes.items():
            previous = files.pop(path, None)
            if previous is not None:
                touched.update(known.objects_of(path, previous))
            if documents is not None:
                files[path] = documents
                for key in known.objects_of(path, documents):
                    held.setdefault(key, []).append(path)
        touched.update(held)
        objects, holders = dict(self.objects), dict(self.holders)
        index: dict[str, set[ObjectKey]] = {}  # the terms whose keys change, copied

        def entry(term: str) -> set[ObjectKey]:
            return index.setdefault(term, set(self.index.get(term, ())))

        for key in touched:
            if key in self.objects:
                for term in terms(key, self.objects[key]):
                    entry(term).discard(key)
            kept = [path for path in holders.get(key, ()) if path not in changes]
            paths = sorted({*kept, *held.get(key, ())})
            if not paths:
                del objects[key], holders[key]
                continue
            holders[key] = tuple(paths)
            objects[key] = known.objects_of(paths[-1], files[paths[-1]])[key]
            for term in terms(key, objects[key]):
                entry(term).add(key)
        merged = {**self.index, **{term: frozenset(keys) for term, keys in index.items()}}
        return CheckoutObjects(
            files, objects, holders, {term: keys for term, keys in merged.items() if keys}
        )
