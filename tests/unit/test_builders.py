"""Per-builder assertions on the values that matter (the golden trees pin the rest)."""

from __future__ import annotations

from typing import Any

import pytest

from tests import layout
from wildside_cnpg import Inputs, Module

BACKUP = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
}
IN_TREE = {**BACKUP, "backup_method": "barman_object_store"}
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
    spec: dict[str, Any] = one(tree(**values), layout.cluster_file(name))["spec"]
    return spec


def test_helm_repository_in_flux_namespace() -> None:
    doc = one(tree(flux_namespace="gitops"), layout.CHART_SOURCES)
    assert doc["apiVersion"] == "source.toolkit.fluxcd.io/v1"
    assert doc["kind"] == "HelmRepository"
    assert doc["metadata"]["namespace"] == "gitops"
    assert doc["spec"] == {"interval": "24h", "url": "https://cloudnative-pg.github.io/charts"}


def test_helm_release_pins_chart_and_resolves_source() -> None:
    doc = one(
        tree(chart_version="0.29.1", helm_values={"replicaCount": 2}),
        layout.OPERATOR_RELEASE,
    )
    assert doc["apiVersion"] == "helm.toolkit.fluxcd.io/v2"
    assert doc["metadata"] == {
        "name": "cloudnative-pg",
        "namespace": "cnpg-system",
        "labels": {
            "app.kubernetes.io/managed-by": "wildside-cnpg",
            "app.kubernetes.io/part-of": "cloudnative-pg",
        },
        "annotations": {"kustomize.toolkit.fluxcd.io/prune": "disabled"},
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
    retry = {"name": "RetryOnFailure", "retryInterval": "5m"}
    assert doc["spec"]["install"] == {"crds": "CreateReplace", "strategy": retry}
    assert doc["spec"]["upgrade"] == {"crds": "CreateReplace", "strategy": retry}
    assert doc["spec"]["values"] == {"replicaCount": 2}


def test_helm_values_list_merges_like_tofu_merge() -> None:
    inputs = Inputs(helm_values=["a: 1\nb: {x: 1}", "b: {y: 2}\nc: 3"])
    assert inputs.helm_values_mapping() == {"a": 1, "b": {"y": 2}, "c": 3}


def test_oci_repository_uses_chart_ref() -> None:
    docs = tree(chart_repository="oci://ghcr.io/cloudnative-pg/charts")
    source = one(docs, layout.CHART_SOURCES)
    release = one(docs, layout.OPERATOR_RELEASE)
    assert source["kind"] == "OCIRepository"
    assert source["spec"]["url"] == "oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg"
    assert source["spec"]["ref"] == {"tag": "0.29.0"}
    assert "chart" not in release["spec"]
    assert release["spec"]["chartRef"] == {
        "kind": "OCIRepository",
        "name": "cloudnative-pg",
        "namespace": "flux-system",
    }


def test_namespaces_follow_inputs_and_are_never_pruned() -> None:
    docs = tree(operator_namespace="cnpg", cluster_namespace="pg")
    for name in ("cnpg", "pg"):
        namespace = one(docs, layout.namespace(name))
        assert namespace["metadata"]["name"] == name
        assert namespace["metadata"]["annotations"] == {
            "kustomize.toolkit.fluxcd.io/prune": "disabled"
        }
    assert not [p for p in tree(create_namespaces=False) if "/namespaces/" in p]
    same = tree(operator_namespace="db", cluster_namespace="db")
    assert [p for p in same if p.endswith("namespace.yaml")] == [layout.namespace("db")]
    # Without the operator, only the cluster's namespace.
    shared = tree(operator_install="shared")
    assert [p for p in shared if p.endswith("namespace.yaml")] == [layout.namespace("databases")]


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
    assert cluster_spec(shared_preload_libraries=["pg_stat_statements"])["postgresql"] == {
        "shared_preload_libraries": ["pg_stat_statements"]
    }
    assert spec["resources"] == {
        "requests": {"cpu": "500m", "memory": "1Gi"},
        "limits": {"cpu": "1", "memory": "2Gi"},
    }
    # By default requests equal limits: Guaranteed QoS.
    assert cluster_spec()["resources"] == {
        "requests": {"cpu": "1", "memory": "2Gi"},
        "limits": {"cpu": "1", "memory": "2Gi"},
    }
    # The default image follows the backup method: standard for the plugin (the default),
    # system (barman-cloud inside) for in-tree Barman.
    assert spec["imageName"] == (
        "ghcr.io/cloudnative-pg/postgis:16.14-3.6.4-202608031108-standard-trixie"
        "@sha256:ac335edb6c8a52961ee4ffc14f831415d953be040cf6e4b7c8387ae83d9fc458"
    )
    assert cluster_spec(backup_method="barman_object_store")["imageName"] == (
        "ghcr.io/cloudnative-pg/postgis:16.14-3.6.4-202608031108-system-trixie"
        "@sha256:1b9516949b3e3b5651d3585c2923acb6a701f1abbfbb63274886108b58d3652c"
    )


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
    assert initdb["postInitApplicationSQL"] == [
        'ALTER DATABASE "wildside_prod" SET search_path TO "$user", public, tiger;'
    ]
    assert "secret" not in initdb
    assert "postInitApplicationSQL" not in cluster_spec()["bootstrap"]["initdb"]
    assert "postInitTemplateSQL" not in cluster_spec(postgis_enabled=False)["bootstrap"]["initdb"]


def test_superuser_access_and_secret_are_consistent() -> None:
    plain = cluster_spec()
    assert plain["enableSuperuserAccess"] is True
    assert "superuserSecret" not in plain
    with_eso = cluster_spec(**ESO)
    assert with_eso["enableSuperuserAccess"] is True
    assert with_eso["superuserSecret"] == {"name": "wildside-pg-superuser-credentials"}
    assert with_eso["bootstrap"]["initdb"]["secret"] == {"name": "wildside-pg-app-credentials"}
    off = cluster_spec(
        eso_enabled=True, app_credentials_vault_path="a/b", enable_superuser_access=False
    )
    assert off["enableSuperuserAccess"] is False
    assert "superuserSecret" not in off


@pytest.mark.parametrize(
    ("instances", "pdb_enabled", "budgets", "enable_pdb"),
    [
        # One instance: no budget at all (CNPG's would block every drain of its node).
        (1, False, None, False),
        # CNPG's own budgets by default.
        (2, False, None, True),
        (3, False, None, True),
        # Custom budgets only when asked, names from the cluster, minAvailable instances - 2.
        (2, True, [("wildside-pg-pdb-primary", "primary", 1)], False),
        (
            4,
            True,
            [("wildside-pg-pdb-primary", "primary", 1), ("wildside-pg-pdb", "replica", 2)],
            False,
        ),
    ],
)
def test_exactly_one_budget_per_pod(
    instances: int, pdb_enabled: bool, budgets: list[tuple[str, str, int]] | None, enable_pdb: bool
) -> None:
    docs = tree(instances=instances, pdb_enabled=pdb_enabled)
    spec = one(docs, layout.cluster_file())["spec"]
    assert spec["enablePDB"] is enable_pdb
    path = layout.cluster_layer("pdb.yaml")
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
    docs = tree(instances=5, pdb_enabled=True, pdb_min_available=3, pdb_name="pg-budget")
    names = {d["metadata"]["name"]: d for d in docs[layout.cluster_layer("pdb.yaml")]}
    assert names["pg-budget"]["spec"]["minAvailable"] == 3
    assert names["pg-budget-primary"]["spec"]["minAvailable"] == 1


def test_backup_object_store_and_schedule() -> None:
    docs = tree(
        **IN_TREE,
        backup_s3_credentials_secret_name="my-s3",
        wal_compression="zstd",
        backup_data_compression="snappy",
        backup_retention_policy="4w",
        backup_schedule="0 30 1 * * *",
        scheduled_backup_name="nightly",
    )
    backup = one(docs, layout.cluster_file())["spec"]["backup"]
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
            "serverName": "wildside-pg",
        },
    }
    assert one(docs, layout.cluster_file())["spec"]["env"] == [
        {"name": "AWS_REQUEST_CHECKSUM_CALCULATION", "value": "when_required"},
        {"name": "AWS_RESPONSE_CHECKSUM_VALIDATION", "value": "when_required"},
    ]
    scheduled = one(docs, layout.cluster_layer("scheduled-backup.yaml"))
    assert scheduled["metadata"]["name"] == "nightly"
    assert scheduled["spec"] == {
        "schedule": "0 30 1 * * *",
        "cluster": {"name": "wildside-pg"},
        "method": "barmanObjectStore",
        "backupOwnerReference": "self",
        "immediate": True,
    }
    # A user-managed Secret is referenced, never rendered.
    assert layout.cluster_layer("s3-credentials-secret.yaml") not in docs


