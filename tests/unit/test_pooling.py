"""PgBouncer pooling: the inputs' rules with their exact messages, the Poolers and
their budgets, the outputs, and what the plan says of a changed Pooler."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import layout
from wildside_cnpg import InputError, Inputs, Module
from wildside_cnpg.plan import plan_checkout
from wildside_cnpg.writer import write_tree

POOLER: dict[str, Any] = {"pooler_enabled": True}
UNUSED = "set while pooler_enabled is false (no Pooler would use it)"


def problems(**values: Any) -> list[str]:
    with pytest.raises(InputError) as raised:
        Inputs(**values)
    return str(raised.value).splitlines()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"pooler_instances": 3}, [f"pooler_instances: {UNUSED}"]),
        ({"pooler_read_only_enabled": True}, [f"pooler_read_only_enabled: {UNUSED}"]),
        (
            {"pooler_pool_mode": "session", "pooler_default_pool_size": 10},
            [f"pooler_pool_mode: {UNUSED}", f"pooler_default_pool_size: {UNUSED}"],
        ),
        (
            {**POOLER, "pooler_read_only_enabled": True, "instances": 1},
            [
                "pooler_read_only_enabled: the replicas' service has no endpoints with 1 "
                "instance; expected false, or instances of at least 2"
            ],
        ),
        (
            {**POOLER, "pooler_resource_requests": {"cpu": "2", "memory": "64Mi"}},
            [
                "pooler_resource_requests.cpu: expected at most pooler_resource_limits.cpu "
                "'500m', got '2'"
            ],
        ),
        (
            {**POOLER, "pooler_instances": 5},
            [
                "pooler_default_pool_size: 5 PgBouncer pods (pooler_instances) with 20 server "
                "connections each open 100 per database and user to one instance, expected at "
                "most 97 (max_connections 100 less 3 superuser_reserved_connections); lower "
                "pooler_default_pool_size or pooler_instances, or raise "
                "postgresql_parameters.max_connections"
            ],
        ),
        (
            {**POOLER, "pooler_instances": 0},
            ["pooler_instances: expected a whole number from 1 to 2147483647, got 0"],
        ),
        (
            {**POOLER, "pooler_instances": 2**31},
            ["pooler_instances: expected a whole number from 1 to 2147483647, got 2147483648"],
        ),
        (
            {**POOLER, "pooler_pool_mode": "statement"},
            ["pooler_pool_mode: expected one of transaction or session, got 'statement'"],
        ),
        (
            {**POOLER, "pooler_max_client_connections": "many"},
            ["pooler_max_client_connections: expected a whole number, got 'many'"],
        ),
        (
            {"pooler_parameters": {"server_idle_timeout": "300"}},
            [f"pooler_parameters: {UNUSED}"],
        ),
        (
            {
                **POOLER,
                "pooler_parameters": {
                    "max_client_conn": "10",
                    "default_pool_size": "5",
                    "listen_port": "6432",
                    "server idle": "1",
                },
            },
            [
                "pooler_parameters.default_pool_size: set by the pooler_default_pool_size "
                "input; expected it there",
                "pooler_parameters: expected PgBouncer settings CloudNativePG allows in a "
                "Pooler, such as max_prepared_statements or server_idle_timeout (its webhook "
                "refuses others), got 'listen_port'",
                "pooler_parameters.max_client_conn: set by the pooler_max_client_connections "
                "input; expected it there",
                "pooler_parameters: expected PgBouncer settings CloudNativePG allows in a "
                "Pooler, such as max_prepared_statements or server_idle_timeout (its webhook "
                "refuses others), got 'server idle'",
            ],
        ),
        (
            {**POOLER, "pooler_parameters": {"server_check_query": "select 1\nlisten_port=1"}},
            [
                "pooler_parameters.server_check_query: expected a value without control "
                "characters (such as a newline), got 'select 1\\nlisten_port=1'"
            ],
        ),
    ],
)
def test_pooling_rules(values: dict[str, Any], expected: list[str]) -> None:
    assert problems(**values) == expected


def test_pool_size_within_the_servers_connections_is_accepted() -> None:
    """2 pods x 60 = 120 server connections, within 150 less 10 reserved."""
    Inputs(
        **POOLER,
        pooler_default_pool_size=60,
        postgresql_parameters={"max_connections": "150", "superuser_reserved_connections": "10"},
    )


def test_a_file_listing_every_pooling_default_is_valid() -> None:
    """`init` writes every input at its default: nothing there is 'set' while off."""
    Inputs(
        pooler_read_only_enabled=False,
        pooler_instances=2,
        pooler_pool_mode="transaction",
        pooler_resource_limits={"cpu": "500m", "memory": "256Mi"},
    )


def poolers(**values: Any) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = Module(Inputs(**values)).documents()[
        layout.cluster_layer("poolers.yaml", values.get("cluster_name", "wildside-pg"))
    ]
    return docs


def test_off_by_default() -> None:
    files = Module().render()
    assert not [path for path in files if "pooler" in path]
    assert all(doc["kind"] != "Pooler" for doc in Module().objects())


def test_the_primarys_pooler_with_its_budget() -> None:
    pooler, budget = poolers(**POOLER, cluster_name="geo", cluster_namespace="gis")
    assert pooler["kind"] == "Pooler"
    assert pooler["apiVersion"] == "postgresql.cnpg.io/v1"
    assert pooler["metadata"]["name"] == "geo-pooler-rw"
    assert pooler["metadata"]["namespace"] == "gis"
    spec = pooler["spec"]
    assert spec["cluster"] == {"name": "geo"}
    assert spec["type"] == "rw"
    assert spec["instances"] == 2
    assert spec["pgbouncer"] == {
        "poolMode": "transaction",
        "parameters": {"max_client_conn": "1000", "default_pool_size": "20"},
    }
    (container,) = spec["template"]["spec"]["containers"]
    assert container == {
        "name": "pgbouncer",
        "resources": {
            "requests": {"cpu": "100m", "memory": "64Mi"},
            "limits": {"cpu": "500m", "memory": "256Mi"},
        },
    }
    assert budget["kind"] == "PodDisruptionBudget"
    assert budget["metadata"]["name"] == "geo-pooler-rw"
    assert budget["spec"] == {
        "maxUnavailable": 1,
        "selector": {
            "matchLabels": {"cnpg.io/poolerName": "geo-pooler-rw", "cnpg.io/podRole": "pooler"}
        },
    }


def test_pooler_budgets_never_select_an_instance() -> None:
    """CNPG's instance pods carry cnpg.io/podRole: instance and no pooler name, so a
    pooler budget and the instances' budgets select disjoint pods."""
    docs = Module(Inputs(**POOLER, pooler_read_only_enabled=True, pdb_enabled=True)).objects()
    budgets = [doc for doc in docs if doc["kind"] == "PodDisruptionBudget"]
    pooler_budgets = [
        b for b in budgets if "cnpg.io/poolerName" in b["spec"]["selector"]["matchLabels"]
    ]
    instance_budgets = [b for b in budgets if b not in pooler_budgets]
    assert [b["metadata"]["name"] for b in pooler_budgets] == [
        "wildside-pg-pooler-rw",
        "wildside-pg-pooler-ro",
    ]
    assert [b["metadata"]["name"] for b in instance_budgets] == [
        "wildside-pg-pdb-primary",
        "wildside-pg-pdb",
    ]
    for budget in pooler_budgets:
        assert budget["spec"]["selector"]["matchLabels"]["cnpg.io/podRole"] == "pooler"
    for budget in instance_budgets:
        assert "cnpg.io/instanceRole" in budget["spec"]["selector"]["matchLabels"]


