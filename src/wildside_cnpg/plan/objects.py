"""A checkout's objects by key, kept up to date file by file.

A plan compares the whole checkout before and after a render. Built from scratch,
that costs what the checkout holds; a fleet (`render --each`) plans every cluster
against the checkout the ones before it leave, so each plan derives its objects from
the previous ones and pays only for the files that change."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .. import fluxgraph
from ..fluxgraph import ObjectKey
from ..kinds import BARMAN_CLOUD_PLUGIN
from ..yamlio import load_all_yaml_text

Files = dict[str, list[Any]]
Objects = Mapping[ObjectKey, dict[str, Any]]


class Parses:
    """What the plans of a fleet share: each text's documents, parsed once, and each
    document list's objects by key (documents are only read, never changed). A plan
    of one render makes its own."""

    def __init__(self) -> None:
        # text -> its documents: a file's text before a render and after it, and one
        # text in several files, each parsed once
        self._documents: dict[str, list[Any]] = {}
        # path -> the document list its objects were keyed from, and those objects
        self._objects: dict[str, tuple[list[Any], Objects]] = {}

    def parse(
        self,
        texts: Mapping[str, str],
        rendered_from: Mapping[str, list[Any]] | None = None,
        read: Mapping[str, list[Any]] | None = None,
    ) -> Files:
        """Each text's documents. A text rendered from documents (`rendered_from`)
        that parse back equal is represented by those documents: the same data, held
        once (a fleet holds every cluster's tree until it is written). `read`: texts
        the caller has parsed already, with the same loader (the policy check reads a
        render back before the plan does), by path."""
        files: Files = {}
        for path, text in texts.items():
            hit = self._documents.get(text)
            if hit is not None:
                files[path] = hit
                continue
            if read is not None and path in read:
                documents = [doc for doc in read[path] if doc is not None]
            else:
                try:
                    documents = load_all_yaml_text(text)
                except ValueError:
                    continue  # the writer reports a file it cannot read; the plan skips it
            source = (rendered_from or {}).get(path)
            files[path] = source if source is not None and source == documents else documents
            self._documents[text] = files[path]
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

    def keys(self, files: Mapping[str, list[Any]], paths: Iterable[str]) -> set[ObjectKey]:
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


class _Gone:
    """A key an overlay removes from the mapping beneath it."""


_GONE = _Gone()
_EMPTY: frozenset[ObjectKey] = frozenset()
K = TypeVar("K")
V = TypeVar("V")


class _Overlay(Mapping[K, V]):
    """A mapping beneath (only read) with changes laid over it: a new value, or _GONE."""

    def __init__(self, beneath: Mapping[K, V], changes: Mapping[K, V | _Gone]) -> None:
        self._beneath = beneath
        self._changes = changes

    def __getitem__(self, key: K) -> V:
        if key in self._changes:
            value = self._changes[key]
            if isinstance(value, _Gone):
                raise KeyError(key)
            return value
        return self._beneath[key]

    def __iter__(self) -> Iterator[K]:
        yield from (key for key in self._beneath if key not in self._changes)
        yield from (key for key, value in self._changes.items() if not isinstance(value, _Gone))

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True)
class _Delta:
    """What changing some files changes: each map's new values (or _GONE), and the keys
    each term gains and loses."""

    files: dict[str, list[Any] | _Gone]
    objects: dict[ObjectKey, dict[str, Any] | _Gone]
    holders: dict[ObjectKey, tuple[str, ...] | _Gone]
    gained: dict[str, set[ObjectKey]]
    lost: dict[str, set[ObjectKey]]


@dataclass(frozen=True)
class CheckoutObjects:
    """The files of a checkout and their objects: each object by key (the copy in the
    last file, in path order, winning), the files holding each key, and the keys
    under each of their `terms`.

    `replaced` makes the checkout with some files changed as an overlay on this one,
    which stays as it is: a plan compares the two. `advanced` changes this one in
    place instead, for a run that moves on and never looks back (a fleet's plans),
    so that neither costs more than the files that change."""

    files: Mapping[str, list[Any]]
    objects: Mapping[ObjectKey, dict[str, Any]]
    holders: Mapping[ObjectKey, tuple[str, ...]]  # the paths holding each key, sorted
    # term -> the keys of the objects it is a term of (a checkout made by `of` or
    # `advanced`); an overlay's terms are those beneath it, gained and lost.
    index: dict[str, set[ObjectKey]] = field(default_factory=dict)
    beneath: CheckoutObjects | None = None
    moved: _Delta | None = None

    @classmethod
    def of(cls, files: Mapping[str, list[Any]], known: Parses) -> CheckoutObjects:
        return cls({}, {}, {}).advanced(files, known)

    def having(self, term: str) -> AbstractSet[ObjectKey]:
        if self.beneath is None or self.moved is None:
            return self.index.get(term, _EMPTY)
        keys = self.beneath.having(term)
        if lost := self.moved.lost.get(term):
            keys = keys - lost
        if gained := self.moved.gained.get(term):
            keys = keys | gained
        return keys

    def of_kind(self, kind: str) -> Iterator[tuple[ObjectKey, dict[str, Any]]]:
        """The objects of one kind, in no particular order (sort what is shown)."""
        for key in self.having(f"kind {kind}"):
            yield key, self.objects[key]

    def replaced(self, changes: Mapping[str, list[Any] | None], known: Parses) -> CheckoutObjects:
        """The checkout with each path in `changes` holding the documents given (None:
        the file is gone); this one is left as it is."""
        delta = self._delta(changes, known)
        return CheckoutObjects(
            _Overlay(self.files, delta.files),
            _Overlay(self.objects, delta.objects),
            _Overlay(self.holders, delta.holders),
            beneath=self,
            moved=delta,
        )

    def advanced(self, changes: Mapping[str, list[Any] | None], known: Parses) -> CheckoutObjects:
        """`replaced`, made by changing this checkout's own maps: this one, and every
        overlay on it, must not be used again."""
        files, objects, holders, index = self.files, self.objects, self.holders, self.index
        if not (
            isinstance(files, dict) and isinstance(objects, dict) and isinstance(holders, dict)
        ):
            raise TypeError("only a checkout made by `of` or `advanced` can advance")
        delta = self._delta(changes, known)
        for target, values in (
            (files, delta.files),
            (objects, delta.objects),
            (holders, delta.holders),
        ):
            for key, value in values.items():
                if isinstance(value, _Gone):
                    target.pop(key, None)
                else:
                    target[key] = value
        for term, keys in delta.lost.items():
            index[term] -= keys
            if not index[term]:
                del index[term]
        for term, keys in delta.gained.items():
            index.setdefault(term, set()).update(keys)
        return CheckoutObjects(files, objects, holders, index)

    def _delta(self, changes: Mapping[str, list[Any] | None], known: Parses) -> _Delta:
        """What `changes` change: only the keys their files held before or hold now
        are worked out again."""
        files: dict[str, list[Any] | _Gone] = {}
        touched: set[ObjectKey] = set()
        held: dict[ObjectKey, list[str]] = {}  # the changed paths that hold each key now
        for path, documents in changes.items():
            previous = self.files.get(path)
            if previous is not None:
                touched.update(known.objects_of(path, previous))
            files[path] = _GONE if documents is None else documents
            if documents is not None:
                for key in known.objects_of(path, documents):
                    held.setdefault(key, []).append(path)
        touched.update(held)
        written = {path: documents for path, documents in changes.items() if documents is not None}
        delta = _Delta(files, {}, {}, {}, {})
        for key in touched:
            kept = [path for path in self.holders.get(key, ()) if path not in changes]
            paths = sorted({*kept, *held.get(key, ())})
            old = self.objects.get(key)
            new: dict[str, Any] | None = None
            if paths:
                last = paths[-1]
                holder = written[last] if last in written else self.files[last]
                new = known.objects_of(last, holder)[key]
                delta.objects[key] = new
                delta.holders[key] = tuple(paths)
            else:
                delta.holders[key] = delta.objects[key] = _GONE
            before = terms(key, old) if old is not None else set()
            after = terms(key, new) if new is not None else set()
            for term in before - after:
                delta.lost.setdefault(term, set()).add(key)
            for term in after - before:
                delta.gained.setdefault(term, set()).add(key)
        return delta
