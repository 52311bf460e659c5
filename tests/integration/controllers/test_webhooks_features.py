"""CNPG's real webhooks on the production inputs: what the input rules mirror is what
the webhooks refuse (so the rules are not stricter or looser than CNPG), the
Database goes through its own webhook, and a WAL volume can be added to a running
Cluster but never removed or shrunk, as the plan says."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import partial
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
    assert "walStorage cannot be disabled once configured" in _refusal_of_the_live_object(
        objects, namespace, lambda live: live["spec"].pop("walStorage")
    )


def _refusal_of_the_live_object(
    objects: Objects, namespace: str, change: Callable[[Document], object]
) -> str:
    """The refusal of the live Cluster with `change` made, by an update (the operator
    may write the object between the read and the update: a conflict is read again)."""
    for _ in range(10):
        live = objects.get("postgresql.cnpg.io/v1", "Cluster", "wildside-pg", namespace)
        assert live is not None
        changed = copy.deepcopy(live)
        change(changed)
        message = refusal(partial(objects.replace, changed))
        if "the object has been modified" not in message:
            return message
    pytest.fail("the Cluster kept changing under every update")


DIGEST = "@sha256:" + "a" * 64
POSTGIS = "ghcr.io/cloudnative-pg/postgis"


def _parameters(**values: str) -> dict[str, Any]:
    return {"postgresql_parameters": values}


# Each rule of rules_parameters at its boundary (a name, the input the rule names, the
# inputs it accepts, the Cluster fields the refused inputs change, the refused inputs,
# the webhook's words): the accepted inputs render a Cluster the webhook admits; that
# Cluster with the refused inputs' fields is refused by the webhook with its own
# message, and the refused inputs by the rule alone.
Case = tuple[str, str, dict[str, Any], dict[str, Any], dict[str, Any], str]
PARAMETER_RULES: list[Case] = [
    (
        "wal_level minimal",
        "postgresql_parameters.wal_level",
        _parameters(wal_level="replica"),
        {"postgresql.parameters.wal_level": "minimal", "instances": 1},
        {"instances": 1, **_parameters(wal_level="minimal", max_wal_senders="0")},
        "`wal_level` should be set at `logical` or `replica` when `archive_mode` is `on`",
    ),
    (
        "wal_level unknown",
        "postgresql_parameters.wal_level",
        _parameters(wal_level="logical"),
        {"postgresql.parameters.wal_level": "Logical"},
        _parameters(wal_level="Logical"),
        "unrecognized `wal_level` value",
    ),
    (
        "a boolean CloudNativePG cannot parse",
        "postgresql_parameters.hot_standby_feedback",
        _parameters(hot_standby_feedback="tru"),
        {"postgresql.parameters.hot_standby_feedback": "o"},
        _parameters(hot_standby_feedback="o"),
        "invalid `hot_standby_feedback` value. Must be a postgres boolean",
    ),
    (
        "wal_log_hints off with 2 instances",
        "postgresql_parameters.wal_log_hints",
        {"instances": 1, **_parameters(wal_log_hints="off")},
        {"instances": 2},
        {"instances": 2, **_parameters(wal_log_hints="off")},
        "`wal_log_hints` must be set to `on` when `instances` > 1",
    ),
    (
        "pg_failover_slots without hot_standby_feedback",
        "postgresql_parameters.hot_standby_feedback",
        _parameters(**{"pg_failover_slots.drop_extra_slots": "on", "hot_standby_feedback": "on"}),
        {"postgresql.parameters.hot_standby_feedback": "off"},
        _parameters(**{"pg_failover_slots.drop_extra_slots": "on", "hot_standby_feedback": "off"}),
        "`hot_standby_feedback` must be enabled to use",
    ),
    (
        "shared_buffers not a size",
        "postgresql_parameters.shared_buffers",
        _parameters(shared_buffers="1 GB"),
        {"postgresql.parameters.shared_buffers": "1Gi"},
        _parameters(shared_buffers="1Gi"),
        "Invalid value for configuration parameter shared_buffers",
    ),
    (
        "shared_buffers above the memory request",
        "postgresql_parameters.shared_buffers",
        _parameters(shared_buffers="2048"),
        {"postgresql.parameters.shared_buffers": "2049"},
        _parameters(shared_buffers="2049"),
        "Memory request is lower than PostgreSQL `shared_buffers` value",
    ),
    (
        "min_wal_size not below max_wal_size",
        "postgresql_parameters.min_wal_size",
        _parameters(min_wal_size="1023MB"),
        {"postgresql.parameters.min_wal_size": "1GB"},
        _parameters(min_wal_size="1GB"),
        "Parameter min_wal_size (default 80MB) should be smaller than parameter max_wal_size",
    ),
    (
        "max_wal_size not below the WAL volume",
        "postgresql_parameters.max_wal_size",
        {"wal_storage_size": "2Gi", **_parameters(max_wal_size="2047MB")},
        {"postgresql.parameters.max_wal_size": "2GB"},
        {"wal_storage_size": "2Gi", **_parameters(max_wal_size="2GB")},
        "Parameter max_wal_size (default 1GB) should be smaller than WAL volume size",
    ),
    (
        "supervised with 1 instance",
        "primary_update_strategy",
        {"instances": 2, "primary_update_strategy": "supervised"},
        {"instances": 1},
        {"instances": 1, "primary_update_strategy": "supervised"},
        "supervised update strategy is not allowed for clusters with a single instance",
    ),
    (
        "an image digest without a tag",
        "image_name",
        {"image_name": f"{POSTGIS}:16-3.6-system-trixie{DIGEST}"},
        {"imageName": f"{POSTGIS}{DIGEST}"},
        {"image_name": f"{POSTGIS}{DIGEST}"},
        "Can't use just the image sha as we can't detect upgrades",
    ),
    (
        "a tag without a version",
        "image_name",
        {"image_name": f"{POSTGIS}:13-3.4"},
        {"imageName": f"{POSTGIS}:v16-3.4"},
        {"image_name": f"{POSTGIS}:v16-3.4"},
        "invalid version tag",
    ),
    (
        "PostgreSQL 12",
        "image_name",
        {"image_name": f"{POSTGIS}:13-3.4"},
        {"imageName": f"{POSTGIS}:12-3.4"},
        {"image_name": f"{POSTGIS}:12-3.4"},
        "Unsupported PostgreSQL version. Versions 13 or newer are supported",
    ),
]


def _changed(cluster: Document, changes: dict[str, Any]) -> Document:
    changed = copy.deepcopy(cluster)
    for path, value in changes.items():
        *parents, last = path.split(".", 2) if path.startswith("postgresql.") else [path]
        node = changed["spec"]
        for part in parents:
            node = node[part]
        node[last] = value
    return changed


@pytest.mark.parametrize("case", PARAMETER_RULES, ids=[case[0] for case in PARAMETER_RULES])
def test_parameter_rules_refuse_what_the_webhook_refuses(
    objects: Objects, namespace: str, case: Case
) -> None:
    _, name, accepted, changes, refused, fragment = case
    [cluster] = rendered(accepted, "Cluster")
    admitted = moved(cluster, namespace)
    objects.create(admitted, dry_run=True)

    message = refusal(lambda: objects.create(_changed(admitted, changes), dry_run=True))

    assert message.startswith(f"{CLUSTER_WEBHOOK}: Cluster.postgresql.cnpg.io")
    assert fragment in message
    assert [problem.split(":", 1)[0] for problem in input_problems(refused)] == [name]


def test_a_reserved_service_name_is_refused_by_the_rule_and_the_webhook(
    objects: Objects, namespace: str
) -> None:
    values = {"additional_services": [{"name": "wildside-pg-any", "selector_type": "rw"}]}
    assert input_problems(values) == [
        "additional_services[0].name: 'wildside-pg-any' is a Service CNPG creates for the "
        "cluster; expected another name"
    ]
    # The same Service past the rule: CNPG's webhook refuses the Cluster.
    [cluster] = rendered(
        {"additional_services": [{"name": "wildside-pg-other", "selector_type": "rw"}]}, "Cluster"
    )
    reserved = moved(cluster, namespace)
    [service] = reserved["spec"]["managed"]["services"]["additional"]
    service["serviceTemplate"]["metadata"]["name"] = "wildside-pg-any"
    objects.create(moved(cluster, namespace), dry_run=True)
    assert refusal(lambda: objects.create(reserved, dry_run=True)) == (
        f'{CLUSTER_WEBHOOK}: Cluster.postgresql.cnpg.io "wildside-pg" is invalid: '
        'spec.managed.services.additional[0]: Invalid value: "wildside-pg-any": the service '
        "name: 'wildside-pg-any' is reserved for operator use"
    )


def test_the_primary_service_is_never_turned_off(objects: Objects, namespace: str) -> None:
    assert input_problems({"disabled_default_services": ["rw"]}) == [
        "disabled_default_services[0]: expected one of ro or r, got 'rw'"
    ]
    [cluster] = rendered({"disabled_default_services": ["r"]}, "Cluster")
    objects.create(moved(cluster, namespace), dry_run=True)
    primary_off = moved(cluster, namespace)
    primary_off["spec"]["managed"]["services"]["disabledDefaultServices"] = ["rw"]
    assert refusal(lambda: objects.create(primary_off, dry_run=True)) == (
        f'{CLUSTER_WEBHOOK}: Cluster.postgresql.cnpg.io "wildside-pg" is invalid: '
        'spec.managed.services.disabledDefaultServices: Invalid value: "rw": service of type '
        "RW cannot be disabled."
    )
