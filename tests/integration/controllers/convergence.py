"""Flux convergence of a rendered tree on an empty API server.

The helper commits `Module.render()` into a loopback Git repository, creates what
`flux bootstrap` would own (the Flux namespace and the GitRepository the tree's Flux
Kustomizations read) and a root Flux Kustomization at a given path, then waits
(bounded) until every Flux Kustomization on the server is Ready at that commit.

The rendered tree is never modified. The test's own root carries patches
(`flux_root_patches`) that it puts on the tree's Flux Kustomizations, which pass them
on to the HelmReleases of their layers:

- `spec.install.disableWait` and `spec.upgrade.disableWait` on every HelmRelease:
  without a kubelet no pod starts, so Helm's wait for the chart's Deployment would
  never end and the HelmRelease would never be Ready;
- chart values `webhook.mutating.create: false` and `webhook.validating.create:
  false` on the operator's HelmRelease: the chart's webhook configurations point at
  the in-cluster Service `cnpg-webhook-service`, which has no pods here, so every
  admission of a Cluster would fail. The harness installs the same configurations
  pointing at the loopback operator instead (operator.py), before Flux starts.

The loopback operator itself is started once the chart has installed CNPG's CRDs
(it refuses to start without them), as the chart's Deployment would start its pod.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml

from wildside_cnpg import Module
from wildside_cnpg.kinds import FLUX_KUSTOMIZATION, HELM_RELEASE

from .gitserver import BRANCH, GitRepository
from .objects import Document, Objects, condition

ROOT_NAME = "wildside-test-root"
CONVERGE_TIMEOUT = 420.0
POLL = 1.0
GIT_REPOSITORY = ("source.toolkit.fluxcd.io/v1", "GitRepository")
# Reasons of a Ready=False condition that only mean "not yet".
WAITING_REASONS = frozenset({"Progressing", "DependencyNotReady", "ProgressingWithRetry"})
WATCHED_KINDS = (
    (FLUX_KUSTOMIZATION.api_version, FLUX_KUSTOMIZATION.kind),
    (HELM_RELEASE.api_version, HELM_RELEASE.kind),
    GIT_REPOSITORY,
    ("source.toolkit.fluxcd.io/v1", "HelmRepository"),
    ("source.toolkit.fluxcd.io/v1", "HelmChart"),
)


def of_kind(module: Module, api_version: str, kind: str) -> list[Document]:
    return [
        doc
        for docs in module.documents().values()
        for doc in docs
        if doc.get("apiVersion") == api_version and doc.get("kind") == kind
    ]


def _merge_patch(spec: dict[str, Any]) -> str:
    return yaml.safe_dump(
        {
            "apiVersion": HELM_RELEASE.api_version,
            "kind": HELM_RELEASE.kind,
            # kustomize names the patch after each target it selects.
            "metadata": {"name": "selected-by-target"},
            "spec": spec,
        }
    )


def flux_root_patches(module: Module) -> list[dict[str, Any]]:
    """The root Kustomization's patches (see the module docstring): one JSON patch per
    Flux Kustomization of the tree, adding to its spec.patches."""
    inputs = module.inputs
    helm_release = {"group": "helm.toolkit.fluxcd.io", "kind": HELM_RELEASE.kind}
    layer_patches = [
        {
            "target": helm_release,
            "patch": _merge_patch(
                {"install": {"disableWait": True}, "upgrade": {"disableWait": True}}
            ),
        },
        {
            "target": helm_release
            | {"name": inputs.helm_release_name, "namespace": inputs.operator_namespace},
            "patch": _merge_patch(
                {
                    "values": {
                        "webhook": {
                            "mutating": {"create": False},
                            "validating": {"create": False},
                        }
                    }
                }
            ),
        },
    ]
    root_patches = []
    for layer in of_kind(module, FLUX_KUSTOMIZATION.api_version, FLUX_KUSTOMIZATION.kind):
        ops: list[dict[str, Any]]
        if layer["spec"].get("patches"):
            ops = [{"op": "add", "path": "/spec/patches/-", "value": p} for p in layer_patches]
        else:
            ops = [{"op": "add", "path": "/spec/patches", "value": layer_patches}]
        meta = layer["metadata"]
        root_patches.append(
            {
                "target": {
                    "group": "kustomize.toolkit.fluxcd.io",
                    "kind": FLUX_KUSTOMIZATION.kind,
                    "name": meta["name"],
                    "namespace": meta["namespace"],
                },
                "patch": yaml.safe_dump(ops),
            }
        )
    return root_patches


@dataclass
class Convergence:
    """What the wait saw: the commit, and every Ready=False state of a Flux object
    that was more than "not yet" (kind namespace/name: reason: message), in order."""

    revision: str
    failures: list[str] = field(default_factory=list)


def _ready_at(doc: Document, revision: str) -> bool:
    ready = condition(doc, "Ready")
    status = doc.get("status") or {}
    return (
        ready is not None
        and ready.get("status") == "True"
        and status.get("observedGeneration") == doc["metadata"].get("generation")
        and str(status.get("lastAppliedRevision", "")).endswith(revision)
    )


def _describe(doc: Document) -> str:
    meta = doc["metadata"]
    ready = condition(doc, "Ready") or {}
    return (
        f"{doc['kind']} {meta.get('namespace')}/{meta['name']}: "
        f"Ready={ready.get('status')} {ready.get('reason')}: {ready.get('message')}"
    )


def flux_states(objects: Objects) -> list[Document]:
    return [doc for api, kind in WATCHED_KINDS for doc in objects.list(api, kind)]


def converge(
    objects: Objects,
    repository: GitRepository,
    module: Module,
    root_path: str,
    *,
    on_tick: Callable[[], None] = lambda: None,
    timeout: float = CONVERGE_TIMEOUT,
) -> Convergence:
    """Commit the render, point Flux at it with a root at root_path, wait until every
    Flux Kustomization is Ready at that commit. on_tick runs on every poll."""
    inputs = module.inputs
    revision = repository.commit(module.render(), "render")
    flux_namespace = inputs.flux_namespace
    objects.namespace(flux_namespace)
    objects.apply(
        {
            "apiVersion": GIT_REPOSITORY[0],
            "kind": GIT_REPOSITORY[1],
            "metadata": {"name": inputs.flux_git_repository_name, "namespace": flux_namespace},
            "spec": {"url": repository.url, "interval": "1m", "ref": {"branch": BRANCH}},
        }
    )
    objects.apply(
        {
            "apiVersion": FLUX_KUSTOMIZATION.api_version,
            "kind": FLUX_KUSTOMIZATION.kind,
            "metadata": {"name": ROOT_NAME, "namespace": flux_namespace},
            "spec": {
                "interval": "10m",
                "path": root_path,
                "prune": True,
                "sourceRef": {"kind": "GitRepository", "name": inputs.flux_git_repository_name},
                "timeout": "5m",
                "patches": flux_root_patches(module),
            },
        }
    )
    expected = {ROOT_NAME} | {
        doc["metadata"]["name"]
        for doc in of_kind(module, FLUX_KUSTOMIZATION.api_version, FLUX_KUSTOMIZATION.kind)
    }
    result = Convergence(revision=revision)
    deadline = time.monotonic() + timeout
    while True:
        on_tick()
        states = flux_states(objects)
        for doc in states:
            ready = condition(doc, "Ready") or {}
            failed = ready.get("status") == "False" and ready.get("reason") not in WAITING_REASONS
            if failed and _describe(doc) not in result.failures:
                result.failures.append(_describe(doc))
        kustomizations = [doc for doc in states if doc["kind"] == FLUX_KUSTOMIZATION.kind]
        names = {doc["metadata"]["name"] for doc in kustomizations}
        if expected <= names and all(_ready_at(doc, revision) for doc in kustomizations):
            return result
        if time.monotonic() > deadline:
            report = "\n".join(_describe(doc) for doc in states)
            pytest.fail(
                f"Flux did not converge on {revision} within {timeout:g}s; "
                f"expected Kustomizations {sorted(expected)}, found {sorted(names)}:\n{report}"
            )
        time.sleep(POLL)


def missing_objects(objects: Objects, module: Module) -> list[str]:
    """Every object of module.objects() that does not exist on the server."""
    missing = []
    for doc in module.objects():
        meta = doc["metadata"]
        if objects.get(doc["apiVersion"], doc["kind"], meta["name"], meta.get("namespace")) is None:
            missing.append(f"{doc['kind']} {meta.get('namespace')}/{meta['name']}")
    return missing
