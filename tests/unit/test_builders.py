"""Per-builder assertions on the values that matter (the golden trees pin the rest)."""

from __future__ import annotations

from typing import Any

import pytest

from wildside_cnpg import Inputs, Module

BACKUP = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
}
ESO = {
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
}


def tree(**values: Any) -> dict[str, list[dict[str, Any]]]:
    return Module(Inputs(**values)).documents()


def one(docs: dict[str, list[dict[str, Any]]], path: str) -> dict[str, Any]:
    (doc,) = docs[path]
    return doc


def cluster_spec(**values: Any) -> dict[str, Any]:
    name = values.get("cluster_name", "wildside-pg")
    spec: dict[str, Any] = one(tree(**values), f"platform/databases/{name}-cluster.yaml")["spec"]
    return spec


def test_helm_repository_in_flux_namespace() -> None:
    doc = one(tree(flux_namespace="gitops"), "platform/sources/cloudnative-pg-repo.yaml")
    assert doc["apiVersion"] == "source.toolkit.fluxcd.io/v1"
    assert doc["kind"] == "HelmRepository"
    assert doc["metadata"]["namespace"] == "gitops"
    assert doc["spec"] == {"interval": "24h", "url": "https://cloudnative-pg.github.io/charts"}


def test_helm_release_pins_chart_and_resolves_source() -> None:
    doc = one(
        tree(chart_version="0.29.1", helm_values={"replicaCount": 2}),
        "platform/databases/cnpg-operator-helmrelease.yaml",
    )
    assert doc["apiVersion"] == "helm.toolkit.fluxcd.io/v2"
    assert doc["metadata"] == {
        "name": "cloudnative-pg",
        "namespace": "cnpg-system",
        "labels": {
            "app.kubernetes.io/managed-by": "wildside-cnpg",
            "app.kubernetes.io/part-of": "cloudnative-pg",
        },
    }
    assert doc["spec"]["chart"]["spec"] == {
        "chart": "cloudnative-pg",
        "version": "0.29.1",
        "sourceRef": {
            "kind": "HelmRepository",
            "name": "cloudnative-pg",
            "namespace": "flux-system",
        },
    }
    assert doc["spec"]["install"] == {"crds": "CreateReplace", "remediation": {"retries": 3}}
    assert doc["spec"]["upgrade"]["strategy"]["name"] == "RetryOnFailure"
    assert doc["spec"]["values"] == {"replicaCount": 2}


def test_helm_values_list_merges_like_tofu_merge() -> None:
    inputs = Inputs(helm_values=["a: 1\nb: {x: 1}", "b: {y: 2}\nc: 3"])
    assert inputs.helm_values_mapping() == {"a": 1, "b": {"y": 2}, "c": 3}


def test_oci_repository_uses_chart_ref() -> None:
    docs = tree(chart_repository="oci://ghcr.io/cloudnative-pg/charts")
    source = one(docs, "platform/sources/cloudnative-pg-repo.yaml")
    release = one(docs, "platform/databases/cnpg-operator-helmrelease.yaml")
    assert source["kind"] == "OCIRepository"
    assert source["spec"]["url"] == "oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg"
    assert source["spec"]["ref"] == {"tag": "0.29.0"}
    assert "chart" not in release["spec"]
    assert release["spec"]["chartRef"] == {
        "kind": "OCIRepository",
        "name": "cloudnative-pg",
        "namespace": "flux-system",
    }


def test_namespaces_follow_inputs() -> None:
    docs = tree(operator_namespace="cnpg", cluster_namespace="pg")
    assert one(docs, "platform/databases/namespace-cnpg.yaml")["metadata"]["name"] == "cnpg"
    assert one(docs, "platform/databases/namespace-pg.yaml")["metadata"]["name"] == "pg"
    assert not [p for p in tree(create_namespaces=False) if "namespace-" in p]
    same = tree(operator_namespace="db", cluster_namespace="db")
    assert [p for p in same if "namespace-" in p] == ["platform/databases/namespace-db.yaml"]


