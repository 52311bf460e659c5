"""Backup inputs: Barman Cloud (the plugin, or CNPG's in-tree Barman) to
S3-compatible storage and the ScheduledBackup (the OpenTofu module's
variables-backup.tf)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import SENSITIVE, InputFields
from .cluster import ComputeResources
from .types import (
    CronSchedule,
    DNSLabel,
    ExactVersion,
    HelmChartName,
    HelmReleaseName,
    HttpsURL,
    RetentionPolicy,
    S3Path,
    SecretText,
    ServerName,
)

WalCompression = Literal["bzip2", "gzip", "lz4", "snappy", "xz", "zstd"]
DataCompression = Literal["bzip2", "gzip", "lz4", "snappy"]


class BackupInputs(InputFields):
    backup_enabled: bool = Field(False, description="Back up to S3-compatible object storage")
    backup_method: Literal["barman_object_store", "barman_cloud_plugin"] = Field(
        "barman_cloud_plugin",
        description="How backups and recovery reach the object store. barman_cloud_plugin: "
        "the Barman Cloud plugin and an ObjectStore (needs cert-manager); "
        "barman_object_store: CNPG's in-tree Barman (deprecated, removed in CNPG 1.31; needs "
        "a 'system' image)",
    )
    barman_cloud_plugin_install: bool | None = Field(
        None,
        description="Install the Barman Cloud plugin with the operator (operator_install own); "
        "default: when this cluster's backups use it. True keeps it for other clusters sharing "
        "the operator, or while a cluster still uses it",
    )
    barman_cloud_plugin_release_name: HelmReleaseName = Field(
        "plugin-barman-cloud", description="Helm release of the Barman Cloud plugin"
    )
    barman_cloud_plugin_chart_name: HelmChartName = Field(
        "plugin-barman-cloud", description="Chart of the Barman Cloud plugin (same repository)"
    )
    barman_cloud_plugin_chart_version: ExactVersion = Field(
        "0.7.0", description="Exact plugin chart version (0.7.0 installs plugin v0.13.0)"
    )
    backup_destination_path: S3Path | None = Field(
        None, description="Object store destination, s3://bucket/path"
    )
    backup_endpoint_url: HttpsURL | None = Field(
        None,
        description="S3-compatible endpoint (https:// only), e.g. https://nyc3.digitaloceanspaces.com",
    )
    backup_server_name: ServerName | None = Field(
        None,
        description="The archive's folder under backup_destination_path (default "
        "cluster_name); give it a new value at a PostgreSQL major upgrade",
    )
    backup_retention_policy: RetentionPolicy = Field(
        "30d", description="How long backups are kept (^[1-9][0-9]*[dwm]$)"
    )
    backup_schedule: CronSchedule = Field(
        "0 0 0 * * *", description="Six cron fields, seconds first, or an @descriptor"
    )
    wal_compression: WalCompression = Field("gzip", description="WAL archive compression")
    backup_data_compression: DataCompression | None = Field(
        None, description="Base backup compression (unset: uncompressed)"
    )
    scheduled_backup_name: DNSLabel | None = Field(
        None, description="Name of the ScheduledBackup (default <cluster_name>-backup)"
    )
    backup_s3_credentials_secret_name: DNSLabel | None = Field(
        None,
        description="Existing Secret you manage with ACCESS_KEY_ID and SECRET_ACCESS_KEY "
        "(one of the four credential sources)",
    )
    backup_s3_access_key_id: SecretText | None = Field(
        None,
        description="Inline S3 access key id (sensitive; needs the acknowledgement)",
        json_schema_extra=SENSITIVE,
    )
    backup_s3_secret_access_key: SecretText | None = Field(
        None,
        description="Inline S3 secret key (sensitive; needs the acknowledgement)",
        json_schema_extra=SENSITIVE,
    )
    backup_s3_inherit_from_iam_role: bool = Field(
        False,
        description="No keys: barman-cloud uses the IAM role of the instance pods "
        "(s3Credentials.inheritFromIAMRole; on EKS, IRSA through service_account_annotations "
        "or Pod Identity; one of the four credential sources)",
    )
    backup_s3_checksum_when_required: bool = Field(
        True,
        description="Set AWS_REQUEST_CHECKSUM_CALCULATION and AWS_RESPONSE_CHECKSUM_VALIDATION "
        "to when_required on the instances: newer boto3 checksums break uploads to many "
        "S3-compatible stores (DigitalOcean Spaces, MinIO, Ceph)",
    )
    barman_cloud_plugin_sidecar_resource_requests: ComputeResources = Field(
        ComputeResources(cpu="500m", memory="512Mi"),
        description="Requests of the Barman Cloud plugin's sidecar in each instance pod "
        "(equal to its limits: Guaranteed QoS)",
    )
    barman_cloud_plugin_sidecar_resource_limits: ComputeResources = Field(
        ComputeResources(cpu="500m", memory="512Mi"),
        description="Limits of the Barman Cloud plugin's sidecar in each instance pod",
    )
    backup_s3_inline_credentials_acknowledged: bool = Field(
        False,
        description="Accept that inline keys are written as a plaintext Secret into the tree",
    )
