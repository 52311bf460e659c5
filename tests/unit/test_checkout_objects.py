"""The objects of a checkout kept up to date file by file (what a fleet's plans use)
are the objects worked out from scratch, and so is the ownership record's index of
each owner's paths when `next_record` carries it from record to record."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wildside_cnpg.fluxgraph import ObjectKey
from wildside_cnpg.kinds import BARMAN_CLOUD_PLUGIN as PLUGIN
from wildside_cnpg.plan.objects import CheckoutObjects, Files, Parses, terms
from wildside_cnpg.writer import Entry, Record, next_record

PATHS = [f"platform/databases/{name}.yaml" for name in ("a", "b", "c", "d")]
NAMES = ["pg", "other"]


def _document(
    kind: str, name: str, plugin: bool, server: str | None, generation: int
) -> dict[str, Any]:
    if kind == "Kustomization":
        return {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": [name],
        }
    spec: dict[str, Any] = {"generation": generation}
    if plugin:
        spec["plugins"] = [{"name": PLUGIN, "parameters": {"serverName": server}}]
    elif server is not None:
        spec["backup"] = {"barmanObjectStore": {"destinationPath": "s3://b", "serverName": server}}
    return {
        "apiVersion": "postgresql.cnpg.io/v1" if kind == "Cluster" else "v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": "db"},
        "spec": spec,
    }


documents = st.lists(
    st.builds(
        _document,
        st.sampled_from(["Cluster", "ConfigMap", "Kustomization"]),
        st.sampled_from(NAMES),
        st.booleans(),
        st.sampled_from([None, "s1", "s2"]),
        st.integers(0, 3),
    ),
    max_size=3,
)
changes = st.dictionaries(st.sampled_from(PATHS), st.none() | documents, max_size=4)


def _expected(files: Files) -> dict[ObjectKey, dict[str, Any]]:
    """The objects by key from scratch: every file in path order, a later copy winning."""
    objects: dict[ObjectKey, dict[str, Any]] = {}
    for path in sorted(files):
        for doc in files[path]:
            if not doc["apiVersion"].startswith("kustomize.config.k8s.io/"):
                objects[ObjectKey.of(doc)] = doc
    return objects


ALL_TERMS = {
    "plugin user",
    *(f"kind {kind}" for kind in ("Cluster", "ConfigMap", "Kustomization")),
    *(f"server {name}" for name in (*NAMES, "s1", "s2")),
}


def _check(objects: CheckoutObjects, files: Files) -> None:
    """`objects` are the objects of `files` worked out from scratch."""
    expected = _expected(files)
    assert objects.files == files
    assert objects.objects == expected
    # the very document of the last file holding each key, not an equal copy
    for key, doc in objects.objects.items():
        assert any(doc is d for d in files[objects.holders[key][-1]])
    assert objects.holders == {
        key: tuple(p for p in sorted(files) if key in {ObjectKey.of(d) for d in files[p]})
        for key in expected
    }
    for term in ALL_TERMS:
        assert objects.having(term) == {
            key for key, doc in expected.items() if term in terms(key, doc)
        }, term
    rebuilt = CheckoutObjects.of(files, Parses())
    assert (rebuilt.objects, rebuilt.holders) == (objects.objects, objects.holders)
    assert all(rebuilt.having(term) == objects.having(term) for term in ALL_TERMS)


def _apply(files: Files, step: dict[str, Any]) -> None:
    for path, docs in step.items():
        if docs is None:
            files.pop(path, None)
        else:
            files[path] = docs


@settings(max_examples=300, deadline=None)
@given(st.lists(changes, min_size=1, max_size=6))
def test_objects_kept_up_to_date_are_the_objects_from_scratch(steps: list[Any]) -> None:
    """Overlays on overlays (`replaced`) and one checkout changed in place
    (`advanced`, what a fleet does), step by step."""
    known = Parses()
    overlaid = CheckoutObjects.of({}, known)
    advanced = CheckoutObjects.of({}, known)
    files: Files = {}
    for step in steps:
        overlaid = overlaid.replaced(step, known)
        advanced = advanced.advanced(step, known)
        _apply(files, step)
        _check(overlaid, files)
        _check(advanced, files)


@settings(max_examples=300, deadline=None)
@given(st.lists(changes, min_size=1, max_size=6), changes)
def test_a_plans_overlay_on_a_fleets_checkout_leaves_it_as_it_was(
    steps: list[Any], last: dict[str, Any]
) -> None:
    """What a fleet's plan sees: the checkout so far, and an overlay of the next
    render's files on it, both right while both are in use."""
    known = Parses()
    objects = CheckoutObjects.of({}, known)
    files: Files = {}
    for step in steps:
        objects = objects.advanced(step, known)
        _apply(files, step)
    after = objects.replaced(last, known)
    changed = dict(files)
    _apply(changed, last)
    _check(after, changed)
    _check(objects, files)


def test_only_a_checkout_of_its_own_maps_advances() -> None:
    known = Parses()
    overlay = CheckoutObjects.of({}, known).replaced({PATHS[0]: []}, known)
    with pytest.raises(TypeError, match="only a checkout made by `of` or `advanced` can advance"):
        overlay.advanced({PATHS[1]: []}, known)