def test_cluster_core_fields() -> None:
    spec = cluster_spec(
        instances=5,
        storage_size="50Gi",
        storage_class="fast",
        primary_update_method="restart",
        postgresql_parameters={"max_connections": "200"},
        resource_requests={"cpu": "500m", "memory": "1Gi"},
    )
    assert spec["instances"] == 5
    assert spec["storage"] == {"size": "50Gi", "storageClass": "fast"}
    assert spec["primaryUpdateMethod"] == "restart"
    assert spec["primaryUpdateStrategy"] == "unsupervised"
    assert spec["postgresql"] == {"parameters": {"max_connections": "200"}}
    assert spec["resources"] == {
        "requests": {"cpu": "500m", "memory": "1Gi"},
        "limits": {"cpu": "2", "memory": "2Gi"},
    }
    assert spec["imageName"].startswith("ghcr.io/cloudnative-pg/postgis:16.14-3.6.4-")
    assert "-system-trixie@sha256:" in spec["imageName"]


def test_postgis_in_template1_before_the_app_database() -> None:
    initdb = cluster_spec(postgis_extensions=["postgis", "postgis_tiger_geocoder"])["bootstrap"][
        "initdb"
    ]
    assert initdb["database"] == "wildside_prod"
    assert initdb["owner"] == "wildside_user"
    assert initdb["postInitTemplateSQL"] == [
        "CREATE EXTENSION IF NOT EXISTS postgis CASCADE;",
        "CREATE EXTENSION IF NOT EXISTS postgis_tiger_geocoder CASCADE;",
    ]
    assert "secret" not in initdb
    assert "postInitTemplateSQL" not in cluster_spec(postgis_enabled=False)["bootstrap"]["initdb"]


def test_superuser_access_and_secret_are_consistent() -> None:
    plain = cluster_spec()
    assert plain["enableSuperuserAccess"] is True
    assert "superuserSecret" not in plain
    with_eso = cluster_spec(**ESO)
    assert with_eso["enableSuperuserAccess"] is True
    assert with_eso["superuserSecret"] == {"name": "cnpg-superuser-credentials"}
    assert with_eso["bootstrap"]["initdb"]["secret"] == {"name": "cnpg-app-credentials"}
    off = cluster_spec(
        eso_enabled=True, app_credentials_vault_path="a/b", enable_superuser_access=False
    )
    assert off["enableSuperuserAccess"] is False
    assert "superuserSecret" not in off


@pytest.mark.parametrize(
    ("instances", "pdb_enabled", "budgets", "enable_pdb"),
    [
        (1, True, None, True),
        (2, True, [("cnpg-cluster-pdb-primary", "primary", 1)], False),
        (
            3,
            True,
            [("cnpg-cluster-pdb-primary", "primary", 1), ("cnpg-cluster-pdb", "replica", 1)],
            False,
        ),
        (3, False, None, True),
    ],
)
def test_exactly_one_budget_per_pod(
    instances: int, pdb_enabled: bool, budgets: list[tuple[str, str, int]] | None, enable_pdb: bool
) -> None:
    docs = tree(instances=instances, pdb_enabled=pdb_enabled)
    spec = one(docs, "platform/databases/wildside-pg-cluster.yaml")["spec"]
    assert spec["enablePDB"] is enable_pdb
    path = "platform/databases/pdb-cnpg-cluster.yaml"
    if budgets is None:
        assert path not in docs
        return
    rendered = [
        (
            doc["metadata"]["name"],
            doc["spec"]["selector"]["matchLabels"]["cnpg.io/instanceRole"],
            doc["spec"]["minAvailable"],
        )
        for doc in docs[path]
    ]
    assert rendered == budgets
    for doc in docs[path]:
        assert doc["apiVersion"] == "policy/v1"
        assert doc["spec"]["selector"]["matchLabels"]["cnpg.io/cluster"] == "wildside-pg"


def test_replica_budget_uses_pdb_min_available() -> None:
    docs = tree(instances=5, pdb_min_available=3, pdb_name="pg-budget")
    names = {d["metadata"]["name"]: d for d in docs["platform/databases/pdb-cnpg-cluster.yaml"]}
    assert names["pg-budget"]["spec"]["minAvailable"] == 3
    assert names["pg-budget-primary"]["spec"]["minAvailable"] == 1


