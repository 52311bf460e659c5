"""A tree any Flux root can include: a root at every ancestor directory of the tree
(Flux generates a kustomization there: fluxcd/pkg kustomize_generator.go), or an
explicit root kustomization listing the units, builds without duplicate objects,
and reaches every object through exactly one Flux Kustomization."""

from __future__ import annotations

import posixpath
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.golden.cases import CASES, CHECKOUTS
from tests.golden.regenerate import render_checkout
from wildside_cnpg import Inputs, Module
from wildside_cnpg.fluxgraph import (
    BuildError,
    ObjectKey,
    build,
    flux_directory,
    is_flux_kustomization,
)
from wildside_cnpg.yamlio import load_all_yaml_text

Files = dict[str, list[Any]]


def _trees() -> dict[str, Files]:
    trees = {
        name: Module(Inputs.from_mapping(values)).documents() for name, values in CASES.items()
    }
    return trees


def _checkout(name: str, tmp: Path) -> Files:
    render_checkout(CHECKOUTS[name], tmp)
    return {
        path.relative_to(tmp).as_posix(): load_all_yaml_text(path.read_text())
        for path in sorted(tmp.rglob("*.yaml"))
    }


def _ancestors(files: Files) -> list[str]:
    found = {""}
    for path in files:
        directory = posixpath.dirname(path)
        while directory:
            found.add(directory)
            directory = posixpath.dirname(directory)
    return sorted(found)


def converge(files: Files, root: str) -> Counter[ObjectKey]:
    """Every object applied when a Flux Kustomization at `root` and the Flux
    Kustomizations it applies (and so on) converge: object -> how many of them apply
    it. Each build must succeed (no duplicate ids)."""
    applied: Counter[ObjectKey] = Counter()
    pending = [root]
    seen: set[str] = set()
    while pending:
        directory = pending.pop()
        if directory in seen:
            continue
        seen.add(directory)
        for _, document in build(files, directory):
            applied[ObjectKey.of(document)] += 1
            if is_flux_kustomization(document):
                pending.append(flux_directory(document["spec"]["path"], "./"))
    return applied


def _all_objects(files: Files) -> set[ObjectKey]:
    return {
        ObjectKey.of(doc)
        for docs in files.values()
        for doc in docs
        if isinstance(doc, dict)
        and not str(doc.get("apiVersion", "")).startswith("kustomize.config")
    }


def _check(files: Files) -> None:
    everything = _all_objects(files)
    for root in _ancestors(files):
        applied = converge(files, root)
        twice = {str(key): count for key, count in applied.items() if count > 1}
        assert not twice, f"root {root or '.'}: reached from several Kustomizations: {twice}"
        # A root above every unit reaches the whole tree.
        if root in ("", "platform", "platform/databases"):
            assert set(applied) == everything, f"root {root or '.'} misses objects"
    # An explicit root: a kustomization.yaml listing each unit.
    units = sorted(
        posixpath.dirname(path)
        for path in files
        if path.endswith(
            ("/flux-kustomization.yaml", "/flux-kustomizations.yaml", "/namespace.yaml")
        )
    )
    explicit = dict(files)
    explicit["kustomization.yaml"] = [
        {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": units,
        }
    ]
    applied = converge(explicit, "")
    assert set(applied) == everything
    assert max(applied.values()) == 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_root_builds_and_reaches_each_object_once(name: str) -> None:
    _check(_trees()[name])


@pytest.mark.parametrize("name", sorted(CHECKOUTS))
def test_several_clusters_in_one_checkout_too(name: str, tmp_path: Path) -> None:
    _check(_checkout(name, tmp_path))


def test_the_first_release_layout_fails_this_check() -> None:
    """The check is not vacuous: the first release's tree (a loose HelmRepository file
    beside a directory whose kustomization lists it too) fails at the repository root."""
    files: Files = {
        "platform/sources/cloudnative-pg-repo.yaml": [
            {
                "apiVersion": "source.toolkit.fluxcd.io/v1",
                "kind": "HelmRepository",
                "metadata": {"name": "cloudnative-pg", "namespace": "flux-system"},
            }
        ],
        "platform/databases/kustomization.yaml": [
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": ["../sources/cloudnative-pg-repo.yaml"],
            }
        ],
    }
    with pytest.raises(BuildError) as caught:
        converge(files, "")
    assert str(caught.value) == (
        ".: HelmRepository/flux-system/cloudnative-pg is listed twice "
        "(platform/sources/cloudnative-pg-repo.yaml and "
        "platform/sources/cloudnative-pg-repo.yaml): may not add resource with an already "
        "registered id"
    )