def test_both_poolers_with_one_pod_have_no_budget() -> None:
    docs = poolers(
        **POOLER,
        pooler_read_only_enabled=True,
        pooler_instances=1,
        pooler_pool_mode="session",
        pooler_max_client_connections=5000,
        pooler_default_pool_size=50,
    )
    assert [(doc["kind"], doc["metadata"]["name"], doc["spec"]["type"]) for doc in docs] == [
        ("Pooler", "wildside-pg-pooler-rw", "rw"),
        ("Pooler", "wildside-pg-pooler-ro", "ro"),
    ]
    for doc in docs:
        assert doc["spec"]["instances"] == 1
        assert doc["spec"]["pgbouncer"] == {
            "poolMode": "session",
            "parameters": {"max_client_conn": "5000", "default_pool_size": "50"},
        }


def test_poolers_sit_in_the_cluster_layer() -> None:
    shape = Module(Inputs(**POOLER)).shape
    (file,) = [file for file in shape.files if file.content == "poolers"]
    assert file.layer == "cluster"
    assert file.path == layout.cluster_layer("poolers.yaml")


def test_outputs_and_contract_name_the_poolers() -> None:
    outputs = Module(Inputs(**POOLER, pooler_read_only_enabled=True)).outputs()
    assert outputs["pooler_rw_endpoint"]["value"] == (
        "wildside-pg-pooler-rw.databases.svc.cluster.local"
    )
    assert outputs["pooler_ro_endpoint"]["value"] == (
        "wildside-pg-pooler-ro.databases.svc.cluster.local"
    )
    endpoints = outputs["sync_policy_contract"]["value"]["endpoints"]
    assert endpoints["pooler_rw"] == {
        "host": "wildside-pg-pooler-rw.databases.svc.cluster.local",
        "port": 5432,
    }
    assert endpoints["pooler_ro"] == {
        "host": "wildside-pg-pooler-ro.databases.svc.cluster.local",
        "port": 5432,
    }