def test_backup_object_store_and_schedule() -> None:
    docs = tree(
        **BACKUP,
        backup_s3_credentials_secret_name="my-s3",
        wal_compression="zstd",
        backup_data_compression="snappy",
        backup_retention_policy="4w",
        backup_schedule="0 30 1 * * *",
        scheduled_backup_name="nightly",
    )
    backup = one(docs, "platform/databases/wildside-pg-cluster.yaml")["spec"]["backup"]
    assert backup == {
        "retentionPolicy": "4w",
        "barmanObjectStore": {
            "destinationPath": "s3://wildside-backups/pg",
            "endpointURL": "https://nyc3.digitaloceanspaces.com",
            "s3Credentials": {
                "accessKeyId": {"name": "my-s3", "key": "ACCESS_KEY_ID"},
                "secretAccessKey": {"name": "my-s3", "key": "SECRET_ACCESS_KEY"},
            },
            "wal": {"compression": "zstd"},
            "data": {"compression": "snappy"},
        },
    }
    assert one(docs, "platform/databases/wildside-pg-cluster.yaml")["spec"]["env"] == [
        {"name": "AWS_REQUEST_CHECKSUM_CALCULATION", "value": "when_required"},
        {"name": "AWS_RESPONSE_CHECKSUM_VALIDATION", "value": "when_required"},
    ]
    scheduled = one(docs, "platform/databases/scheduled-backup.yaml")
    assert scheduled["metadata"]["name"] == "nightly"
    assert scheduled["spec"] == {
        "schedule": "0 30 1 * * *",
        "cluster": {"name": "wildside-pg"},
        "method": "barmanObjectStore",
        "backupOwnerReference": "self",
        "immediate": True,
    }
    # A user-managed Secret is referenced, never rendered.
    assert "platform/databases/s3-credentials-secret.yaml" not in docs


def test_inline_keys_render_an_acknowledged_secret() -> None:
    docs = tree(
        **BACKUP,
        backup_s3_access_key_id="AKIAEXAMPLE",
        backup_s3_secret_access_key="s3cr3t-value",
        backup_s3_inline_credentials_acknowledged=True,
    )
    secret = one(docs, "platform/databases/s3-credentials-secret.yaml")
    assert secret["metadata"]["name"] == "wildside-pg-s3-credentials"
    assert secret["metadata"]["annotations"] == {
        "wildside-cnpg.io/plaintext-credentials-acknowledged": "true"
    }
    assert secret["stringData"] == {
        "ACCESS_KEY_ID": "AKIAEXAMPLE",
        "SECRET_ACCESS_KEY": "s3cr3t-value",
    }
    store = one(docs, "platform/databases/wildside-pg-cluster.yaml")["spec"]["backup"]
    assert store["barmanObjectStore"]["s3Credentials"]["accessKeyId"]["name"] == (
        "wildside-pg-s3-credentials"
    )


def test_external_secrets_are_referenced_and_basic_auth() -> None:
    docs = tree(**ESO, **BACKUP, backup_credentials_vault_path="wildside/postgres/s3")
    app = one(docs, "platform/databases/external-secret-app.yaml")
    superuser = one(docs, "platform/databases/external-secret-superuser.yaml")
    backup = one(docs, "platform/databases/external-secret-backup.yaml")
    for doc in (app, superuser, backup):
        assert doc["apiVersion"] == "external-secrets.io/v1"
        assert doc["spec"]["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": "vault-kv"}
        assert doc["spec"]["refreshInterval"] == "1h"
        assert doc["spec"]["target"]["name"] == doc["metadata"]["name"]
    for doc in (app, superuser):
        template = doc["spec"]["target"]["template"]
        assert template["type"] == "kubernetes.io/basic-auth"
        assert template["metadata"]["labels"] == {"cnpg.io/reload": "true"}
        assert doc["spec"]["data"][0]["remoteRef"]["property"] == "password"
    assert superuser["spec"]["target"]["template"]["data"]["username"] == "postgres"
    keys = app["spec"]["target"]["template"]["data"]
    assert sorted(keys) == sorted(
        [
            "username",
            "user",
            "password",
            "dbname",
            "host",
            "port",
            "pgpass",
            "uri",
            "jdbc-uri",
            "fqdn-uri",
            "fqdn-jdbc-uri",
        ]
    )
    assert keys["username"] == "wildside_user"
    assert keys["host"] == "wildside-pg-rw"
    assert keys["uri"] == (
        "postgresql://wildside_user:{{ .password | urlquery }}"
        "@wildside-pg-rw.databases:5432/wildside_prod"
    )
    assert backup["spec"]["data"] == [
        {
            "secretKey": "ACCESS_KEY_ID",
            "remoteRef": {"key": "wildside/postgres/s3", "property": "access_key_id"},
        },
        {
            "secretKey": "SECRET_ACCESS_KEY",
            "remoteRef": {"key": "wildside/postgres/s3", "property": "secret_access_key"},
        },
    ]
    spec = one(docs, "platform/databases/wildside-pg-cluster.yaml")["spec"]
    assert spec["bootstrap"]["initdb"]["secret"]["name"] == app["metadata"]["name"]
    assert spec["superuserSecret"]["name"] == superuser["metadata"]["name"]
    creds = spec["backup"]["barmanObjectStore"]["s3Credentials"]
    assert creds["accessKeyId"]["name"] == backup["metadata"]["name"]


