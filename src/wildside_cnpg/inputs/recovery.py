"""Recovery inputs: create the cluster from a backup in an object store
(`bootstrap.recovery` with an `externalClusters` source) instead of an empty one
(`initdb`), optionally to a point in time. CNPG reads them only when it creates the
cluster."""

from __future__ import annotations

from pydantic import Field

from .base import InputFields
from .types import (
    BackupId,
    DNSLabel,
    HttpsURL,
    Lsn,
    RecoveryTime,
    RestorePointName,
    S3Path,
    ServerName,
    VaultPath,
)

# PostgreSQL's transaction ids are 32-bit; 0-2 are reserved (invalid, bootstrap, frozen).
MIN_XID = 3
MAX_XID = 2**32 - 1


class RecoveryInputs(InputFields):
    recovery_enabled: bool = Field(
        False,
        description="Create the cluster from a backup in an object store (bootstrap.recovery) "
        "instead of an empty one (initdb), read through backup_method; only when the cluster "
        "is created",
    )
    recovery_source_destination_path: S3Path | None = Field(
        None, description="Object store holding the source's backups and WAL, s3://bucket/path"
    )
    recovery_source_server_name: ServerName | None = Field(
        None,
        description="The source's archive folder under recovery_source_destination_path "
        "(its backup server name; default cluster_name)",
    )
    recovery_source_endpoint_url: HttpsURL | None = Field(
        None, description="S3-compatible endpoint of the source (https:// only)"
    )
    recovery_source_s3_credentials_secret_name: DNSLabel | None = Field(
        None,
        description="Existing Secret with ACCESS_KEY_ID and SECRET_ACCESS_KEY for the source "
        "(one of the three credential sources)",
    )
    recovery_source_credentials_vault_path: VaultPath | None = Field(
        None,
        description="Vault KV path of the source's S3 keys, fetched by an ExternalSecret "
        "(needs eso_enabled; one of the three credential sources)",
    )
    recovery_source_inherit_from_iam_role: bool = Field(
        False,
        description="No keys: barman-cloud reads the source with the IAM role of the instance "
        "pods (s3Credentials.inheritFromIAMRole; one of the three credential sources)",
    )
    recovery_backup_id: BackupId | None = Field(
        None,
        description="Base backup to start from (default: the latest, or for a time or LSN "
        "target the latest completed before it); required with an xid, name or immediate target",
    )
    recovery_target_time: RecoveryTime | None = Field(
        None, description="Stop replaying WAL at this time (RFC 3339 with a time zone)"
    )
    recovery_target_lsn: Lsn | None = Field(None, description="Stop replaying WAL at this LSN")
    recovery_target_xid: int | None = Field(
        None,
        ge=MIN_XID,
        le=MAX_XID,
        description="Stop replaying WAL at this transaction id (a 32-bit number)",
    )
    recovery_target_name: RestorePointName | None = Field(
        None, description="Stop replaying WAL at this restore point (pg_create_restore_point)"
    )
    recovery_target_immediate: bool = Field(
        False, description="Stop replaying WAL as soon as the base backup is consistent"
    )