def test_inline_keys_render_an_acknowledged_secret() -> None:
    docs = tree(
        **IN_TREE,
        backup_s3_access_key_id="AKIAEXAMPLE",
        backup_s3_secret_access_key="s3cr3t-value",
        backup_s3_inline_credentials_acknowledged=True,
    )
    secret = one(docs, layout.cluster_layer("s3-credentials-secret.yaml"))
    assert secret["metadata"]["name"] == "wildside-pg-s3-credentials"
    assert secret["metadata"]["annotations"] == {
        "wildside-cnpg.io/plaintext-credentials-acknowledged": "true",
        "kustomize.toolkit.fluxcd.io/prune": "disabled",
    }
    assert secret["stringData"] == {
        "ACCESS_KEY_ID": "AKIAEXAMPLE",
        "SECRET_ACCESS_KEY": "s3cr3t-value",
    }
    store = one(docs, layout.cluster_file())["spec"]["backup"]
    assert store["barmanObjectStore"]["s3Credentials"]["accessKeyId"]["name"] == (
        "wildside-pg-s3-credentials"
    )


def test_external_secrets_are_referenced_and_basic_auth() -> None:
    docs = tree(**ESO, **IN_TREE, backup_credentials_vault_path="wildside/postgres/s3")
    app = one(docs, layout.credentials("external-secret-app.yaml"))
    superuser = one(docs, layout.credentials("external-secret-superuser.yaml"))
    backup = one(docs, layout.credentials("external-secret-backup.yaml"))
    for doc in (app, superuser, backup):
        assert doc["apiVersion"] == "external-secrets.io/v1"
        assert doc["metadata"]["annotations"] == {"kustomize.toolkit.fluxcd.io/prune": "disabled"}
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
        'postgresql://wildside_user:{{ .password | urlquery | replace "+" "%20" }}'
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
    spec = one(docs, layout.cluster_file())["spec"]
    assert spec["bootstrap"]["initdb"]["secret"]["name"] == app["metadata"]["name"]
    assert spec["superuserSecret"]["name"] == superuser["metadata"]["name"]
    creds = spec["backup"]["barmanObjectStore"]["s3Credentials"]
    assert creds["accessKeyId"]["name"] == backup["metadata"]["name"]