def test_kustomization_lists_exactly_the_rendered_files() -> None:
    docs = tree(**ESO)
    listed = one(docs, "platform/databases/kustomization.yaml")["resources"]
    in_dir = sorted(
        p.removeprefix("platform/databases/")
        for p in docs
        if p.startswith("platform/databases/")
        and p.count("/") == 2
        and not p.endswith("kustomization.yaml")
    )
    assert sorted(listed) == sorted([*in_dir, "../sources/cloudnative-pg-repo.yaml"])


def test_layers_split_operator_from_cluster() -> None:
    docs = tree(**ESO)
    operator = one(docs, "platform/databases/layers/operator/kustomization.yaml")["resources"]
    cluster = one(docs, "platform/databases/layers/cluster/kustomization.yaml")["resources"]
    assert operator == [
        "../../cnpg-operator-helmrelease.yaml",
        "../../namespace-cnpg-system.yaml",
        "../../namespace-databases.yaml",
        "../../../sources/cloudnative-pg-repo.yaml",
    ]
    assert cluster == [
        "../../external-secret-app.yaml",
        "../../external-secret-superuser.yaml",
        "../../pdb-cnpg-cluster.yaml",
        "../../wildside-pg-cluster.yaml",
    ]
    operator_ks, cluster_ks = docs["platform/flux/cnpg-kustomizations.yaml"]
    assert operator_ks["apiVersion"] == "kustomize.toolkit.fluxcd.io/v1"
    assert operator_ks["spec"]["path"] == "./platform/databases/layers/operator"
    assert operator_ks["spec"]["wait"] is True
    assert cluster_ks["spec"]["dependsOn"] == [{"name": operator_ks["metadata"]["name"]}]
    assert cluster_ks["spec"]["path"] == "./platform/databases/layers/cluster"
    prefixed = tree(flux_path_prefix="./clusters/prod/")["platform/flux/cnpg-kustomizations.yaml"]
    assert prefixed[0]["spec"]["path"] == "./clusters/prod/platform/databases/layers/operator"


def test_objects_are_every_manifest_once() -> None:
    module = Module(Inputs(**ESO))
    kinds = sorted(f"{o['kind']}/{o['metadata']['name']}" for o in module.objects())
    assert kinds == [
        "Cluster/wildside-pg",
        "ExternalSecret/cnpg-app-credentials",
        "ExternalSecret/cnpg-superuser-credentials",
        "HelmRelease/cloudnative-pg",
        "HelmRepository/cloudnative-pg",
        "Namespace/cnpg-system",
        "Namespace/databases",
        "PodDisruptionBudget/cnpg-cluster-pdb",
        "PodDisruptionBudget/cnpg-cluster-pdb-primary",
    ]


def test_checksum_env_only_with_backups_and_when_asked() -> None:
    assert "env" not in cluster_spec()
    assert "env" not in cluster_spec(
        **BACKUP, backup_s3_credentials_secret_name="s3", backup_s3_checksum_when_required=False
    )


