"""The contract the outputs promise holds once CNPG's real operator has reconciled a
rendered Cluster: every Service and Secret the outputs name exists, the Secrets carry
the keys the README promises, and the disruption budgets are exactly those the
Cluster's `enablePDB` and the tree's PodDisruptionBudgets say. With one instance the
contract names no replica endpoint (CNPG's `-ro` Service would have no endpoints)
and no budget exists at all.

The tree's objects are applied as they are, except the operator's HelmRepository and
HelmRelease: the operator is the loopback one. No External Secrets Operator runs: with
ESO the test writes each ExternalSecret's target Secret from its template, as ESO
would, with a password of its own.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import pytest

from wildside_cnpg import Inputs, Module

from .eso import eso_target
from .objects import Document, Objects

RECONCILE_TIMEOUT = 120.0
FLUX_GROUPS = ("source.toolkit.fluxcd.io/", "helm.toolkit.fluxcd.io/")
# README, "Credentials": the app secret carries every key CNPG would generate.
APP_KEYS = {
    "username",
    "password",
    "dbname",
    "host",
    "port",
    "uri",
    "jdbc-uri",
    "fqdn-uri",
    "fqdn-jdbc-uri",
    "pgpass",
    "user",
}
SUPERUSER_KEYS = {"username", "password"}

CASES: dict[str, dict[str, Any]] = {
    # CNPG's own budgets: the primary's, and the replicas' with minAvailable 1.
    "defaults": {},
    # ... with minAvailable instances - 2 = 2.
    "four-instances": {"cluster_namespace": "contract-four-instances", "instances": 4},
    "eso": {
        "cluster_namespace": "contract-eso",
        "eso_enabled": True,
        "app_credentials_vault_path": "database/wildside/app",
        "superuser_credentials_vault_path": "database/wildside/superuser",
    },
    "custom-budgets": {"cluster_namespace": "contract-custom-budgets", "pdb_enabled": True},
    "one-instance": {"cluster_namespace": "contract-one-instance", "instances": 1},
}


def cnpg_budgets(cluster: Document) -> dict[str, Any]:
    """The budgets CNPG itself keeps for cluster, by name (pkg/specs/
    poddisruptionbudget.go, 1.30.0): the primary's always, the replicas' from three
    instances on; none when enablePDB is false (it defaults to true)."""
    spec = cluster["spec"]
    if not spec.get("enablePDB", True):
        return {}
    name = cluster["metadata"]["name"]
    budgets = {f"{name}-primary": _budget(name, "primary", 1)}
    if spec["instances"] >= 3:
        budgets[name] = _budget(name, "replica", spec["instances"] - 2)
    return budgets


def _budget(cluster: str, role: str, min_available: int) -> dict[str, Any]:
    return {
        "minAvailable": min_available,
        "selector": {"matchLabels": {"cnpg.io/cluster": cluster, "cnpg.io/instanceRole": role}},
    }


def wait_for(objects: Objects, wanted: list[tuple[str, str, str, str]]) -> None:
    """Until every (apiVersion, kind, namespace, name) exists, at most RECONCILE_TIMEOUT."""
    deadline = time.monotonic() + RECONCILE_TIMEOUT
    while True:
        missing = [
            item for item in wanted if objects.get(item[0], item[1], item[3], item[2]) is None
        ]
        if not missing:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"after {RECONCILE_TIMEOUT:g}s the operator has not created {missing}")
        time.sleep(0.5)


@pytest.mark.usefixtures("operator")
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_outputs_name_what_the_operator_creates(case: str, objects: Objects) -> None:
    module = Module(Inputs.from_mapping(CASES[case]))
    inputs = module.inputs
    outputs = {name: output["value"] for name, output in module.outputs().items()}
    namespace = outputs["cluster_namespace"]
    password = secrets.token_hex(16)
    tree = module.objects()
    # Namespaces first, as kustomize-controller orders them.
    for doc in sorted(tree, key=lambda doc: doc["kind"] != "Namespace"):
        if not doc["apiVersion"].startswith(FLUX_GROUPS):
            objects.apply(doc)
    for doc in tree:
        if doc["kind"] == "ExternalSecret":
            objects.apply(eso_target(doc, password))
    [cluster] = [doc for doc in tree if doc["kind"] == "Cluster"]

    # The Services the outputs name: the primary's, any instance's (read) and, from two
    # instances, the replicas'.
    service_outputs = ("primary", "read", "replica")
    services = {
        role: outputs[f"{role}_service_name"]
        for role in service_outputs
        if outputs[f"{role}_service_name"] is not None
    }
    credentials = outputs["sync_policy_contract"]["credentials"]
    secret_refs = [ref for ref in credentials.values() if ref is not None]
    assert {ref["name"] for ref in secret_refs} == {
        outputs["app_credentials_secret_name"],
        outputs["superuser_credentials_secret_name"],
    } - {None}
    wait_for(
        objects,
        [("v1", "Service", namespace, name) for name in services.values()]
        + [("v1", "Secret", ref["namespace"], ref["name"]) for ref in secret_refs]
        # CNPG creates the instances' ServiceAccount right after the budgets
        # (internal/controller/cluster_create.go): once it exists, budgets are settled.
        + [("v1", "ServiceAccount", namespace, inputs.cluster_name)],
    )

    endpoints = outputs["sync_policy_contract"]["endpoints"]
    domain = inputs.cluster_domain
    # No case here has poolers (their endpoints: the test after this one).
    assert (endpoints["pooler_rw"], endpoints["pooler_ro"]) == (None, None)
    assert {role: endpoints[role] for role in service_outputs} == {
        role: (
            {"host": f"{services[role]}.{namespace}.svc.{domain}", "port": 5432}
            if role in services
            else None
        )
        for role in service_outputs
    }
    assert {role: outputs[f"{role}_endpoint"] for role in service_outputs} == {
        role: endpoints[role] and endpoints[role]["host"] for role in service_outputs
    }
    if inputs.instances == 1:
        # The -ro Service selects replicas only: with one instance the contract sends
        # readers to -r, which selects every instance.
        assert services == {
            "primary": f"{inputs.cluster_name}-rw",
            "read": f"{inputs.cluster_name}-r",
        }
        assert endpoints["replica"] is None
    app = objects.get("v1", "Secret", outputs["app_credentials_secret_name"], namespace)
    assert app is not None
    assert set(app.get("data") or {}) >= APP_KEYS, sorted(app.get("data") or {})
    if outputs["superuser_credentials_secret_name"] is not None:
        superuser = objects.get(
            "v1", "Secret", outputs["superuser_credentials_secret_name"], namespace
        )
        assert superuser is not None
        assert set(superuser.get("data") or {}) >= SUPERUSER_KEYS

    # CNPG generates a user's Secret only when the Cluster names none: any it made is
    # the one the outputs name.
    generated: dict[str, set[str]] = {"app": set(), "superuser": set()}
    for doc in objects.list("v1", "Secret", namespace):
        user_type = (doc["metadata"].get("labels") or {}).get("cnpg.io/userType")
        if user_type in generated:
            generated[user_type].add(doc["metadata"]["name"])
    spec = cluster["spec"]
    app_given = "secret" in spec["bootstrap"]["initdb"]
    superuser_generated = spec["enableSuperuserAccess"] and "superuserSecret" not in spec
    assert generated["app"] == (set() if app_given else {outputs["app_credentials_secret_name"]})
    assert generated["superuser"] == (
        {outputs["superuser_credentials_secret_name"]} if superuser_generated else set()
    )

    live_budgets = {
        doc["metadata"]["name"]: {
            "minAvailable": doc["spec"]["minAvailable"],
            "selector": doc["spec"]["selector"],
        }
        for doc in objects.list("policy/v1", "PodDisruptionBudget", namespace)
    }
    tree_budgets = {
        doc["metadata"]["name"]: doc["spec"] for doc in tree if doc["kind"] == "PodDisruptionBudget"
    }
    assert live_budgets == tree_budgets | cnpg_budgets(cluster)
    if inputs.instances == 1:
        # A budget over a single instance would block every drain of its node.
        assert live_budgets == {}


POOLING: dict[str, Any] = {
    "cluster_namespace": "contract-pooling",
    "pooler_enabled": True,
    "pooler_read_only_enabled": True,
    "pooler_instances": 3,
}


@pytest.mark.usefixtures("operator")
def test_the_pooler_endpoints_are_services_the_operator_creates(objects: Objects) -> None:
    """The operator makes a Deployment and a Service of each rendered Pooler: the
    Services are the contract's pooler endpoints, and the tree's budget of each
    Pooler selects exactly the pods of its Deployment (CNPG's own pod labels), while the
    instances' budgets select none of them."""
    module = Module(Inputs.from_mapping(POOLING))
    outputs = {name: output["value"] for name, output in module.outputs().items()}
    namespace = outputs["cluster_namespace"]
    tree = module.objects()
    for doc in sorted(tree, key=lambda doc: doc["kind"] != "Namespace"):
        if not doc["apiVersion"].startswith(FLUX_GROUPS):
            objects.apply(doc)
    endpoints = outputs["sync_policy_contract"]["endpoints"]
    hosts = [endpoints["pooler_rw"]["host"], endpoints["pooler_ro"]["host"]]
    assert hosts == [outputs["pooler_rw_endpoint"], outputs["pooler_ro_endpoint"]]
    poolers = [doc["metadata"]["name"] for doc in tree if doc["kind"] == "Pooler"]
    assert [f"{name}.{namespace}.svc.cluster.local" for name in poolers] == hosts
    wait_for(
        objects,
        [("v1", "Service", namespace, name) for name in poolers]
        + [("apps/v1", "Deployment", namespace, name) for name in poolers],
    )

    budgets = {doc["metadata"]["name"]: doc for doc in tree if doc["kind"] == "PodDisruptionBudget"}
    [cluster] = [doc for doc in tree if doc["kind"] == "Cluster"]
    instance_selectors = [
        budget["selector"]["matchLabels"] for budget in cnpg_budgets(cluster).values()
    ]
    for name in poolers:
        deployment = objects.get("apps/v1", "Deployment", name, namespace)
        assert deployment is not None
        assert deployment["spec"]["replicas"] == POOLING["pooler_instances"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        for budget_name, budget in budgets.items():
            selected = budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
            assert selected == (budget_name == name), (budget_name, name)
        for selector in instance_selectors:
            assert not selector.items() <= labels.items()
        service = objects.get("v1", "Service", name, namespace)
        assert service is not None
        assert service["spec"]["selector"].items() <= labels.items()
        live = objects.get("policy/v1", "PodDisruptionBudget", name, namespace)
        assert live is not None
        assert live["spec"]["maxUnavailable"] == 1