def test_every_kustomization_lists_exactly_its_directory() -> None:
    docs = tree(**ESO, monitoring_enabled=True)
    kustomizations = [p for p in docs if p.endswith("/kustomization.yaml")]
    assert kustomizations
    for path in kustomizations:
        directory = path.rsplit("/", 1)[0]
        in_dir = sorted(
            p.removeprefix(f"{directory}/")
            for p in docs
            if p.rsplit("/", 1)[0] == directory and p != path
        )
        assert sorted(one(docs, path)["resources"]) == in_dir, path


def test_units_expose_only_their_flux_kustomizations() -> None:
    docs = tree(**ESO, monitoring_enabled=True)
    assert one(docs, f"{layout.OPERATOR_UNIT}/kustomization.yaml")["resources"] == [
        "flux-kustomization.yaml"
    ]
    assert one(docs, f"{layout.unit()}/kustomization.yaml")["resources"] == [
        "flux-kustomizations.yaml"
    ]
    (operator,) = docs[layout.OPERATOR_FLUX]
    credentials, cluster, addons = docs[layout.cluster_flux()]
    assert [k["metadata"]["name"] for k in (operator, credentials, cluster, addons)] == [
        "cloudnative-pg-operator",
        "wildside-pg-credentials",
        "wildside-pg-cluster",
        "wildside-pg-addons",
    ]
    for kustomization in (operator, credentials, cluster, addons):
        assert kustomization["apiVersion"] == "kustomize.toolkit.fluxcd.io/v1"
        assert kustomization["metadata"]["namespace"] == "flux-system"
        assert kustomization["spec"]["prune"] is True
        assert kustomization["spec"]["retryInterval"] == "2m"
    assert operator["spec"]["path"] == "./platform/databases/operator/layer"
    assert operator["spec"]["wait"] is True
    assert operator["spec"]["deletionPolicy"] == "Orphan"
    # The cluster waits for the operator; credentials and add-ons wait for nothing, so a
    # missing ESO or Prometheus Operator never blocks a change of the Cluster.
    assert cluster["spec"]["dependsOn"] == [{"name": "cloudnative-pg-operator"}]
    assert "dependsOn" not in credentials["spec"]
    assert "dependsOn" not in addons["spec"]
    assert cluster["spec"]["path"] == "./platform/databases/clusters/wildside-pg/cluster"
    assert cluster["spec"]["deletionPolicy"] == "Orphan"
    assert credentials["spec"]["deletionPolicy"] == "Orphan"
    assert "deletionPolicy" not in addons["spec"]
    assert cluster["spec"]["healthChecks"] == [
        {
            "apiVersion": "postgresql.cnpg.io/v1",
            "kind": "Cluster",
            "name": "wildside-pg",
            "namespace": "databases",
        }
    ]
    assert cluster["spec"]["healthCheckExprs"] == [
        {
            "apiVersion": "postgresql.cnpg.io/v1",
            "kind": "Cluster",
            "current": "status.conditions.exists(e, e.type == 'Ready' && e.status == 'True')",
        }
    ]
    prefixed = tree(flux_path_prefix="./clusters/prod/")[layout.OPERATOR_FLUX]
    assert prefixed[0]["spec"]["path"] == "./clusters/prod/platform/databases/operator/layer"


