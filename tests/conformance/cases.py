"""The input matrix: one case per branch of the shape and the builders, plus every
example under examples/."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, get_args

from wildside_cnpg.inputs.backup import DataCompression, WalCompression
from wildside_cnpg.inputs.cluster import POSTGIS_EXTENSIONS

REPO = Path(__file__).resolve().parents[2]

# Taken from the inputs' own types, so a value added there is covered here.
WAL_COMPRESSIONS: tuple[str, ...] = get_args(WalCompression)
DATA_COMPRESSIONS: tuple[str | None, ...] = (None, *get_args(DataCompression))
ALL_EXTENSIONS = list(POSTGIS_EXTENSIONS)

BACKUP: dict[str, Any] = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
}
ESO: dict[str, Any] = {
    "eso_enabled": True,
    "app_credentials_vault_path": "database/wildside/app",
    "superuser_credentials_vault_path": "database/wildside/superuser",
}
CREDENTIAL_SOURCES: dict[str, dict[str, Any]] = {
    "vault": ESO | {"backup_credentials_vault_path": "database/wildside/s3"},
    "existing": {"backup_s3_credentials_secret_name": "wildside-s3"},
    "inline": {
        "backup_s3_access_key_id": "AKIAEXAMPLEKEY01",
        "backup_s3_secret_access_key": "examplesecretkeyexamplesecretkey",
        "backup_s3_inline_credentials_acknowledged": True,
    },
}

IAM_ROLE: dict[str, Any] = {"backup_s3_inherit_from_iam_role": True}
ROLE_ARN = {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/wildside-pg-backups"}

METHODS = {"in-tree": "barman_object_store", "plugin": "barman_cloud_plugin"}
STANDARD_IMAGE = (
    "ghcr.io/cloudnative-pg/postgis:16.14-3.6.4-202608031108-standard-trixie"
    "@sha256:ac335edb6c8a52961ee4ffc14f831415d953be040cf6e4b7c8387ae83d9fc458"
)


def _backup_cases() -> dict[str, dict[str, Any]]:
    """Each backup method with each credentials source and each WAL compression (data
    compression and the S3 checksum setting cycle through their values)."""
    cases: dict[str, dict[str, Any]] = {}
    data = itertools.cycle(DATA_COMPRESSIONS)
    checksum = itertools.cycle((True, False, True))
    for method, source, wal in itertools.product(METHODS, CREDENTIAL_SOURCES, WAL_COMPRESSIONS):
        values = (
            BACKUP
            | CREDENTIAL_SOURCES[source]
            | {
                "backup_method": METHODS[method],
                "wal_compression": wal,
                "backup_s3_checksum_when_required": next(checksum),
            }
        )
        compression = next(data)
        if compression is not None:
            values["backup_data_compression"] = compression
        cases[f"backup-{method}-{source}-wal-{wal}"] = values
    return cases


RECOVERY: dict[str, Any] = {
    "recovery_enabled": True,
    "recovery_source_destination_path": "s3://wildside-backups/old",
    "recovery_source_endpoint_url": "https://nyc3.digitaloceanspaces.com",
}
RECOVERY_TARGETS: dict[str, dict[str, Any]] = {
    "latest": {},
    "time": {"recovery_target_time": "2026-08-01T09:30:00+02:00"},
    "lsn": {"recovery_target_lsn": "0/3000060"},
    "xid": {"recovery_target_xid": 123456, "recovery_backup_id": "20260801T093000"},
    "name": {"recovery_target_name": "before-migration", "recovery_backup_id": "20260801T093000"},
    "immediate": {"recovery_target_immediate": True, "recovery_backup_id": "20260801T093000"},
}


def _recovery_cases() -> dict[str, dict[str, Any]]:
    """Each method with each kind of target; the credentials alternate between Vault and
    a Secret of the user's."""
    cases: dict[str, dict[str, Any]] = {}
    sources = itertools.cycle(
        (
            ESO | {"recovery_source_credentials_vault_path": "database/old/s3"},
            {"recovery_source_s3_credentials_secret_name": "old-s3"},
        )
    )
    for method, target in itertools.product(METHODS, RECOVERY_TARGETS):
        cases[f"recovery-{method}-{target}"] = (
            RECOVERY | next(sources) | RECOVERY_TARGETS[target] | {"backup_method": METHODS[method]}
        )
    return cases


