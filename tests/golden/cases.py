"""Representative input sets whose whole rendered trees are kept as golden files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

GOLDEN_DIR = Path(__file__).resolve().parent / "trees"
REPO = Path(__file__).resolve().parents[2]

CASES: dict[str, dict[str, Any]] = {
    "defaults": {},
    "single-instance": {"instances": 1, "postgis_enabled": False},
    "backup-inline-keys": {
        "instances": 2,
        "backup_enabled": True,
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
