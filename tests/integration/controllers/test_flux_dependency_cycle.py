"""A dependsOn cycle among the tree's Flux Kustomizations, read by the real
kustomize-controller: the Kustomizations of the cycle wait on each other for ever
(DependencyNotReady), and the controller stops reacting to new revisions of their
GitRepository for every Kustomization that reads it, the root included
(kustomization_indexers.go: sortAndEnqueue returns no request when dependency.Sort
finds a cycle; the controller logs "failed to sort dependencies for revision
change"). So the commit that removes the cycle is not applied until the root's own
interval (10m here) comes round. This is why policy rule F3 refuses such a tree.

The cycle is made the way a user can make it: flux_depends_on naming the cluster
layer before the operator layer, which the cluster layer already waits for."""

from __future__ import annotations

import time

from wildside_cnpg import Inputs, Module

from . import logs
from .conftest import FluxClusterFactory
from .convergence import GIT_REPOSITORY, ROOT_NAME, Failure, kustomizations, ready_at
from .helmrepo import HelmRepository
from .objects import Document, condition
from .test_flux_day2 import render_into

# How long the root is given to apply a new revision it would apply in seconds.
GRACE = 45.0


def _artifact_at(states: list[Document], revision: str) -> bool:
    return any(
        doc["kind"] == GIT_REPOSITORY.kind
        and str(((doc.get("status") or {}).get("artifact") or {}).get("revision", "")).endswith(
            revision
        )
        for doc in states
    )


def test_a_dependency_cycle_stalls_every_kustomization_of_the_source(
    flux_cluster_factory: FluxClusterFactory, helm_repository: HelmRepository
) -> None:
    cluster = flux_cluster_factory()
    fixed = Module(Inputs(chart_repository=helm_repository.url))
    cyclic = Module(
        Inputs(
            chart_repository=helm_repository.url,
            flux_depends_on={"operator": [fixed.shape.layers["cluster"].name]},
        )
    )
    operator = cyclic.shape.layers["operator"].name
    cluster_layer = cyclic.shape.layers["cluster"].name
    gitops = cluster.gitops([cyclic], "./")
    checkout = gitops.repository.work

    render_into(checkout, cyclic)
    first = gitops.commit(message="a dependency cycle")

    def waiting(failure: Failure) -> bool:
        return failure.reason == "DependencyNotReady"

    def stuck(states: list[Document]) -> bool:
        found = kustomizations(states)
        return (
            ROOT_NAME in found
            and ready_at(found[ROOT_NAME], first)
            and all(
                (condition(found[name], "Ready") or {}).get("reason") == "DependencyNotReady"
                for name in (operator, cluster_layer)
                if name in found
            )
            and {operator, cluster_layer} <= set(found)
        )

    gitops.wait(stuck, "both layers of the cycle wait on each other", expected_failure=waiting)

    render_into(checkout, fixed)
    second = gitops.commit(message="the cycle removed")
    gitops.wait(
        lambda states: _artifact_at(states, second),
        f"the GitRepository serves {second}",
        expected_failure=waiting,
    )
    deadline = time.monotonic() + GRACE
    while time.monotonic() < deadline:
        root = kustomizations(gitops.wait(lambda states: True, "a poll"))[ROOT_NAME]
        assert ready_at(root, first), root.get("status")
        time.sleep(5)

    [log] = [path for path in logs._registered if path.name == "kustomize-controller.log"]
    assert "failed to sort dependencies for revision change" in log.read_text()