def test_users_add_dependencies_per_layer() -> None:
    docs = tree(
        **ESO,
        monitoring_enabled=True,
        flux_depends_on={
            "operator": ["cert-manager"],
            "credentials": ["infra/external-secrets"],
            "addons": ["monitoring"],
        },
    )
    (operator,) = docs[layout.OPERATOR_FLUX]
    credentials, cluster, addons = docs[layout.cluster_flux()]
    assert operator["spec"]["dependsOn"] == [{"name": "cert-manager"}]
    assert credentials["spec"]["dependsOn"] == [{"name": "external-secrets", "namespace": "infra"}]
    assert cluster["spec"]["dependsOn"] == [{"name": "cloudnative-pg-operator"}]
    assert addons["spec"]["dependsOn"] == [{"name": "monitoring"}]
    external = tree(operator_install="external")
    assert layout.OPERATOR_FLUX not in external
    (alone,) = external[layout.cluster_flux()]
    assert "dependsOn" not in alone["spec"]


def test_objects_are_every_manifest_once() -> None:
    module = Module(Inputs(**ESO))
    kinds = sorted(f"{o['kind']}/{o['metadata']['name']}" for o in module.objects())
    assert kinds == [
        "Cluster/wildside-pg",
        "ExternalSecret/wildside-pg-app-credentials",
        "ExternalSecret/wildside-pg-superuser-credentials",
        "HelmRelease/cloudnative-pg",
        "HelmRepository/cloudnative-pg",
        "Namespace/cnpg-system",
        "Namespace/databases",
    ]


def test_checksum_env_only_with_backups_and_when_asked() -> None:
    assert "env" not in cluster_spec()
    assert "env" not in cluster_spec(
        **BACKUP, backup_s3_credentials_secret_name="s3", backup_s3_checksum_when_required=False
    )


def test_pod_monitor_selects_the_cluster_metrics_port() -> None:
    docs = tree(monitoring_enabled=True, cluster_name="geo")
    monitor = one(docs, layout.addons("podmonitor.yaml", "geo"))
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["spec"] == {
        "selector": {"matchLabels": {"cnpg.io/cluster": "geo"}},
        "podMetricsEndpoints": [{"port": "metrics"}],
    }
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
    spec = one(docs, layout.cluster_file())["spec"]
    assert "backup" not in spec
    assert "env" not in spec
    assert spec["plugins"] == [
        {
            "name": "barman-cloud.cloudnative-pg.io",
            "isWALArchiver": True,
            "parameters": {
                "barmanObjectName": "wildside-pg-object-store",
                "serverName": "wildside-pg",
            },
        }
    ]
    store = one(docs, layout.cluster_layer("object-store.yaml"))
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
    # Without the sidecar's own requests equal to limits no pod could be Guaranteed.
    assert store["spec"]["instanceSidecarConfiguration"]["resources"] == {
        "requests": {"cpu": "500m", "memory": "512Mi"},
        "limits": {"cpu": "500m", "memory": "512Mi"},
    }
    scheduled = one(docs, layout.cluster_layer("scheduled-backup.yaml"))["spec"]
    assert scheduled["method"] == "plugin"
    assert scheduled["pluginConfiguration"] == {"name": "barman-cloud.cloudnative-pg.io"}
    release = one(docs, layout.PLUGIN_RELEASE)
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
    assert "annotations" not in release["metadata"]  # removable (the plan guards it)
    # Kept for other clusters, or while a cluster still uses it.
    kept = tree(barman_cloud_plugin_install=True)
    assert layout.PLUGIN_RELEASE in kept
    assert layout.PLUGIN_RELEASE not in tree(**PLUGIN, operator_install="shared")


def test_plugin_charts_from_oci_get_one_source_each() -> None:
    docs = tree(**PLUGIN, chart_repository="oci://ghcr.io/cloudnative-pg/charts")
    sources = docs[layout.CHART_SOURCES]
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
    release = one(docs, layout.PLUGIN_RELEASE)
    assert release["spec"]["chartRef"]["name"] == "cloudnative-pg-plugin-barman-cloud"