def test_pod_monitor_selects_the_cluster_metrics_port() -> None:
    docs = tree(monitoring_enabled=True, cluster_name="geo")
    monitor = one(docs, "platform/databases/podmonitor-geo.yaml")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["spec"] == {
        "selector": {"matchLabels": {"cnpg.io/cluster": "geo"}},
        "podMetricsEndpoints": [{"port": "metrics"}],
    }
    assert (
        "../../podmonitor-geo.yaml"
        in one(docs, "platform/databases/layers/cluster/kustomization.yaml")["resources"]
    )
    assert not [path for path in tree() if "podmonitor" in path]


PLUGIN = {
    **BACKUP,
    "backup_method": "barman_cloud_plugin",
    "backup_s3_credentials_secret_name": "do-spaces",
    "image_name": "ghcr.io/cloudnative-pg/postgis:16-3.6-standard-trixie",
    "backup_retention_policy": "8w",
}


def test_plugin_backups_use_an_object_store_and_the_plugin() -> None:
    docs = tree(**PLUGIN)
    spec = one(docs, "platform/databases/wildside-pg-cluster.yaml")["spec"]
    assert "backup" not in spec
    assert "env" not in spec
    assert spec["plugins"] == [
        {
            "name": "barman-cloud.cloudnative-pg.io",
            "isWALArchiver": True,
            "parameters": {"barmanObjectName": "wildside-pg-object-store"},
        }
    ]
    store = one(docs, "platform/databases/object-store.yaml")
    assert store["apiVersion"] == "barmancloud.cnpg.io/v1"
    assert store["kind"] == "ObjectStore"
    assert store["metadata"]["name"] == "wildside-pg-object-store"
    assert store["spec"]["retentionPolicy"] == "8w"
    assert store["spec"]["configuration"]["destinationPath"] == "s3://wildside-backups/pg"
    assert store["spec"]["configuration"]["s3Credentials"]["accessKeyId"] == {
        "name": "do-spaces",
        "key": "ACCESS_KEY_ID",
    }
    assert "serverName" not in store["spec"]["configuration"]
    assert store["spec"]["instanceSidecarConfiguration"]["env"][0] == {
        "name": "AWS_REQUEST_CHECKSUM_CALCULATION",
        "value": "when_required",
    }
    scheduled = one(docs, "platform/databases/scheduled-backup.yaml")["spec"]
    assert scheduled["method"] == "plugin"
    assert scheduled["pluginConfiguration"] == {"name": "barman-cloud.cloudnative-pg.io"}
    release = one(docs, "platform/databases/barman-cloud-plugin-helmrelease.yaml")
    assert release["metadata"]["namespace"] == "cnpg-system"
    assert release["spec"]["chart"]["spec"] == {
        "chart": "plugin-barman-cloud",
        "version": "0.7.0",
        "sourceRef": {
            "kind": "HelmRepository",
            "name": "cloudnative-pg",
            "namespace": "flux-system",
        },
    }
    assert release["spec"]["dependsOn"] == [{"name": "cloudnative-pg", "namespace": "cnpg-system"}]
    operator_layer = one(docs, "platform/databases/layers/operator/kustomization.yaml")
    assert "../../barman-cloud-plugin-helmrelease.yaml" in operator_layer["resources"]
    cluster_layer = one(docs, "platform/databases/layers/cluster/kustomization.yaml")
    assert "../../object-store.yaml" in cluster_layer["resources"]


def test_plugin_charts_from_oci_get_one_source_each() -> None:
    docs = tree(**PLUGIN, chart_repository="oci://ghcr.io/cloudnative-pg/charts")
    sources = docs["platform/sources/cloudnative-pg-repo.yaml"]
    assert [
        (s["kind"], s["metadata"]["name"], s["spec"]["url"], s["spec"]["ref"]) for s in sources
    ] == [
        (
            "OCIRepository",
            "cloudnative-pg",
            "oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg",
            {"tag": "0.29.0"},
        ),
        (
            "OCIRepository",
            "cloudnative-pg-plugin-barman-cloud",
            "oci://ghcr.io/cloudnative-pg/charts/plugin-barman-cloud",
            {"tag": "0.7.0"},
        ),
    ]
    release = one(docs, "platform/databases/barman-cloud-plugin-helmrelease.yaml")
    assert release["spec"]["chartRef"]["name"] == "cloudnative-pg-plugin-barman-cloud"
