"""CNPG's real webhooks on the production inputs: what the input rules mirror is what
the webhooks refuse (so the rules are not stricter or looser than CNPG), the
Database goes through its own webhook, and a WAL volume can be added to a running
Cluster but never removed or shrunk, as the plan says."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from lightkube import ApiError

from wildside_cnpg import InputError, Inputs, Module

from .objects import Document, Objects
from .placement import fresh_namespace, moved

CLUSTER_WEBHOOK = 'admission webhook "vcluster.cnpg.io" denied the request'
DATABASE_WEBHOOK = 'admission webhook "vdatabase.cnpg.io" denied the request'


def rendered(values: dict[str, Any], kind: str) -> list[Document]:
    return [doc for doc in Module(Inputs.from_mapping(values)).objects() if doc["kind"] == kind]


def refusal(action: Callable[[], object]) -> str:
    with pytest.raises(ApiError) as refused:
        action()
    return str(refused.value.status.message)


def input_problems(values: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as refused:
        Inputs.from_mapping(values)
    return refused.value.problems


@pytest.fixture
def namespace(objects: Objects, operator: None) -> str:
    return fresh_namespace(objects, "features")


def with_spec(cluster: Document, **fields: Any) -> Document:
    changed = copy.deepcopy(cluster)
    changed["spec"].update(fields)
    return changed


def test_a_database_goes_through_its_webhook(objects: Objects, namespace: str) -> None:
    [database] = rendered({"databases": [{"name": "geo", "owner": "geo_owner"}]}, "Database")
    twice = copy.deepcopy(moved(database, namespace))
    twice["spec"]["extensions"].append({"name": "postgis", "ensure": "present"})

    message = refusal(lambda: objects.create(twice, dry_run=True))

    assert message == (
        f'{DATABASE_WEBHOOK}: Database .postgresql.cnpg.io "wildside-pg-geo" is invalid: '
        'spec.extensions[3].name: Duplicate value: "postgis"'
    )
    # What the tool renders is admitted, and the webhook keeps it as rendered.
    admitted = objects.create(moved(database, namespace), dry_run=True)
    assert admitted["spec"]["extensions"] == database["spec"]["extensions"]
    assert admitted["spec"]["databaseReclaimPolicy"] == "retain"


def test_synchronous_replicas_as_many_as_instances(objects: Objects, namespace: str) -> None:
    [cluster] = rendered({"instances": 3, "synchronous_replication": {"number": 2}}, "Cluster")
    admitted = objects.create(moved(cluster, namespace), dry_run=True)
    assert admitted["spec"]["postgresql"]["synchronous"]["number"] == 2

    too_many = copy.deepcopy(moved(cluster, namespace))
    too_many["spec"]["postgresql"]["synchronous"]["number"] = 3
    message = refusal(lambda: objects.create(too_many, dry_run=True))
    assert message.startswith(
        f'{CLUSTER_WEBHOOK}: Cluster.postgresql.cnpg.io "wildside-pg" is invalid'
    )
    assert "the number of synchronous replicas must be less than the total number of instances" in (
        message
    )
    assert input_problems({"instances": 3, "synchronous_replication": {"number": 3}}) == [
        "synchronous_replication.number: expected at most 2 with 3 instances (each synchronous "
        "replica is another instance; CloudNativePG's webhook refuses more), got 3"
    ]


@pytest.mark.parametrize("name", ["PGDATA", "CNPG_DEBUG", "POD_NAME", "cluster_name"])
def test_environment_cnpg_reserves(objects: Objects, namespace: str, name: str) -> None:
    [cluster] = rendered({"extra_env": {"TZ": "UTC"}}, "Cluster")
    reserved = with_spec(moved(cluster, namespace), env=[{"name": name, "value": "x"}])

    message = refusal(lambda: objects.create(reserved, dry_run=True))

    assert "the usage of this environment variable is reserved for the operator" in message
    assert input_problems({"extra_env": {name: "x"}}) == [
        f"extra_env.{name}: reserved by CloudNativePG (CNPG_*, PG*, POD_NAME, NAMESPACE and "
        "CLUSTER_NAME); remove it"
    ]


@pytest.mark.parametrize(
    ("toleration", "fragment"),
    [
        ({"operator": "Equal", "value": "x"}, "operator must be Exists when `key` is empty"),
        (
            {"key": "db", "effect": "NoSchedule", "tolerationSeconds": 30},
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
        (
            {"key": "db", "operator": "Exists", "value": "x"},
            "value must be empty when `operator` is 'Exists'",
        ),
    ],
)
def test_tolerations_cnpg_refuses(
    objects: Objects, namespace: str, toleration: dict[str, Any], fragment: str
) -> None:
    [cluster] = rendered({"node_selector": {"pool": "db"}}, "Cluster")
    changed = moved(cluster, namespace)
    changed["spec"]["affinity"]["tolerations"] = [toleration]

    assert fragment in refusal(lambda: objects.create(changed, dry_run=True))


def test_what_the_topology_and_access_inputs_render_is_admitted(
    objects: Objects, namespace: str
) -> None:
    values = {
        "pod_anti_affinity_type": "required",
        "zone_spread": "required",
        "tolerations": [
            {"operator": "Exists"},
            {"key": "db", "operator": "Exists", "effect": "NoExecute", "toleration_seconds": 30},
        ],
        "pg_hba": ["hostssl all all 10.0.0.0/8 scram-sha-256"],
        "service_account_annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/pg"},
        "pod_security_context": {"fs_group_change_policy": "OnRootMismatch"},
        "databases": [{"name": "geo", "owner": "geo_owner"}],
    }
    [cluster] = rendered(values, "Cluster")

    admitted = objects.create(moved(cluster, namespace), dry_run=True)

    assert admitted["spec"]["affinity"]["podAntiAffinityType"] == "required"
    assert admitted["spec"]["managed"]["roles"] == cluster["spec"]["managed"]["roles"]
    assert admitted["spec"]["podSecurityContext"] == cluster["spec"]["podSecurityContext"]


def test_a_managed_role_cnpg_reserves_is_refused(objects: Objects, namespace: str) -> None:
    [cluster] = rendered({"databases": [{"name": "geo", "owner": "geo_owner"}]}, "Cluster")
    changed = moved(cluster, namespace)
    changed["spec"]["managed"]["roles"][0]["name"] = "streaming_replica"

    assert "This role is reserved for operator use" in refusal(
        lambda: objects.create(changed, dry_run=True)
    )


def test_a_wal_volume_can_be_added_but_never_removed_or_shrunk(
    objects: Objects, namespace: str
) -> None:
    [cluster] = rendered({}, "Cluster")
    objects.apply(moved(cluster, namespace))
    [with_wal] = rendered({"wal_storage_size": "5Gi"}, "Cluster")

    added = objects.apply(moved(with_wal, namespace))
    assert added["spec"]["walStorage"]["size"] == "5Gi"

    [smaller] = rendered({"wal_storage_size": "2Gi"}, "Cluster")
    assert "can't shrink existing storage from 5Gi to 2Gi" in refusal(
        lambda: objects.apply(moved(smaller, namespace))
    )
    live = objects.get(cluster["apiVersion"], "Cluster", "wildside-pg", namespace)
    assert live is not None
    without = copy.deepcopy(live)
    del without["spec"]["walStorage"]
    assert "walStorage cannot be disabled once configured" in refusal(
        lambda: objects.replace(without)
    )
