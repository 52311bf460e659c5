"""kustomization.yaml files and the Flux Kustomizations that order the layers.

A Flux Kustomization dry-runs every object before applying any: a Cluster next to
the HelmRelease that installs its CRD fails that dry-run on an empty cluster and
blocks the HelmRelease too. So the tree also has two layers, applied by two Flux
Kustomizations, the cluster's depending on the operator's being ready."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from ..inputs import Inputs
from ..kinds import FLUX_KUSTOMIZATION, KUSTOMIZATION
from ..names import Names
from .common import Document, resource

# How often Flux re-applies a layer to undo drift; new commits apply at once.
_LAYER_INTERVAL = "10m"


def kustomization(directory: str, files: Iterable[str]) -> Document:
    """A kustomize Kustomization listing `files` relative to `directory`."""
    return {
        "apiVersion": KUSTOMIZATION.api_version,
        "kind": KUSTOMIZATION.kind,
        "resources": [posixpath.relpath(path, directory) for path in files],
    }


def _flux_path(inputs: Inputs, directory: str) -> str:
    prefix = inputs.flux_path_prefix.rstrip("/")
    return f"{prefix}/{directory}" if prefix else f"./{directory}"


def flux_kustomizations(
    inputs: Inputs, names: Names, operator_dir: str, cluster_dir: str
) -> list[Document]:
    source = {"kind": "GitRepository", "name": inputs.flux_git_repository_name}
    operator = resource(
        FLUX_KUSTOMIZATION,
        names.operator_layer,
        inputs.flux_namespace,
        spec={
            "interval": _LAYER_INTERVAL,
            "path": _flux_path(inputs, operator_dir),
            "prune": True,
            "sourceRef": source,
            # Ready only once the HelmRelease is: the CRDs exist from then on.
            "wait": True,
            "timeout": "10m",
        },
    )
    cluster = resource(
        FLUX_KUSTOMIZATION,
        names.cluster_layer,
        inputs.flux_namespace,
        spec={
            "dependsOn": [{"name": names.operator_layer}],
            "interval": _LAYER_INTERVAL,
            "path": _flux_path(inputs, cluster_dir),
            "prune": True,
            "sourceRef": source,
            "wait": False,
            "timeout": "10m",
        },
    )
    return [operator, cluster]
