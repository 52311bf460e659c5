"""Flux's multi-tenancy lockdown (README, "Flux with multi-tenancy lockdown") with the
real controllers: the inputs flux_cross_namespace_refs,
flux_kustomization_service_account_name and flux_helm_release_service_account_name.

- **Under lockdown.** kustomize- and helm-controller run with
  `--no-cross-namespace-refs=true --default-service-account=default`. As a platform
  admin would, the test binds `cluster-admin` to exactly three ServiceAccounts: the
  root's (`flux-system/wildside-test-root`, which the test's root Kustomization
  names), `flux-system/flux-applier` and `cnpg-system/helm-applier` (the two the
  inputs name). The `default` accounts get nothing. No ServiceAccount object is
  created: a controller impersonates the user `system:serviceaccount:NAMESPACE:NAME`,
  which RBAC matches by name. (kustomize-controller does look the object up when it
  finalizes a deleted Kustomization, and prunes nothing when it is missing:
  `CanImpersonate`, kustomization_controller.go. Nothing of the tree is deleted here.)

  1. The render with the two ServiceAccounts but the chart source left in
     flux-system. The root and the layers apply, and helm-controller refuses the
     HelmChart its HelmRelease would make in flux-system. helm-controller 1.5.5
     reports that refusal in its log only: the chart template step
     (internal/reconcile/helmchart_template.go) returns it before the HelmRelease has
     any condition, so the HelmRelease shows no condition, no HelmChart is made, and
     the operator layer's health check times out on the HelmRelease. That layer's
     timeout is shortened to 30 s (kustomize-controller's minimum) through the root:
     the tree's is 10m, and without the opt-in feature gate
     CancelHealthCheckOnNewRevision kustomize-controller applies no new commit to a
     layer while its health check runs. A Kustomization naming no ServiceAccount,
     applied beside the tree, is refused as `flux-system/default`.
  2. The render with `flux_cross_namespace_refs: false`, written into the same work
     tree: the old HelmRepository is pruned, the HelmChart is made in cnpg-system and
     the whole tree converges, as in test_flux_convergence.py. Then a HelmRelease
     naming no ServiceAccount is refused as `cnpg-system/default`.

  Why the ServiceAccount inputs matter: with `--default-service-account` each
  controller applies an object that names no account as `default` of its namespace,
  and the two refused objects show that those have no rights here. The tree's
  layers and HelmRelease, which carry the accounts the inputs name, are applied.

- **The move on a running tree, without lockdown.** The default tree converges (the
  HelmRepository in flux-system), then the render with
  `flux_cross_namespace_refs: false` is committed, as the README says to do before
  the flags go on. helm-controller deletes the HelmChart in flux-system and makes one
  in cnpg-system, and the old HelmRepository is pruned. The HelmRelease's new spec
  is reconciled, and the release is not upgraded: its history is the same (revision
  1, as installed) and Helm keeps one release Secret.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from wildside_cnpg import Inputs, Module
from wildside_cnpg.kinds import FLUX_KUSTOMIZATION, HELM_RELEASE, HELM_REPOSITORY, Kind

from . import logs
from .conftest import FluxClusterFactory
from .convergence import (
    ROOT_NAME,
    Failure,
    GitOps,
    kustomizations,
    layer_names,
    missing_objects,
    of_kind,
    ready_at,
)
from .environment import FluxCluster
from .helmrepo import HelmRepository
from .objects import Document, Objects, condition, object_key
from .test_flux_day2 import render_into

LOCKDOWN_FLAGS = ("--no-cross-namespace-refs=true", "--default-service-account=default")
LOCKDOWN = {"kustomize-controller": LOCKDOWN_FLAGS, "helm-controller": LOCKDOWN_FLAGS}
ACCOUNTS = {
    "flux_kustomization_service_account_name": "flux-applier",
    "flux_helm_release_service_account_name": "helm-applier",
}
ROOT_ACCOUNT = "wildside-test-root"
HELM_CHART = Kind("source.toolkit.fluxcd.io/v1", "HelmChart")
CLUSTER_ROLE_BINDING = Kind("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")
SERVICE_ACCOUNT = Kind("v1", "ServiceAccount")
# The objects the test applies beside the tree, naming no ServiceAccount.
UNNAMED = "applied-as-default"


def _cluster_admin(objects: Objects, namespace: str, account: str) -> None:
    objects.apply(
        {
            "apiVersion": CLUSTER_ROLE_BINDING.api_version,
            "kind": CLUSTER_ROLE_BINDING.kind,
            "metadata": {"name": f"{namespace}-{account}-cluster-admin"},
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "ClusterRole",
                "name": "cluster-admin",
            },
            "subjects": [{"kind": "ServiceAccount", "name": account, "namespace": namespace}],
        }
    )


def _release_names(module: Module) -> tuple[str, str, str, str]:
    """Flux's namespace, the operator's, its HelmRelease, and the HelmChart
    helm-controller names after the HelmRelease (NAMESPACE-NAME)."""
    inputs = module.inputs
    release_ns, release = inputs.operator_namespace, inputs.helm_release_name
    return inputs.flux_namespace, release_ns, release, f"{release_ns}-{release}"


def _reason(doc: Document | None) -> str | None:
    return (condition(doc, "Ready") or {}).get("reason") if doc else None


def _names(objects: Objects, kind: Kind) -> set[str]:
    """namespace/name of every object of kind."""
    return {f"{d['metadata']['namespace']}/{d['metadata']['name']}" for d in objects.list(*kind)}


def _helm_controller_errors(namespace: str, name: str) -> set[str]:
    """The errors helm-controller logged for the HelmRelease namespace/name
    (controller-runtime's "Reconciler error" lines)."""
    found = set()
    for line in logs.registered("helm-controller.log").read_text().splitlines():
        try:
            entry: Any = json.loads(line)
        except json.JSONDecodeError:
            continue
        if (
            isinstance(entry, dict)
            and entry.get("msg") == "Reconciler error"
            and entry.get("HelmRelease") == {"name": name, "namespace": namespace}
        ):
            found.add(str(entry.get("error")))
    return found


def _helm_release(objects: Objects, module: Module) -> Document:
    inputs = module.inputs
    live = objects.get(*HELM_RELEASE, inputs.helm_release_name, inputs.operator_namespace)
    assert live is not None
    return live


def _assert_converged(cluster: FluxCluster, module: Module, layers: dict[str, Document]) -> None:
    """What test_flux_convergence.py asserts of a converged tree."""
    [cnpg_cluster] = [doc for doc in module.objects() if doc["kind"] == "Cluster"]
    assert cluster.standins.reconciled == [object_key(cnpg_cluster)], "CNPG never reconciled it"
    assert missing_objects(cluster.objects, module) == []
    healthy = condition(layers[module.shape.layers["cluster"].name], "Healthy") or {}
    assert (healthy.get("status"), healthy.get("reason")) == ("True", "Succeeded")


def _gone(gitops: GitOps, kind: Kind, namespace: str, name: str) -> None:
    """Wait until namespace/name of kind no longer exists (finalizers run)."""
    gitops.wait(
        lambda states: gitops.objects.get(*kind, name, namespace) is None,
        f"{kind.kind} {namespace}/{name} is gone",
    )


def _service_accounts(objects: Objects, names: Iterable[tuple[str, str]]) -> list[str]:
    return [
        f"{namespace}/{name}"
        for namespace, name in names
        if objects.get(*SERVICE_ACCOUNT, name, namespace) is not None
    ]


def _apply_kustomization_without_account(objects: Objects, module: Module) -> str:
    """A Flux Kustomization beside the tree's, naming no ServiceAccount, that applies
    the operator's Namespace unit; returns kustomize-controller's refusal of it when
    it is applied as the Flux namespace's `default`."""
    inputs = module.inputs
    flux_ns, namespace = inputs.flux_namespace, inputs.operator_namespace
    [unit] = [
        file.directory
        for file in module.shape.files
        if file.content == "namespace" and file.subject == namespace
    ]
    objects.apply(
        {
            "apiVersion": FLUX_KUSTOMIZATION.api_version,
            "kind": FLUX_KUSTOMIZATION.kind,
            "metadata": {"name": UNNAMED, "namespace": flux_ns},
            "spec": {
                "interval": "10m",
                "path": f"./{unit}",
                "prune": False,
                "sourceRef": {"kind": "GitRepository", "name": inputs.flux_git_repository_name},
            },
        }
    )
    return (
        f"Namespace/{namespace} dry-run failed (Forbidden): namespaces "
        f'"{namespace}" is forbidden: User "system:serviceaccount:{flux_ns}:default" '
        f'cannot patch resource "namespaces" in API group "" in the namespace "{namespace}"'
    )


def _helm_release_without_account_is_refused(gitops: GitOps, module: Module) -> None:
    """A HelmRelease beside the tree's, naming no ServiceAccount, of the operator's
    chart from the tree's HelmRepository: helm-controller reads the release storage
    as the namespace's `default`, and is refused."""
    namespace = module.inputs.operator_namespace
    chart = module.shape.operator_chart
    [repository] = of_kind(module, HELM_REPOSITORY)
    gitops.objects.apply(
        {
            "apiVersion": HELM_RELEASE.api_version,
            "kind": HELM_RELEASE.kind,
            "metadata": {"name": UNNAMED, "namespace": namespace},
            "spec": {
                "interval": "1h",
                "chart": {
                    "spec": {
                        "chart": chart.chart,
                        "version": chart.version,
                        "sourceRef": {
                            "kind": HELM_REPOSITORY.kind,
                            "name": repository["metadata"]["name"],
                        },
                    }
                },
            },
        }
    )
    as_default = (
        "Could not determine release state: failed to retrieve last release from storage: "
        "query: failed to query with labels: secrets is forbidden: User "
        f'"system:serviceaccount:{namespace}:default" cannot list resource "secrets" in '
        f'API group "" in the namespace "{namespace}"'
    )

    def refused(failure: Failure) -> bool:
        return (
            failure.kind == HELM_RELEASE.kind
            and failure.name == UNNAMED
            and failure.reason == "StateError"
            and failure.message.strip() == as_default
        )

    gitops.wait(
        lambda states: any(
            doc["kind"] == HELM_RELEASE.kind
            and doc["metadata"]["name"] == UNNAMED
            and _reason(doc) == "StateError"
            for doc in states
        ),
        "a HelmRelease naming no ServiceAccount is refused",
        expected_failure=refused,
    )


def test_lockdown_refuses_the_crossing_then_converges(
    flux_cluster_factory: FluxClusterFactory, helm_repository: HelmRepository
) -> None:
    cluster = flux_cluster_factory(controller_args=LOCKDOWN)
    objects = cluster.objects
    crossing = Module(Inputs(chart_repository=helm_repository.url, **ACCOUNTS))
    local = Module(
        Inputs(chart_repository=helm_repository.url, flux_cross_namespace_refs=False, **ACCOUNTS)
    )
    inputs = local.inputs
    flux_ns, release_ns, release, chart = _release_names(local)
    accounts = [
        (flux_ns, ROOT_ACCOUNT),
        (flux_ns, ACCOUNTS["flux_kustomization_service_account_name"]),
        (release_ns, ACCOUNTS["flux_helm_release_service_account_name"]),
    ]
    for namespace, account in accounts:
        _cluster_admin(objects, namespace, account)
    operator_layer = local.shape.layers["operator"].name
    gitops = cluster.gitops(
        [crossing],
        "./",
        overrides={operator_layer: {"timeout": "30s"}},
        root_service_account=ROOT_ACCOUNT,
    )
    checkout = gitops.repository.work

    # 1. The chart source in flux-system, read from cnpg-system: refused.
    render_into(checkout, crossing)
    first = gitops.commit(message="the ServiceAccounts, the chart source in flux-system")
    kustomization_as_default = _apply_kustomization_without_account(objects, crossing)
    timed_out = re.compile(
        r"health check failed after [0-9.]+s: timeout waiting for: "
        rf"\[HelmRelease/{release_ns}/{release} status: 'InProgress'\]"
    )

    def refused(failure: Failure) -> bool:
        if failure.kind != FLUX_KUSTOMIZATION.kind:
            return False
        if failure.name == operator_layer:
            return failure.reason == "HealthCheckFailed" and bool(
                timed_out.fullmatch(failure.message)
            )
        return (
            failure.name == UNNAMED
            and failure.reason == "ReconciliationFailed"
            # The condition's message ends in a newline, the event's does not.
            and failure.message.strip() == kustomization_as_default
        )

    def both_refused(states: list[Document]) -> bool:
        found = kustomizations(states)
        return (
            _reason(found.get(operator_layer)) == "HealthCheckFailed"
            and _reason(found.get(UNNAMED)) == "ReconciliationFailed"
        )

    states = gitops.wait(
        both_refused,
        "the HelmRelease and the account without rights are refused",
        expected_failure=refused,
    )

    assert ready_at(kustomizations(states)[ROOT_NAME], first)
    assert _helm_controller_errors(release_ns, release) == {
        f"cross-namespace references are not allowed: cannot access HelmChart {flux_ns}/{chart}"
    }
    status = _helm_release(objects, crossing).get("status") or {}
    assert "conditions" not in status, status
    assert "helmChart" not in status, status
    assert _names(objects, HELM_CHART) == set()
    assert _reason(kustomizations(states)[local.shape.layers["cluster"].name]) == (
        "DependencyNotReady"
    )
    assert sorted((w.name, w.reason) for w in gitops.warnings) == [
        (UNNAMED, "ReconciliationFailed"),
        (operator_layer, "HealthCheckFailed"),
    ]
    seen_warnings = len(gitops.warnings)
    objects.delete(*FLUX_KUSTOMIZATION, UNNAMED, flux_ns)

    # 2. The chart source beside the HelmRelease, rendered into the same work tree.
    render_into(checkout, local)
    revision = gitops.commit(message="flux_cross_namespace_refs: false")
    layers = gitops.wait_ready(
        revision,
        layer_names([local]),
        # The conditions of step 1 stay until their objects reconcile (or are gone).
        expected_failure=lambda failure: failure.doc is not None and refused(failure),
    )
    _gone(gitops, HELM_REPOSITORY, flux_ns, inputs.flux_helm_repository_name)

    assert gitops.warnings[seen_warnings:] == []
    _assert_converged(cluster, local, layers)
    helm_release = _helm_release(objects, local)
    assert helm_release["status"]["helmChart"] == f"{release_ns}/{chart}"
    assert _names(objects, HELM_CHART) == {f"{release_ns}/{chart}"}
    assert _names(objects, HELM_REPOSITORY) == {f"{release_ns}/{inputs.flux_helm_repository_name}"}
    # Every layer names flux-applier and the HelmRelease helm-applier; none of the
    # three accounts exists as an object.
    assert {
        name: layers[name]["spec"].get("serviceAccountName") for name in layer_names([local])
    } == {name: "flux-applier" for name in layer_names([local])}
    assert helm_release["spec"]["serviceAccountName"] == "helm-applier"
    assert _service_accounts(objects, accounts) == []

    # A HelmRelease naming no account is installed as cnpg-system/default: refused.
    _helm_release_without_account_is_refused(gitops, local)


def _release_secrets(objects: Objects, namespace: str, release: str) -> list[str]:
    """The names of the Helm release's storage Secrets (Helm's secrets driver)."""
    return sorted(
        doc["metadata"]["name"]
        for doc in objects.list("v1", "Secret", namespace)
        if (doc["metadata"].get("labels") or {}).get("owner") == "helm"
        and doc["metadata"]["labels"].get("name") == release
    )


def test_moving_the_chart_sources_on_a_running_tree(
    flux_cluster_factory: FluxClusterFactory, helm_repository: HelmRepository
) -> None:
    cluster = flux_cluster_factory()
    objects = cluster.objects
    before = Module(Inputs(chart_repository=helm_repository.url))
    after = Module(Inputs(chart_repository=helm_repository.url, flux_cross_namespace_refs=False))
    inputs = after.inputs
    flux_ns, release_ns, release, chart = _release_names(after)
    gitops = cluster.gitops([before], "./")
    checkout = gitops.repository.work
    render_into(checkout, before)
    gitops.wait_ready(gitops.commit(message="the default tree"), layer_names([before]))
    installed = _helm_release(objects, before)
    assert installed["status"]["helmChart"] == f"{flux_ns}/{chart}"
    assert [entry["version"] for entry in installed["status"]["history"]] == [1]
    assert _release_secrets(objects, release_ns, release) == [f"sh.helm.release.v1.{release}.v1"]

    render_into(checkout, after)
    revision = gitops.commit(message="flux_cross_namespace_refs: false")
    layers = gitops.wait_ready(revision, layer_names([after]))
    _gone(gitops, HELM_CHART, flux_ns, chart)
    _gone(gitops, HELM_REPOSITORY, flux_ns, inputs.flux_helm_repository_name)

    assert [str(warning) for warning in gitops.warnings] == []
    _assert_converged(cluster, after, layers)
    moved = _helm_release(objects, after)
    assert moved["status"]["helmChart"] == f"{release_ns}/{chart}"
    assert _names(objects, HELM_CHART) == {f"{release_ns}/{chart}"}
    assert _names(objects, HELM_REPOSITORY) == {f"{release_ns}/{inputs.flux_helm_repository_name}"}
    # helm-controller reconciled the new spec (the chart's source changed) and found
    # the release in sync: no upgrade, the release as it was installed.
    assert moved["metadata"]["generation"] > installed["metadata"]["generation"]
    assert moved["status"]["observedGeneration"] == moved["metadata"]["generation"]
    assert moved["status"]["lastAttemptedGeneration"] == moved["metadata"]["generation"]
    assert moved["status"]["history"] == installed["status"]["history"]
    assert _release_secrets(objects, release_ns, release) == [f"sh.helm.release.v1.{release}.v1"]
    events = [
        (event.get("reason"), event.get("message"))
        for event in objects.list("v1", "Event", release_ns)
        if event["involvedObject"].get("kind") == HELM_RELEASE.kind
        and event["involvedObject"].get("name") == release
    ]
    assert ("HelmChartDeleted", f"deleted HelmChart '{flux_ns}/{chart}'") in events
    assert [reason for reason, _ in events if str(reason).startswith(("Upgrade", "Install"))] == [
        "InstallSucceeded"
    ]
