"""Values that reach a message through `sprintf` in ways the fixtures of the rules
never do: numbers Go writes differently from Python (1000000 is 1e+06 to conftest),
fractions, and objects whose names are numbers, lists or booleans. The in-process
engine formats them as the real conftest does (OPA's operand conversion and Go's
fmt, gofmt.py), so the messages are equal byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.policy.cases import spec
from tests.policy.conftest import RunConftest
from tests.policy.trees import Tree, find, tree_of, write
from wildside_cnpg.policy import check_files, evaluate_document
from wildside_cnpg.yamlio import load_all_yaml_text


def _set_instances(value: Any) -> Callable[[Tree], None]:
    """`instances` in a message of its own (C1) or through %d (D2: no budget)."""

    def mutate(tree: Tree) -> None:
        spec(tree, "Cluster")["instances"] = value
        spec(tree, "Cluster")["enablePDB"] = False

    return mutate


def _rename(kind: str, value: Any) -> Callable[[Tree], None]:
    """The name in the object's reference (kind/namespace/name) of a finding."""

    def mutate(tree: Tree) -> None:
        find(tree, kind)["metadata"]["name"] = value
        _break(tree, kind)

    return mutate


def _renamespace(kind: str, value: Any) -> Callable[[Tree], None]:
    def mutate(tree: Tree) -> None:
        find(tree, kind)["metadata"]["namespace"] = value
        _break(tree, kind)

    return mutate


def _break(tree: Tree, kind: str) -> None:
    """A single-document finding on the object (C2, H3)."""
    if kind == "Cluster":
        del spec(tree, "Cluster")["storage"]["size"]
    else:
        spec(tree, "HelmRelease")["chart"]["spec"]["version"] = ">=0.29.0"


MUTATIONS: dict[str, Callable[[Tree], None]] = {
    "instances-fraction": _set_instances(1.5),
    "instances-float-whole": _set_instances(2.0),
    "instances-negative": _set_instances(-3),
    "instances-million": _set_instances(1_000_000),
    "instances-large": _set_instances(123_456_789_012),
    "instances-huge": _set_instances(10**21),
    "instances-tiny": _set_instances(0.00001),
    "instances-string": _set_instances("three"),
    "instances-list": _set_instances([3, "a", None, True, {"b": 1.5, "a": "x\ty"}]),
    "cluster-name-number": _rename("Cluster", 12345),
    "cluster-name-million": _rename("Cluster", 1_000_000),
    "cluster-name-list": _rename("Cluster", ["wildside", 2]),
    "helmrelease-name-bool": _rename("HelmRelease", True),
    "helmrelease-namespace-fraction": _renamespace("HelmRelease", 0.5),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_messages_with_odd_values_match_conftest(
    name: str, tmp_path: Path, run_conftest: RunConftest
) -> None:
    tree = tree_of("defaults")
    MUTATIONS[name](tree)
    files = write(tree, tmp_path)
    ours = check_files(files)
    theirs = run_conftest(tmp_path, sorted(files), True)
    assert theirs == {"Combined": ours.labelled()}
    assert ours.denies  # the odd value reaches a message


def test_one_file_at_a_time_odd_values_match_conftest(
    tmp_path: Path, run_conftest: RunConftest
) -> None:
    """One file at a time conftest writes numbers its own way (1e+06): so does the
    in-process engine for a document checked on its own."""
    paths: list[str] = []
    for name, mutate in sorted(MUTATIONS.items()):
        tree = tree_of("defaults")
        mutate(tree)
        files = write(tree, tmp_path / name)
        paths += [f"{name}/{path}" for path in files]
    theirs = run_conftest(tmp_path, paths, False)
    fired = 0
    for path in paths:
        denies: list[str] = []
        warns: list[str] = []
        for document in load_all_yaml_text((tmp_path / path).read_text(encoding="utf-8")):
            deny, warn = evaluate_document(document).labelled()
            denies += deny
            warns += warn
        assert theirs[path] == (sorted(denies), sorted(warns)), path
        fired += len(denies)
    assert fired >= 10


# (request, limit): quantities the Guaranteed-QoS warning (C12) reads through
# units.parse, which the host computes for the in-process engine.
QUANTITIES = {
    "cpu-equal-spelled-two-ways": ("cpu", "1", "1000m"),
    "cpu-fraction-and-milli": ("cpu", "0.5", "500m"),
    "cpu-number-and-string": ("cpu", 2, "2"),
    "cpu-unequal": ("cpu", "500m", "1"),
    "memory-binary-and-decimal-units": ("memory", "1Gi", "1024Mi"),
    "memory-unequal": ("memory", "1G", "1Gi"),
    "memory-not-a-quantity-opa-reads": ("memory", "1e3", "1000"),
    "memory-exabytes": ("memory", "8Ei", "8192Pi"),
}


@pytest.mark.parametrize("name", sorted(QUANTITIES))
def test_quantities_compare_as_conftest_compares_them(
    name: str, tmp_path: Path, run_conftest: RunConftest
) -> None:
    resource, request, limit = QUANTITIES[name]
    tree = tree_of("defaults")
    resources = spec(tree, "Cluster")["resources"]
    resources["requests"][resource] = request
    resources["limits"][resource] = limit
    files = write(tree, tmp_path)
    ours = check_files(files)
    theirs = run_conftest(tmp_path, sorted(files), True)
    assert theirs == {"Combined": ours.labelled()}
    warned = any("not Guaranteed QoS" in warning for warning in ours.warns)
    assert warned == name.endswith("-unequal")
