"""Flux's controllers converging rendered trees from a Git repository.

`GitOps` is the test's side of a Flux repository: a loopback Git repository, what
`flux bootstrap` would own (the Flux namespace and the GitRepository the tree's Flux
Kustomizations read) and a root Flux Kustomization at a given path; at `./` without a
kustomization.yaml in the commit, Flux generates one. A test commits a render (or
renders into the repository's work tree with the library's writer and commits that),
then waits, bounded, until Flux has converged on that commit. Every poll fails the
test at once when a Flux controller reports a failure, unless the test says it
expects that one: a Ready=False condition for a reason other than "not yet", or a
Warning event (the API server keeps those, so a failure that came and went between
two polls is seen too).

The rendered tree is never modified. The test's own root carries patches
(`root_patches`) that it puts on the tree's Flux Kustomizations, which pass them on
to the HelmReleases of their layers:

- `spec.install.disableWait` and `spec.upgrade.disableWait` on every HelmRelease:
  without a kubelet no pod starts, so Helm's wait for the chart's Deployment would
  never end and the HelmRelease would never be Ready;
- chart values `webhook.mutating.create: false` and `webhook.validating.create:
  false` on the operator's HelmRelease: the chart's webhook configurations point at
  the in-cluster Service `cnpg-webhook-service`, which has no pods here, so every
  admission of a Cluster would fail. The harness installs the same configurations
  pointing at the loopback operator instead (operator.py), before Flux starts.

A test may also set fields of a layer's Flux Kustomization through the root
(`overrides`): the health check test shortens two layers' timeout, to see a failed
health check without waiting the tree's 30 minutes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml

from wildside_cnpg import Module
from wildside_cnpg.kinds import FLUX_KUSTOMIZATION, HELM_RELEASE, KUSTOMIZATION, Kind

from .gitserver import BRANCH, GitRepository
from .objects import Document, Objects, condition

ROOT_NAME = "wildside-test-root"
CONVERGE_TIMEOUT = 420.0
POLL = 1.0
GIT_REPOSITORY = Kind("source.toolkit.fluxcd.io/v1", "GitRepository")
# What `flux reconcile` sets to ask a controller for a reconcile now.
RECONCILE_REQUEST = "reconcile.fluxcd.io/requestedAt"
FLUX_GROUPS = (
    "source.toolkit.fluxcd.io/",
    "kustomize.toolkit.fluxcd.io/",
    "helm.toolkit.fluxcd.io/",
)
# Reasons of a Ready=False condition that only mean "not yet". SourceNotReady: a
# HelmRelease waiting for its HelmChart's first artifact (helm-controller
# helmrelease_controller.go: errWaitForChart, a requeue that is not an error).
# NoSourceArtifact: a HelmChart whose HelmRepository has no artifact yet, as when both
# are new (source-controller helmchart_controller.go: a requeue, not an error).
WAITING_REASONS = frozenset(
    {
        "Progressing",
        "DependencyNotReady",
        "ProgressingWithRetry",
        "SourceNotReady",
        "NoSourceArtifact",
    }
)
WATCHED_KINDS = (
    FLUX_KUSTOMIZATION,
    HELM_RELEASE,
    GIT_REPOSITORY,
    Kind("source.toolkit.fluxcd.io/v1", "HelmRepository"),
    Kind("source.toolkit.fluxcd.io/v1", "HelmChart"),
)
# The shape's files that make a unit's entry: a unit is the directory holding one.
UNIT_CONTENTS = ("flux-kustomizations", "namespace")


def of_kind(module: Module, kind: Kind) -> list[Document]:
    return [
        doc
        for docs in module.documents().values()
        for doc in docs
        if doc.get("apiVersion") == kind.api_version and doc.get("kind") == kind.kind
    ]


def layer_names(modules: Iterable[Module]) -> set[str]:
    """The names of the Flux Kustomizations the modules' trees declare."""
    return {
        doc["metadata"]["name"] for module in modules for doc in of_kind(module, FLUX_KUSTOMIZATION)
    }


def unit_directories(modules: Iterable[Module]) -> list[str]:
    """The unit directories of the modules' trees (README, "Wiring it into a Flux
    repository"): the operator's, each namespace's and each cluster's."""
    return sorted(
        {
            file.directory
            for module in modules
            for file in module.shape.files
            if file.content in UNIT_CONTENTS
        }
    )


def explicit_root(modules: Iterable[Module]) -> dict[str, str]:
    """A kustomization.yaml at the repository's root listing the units."""
    root = {
        "apiVersion": KUSTOMIZATION.api_version,
        "kind": KUSTOMIZATION.kind,
        "resources": unit_directories(modules),
    }
    return {"kustomization.yaml": yaml.safe_dump(root, sort_keys=False)}


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