MATRIX: dict[str, dict[str, Any]] = {
    "defaults": {},
    "instances-1": {"instances": 1},
    "instances-2": {"instances": 2},
    "instances-3": {"instances": 3},
    "instances-5": {"instances": 5},
    "postgis-off": {"postgis_enabled": False},
    "postgis-every-extension": {"postgis_extensions": ALL_EXTENSIONS},
    # The tree's own budgets instead of CloudNativePG's: the primary's alone with two
    # instances, the replicas' too from three.
    "pdb-custom-instances-2": {"pdb_enabled": True, "instances": 2},
    "pdb-custom-instances-4": {"pdb_enabled": True, "instances": 4},
    "pdb-custom-instances-5-min-available": {
        "pdb_enabled": True,
        "instances": 5,
        "pdb_min_available": 2,
    },
    "shared-preload-libraries": {
        "shared_preload_libraries": ["pg_stat_statements", "auto_explain"]
    },
    # Who installs the operator: this tree (own, the default), another render in the
    # same checkout (shared), or something outside the tree (external).
    "operator-shared": {"operator_install": "shared"},
    "operator-external": {"operator_install": "external"},
    "operator-external-plugin-backup": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | {
        "operator_install": "external",
        "backup_method": "barman_cloud_plugin",
        "image_name": STANDARD_IMAGE,
    },
    "plugin-installed-without-plugin-backups": {"barman_cloud_plugin_install": True},
    # Every layer present (credentials, cluster, addons and the operator's), each
    # waiting for Kustomizations outside the tree.
    "flux-depends-on": ESO
    | {
        "monitoring_enabled": True,
        "flux_depends_on": {
            "operator": ["cert-manager"],
            "credentials": ["external-secrets/external-secrets"],
            "cluster": ["storage-classes"],
            "addons": ["monitoring/kube-prometheus-stack-crds"],
        },
    },
    "backup-off": {"backup_enabled": False},
    **_backup_cases(),
    **_recovery_cases(),
    # Recovered from an archive in the same bucket, archiving under a server name of its own.
    "recovery-plugin-beside-own-backups": BACKUP
    | ESO
    | RECOVERY
    | {
        "backup_credentials_vault_path": "database/wildside/s3",
        "recovery_source_credentials_vault_path": "database/wildside/s3",
        "recovery_source_destination_path": "s3://wildside-backups/pg",
        "backup_server_name": "wildside-pg-2",
    },
    "recovery-in-tree-beside-own-backups": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | RECOVERY
    | {
        "backup_method": "barman_object_store",
        "recovery_source_s3_credentials_secret_name": "wildside-s3",
        "recovery_source_destination_path": "s3://wildside-backups/pg",
        "recovery_source_server_name": "wildside-pg-16",
        "backup_server_name": "wildside-pg-17",
    },
    # No keys: the instances' IAM role (EKS IRSA, the ServiceAccount's annotation) for
    # each method's backups, and for each method's recovery source (the in-tree one beside
    # backups that use the role too).
    "backup-in-tree-iam-role": BACKUP
    | IAM_ROLE
    | {"backup_method": "barman_object_store", "service_account_annotations": ROLE_ARN},
    "backup-plugin-iam-role": BACKUP
    | IAM_ROLE
    | {"backup_method": "barman_cloud_plugin", "service_account_annotations": ROLE_ARN},
    "recovery-in-tree-iam-role": BACKUP
    | IAM_ROLE
    | RECOVERY
    | RECOVERY_TARGETS["time"]
    | {
        "backup_method": "barman_object_store",
        "recovery_source_inherit_from_iam_role": True,
        "backup_server_name": "wildside-pg-2",
        "service_account_annotations": ROLE_ARN,
    },
    "recovery-plugin-iam-role": RECOVERY
    | {"backup_method": "barman_cloud_plugin", "recovery_source_inherit_from_iam_role": True},
    "backup-server-name-plugin": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | {"backup_server_name": "wildside-pg-17"},
    "backup-server-name-in-tree": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | {"backup_method": "barman_object_store", "backup_server_name": "wildside-pg-17"},
    "plugin-sidecar-resources": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | {
        "barman_cloud_plugin_sidecar_resource_requests": {"cpu": "1", "memory": "1Gi"},
        "barman_cloud_plugin_sidecar_resource_limits": {"cpu": "1", "memory": "1Gi"},
    },
    # The in-tree method without backups: its default image is the system one.
    "in-tree-method-default-image": {"backup_method": "barman_object_store"},
    "in-tree-backups-older-chart": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | {"backup_method": "barman_object_store", "chart_version": "0.26.2"},
    "backup-retention-weeks-schedule-descriptor": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | {"backup_retention_policy": "4w", "backup_schedule": "@weekly"},
    "backup-plugin-standard-image-custom-release": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | {
        "backup_method": "barman_cloud_plugin",
        "image_name": STANDARD_IMAGE,
        "barman_cloud_plugin_release_name": "barman-plugin",
        "scheduled_backup_name": "hourly",
        "backup_schedule": "0 0 * * * *",
    },
    "backup-plugin-chart-oci": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | {
        "backup_method": "barman_cloud_plugin",
        "chart_repository": "oci://ghcr.io/cloudnative-pg/charts",
    },
    "monitoring-on": {"monitoring_enabled": True},
    "monitoring-on-custom-names": {
        "monitoring_enabled": True,
        "cluster_name": "geo-db",
        "cluster_namespace": "gis",
    },
    "eso-on": ESO,
    "eso-on-superuser-off": {
        "eso_enabled": True,
        "enable_superuser_access": False,
        "app_credentials_vault_path": "database/wildside/app",
    },
    "eso-off-superuser-off": {"enable_superuser_access": False},
    "namespaces-custom": {
        "operator_namespace": "postgres-operator",
        "cluster_namespace": "gis",
        "flux_namespace": "gitops",
    },
    "namespaces-shared": {"operator_namespace": "data", "cluster_namespace": "data"},
    "namespaces-not-created": {"create_namespaces": False},
    "names-custom": BACKUP
    | ESO
    | {
        "backup_credentials_vault_path": "database/geo/s3",
        "cluster_name": "geo-db",
        "helm_release_name": "cnpg",
        "flux_helm_repository_name": "cnpg-charts",
        "flux_git_repository_name": "platform",
        "flux_path_prefix": "./clusters/production",
        "scheduled_backup_name": "nightly",
        "pdb_enabled": True,
        "pdb_name": "geo-db-replicas",
        "database_name": "geo",
        "database_owner": "geo_owner",
        "superuser_credentials_secret_name": "geo-superuser",
        "app_credentials_secret_name": "geo-app",
        "eso_cluster_secret_store_name": "vault-backend",
        "vault_password_property": "pass",
    },
    "parameters-and-resources": {
        "postgresql_parameters": {
            "max_connections": "200",
            "shared_buffers": "512MB",
            "work_mem": "16MB",
            "random_page_cost": "1.1",
        },
        "resource_requests": {"cpu": "500m", "memory": "1Gi"},
        "resource_limits": {"cpu": "4", "memory": "8Gi"},
        "storage_size": "100Gi",
        "storage_class": "fast-ssd",
        "primary_update_strategy": "supervised",
        "primary_update_method": "restart",
    },
    "helm-values-mapping": {
        "helm_values": {
            "replicaCount": 2,
            "monitoring": {"podMonitorEnabled": True},
            "config": {"clusterWide": False, "data": {"INHERITED_LABELS": "team"}},
        }
    },
    "helm-values-documents": {
        "helm_values": ["replicaCount: 2", "config:\n  clusterWide: false\n"],
        "helm_wait": False,
        "helm_timeout": 900,
    },
    # Production inputs, each branch of the shape and builders.
    "database-resource": {"database_resource_enabled": True},
    "database-resource-extensions-versions": {
        "database_resource_enabled": True,
        "postgis_version": "3.6.4",
        "postgis_extensions": ALL_EXTENSIONS,
        "database_extensions": [{"name": "pg_trgm"}, {"name": "uuid-ossp", "version": "1.1"}],
    },
    "databases-extra-secrets-you-manage": {
        "databases": [
            {"name": "tiles", "owner": "tiles_owner", "extensions": [{"name": "hstore"}]},
            {"name": "reports", "owner": "tiles_owner", "credentials_secret_name": "tiles-owner"},
            {"name": "audit", "owner": "wildside_user"},
        ]
    },
    "databases-extra-from-vault": ESO
    | {
        "database_resource_enabled": True,
        "databases": [
            {"name": "tiles", "owner": "tiles_owner", "credentials_vault_path": "db/tiles"},
            {"name": "maps", "owner": "maps_owner", "credentials_vault_path": "db/maps"},
        ],
    },
    "databases-postgis-off": {
        "postgis_enabled": False,
        "database_resource_enabled": True,
        "databases": [{"name": "tiles", "owner": "tiles_owner"}],
    },
    "topology-required-everywhere": {
        "pod_anti_affinity_type": "required",
        "zone_spread": "required",
        "node_selector": {"node.kubernetes.io/pool": "databases", "disk": "ssd"},
        "tolerations": [
            {"operator": "Exists"},
            {"key": "dedicated", "value": "databases", "effect": "NoSchedule"},
            {
                "key": "node.kubernetes.io/unreachable",
                "operator": "Exists",
                "effect": "NoExecute",
                "toleration_seconds": 30,
            },
        ],
        "priority_class_name": "databases-critical",
    },
    "topology-zones-preferred": {"zone_spread": "preferred"},
    "wal-volume": {"wal_storage_size": "5Gi"},
    "wal-volume-own-class": {"wal_storage_size": "5Gi", "wal_storage_class": "fast-ssd"},
    "synchronous-any": {"synchronous_replication": {}},
    "synchronous-first-preferred": {
        "instances": 5,
        "synchronous_replication": {"method": "first", "number": 4, "data_durability": "preferred"},
    },
    "access-everything": {
        "pg_hba": [
            "hostssl all all 10.0.0.0/8 scram-sha-256",
            "host all all 192.168.0.0 255.255.0.0 scram-sha-256",
        ],
        "pg_ident": ["local postgres app"],
        "extra_env": {"TZ": "UTC", "AWS_REGION": "eu-west-1"},
        "service_account_annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/pg"},
        "image_pull_secrets": ["registry-credentials", "mirror.credentials"],
        "pod_security_context": {
            "run_as_user": 26,
            "run_as_group": 26,
            "fs_group": 26,
            "fs_group_change_policy": "OnRootMismatch",
            "supplemental_groups": [1000],
        },
        "container_security_context": {"run_as_user": 26, "run_as_group": 26},
        "inherited_labels": {"team": "platform", "azure.workload.identity/use": "true"},
        "inherited_annotations": {"example.com/owner": "platform team"},
    },
    "access-with-backups-env": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | {"extra_env": {"TZ": "UTC"}},
    "chart-oci": {
        "chart_repository": "oci://ghcr.io/cloudnative-pg/charts",
        "flux_helm_repository_interval": "12h",
        "flux_helm_release_interval": "30m",
    },
    # Flux's lockdown: every source in the namespace of what reads it, each layer and
    # release applied as its own ServiceAccount; and a GitRepository elsewhere.
    "flux-lockdown-oci": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | {
        "backup_method": "barman_cloud_plugin",
        "image_name": "ghcr.io/cloudnative-pg/postgis:17-3.6-standard-trixie",
        "chart_repository": "oci://ghcr.io/cloudnative-pg/charts",
        "flux_cross_namespace_refs": False,
        "flux_kustomization_service_account_name": "flux-applier",
        "flux_helm_release_service_account_name": "helm-applier",
    },
    "flux-git-repository-elsewhere": {"flux_git_repository_namespace": "tenants"},
    # PgBouncer: the primary's pooler alone (two pods, a budget), both poolers with one
    # pod each (no budget) in session mode, and a read-only pooler beside two instances.
    "pooler-rw": {"pooler_enabled": True},
    "pooler-rw-ro-one-pod-session": {
        "pooler_enabled": True,
        "pooler_read_only_enabled": True,
        "pooler_instances": 1,
        "pooler_pool_mode": "session",
        "pooler_max_client_connections": 5000,
        "pooler_default_pool_size": 50,
        "pooler_resource_requests": {"cpu": "250m", "memory": "128Mi"},
        "pooler_resource_limits": {"cpu": "1", "memory": "512Mi"},
        "pooler_parameters": {
            "max_prepared_statements": "200",
            "server_idle_timeout": "300",
            "ignore_startup_parameters": "search_path",
            "client_tls_sslmode": "require",
        },
    },
    "pooler-ro-two-instances-custom-budgets": {
        "instances": 2,
        "pdb_enabled": True,
        "pooler_enabled": True,
        "pooler_read_only_enabled": True,
        "pooler_instances": 3,
    },
    # Each Pooler's own Service: a restricted LoadBalancer of a class in front of the
    # primary, a NodePort with labels in front of the replicas.
    "pooler-services-of-their-own": {
        "pooler_enabled": True,
        "pooler_read_only_enabled": True,
        "pooler_service": {
            "type": "LoadBalancer",
            "load_balancer_source_ranges": ["10.0.0.0/8"],
            "load_balancer_class": "example.com/internal-vip",
        },
        "pooler_read_only_service": {"type": "NodePort", "labels": {"exposure": "nodes"}},
    },
    # Alerts: without backups, with in-tree backups on a weekly schedule, with the
    # plugin's backups, custom thresholds and a monitoring namespace of their own.
    "alerts-without-backups": {"monitoring_enabled": True, "alerts_enabled": True},
    "alerts-in-tree-backups-weekly": BACKUP
    | CREDENTIAL_SOURCES["existing"]
    | {"backup_schedule": "@weekly", "monitoring_enabled": True, "alerts_enabled": True},
    "alerts-plugin-backups-custom": BACKUP
    | CREDENTIAL_SOURCES["vault"]
    | {
        "backup_method": "barman_cloud_plugin",
        "image_name": STANDARD_IMAGE,
        "monitoring_enabled": True,
        "monitoring_namespace": "monitoring",
        "monitoring_labels": {"release": "kube-prometheus-stack", "example.com/team": "data"},
        "alerts_enabled": True,
        "alerts_replication_lag_seconds": 300,
        "alerts_volume_usage_percent": 90,
        "alerts_connections_percent": 75,
        "alerts_backup_max_age_hours": 48,
    },
    # TLS from cert-manager: a ClusterIssuer alone; an Issuer with a CA bundle Secret, a
    # client CA, both poolers and ESO (whose URIs ask for verify-full); one instance.
    "tls-cluster-issuer": {"tls_enabled": True, "tls_issuer_name": "ca-issuer"},
    "tls-issuer-ca-secrets-poolers-eso": ESO
    | {
        "tls_enabled": True,
        "tls_issuer_name": "vault-issuer.pki",
        "tls_issuer_kind": "Issuer",
        "tls_duration": "720h",
        "tls_renew_before": "240h",
        "tls_ca_secret_name": "internal-ca-bundle",
        "tls_client_ca_secret_name": "wildside-pg-client-ca",
        "pooler_enabled": True,
        "pooler_read_only_enabled": True,
    },
    "tls-pooler-alerts-single-instance": {
        "instances": 1,
        "tls_enabled": True,
        "tls_issuer_name": "ca-issuer",
        "pooler_enabled": True,
        "monitoring_enabled": True,
        "alerts_enabled": True,
    },
}


def example_inputs() -> dict[str, Path]:
    """examples/<name>/inputs.yaml, by example name."""
    return {path.parent.name: path for path in sorted(REPO.glob("examples/*/inputs.yaml"))}