def test_an_earlier_state_is_left_as_it_was() -> None:
    known = Parses()
    first = CheckoutObjects.of({PATHS[0]: [_document("Cluster", "pg", True, None, 1)]}, known)
    second = first.replaced(
        {PATHS[0]: None, PATHS[1]: [_document("ConfigMap", "x", False, None, 0)]}, known
    )
    assert set(first.files) == {PATHS[0]}
    assert [key.kind for key in first.objects] == ["Cluster"]
    assert len(first.having("plugin user")) == 1
    assert set(second.files) == {PATHS[1]}
    assert [key.kind for key in second.objects] == ["ConfigMap"]
    assert second.having("plugin user") == frozenset()
    assert second.having("kind Cluster") == frozenset()


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, {"kind Cluster"}),
        (
            {"backup": {"barmanObjectStore": {"destinationPath": "s3://b"}}},
            {"kind Cluster", "server pg"},
        ),
        (
            {"backup": {"barmanObjectStore": {"serverName": "old"}}},
            {"kind Cluster", "server old"},
        ),
        ({"plugins": [{"name": PLUGIN}]}, {"kind Cluster", "plugin user", "server pg"}),
        (
            {
                "backup": {"barmanObjectStore": {"serverName": "a"}},
                "plugins": [
                    {"name": "other"},
                    {"name": PLUGIN, "parameters": {"serverName": "b"}},
                ],
            },
            {"kind Cluster", "plugin user", "server a", "server b"},
        ),
    ],
)
def test_a_clusters_terms_name_every_server_it_may_archive_under(
    spec: dict[str, Any], expected: set[str]
) -> None:
    doc = {"kind": "Cluster", "metadata": {"name": "pg", "namespace": "db"}, "spec": spec}
    assert terms(ObjectKey.of(doc), doc) == expected
    config_map = {**doc, "kind": "ConfigMap"}
    assert terms(ObjectKey.of(config_map), config_map) == {"kind ConfigMap"}


OWNERS = ["db/a", "db/b", "db/c"]
writes = st.tuples(
    st.sampled_from(OWNERS),
    st.dictionaries(st.sampled_from(PATHS), st.binary(max_size=2), max_size=3),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(PATHS),
        st.lists(st.sampled_from(OWNERS), min_size=1, max_size=2, unique=True),
        max_size=4,
    ),
    st.lists(writes, min_size=1, max_size=6),
)
def test_the_owner_index_next_record_carries_is_the_index_from_scratch(
    start: dict[str, list[str]], steps: list[tuple[str, dict[str, bytes], bool, bool]]
) -> None:
    record = Record({path: Entry(tuple(sorted(owners)), None) for path, owners in start.items()})
    for owner, files, adopt, prune in steps:
        taken = set(files) if adopt else set()
        record = next_record(record, files, owner, taken=taken, prune=prune)
        assert record.index is not None
        scratch = Record(dict(record.entries))
        assert scratch.index is None
        assert record.by_owner == scratch.by_owner
        for name in OWNERS:
            assert record.owned_by(name) == {
                path for path, entry in record.entries.items() if name in entry.owners
            }
        assert set(record.by_owner) == {
            o for entry in record.entries.values() for o in entry.owners
        }


def test_a_rendered_text_that_parses_back_equal_is_held_as_the_documents_it_came_from() -> None:
    rendered = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}]
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
    files = Parses().parse({PATHS[0]: text}, {PATHS[0]: rendered})
    assert files[PATHS[0]] is rendered
    # Documents the text does not hold (here another name): the parse is kept.
    other = [{**rendered[0], "metadata": {"name": "y"}}]
    files = Parses().parse({PATHS[0]: text}, {PATHS[0]: other})
    assert files[PATHS[0]] == rendered
    assert files[PATHS[0]] is not other
    assert Parses().parse({PATHS[0]: text})[PATHS[0]] == rendered


def test_each_text_is_parsed_once(plan_parses: list[str]) -> None:
    """A file's text before a render and after it, and one text in several files:
    each parsed once. A text the caller has read already is not parsed at all."""
    parsed = plan_parses
    one, two = "kind: A\n", "kind: B\n"
    known = Parses()
    assert known.parse({PATHS[0]: one}) == {PATHS[0]: [{"kind": "A"}]}
    assert known.parse({PATHS[0]: two}) == {PATHS[0]: [{"kind": "B"}]}
    assert known.parse({PATHS[0]: one, PATHS[1]: one}) == {
        PATHS[0]: [{"kind": "A"}],
        PATHS[1]: [{"kind": "A"}],
    }
    assert parsed == [one, two]
    read = {PATHS[2]: [None, {"kind": "C"}]}
    assert known.parse({PATHS[2]: "kind: C\n"}, read=read) == {PATHS[2]: [{"kind": "C"}]}
    assert known.parse({PATHS[3]: "kind: C\n"}) == {PATHS[3]: [{"kind": "C"}]}
    assert parsed == [one, two]