def test_outputs_are_null_without_the_poolers() -> None:
    outputs = Module(Inputs(**POOLER)).outputs()
    assert outputs["pooler_ro_endpoint"] == {"sensitive": False, "type": "string", "value": None}
    assert outputs["sync_policy_contract"]["value"]["endpoints"]["pooler_ro"] is None
    off = Module().outputs()
    assert off["pooler_rw_endpoint"]["value"] is None
    assert off["sync_policy_contract"]["value"]["endpoints"]["pooler_rw"] is None


def _details(tmp_path: Path, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    module = Module(Inputs(**before))
    write_tree(tmp_path, module.render(), owner=module.shape.owner)
    plan = plan_checkout(Module(Inputs(**after)), tmp_path)
    return {str(c.key): (c.effect, c.details) for c in plan.changes if c.action != "unchanged"}


RW = "Pooler/databases/wildside-pg-pooler-rw"


def test_plan_scaling_and_pgbouncer_settings_change_nothing_else(tmp_path: Path) -> None:
    after = {**POOLER, "pooler_instances": 3, "pooler_max_client_connections": 2000}
    assert _details(tmp_path, POOLER, after)[RW] == (
        "in place",
        (
            "PgBouncer pods 2 -> 3",
            "spec.pgbouncer changed: PgBouncer reloads its configuration, no pod restarts (a "
            "new pool mode applies to new server connections)",
        ),
    )


def test_more_pgbouncer_settings_beside_the_inputs_own() -> None:
    settings = {"max_prepared_statements": "200", "ignore_startup_parameters": "search_path"}
    docs = Module(Inputs(**POOLER, pooler_parameters=settings)).objects()
    [pooler] = [doc for doc in docs if doc["kind"] == "Pooler"]
    assert pooler["spec"]["pgbouncer"]["parameters"] == {
        "default_pool_size": "20",
        "ignore_startup_parameters": "search_path",
        "max_client_conn": "1000",
        "max_prepared_statements": "200",
    }


def test_plan_a_setting_pgbouncer_reads_at_start_says_when_it_applies(tmp_path: Path) -> None:
    before = {**POOLER, "pooler_parameters": {"pkt_buf": "4096"}}
    after = {**POOLER, "pooler_parameters": {"pkt_buf": "8192", "listen_backlog": "512"}}
    assert _details(tmp_path, before, after)[RW] == (
        "in place",
        (
            "spec.pgbouncer changed: PgBouncer reloads its configuration, no pod restarts (a "
            "new pool mode applies to new server connections)",
            "listen_backlog changed: PgBouncer reads it only when it starts, so it applies "
            "once the PgBouncer pods are replaced (a change of spec.template, or a rollout "
            "of the Deployment)",
            "pkt_buf changed: PgBouncer reads it only when it starts, so it applies once the "
            "PgBouncer pods are replaced (a change of spec.template, or a rollout of the "
            "Deployment)",
        ),
    )
    # A setting PgBouncer reloads says nothing more.
    reloaded = {**POOLER, "pooler_parameters": {"pkt_buf": "4096", "server_lifetime": "60"}}
    (tmp_path / "reloaded").mkdir()
    assert _details(tmp_path / "reloaded", before, reloaded)[RW] == (
        "in place",
        (
            "spec.pgbouncer changed: PgBouncer reloads its configuration, no pod restarts (a "
            "new pool mode applies to new server connections)",
        ),
    )


def test_plan_a_new_pod_template_replaces_the_pgbouncer_pods(tmp_path: Path) -> None:
    after = {**POOLER, "pooler_resource_requests": {"cpu": "200m", "memory": "64Mi"}}
    assert _details(tmp_path, POOLER, after)[RW] == (
        "rolling restart",
        (
            "spec.template changed: the PgBouncer pods are replaced one at a time; clients "
            "connected through a replaced pod must reconnect",
        ),
    )


def test_plan_a_removed_pooler_takes_its_endpoint(tmp_path: Path) -> None:
    changes = _details(tmp_path, POOLER, {})
    assert changes[RW] == (
        "deletion",
        (
            "removed from the tree; Flux deletes it, and CNPG its Service: clients connecting "
            "through wildside-pg-pooler-rw lose their endpoint",
        ),
    )
    assert plan_checkout(Module(), tmp_path).refusals == []