def _layer_patches(module: Module) -> list[dict[str, Any]]:
    inputs = module.inputs
    helm_release = {"group": "helm.toolkit.fluxcd.io", "kind": HELM_RELEASE.kind}
    return [
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


def root_patches(
    modules: Iterable[Module], overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """The root Kustomization's patches (see the module docstring): one JSON patch per
    Flux Kustomization of the trees, adding to its spec.patches and setting the spec
    fields overrides names for it (Kustomization name -> field -> value)."""
    overrides = overrides or {}
    patches = []
    seen: set[tuple[str, str]] = set()
    for module in modules:
        for layer in of_kind(module, FLUX_KUSTOMIZATION):
            meta = layer["metadata"]
            if (meta["namespace"], meta["name"]) in seen:
                continue
            seen.add((meta["namespace"], meta["name"]))
            added = _layer_patches(module)
            ops: list[dict[str, Any]]
            if layer["spec"].get("patches"):
                ops = [{"op": "add", "path": "/spec/patches/-", "value": p} for p in added]
            else:
                ops = [{"op": "add", "path": "/spec/patches", "value": added}]
            for name, value in (overrides.get(meta["name"]) or {}).items():
                ops.append({"op": "add", "path": f"/spec/{name}", "value": value})
            patches.append(
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
    unknown = set(overrides) - {key[1] for key in seen}
    if unknown:
        raise AssertionError(f"overrides for Kustomizations the trees do not have: {unknown}")
    return patches


def ready_at(doc: Document, revision: str) -> bool:
    """doc (a Flux Kustomization) is Ready, at its generation, having applied revision."""
    ready = condition(doc, "Ready")
    status = doc.get("status") or {}
    return (
        ready is not None
        and ready.get("status") == "True"
        and status.get("observedGeneration") == doc["metadata"].get("generation")
        and str(status.get("lastAppliedRevision", "")).endswith(revision)
    )


def describe(doc: Document) -> str:
    meta = doc["metadata"]
    ready = condition(doc, "Ready") or {}
    return (
        f"{doc['kind']} {meta.get('namespace')}/{meta['name']}: "
        f"Ready={ready.get('status')} {ready.get('reason')}: {ready.get('message')}"
    )


@dataclass(frozen=True)
class Failure:
    """A failure a Flux controller reported: a Ready=False condition for a reason
    other than "not yet" (doc is the object), or a Warning event (doc is None)."""

    kind: str
    namespace: str
    name: str
    reason: str
    message: str
    doc: Document | None = field(default=None, compare=False, hash=False)

    def __str__(self) -> str:
        source = "Ready=False" if self.doc is not None else "Warning event"
        return f"{self.kind} {self.namespace}/{self.name}: {source} {self.reason}: {self.message}"


def condition_failures(states: Iterable[Document]) -> list[Failure]:
    found = []
    for doc in states:
        ready = condition(doc, "Ready") or {}
        if ready.get("status") == "False" and ready.get("reason") not in WAITING_REASONS:
            meta = doc["metadata"]
            found.append(
                Failure(
                    doc["kind"],
                    meta.get("namespace", ""),
                    meta["name"],
                    str(ready.get("reason")),
                    str(ready.get("message")),
                    doc,
                )
            )
    return found


def warning_events(objects: Objects) -> list[tuple[str, Failure]]:
    """Every Warning event about a Flux object, with an identity that changes when the
    event recurs (the API server counts repeats of one event on one object)."""
    found = []
    for event in objects.list("v1", "Event"):
        regarding = event.get("involvedObject") or {}
        if event.get("type") != "Warning" or not str(regarding.get("apiVersion", "")).startswith(
            FLUX_GROUPS
        ):
            continue
        identity = f"{event['metadata']['uid']}#{event.get('count')}"
        failure = Failure(
            str(regarding.get("kind")),
            str(regarding.get("namespace", "")),
            str(regarding.get("name")),
            str(event.get("reason")),
            str(event.get("message")).strip(),
        )
        found.append((identity, failure))
    return found


def flux_states(objects: Objects) -> list[Document]:
    return [doc for kind in WATCHED_KINDS for doc in objects.list(*kind)]


def kustomizations(states: Iterable[Document]) -> dict[str, Document]:
    return {
        doc["metadata"]["name"]: doc for doc in states if doc["kind"] == FLUX_KUSTOMIZATION.kind
    }


@dataclass
class GitOps:
    """A Git repository Flux reconciles from, with the test's root (see the module
    docstring). Build it with FluxCluster.gitops."""

    objects: Objects
    repository: GitRepository
    flux_namespace: str
    git_repository_name: str
    root_path: str
    patches: list[dict[str, Any]]
    on_tick: Callable[[], None]
    # The ServiceAccount (in flux_namespace) the root is applied as; None: the
    # controller's own identity (or its --default-service-account).
    service_account: str | None = None
    revisions: list[str] = field(default_factory=list)
    # Every Warning event of a Flux controller seen so far, in order.
    warnings: list[Failure] = field(default_factory=list)
    _seen_events: set[str] = field(default_factory=set)

    def commit(self, files: Mapping[str, str] | None = None, message: str = "render") -> str:
        """Commit files (the branch then holds exactly those), or the work tree as it
        is; Flux is pointed at the repository on the first commit and asked to fetch
        the new one on every later commit. Returns the commit SHA."""
        if files is None:
            revision = self.repository.commit_work_tree(message)
        else:
            revision = self.repository.commit(files, message)
        if not self.revisions:
            self._start()
        else:
            self.request_reconcile(GIT_REPOSITORY, self.git_repository_name)
        self.revisions.append(revision)
        return revision

    def _start(self) -> None:
        self.objects.namespace(self.flux_namespace)
        self.objects.apply(
            {
                "apiVersion": GIT_REPOSITORY.api_version,
                "kind": GIT_REPOSITORY.kind,
                "metadata": {"name": self.git_repository_name, "namespace": self.flux_namespace},
                "spec": {"url": self.repository.url, "interval": "1m", "ref": {"branch": BRANCH}},
            }
        )
        spec: dict[str, Any] = {
            "interval": "10m",
            "path": self.root_path,
            "prune": True,
            "sourceRef": {"kind": GIT_REPOSITORY.kind, "name": self.git_repository_name},
            "timeout": "5m",
            "patches": self.patches,
        }
        if self.service_account is not None:
            spec["serviceAccountName"] = self.service_account
        self.objects.apply(
            {
                "apiVersion": FLUX_KUSTOMIZATION.api_version,
                "kind": FLUX_KUSTOMIZATION.kind,
                "metadata": {"name": ROOT_NAME, "namespace": self.flux_namespace},
                "spec": spec,
            }
        )

    def request_reconcile(self, kind: Kind, name: str) -> str:
        """What `flux reconcile` does: a new value of the request annotation, which the
        controller copies to status.lastHandledReconcileAt once it has handled it."""
        token = str(time.time_ns())
        self.objects.merge_patch(
            *kind,
            name,
            self.flux_namespace,
            {"metadata": {"annotations": {RECONCILE_REQUEST: token}}},
        )
        return token

    def wait(
        self,
        done: Callable[[list[Document]], bool],
        what: str,
        *,
        expected_failure: Callable[[Failure], bool] = lambda failure: False,
        timeout: float = CONVERGE_TIMEOUT,
    ) -> list[Document]:
        """Poll until done(states of every Flux object) holds; fail at once on a
        failure (a condition or a Warning event, also one that came and went between
        two polls) that expected_failure does not accept, or after timeout."""
        deadline = time.monotonic() + timeout
        while True:
            self.on_tick()
            states = flux_states(self.objects)
            failures = [f for f in condition_failures(states) if not expected_failure(f)]
            for identity, failure in warning_events(self.objects):
                if identity not in self._seen_events:
                    self._seen_events.add(identity)
                    self.warnings.append(failure)
                    if not expected_failure(failure):
                        failures.append(failure)
            if failures:
                pytest.fail(
                    f"a Flux controller reported a failure while waiting until {what}:\n"
                    + "\n".join(str(failure) for failure in failures)
                    + "\n\nevery Flux object:\n"
                    + "\n".join(describe(doc) for doc in states)
                )
            if done(states):
                return states
            if time.monotonic() > deadline:
                pytest.fail(
                    f"not within {timeout:g}s: {what}; every Flux object:\n"
                    + "\n".join(describe(doc) for doc in states)
                )
            time.sleep(POLL)

    def wait_ready(
        self,
        revision: str,
        layers: Iterable[str],
        *,
        expected_failure: Callable[[Failure], bool] = lambda failure: False,
    ) -> dict[str, Document]:
        """Until the Flux Kustomizations on the server are exactly the root and
        layers (see layer_names), each Ready at revision; returns them by name."""
        expected = {ROOT_NAME, *layers}

        def done(states: list[Document]) -> bool:
            found = kustomizations(states)
            return set(found) == expected and all(ready_at(doc, revision) for doc in found.values())

        states = self.wait(
            done,
            f"the Kustomizations {sorted(expected)} are Ready at {revision}",
            expected_failure=expected_failure,
        )
        return kustomizations(states)


def tree_objects(module: Module) -> list[Document]:
    """Every object the tree puts on a cluster: module.objects() and the Flux
    Kustomizations."""
    return [*module.objects(), *of_kind(module, FLUX_KUSTOMIZATION)]


def missing_objects(objects: Objects, module: Module) -> list[str]:
    """Every object of the tree that does not exist on the server."""
    missing = []
    for doc in tree_objects(module):
        meta = doc["metadata"]
        if objects.get(doc["apiVersion"], doc["kind"], meta["name"], meta.get("namespace")) is None:
            missing.append(f"{doc['kind']} {meta.get('namespace')}/{meta['name']}")
    return missing


def inventory_id(doc: Document) -> str:
    """How a Flux Kustomization's inventory names doc: namespace_name_group_kind."""
    group = doc["apiVersion"].rpartition("/")[0]
    meta = doc["metadata"]
    return f"{meta.get('namespace') or ''}_{meta['name']}_{group}_{doc['kind']}"


def inventory_owners(states: Iterable[Document]) -> dict[str, list[str]]:
    """Object (inventory id) -> the Flux Kustomizations whose inventory lists it."""
    owners: dict[str, list[str]] = {}
    for name, doc in sorted(kustomizations(states).items()):
        inventory = (doc.get("status") or {}).get("inventory") or {}
        for entry in inventory.get("entries") or []:
            owners.setdefault(entry["id"], []).append(name)
    return owners
