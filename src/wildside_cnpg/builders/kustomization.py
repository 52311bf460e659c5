"""kustomization.yaml files and the Flux Kustomizations that order the layers.

A Flux Kustomization dry-runs every object before applying any: a Cluster next to
the HelmRelease that installs its CRD fails that dry-run on an empty cluster and
blocks the HelmRelease too, and an add-on whose CRD is missing (a PodMonitor without
the Prometheus Operator) would block every change of the Cluster. So each layer has
a Flux Kustomization of its own: the operator first; the cluster after it; the
credentials (ExternalSecrets) and the add-ons beside the cluster, never in its way."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from ..inputs import Inputs
from ..kinds import CERTIFICATE, CLUSTER, EXTERNAL_SECRET, FLUX_KUSTOMIZATION, KUSTOMIZATION
from ..shape import FluxLayer, Shape
from .common import Document, resource

# How often Flux re-applies a layer to undo drift; new commits apply at once.
_LAYER_INTERVAL = "10m"
# How soon a failed reconcile (a health check timing out, a dependency not ready)
# is tried again, instead of waiting a whole interval.
_RETRY_INTERVAL = "2m"
# Ready when the condition says so (kstatus' generic rules would call a Cluster or an
# ExternalSecret current as soon as it exists). A missing status is "in progress".
_READY = "status.conditions.exists(e, e.type == 'Ready' && e.status == 'True')"


def kustomization(directory: str, files: Iterable[str]) -> Document:
    """A kustomize Kustomization listing `files` relative to `directory`."""
    return {
        "apiVersion": KUSTOMIZATION.api_version,
        "kind": KUSTOMIZATION.kind,
        "resources": [posixpath.relpath(path, directory) for path in files],
    }


def _depends_on(references: Iterable[str]) -> list[dict[str, str]] | None:
    entries = []
    for reference in references:
        namespace, _, name = reference.rpartition("/")
        entries.append({"name": name, "namespace": namespace or None})
    return entries or None  # type: ignore[return-value]


def _ready_when(kind: str, api_version: str) -> dict[str, str]:
    return {
        "apiVersion": api_version,
        "kind": kind,
        "current": _READY,
    }


def _layer_spec(inputs: Inputs, shape: Shape, layer: FluxLayer) -> Document:
    """What each layer needs: the operator layer waits for its HelmReleases (the CRDs
    exist from then on); the cluster layer checks the Cluster's Ready condition; the
    credentials layer each ExternalSecret's and Certificate's. Deleting or renaming a
    stateful layer's Kustomization orphans its objects instead of deleting them."""
    spec: Document = {
        "interval": _LAYER_INTERVAL,
        "retryInterval": _RETRY_INTERVAL,
        "path": shape.flux_path(layer.directory),
        "prune": True,
        "sourceRef": {
            "kind": "GitRepository",
            "name": inputs.flux_git_repository_name,
            "namespace": shape.git_repository_namespace,
        },
        "serviceAccountName": inputs.flux_kustomization_service_account_name,
        "dependsOn": _depends_on(layer.depends_on),
        "timeout": "10m",
    }
    if layer.layer == "operator":
        spec |= {"wait": True, "deletionPolicy": "Orphan"}
    elif layer.layer == "credentials":
        spec |= {
            "wait": True,
            "deletionPolicy": "Orphan",
            "healthCheckExprs": [
                _ready_when(EXTERNAL_SECRET.kind, EXTERNAL_SECRET.api_version),
                # cert-manager's Certificate: Ready once the Secret holds a valid one.
                *([_ready_when(CERTIFICATE.kind, CERTIFICATE.api_version)] if shape.tls else []),
            ],
        }
    elif layer.layer == "cluster":
        spec |= {
            "deletionPolicy": "Orphan",
            # A new cluster (initdb, replicas joining) takes a while.
            "timeout": "30m",
            "healthChecks": [
                {
                    "apiVersion": CLUSTER.api_version,
                    "kind": CLUSTER.kind,
                    "name": shape.cluster,
                    "namespace": shape.namespace,
                }
            ],
            "healthCheckExprs": [_ready_when(CLUSTER.kind, CLUSTER.api_version)],
        }
    return spec


def flux_kustomizations(
    inputs: Inputs, shape: Shape, layers: Iterable[FluxLayer]
) -> list[Document]:
    return [
        resource(
            FLUX_KUSTOMIZATION,
            layer.name,
            inputs.flux_namespace,
            spec=_layer_spec(inputs, shape, layer),
        )
        for layer in layers
    ]
