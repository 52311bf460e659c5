"""Representative input sets whose whole rendered trees are kept as golden files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

GOLDEN_DIR = Path(__file__).resolve().parent / "trees"
REPO = Path(__file__).resolve().parents[2]

PRODUCTION: dict[str, Any] = {
    "instances": 3,
    "storage_size": "50Gi",
    "resource_requests": {"cpu": "2", "memory": "4Gi"},
    "resource_limits": {"cpu": "2", "memory": "4Gi"},
    "shared_preload_libraries": ["pg_stat_statements"],
    "enable_superuser_access": False,
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_credentials_vault_path": "wildside/postgres/backup-s3",
    "monitoring_enabled": True,
    "database_resource_enabled": True,
    "database_extensions": [{"name": "pg_trgm"}],
    "databases": [
        {
            "name": "tiles",
            "owner": "tiles_owner",
            "extensions": [{"name": "hstore"}],
            "credentials_vault_path": "wildside/postgres/tiles",
        },
        {"name": "reports", "owner": "wildside_user"},
    ],
    "pod_anti_affinity_type": "required",
    "zone_spread": "preferred",
    "node_selector": {"node.kubernetes.io/pool": "databases"},
    "tolerations": [{"key": "dedicated", "value": "databases", "effect": "NoSchedule"}],
    "priority_class_name": "databases-critical",
    "wal_storage_size": "10Gi",
    "synchronous_replication": {"method": "any", "number": 1, "data_durability": "required"},
    "pg_hba": ["hostssl all all 10.0.0.0/8 scram-sha-256"],
    "extra_env": {"TZ": "UTC"},
    "service_account_annotations": {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/wildside-pg"
    },
    "image_pull_secrets": ["registry-credentials"],
    "pod_security_context": {"fs_group_change_policy": "OnRootMismatch"},
    "inherited_labels": {"team": "platform"},
    "inherited_annotations": {"example.com/owner": "platform team"},
}

CASES: dict[str, dict[str, Any]] = {
    "defaults": {},
    "single-instance": {"instances": 1, "postgis_enabled": False},
    # In-tree Barman (kept for existing clusters; the policies warn): the system image.
    "backup-inline-keys": {
        "instances": 2,
        "backup_enabled": True,
        "backup_method": "barman_object_store",
        "backup_destination_path": "s3://wildside-backups/pg",
        "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
        "backup_s3_access_key_id": "DO00EXAMPLEKEYID",
        "backup_s3_secret_access_key": "example-secret-access-key-0000",
        "backup_s3_inline_credentials_acknowledged": True,
        "wal_compression": "zstd",
        "backup_data_compression": "gzip",
    },
    "plugin-backup-oci": {
        "backup_enabled": True,
        "backup_method": "barman_cloud_plugin",
        "image_name": "ghcr.io/cloudnative-pg/postgis:17-3.6-standard-trixie",
        "backup_destination_path": "s3://wildside-backups/pg",
        "backup_endpoint_url": "https://fra1.digitaloceanspaces.com",
        "backup_s3_credentials_secret_name": "do-spaces-credentials",
        "chart_repository": "oci://ghcr.io/cloudnative-pg/charts",
        "monitoring_enabled": True,
    },
    # Flux with multi-tenancy lockdown (--no-cross-namespace-refs, --default-service-account):
    # the chart sources beside the HelmReleases, each layer and release applied as a
    # ServiceAccount of its own.
    "flux-lockdown": {
        "backup_enabled": True,
        "backup_method": "barman_cloud_plugin",
        "image_name": "ghcr.io/cloudnative-pg/postgis:17-3.6-standard-trixie",
        "backup_destination_path": "s3://wildside-backups/pg",
        "backup_endpoint_url": "https://fra1.digitaloceanspaces.com",
        "backup_s3_credentials_secret_name": "do-spaces-credentials",
        "flux_cross_namespace_refs": False,
        "flux_kustomization_service_account_name": "flux-applier",
        "flux_helm_release_service_account_name": "helm-applier",
    },
    # Services: the replicas' default Service off, a LoadBalancer in front of the
    # primary restricted to two networks, one open to any address (policy C20 warns),
    # and a ClusterIP to any instance; the Pooler behind a restricted LoadBalancer; TLS
    # names them all.
    "services": {
        "pooler_enabled": True,
        "pooler_service": {
            "type": "LoadBalancer",
            "annotations": {"service.beta.kubernetes.io/do-loadbalancer-name": "wildside-pgb"},
            "load_balancer_source_ranges": ["10.0.0.0/8"],
        },
        "disabled_default_services": ["ro"],
        "additional_services": [
            {
                "name": "wildside-pg-public",
                "selector_type": "rw",
                "type": "LoadBalancer",
                "annotations": {"service.beta.kubernetes.io/do-loadbalancer-name": "wildside-pg"},
                "labels": {"exposure": "office"},
                "load_balancer_source_ranges": ["10.0.0.0/8", "2001:db8::/32"],
                "load_balancer_class": "example.com/internal-vip",
            },
            {"name": "wildside-pg-open", "selector_type": "rw", "type": "LoadBalancer"},
            {"name": "wildside-pg-reports", "selector_type": "r", "update_strategy": "replace"},
        ],
        "tls_enabled": True,
        "tls_issuer_name": "platform-ca",
    },
    "eso-with-backup": {
        "eso_enabled": True,
        "superuser_credentials_vault_path": "wildside/postgres/superuser",
        "app_credentials_vault_path": "wildside/postgres/app",
        "backup_enabled": True,
        "backup_destination_path": "s3://wildside-backups/pg",
        "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
        "backup_credentials_vault_path": "wildside/postgres/backup-s3",
        "instances": 5,
        "pdb_enabled": True,
        "pdb_min_available": 2,
        "chart_repository": "oci://ghcr.io/cloudnative-pg/charts",
        "helm_values": {"config": {"clusterWide": False}},
    },
    # PgBouncer in front of the primary and the replicas, alerts for a Prometheus in its
    # own namespace, and the server certificate from cert-manager with a client CA.
    "pooling-alerts-tls": {
        "eso_enabled": True,
        "superuser_credentials_vault_path": "wildside/postgres/superuser",
        "app_credentials_vault_path": "wildside/postgres/app",
        "backup_enabled": True,
        "backup_method": "barman_cloud_plugin",
        "image_name": "ghcr.io/cloudnative-pg/postgis:17-3.6-standard-trixie",
        "backup_destination_path": "s3://wildside-backups/pg",
        "backup_endpoint_url": "https://fra1.digitaloceanspaces.com",
        "backup_credentials_vault_path": "wildside/postgres/backup-s3",
        "backup_schedule": "0 0 2 * * *",
        "postgresql_parameters": {"max_connections": "200"},
        "pooler_enabled": True,
        "pooler_read_only_enabled": True,
        "pooler_instances": 3,
        "pooler_default_pool_size": 25,
        "monitoring_enabled": True,
        "monitoring_namespace": "monitoring",
        "monitoring_labels": {"release": "kube-prometheus-stack"},
        "alerts_enabled": True,
        "alerts_replication_lag_seconds": 30,
        "tls_enabled": True,
        "tls_issuer_name": "internal-ca",
        "tls_client_ca_secret_name": "wildside-pg-client-ca",
    },
    # A new cluster recovered to a point in time from another cluster's archive (keys
    # from Vault), archiving to a server name of its own in the same bucket.
    "recovery-point-in-time": {
        "eso_enabled": True,
        "superuser_credentials_vault_path": "wildside/postgres/superuser",
        "app_credentials_vault_path": "wildside/postgres/app",
        "backup_enabled": True,
        "backup_destination_path": "s3://wildside-backups/pg",
        "backup_endpoint_url": "https://fra1.digitaloceanspaces.com",
        "backup_credentials_vault_path": "wildside/postgres/backup-s3",
        "backup_server_name": "wildside-pg-restored",
        "recovery_enabled": True,
        "recovery_source_destination_path": "s3://wildside-backups/pg",
        "recovery_source_server_name": "wildside-pg",
        "recovery_source_endpoint_url": "https://fra1.digitaloceanspaces.com",
        "recovery_source_credentials_vault_path": "wildside/postgres/backup-s3",
        "recovery_target_time": "2026-08-01T09:30:00Z",
    },
    # Most production inputs on together: Database resources and a managed role,
    # placement, a WAL volume, synchronous replication, access, superuser access off.
    "production": PRODUCTION,
}


# Several renders into one checkout, in order: the tree they leave together (the
# ownership record included) is kept whole, like the single-render cases.
CHECKOUTS: dict[str, list[dict[str, Any]]] = {
    "two-clusters-one-operator": [
        {
            "cluster_name": "alpha",
            "backup_enabled": True,
            "backup_method": "barman_cloud_plugin",
            "image_name": "ghcr.io/cloudnative-pg/postgis:17-3.6-standard-trixie",
            "backup_destination_path": "s3://wildside-backups/alpha",
            "backup_endpoint_url": "https://fra1.digitaloceanspaces.com",
            "backup_s3_credentials_secret_name": "do-spaces-credentials",
        },
        {
            "cluster_name": "beta",
            "operator_install": "shared",
            "instances": 1,
            "database_name": "beta",
            "database_owner": "beta",
            "monitoring_enabled": True,
        },
    ],
}


def example_inputs() -> dict[str, Path]:
    return {path.parent.name: path for path in sorted((REPO / "examples").glob("*/inputs.yaml"))}
