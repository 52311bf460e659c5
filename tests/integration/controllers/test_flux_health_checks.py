"""The health checks of the cluster and credentials layers, read by the real
kustomize-controller: a layer stays not Ready, naming what it waits for, until the
Cluster (healthCheckExprs on its Ready condition) and every ExternalSecret (the same
on theirs) are Ready; then it becomes Ready without a new commit.

ESO's CRDs are installed (README: the cluster must have them); no ESO runs, and
nothing writes a Ready condition until the test lets the stand-ins act
(standins.py). The test's root shortens the two layers' timeout from the tree's
30 and 10 minutes to HEALTH_TIMEOUT (convergence.py, "overrides"), so that the
failure the README describes (a health check failing past its timeout) is seen in
seconds; the committed tree is the render as it is.
"""

from __future__ import annotations

import itertools
import re

from wildside_cnpg import Inputs, Module
from wildside_cnpg.kinds import CLUSTER, EXTERNAL_SECRET, FLUX_KUSTOMIZATION

from .conftest import FluxClusterFactory
from .convergence import (
    ROOT_NAME,
    Failure,
    kustomizations,
    layer_names,
    of_kind,
    ready_at,
)
from .helmrepo import HelmRepository
from .objects import Document, condition, object_key

# kustomize-controller waits at least 30s (api v1 Kustomization.GetTimeout).
HEALTH_TIMEOUT = "30s"
ESO = {
    "eso_enabled": True,
    "app_credentials_vault_path": "database/wildside/app",
    "superuser_credentials_vault_path": "database/wildside/superuser",
}


def timed_out(message: str, items: list[str]) -> bool:
    """message is a health check's timeout naming exactly items, in any order
    (fluxcd/pkg/ssa manager_wait.go: "timeout waiting for: [ITEM, ...]", each item
    "KIND/NAMESPACE/NAME status: 'STATUS'" and the reader's error, if any; the
    controller prefixes how long it waited)."""
    match = re.fullmatch(
        r"health check failed after [0-9.]+m?s: timeout waiting for: \[(.*)\]",
        message,
    )
    return match is not None and any(
        match.group(1) == ", ".join(order) for order in itertools.permutations(items)
    )


def test_layers_wait_for_the_cluster_and_the_external_secrets_to_be_ready(
    flux_cluster_factory: FluxClusterFactory, helm_repository: HelmRepository
) -> None:
    cluster = flux_cluster_factory(EXTERNAL_SECRET.kind)
    module = Module(Inputs(chart_repository=helm_repository.url, **ESO))
    layers = module.shape.layers
    checked = {layers["cluster"].name, layers["credentials"].name}
    gitops = cluster.gitops(
        [module], "./", overrides={name: {"timeout": HEALTH_TIMEOUT} for name in checked}
    )
    cluster.standins.hold()

    revision = gitops.commit(module.render())

    def failed_health_checks(states: list[Document]) -> bool:
        found = kustomizations(states)
        return all(
            (condition(found[name], "Ready") or {}).get("reason") == "HealthCheckFailed"
            for name in checked
            if name in found
        ) and checked <= set(found)

    def health_check_failed(failure: Failure) -> bool:
        return (
            failure.kind == FLUX_KUSTOMIZATION.kind
            and failure.name in checked
            and failure.reason == "HealthCheckFailed"
        )

    states = gitops.wait(
        failed_health_checks,
        f"the health checks of {sorted(checked)} fail",
        expected_failure=health_check_failed,
    )
    found = kustomizations(states)
    tree = module.objects()
    [cnpg_cluster] = [doc for doc in tree if doc["kind"] == CLUSTER.kind]
    external_secrets = [doc for doc in tree if doc["kind"] == EXTERNAL_SECRET.kind]
    assert len(external_secrets) == 2
    cluster_ready = condition(found[layers["cluster"].name], "Ready") or {}
    assert (cluster_ready["status"], cluster_ready["reason"]) == ("False", "HealthCheckFailed")
    # CNPG wrote Ready=False: the expression is false, the Cluster in progress.
    assert timed_out(
        cluster_ready["message"], [f"{object_key(cnpg_cluster)} status: 'InProgress'"]
    ), cluster_ready["message"]
    credentials_ready = condition(found[layers["credentials"].name], "Ready") or {}
    assert (credentials_ready["status"], credentials_ready["reason"]) == (
        "False",
        "HealthCheckFailed",
    )
    # Nothing wrote a status: the expression cannot be evaluated, so the status is
    # Unknown (kustomize-controller waits all the same, then names the error).
    [expression] = [
        check["current"]
        for doc in of_kind(module, FLUX_KUSTOMIZATION)
        if doc["metadata"]["name"] == layers["credentials"].name
        for check in doc["spec"]["healthCheckExprs"]
    ]
    assert timed_out(
        credentials_ready["message"],
        [
            f"{object_key(doc)} status: 'Unknown': failed to evaluate the CEL expression "
            f"'{expression}': no such attribute(s): status.conditions"
            for doc in external_secrets
        ],
    ), credentials_ready["message"]
    # The Cluster was applied and is not Ready: CNPG said so, not a missing object.
    meta = cnpg_cluster["metadata"]
    live = cluster.objects.get(*CLUSTER, meta["name"], meta["namespace"])
    assert live is not None
    assert (condition(live, "Ready") or {}).get("reason") == "ClusterIsNotReady"
    # The other layers do not wait for these two.
    others = set(found) - checked
    assert others == {ROOT_NAME, layers["operator"].name}
    assert all(ready_at(found[name], revision) for name in others)

    # Once the Cluster and the ExternalSecrets are Ready, a reconcile (the next retry,
    # or `flux reconcile`, as here) makes both layers Ready at the same commit.
    cluster.standins.release()
    expected_writes = sorted(
        [object_key(doc) for doc in external_secrets] + [object_key(cnpg_cluster)]
    )
    gitops.wait(
        lambda states: sorted(cluster.standins.written) == expected_writes,
        "the test has written the Ready conditions",
        expected_failure=health_check_failed,
    )
    requests = {name: gitops.request_reconcile(FLUX_KUSTOMIZATION, name) for name in checked}
    ready = gitops.wait_ready(
        revision,
        layer_names([module]),
        # The condition reporting the failure until the controller handles the request.
        expected_failure=lambda failure: (
            health_check_failed(failure)
            and failure.doc is not None
            and (failure.doc.get("status") or {}).get("lastHandledReconcileAt")
            != requests[failure.name]
        ),
    )

    assert cluster.standins.reconciled == [object_key(cnpg_cluster)]
    assert sorted(cluster.standins.written) == expected_writes
    for name in checked:
        healthy = condition(ready[name], "Healthy") or {}
        assert (healthy.get("status"), healthy.get("reason")) == ("True", "Succeeded")
    # The only warnings of the whole run: one failed health check per layer.
    assert sorted((w.name, w.reason) for w in gitops.warnings) == sorted(
        (name, "HealthCheckFailed") for name in checked
    )
