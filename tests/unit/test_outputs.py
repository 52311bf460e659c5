"""Outputs: names, values, tofu-shaped types, sensitivity."""

from __future__ import annotations

from typing import Any

from tests import layout
from wildside_cnpg import Inputs, Module

ESO_BACKUP: dict[str, Any] = {
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_credentials_vault_path": "wildside/postgres/s3",
}


def values(**inputs: Any) -> dict[str, Any]:
    return {name: out["value"] for name, out in Module(Inputs(**inputs)).outputs().items()}


def test_output_names_are_the_modules() -> None:
    assert sorted(Module().outputs()) == [
        "app_credentials_secret_name",
        "backup_credentials_secret_name",
        "backup_enabled",
        "cluster_name",
        "cluster_namespace",
        "database_name",
        "database_owner",
        "helm_release_name",
        "operator_namespace",
        "pooler_ro_endpoint",
        "pooler_rw_endpoint",
        "primary_endpoint",
        "primary_service_name",
        "read_endpoint",
        "read_service_name",
        "rendered_manifests",
        "replica_endpoint",
        "replica_service_name",
        "superuser_credentials_secret_name",
        "sync_policy_contract",
    ]


def test_endpoints_are_service_fqdns() -> None:
    out = values(cluster_name="geo", cluster_namespace="data", cluster_domain="k8s.internal")
    assert out["primary_service_name"] == "geo-rw"
    assert out["replica_service_name"] == "geo-ro"
    assert out["primary_endpoint"] == "geo-rw.data.svc.k8s.internal"
    assert out["replica_endpoint"] == "geo-ro.data.svc.k8s.internal"
    assert out["read_service_name"] == "geo-r"
    assert out["read_endpoint"] == "geo-r.data.svc.k8s.internal"


def test_one_instance_sends_no_reader_to_the_empty_replica_service() -> None:
    out = values(instances=1)
    assert out["replica_service_name"] is None
    assert out["replica_endpoint"] is None
    assert out["read_endpoint"] == "wildside-pg-r.databases.svc.cluster.local"
    assert out["sync_policy_contract"]["endpoints"] == {
        "primary": {"host": "wildside-pg-rw.databases.svc.cluster.local", "port": 5432},
        "replica": None,
        "read": {"host": "wildside-pg-r.databases.svc.cluster.local", "port": 5432},
        "pooler_rw": None,
        "pooler_ro": None,
    }


def test_contract_without_eso_names_cnpg_generated_secrets() -> None:
    contract = values()["sync_policy_contract"]
    assert contract == {
        "cluster": {"name": "wildside-pg", "namespace": "databases"},
        "endpoints": {
            "primary": {"host": "wildside-pg-rw.databases.svc.cluster.local", "port": 5432},
            "replica": {"host": "wildside-pg-ro.databases.svc.cluster.local", "port": 5432},
            "read": {"host": "wildside-pg-r.databases.svc.cluster.local", "port": 5432},
            "pooler_rw": None,
            "pooler_ro": None,
        },
        "database": {"name": "wildside_prod", "owner": "wildside_user"},
        "databases": [
            {
                "name": "wildside_prod",
                "owner": "wildside_user",
                "credentials_secret": {"name": "wildside-pg-app", "namespace": "databases"},
            }
        ],
        "credentials": {
            "superuser_secret": {"name": "wildside-pg-superuser", "namespace": "databases"},
            "app_secret": {"name": "wildside-pg-app", "namespace": "databases"},
        },
        "backup": None,
        "bootstrap": {"method": "initdb", "source": None},
        "postgis_enabled": True,
        "tls": {"enabled": False, "server_secret": None, "ca_secret": None},
    }


def test_contract_with_eso_and_backup_names_rendered_secrets() -> None:
    module = Module(Inputs(**ESO_BACKUP))
    contract = module.outputs()["sync_policy_contract"]["value"]
    assert contract["credentials"] == {
        "superuser_secret": {"name": "wildside-pg-superuser-credentials", "namespace": "databases"},
        "app_secret": {"name": "wildside-pg-app-credentials", "namespace": "databases"},
    }
    assert contract["backup"] == {
        "enabled": True,
        "method": "barman_cloud_plugin",
        "destination_path": "s3://wildside-backups/pg",
        "endpoint_url": "https://nyc3.digitaloceanspaces.com",
        "server_name": "wildside-pg",
        "schedule": "0 0 0 * * *",
        "retention_policy": "30d",
        "credentials_secret": {"name": "wildside-pg-s3-credentials", "namespace": "databases"},
    }
    # Every secret the contract names is an ExternalSecret target in the tree.
    targets = {
        doc["spec"]["target"]["name"] for doc in module.objects() if doc["kind"] == "ExternalSecret"
    }
    named = {contract["backup"]["credentials_secret"]["name"]} | {
        ref["name"] for ref in contract["credentials"].values()
    }
    assert named == targets


def test_superuser_secret_is_null_without_superuser_access() -> None:
    out = values(enable_superuser_access=False)
    assert out["superuser_credentials_secret_name"] is None
    assert out["sync_policy_contract"]["credentials"]["superuser_secret"] is None


def test_tofu_shape_types_and_sensitivity() -> None:
    outputs = Module().outputs()
    assert outputs["primary_endpoint"] == {
        "sensitive": False,
        "type": "string",
        "value": "wildside-pg-rw.databases.svc.cluster.local",
    }
    assert outputs["backup_enabled"]["type"] == "bool"
    assert outputs["backup_credentials_secret_name"] == {
        "sensitive": False,
        "type": "string",
        "value": None,
    }
    assert outputs["rendered_manifests"]["sensitive"] is True
    assert outputs["rendered_manifests"]["type"] == ["map", "string"]
    assert outputs["rendered_manifests"]["value"] == Module().render()
    contract_type = outputs["sync_policy_contract"]["type"]
    assert contract_type[0] == "object"
    assert contract_type[1]["postgis_enabled"] == "bool"
    assert contract_type[1]["endpoints"] == [
        "object",
        {
            "primary": ["object", {"host": "string", "port": "number"}],
            "replica": ["object", {"host": "string", "port": "number"}],
            "read": ["object", {"host": "string", "port": "number"}],
            # Null without the poolers: tofu's type of null.
            "pooler_rw": "dynamic",
            "pooler_ro": "dynamic",
        },
    ]


def test_rendered_manifests_empty_in_apply_mode() -> None:
    assert values(mode="apply")["rendered_manifests"] == {}


def test_secrets_only_in_sensitive_outputs() -> None:
    secret = "s3cr3t-value-0123456789"
    module = Module(
        Inputs(
            backup_enabled=True,
            backup_destination_path="s3://wildside-backups/pg",
            backup_endpoint_url="https://nyc3.digitaloceanspaces.com",
            backup_s3_access_key_id="AKIAEXAMPLE",
            backup_s3_secret_access_key=secret,
            backup_s3_inline_credentials_acknowledged=True,
        )
    )
    for name, output in module.outputs().items():
        if not output["sensitive"]:
            assert secret not in repr(output["value"]), name
    path = layout.cluster_layer("s3-credentials-secret.yaml")
    assert secret in module.outputs()["rendered_manifests"]["value"][path]
    assert module.sensitive_paths() == {path}
