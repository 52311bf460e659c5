"""Backups to S3-compatible storage, either through CNPG's in-tree Barman
(`spec.backup.barmanObjectStore`) or through the Barman Cloud plugin (an ObjectStore
and the Cluster's `plugins`), the ScheduledBackup, the plaintext S3 Secret rendered
only for acknowledged inline keys, and the recovery source a new cluster is created
from (`externalClusters`, with an ObjectStore of its own for the plugin)."""

from __future__ import annotations

from typing import Any

from ..constants import PLAINTEXT_ACK_ANNOTATION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY
from ..inputs import Inputs
from ..kinds import BARMAN_CLOUD_PLUGIN, OBJECT_STORE, SCHEDULED_BACKUP, SECRET
from ..shape import BackupShape, RecoveryShape, Shape
from .common import NEVER_PRUNE, Document, cluster_labels, resource

CHECKSUM_VARIABLES = ("AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_RESPONSE_CHECKSUM_VALIDATION")


def _credentials(secret: str | None) -> Document:
    """`s3Credentials`: the keys in `secret`, or, without one (the shape's IAM role
    source), the role of the pods barman-cloud runs in. CNPG refuses the role beside key
    references, so it comes alone."""
    if secret is None:
        return {"inheritFromIAMRole": True}
    return {
        "accessKeyId": {"name": secret, "key": S3_ACCESS_KEY_ID},
        "secretAccessKey": {"name": secret, "key": S3_SECRET_ACCESS_KEY},
    }


def _store_configuration(inputs: Inputs, backup: BackupShape) -> Document:
    """The Barman object store settings; the same schema for both methods."""
    return {
        "destinationPath": backup.destination_path,
        "endpointURL": backup.endpoint_url,
        "s3Credentials": _credentials(backup.secret),
        "wal": {"compression": inputs.wal_compression},
        "data": (
            {"compression": inputs.backup_data_compression}
            if inputs.backup_data_compression
            else None
        ),
    }


def _checksum_env(inputs: Inputs) -> list[dict[str, str]] | None:
    """boto3 >= 1.36 sends checksums that many S3-compatible stores reject unless
    told to send them only when required."""
    if not inputs.backup_s3_checksum_when_required:
        return None
    return [{"name": name, "value": "when_required"} for name in CHECKSUM_VARIABLES]


def cluster_backup(inputs: Inputs, backup: BackupShape) -> Document:
    """The Cluster's `spec.backup` for in-tree Barman."""
    return {
        "retentionPolicy": inputs.backup_retention_policy,
        "barmanObjectStore": _store_configuration(inputs, backup)
        | {"serverName": backup.server_name},
    }


def cluster_plugins(backup: BackupShape) -> list[dict[str, Any]]:
    """The Cluster's `spec.plugins` entry that makes the plugin archive WAL (the
    server name is a parameter of the plugin: the ObjectStore may not carry one)."""
    return [
        {
            "name": BARMAN_CLOUD_PLUGIN,
            "isWALArchiver": True,
            "parameters": {
                "barmanObjectName": backup.object_store,
                "serverName": backup.server_name,
            },
        }
    ]


def instance_env(inputs: Inputs, shape: Shape) -> list[dict[str, str]] | None:
    """Environment of the instance pods, where in-tree barman-cloud runs (backups,
    and the recovery of a new cluster)."""
    in_tree = (shape.backup is not None and not shape.backup.uses_plugin) or (
        shape.recovery is not None and not shape.recovery.uses_plugin
    )
    return _checksum_env(inputs) if in_tree else None


def _sidecar(inputs: Inputs, shape: Shape) -> Document:
    """The plugin's sidecar in each instance pod: barman-cloud runs there, so the
    checksum environment goes there, and its resources decide (with the instance's)
    whether the pod is Guaranteed."""
    return {
        "env": _checksum_env(inputs),
        "resources": shape.sidecar_resources.as_kubernetes(),
    }


def object_store(inputs: Inputs, shape: Shape, backup: BackupShape) -> Document:
    """The plugin's ObjectStore for this cluster's own archive."""
    return resource(
        OBJECT_STORE,
        backup.object_store or "",
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        spec={
            "configuration": _store_configuration(inputs, backup),
            "retentionPolicy": inputs.backup_retention_policy,
            "instanceSidecarConfiguration": _sidecar(inputs, shape),
        },
    )


def recovery_object_store(inputs: Inputs, shape: Shape, recovery: RecoveryShape) -> Document:
    """The plugin's ObjectStore for the archive a new cluster recovers from: read only,
    so no retention policy (the plugin would enforce it on someone else's archive)."""
    return resource(
        OBJECT_STORE,
        recovery.object_store or "",
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        spec={
            "configuration": {
                "destinationPath": recovery.destination_path,
                "endpointURL": recovery.endpoint_url,
                "s3Credentials": _credentials(recovery.secret),
            },
            "instanceSidecarConfiguration": _sidecar(inputs, shape),
        },
    )


def external_clusters(recovery: RecoveryShape) -> list[dict[str, Any]]:
    """The Cluster's `externalClusters` entry its `bootstrap.recovery.source` names;
    the server name is always explicit (CNPG would default it to this entry's name)."""
    if recovery.uses_plugin:
        return [
            {
                "name": recovery.source,
                "plugin": {
                    "name": BARMAN_CLOUD_PLUGIN,
                    "parameters": {
                        "barmanObjectName": recovery.object_store,
                        "serverName": recovery.server_name,
                    },
                },
            }
        ]
    return [
        {
            "name": recovery.source,
            "barmanObjectStore": {
                "destinationPath": recovery.destination_path,
                "endpointURL": recovery.endpoint_url,
                "serverName": recovery.server_name,
                "s3Credentials": _credentials(recovery.secret),
            },
        }
    ]


def recovery_bootstrap(recovery: RecoveryShape) -> Document:
    """`bootstrap.recovery` without the application database (the cluster adds it)."""
    target: Document = {"backupID": recovery.backup_id}
    if recovery.target is not None:
        field, value = recovery.target
        target[field] = value
    return {
        "source": recovery.source,
        "recoveryTarget": target if any(v is not None for v in target.values()) else None,
    }


def scheduled_backup(inputs: Inputs, shape: Shape, backup: BackupShape) -> Document:
    plugin = backup.uses_plugin
    return resource(
        SCHEDULED_BACKUP,
        backup.scheduled_backup,
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        spec={
            "schedule": inputs.backup_schedule,
            "cluster": {"name": shape.cluster},
            "method": "plugin" if plugin else "barmanObjectStore",
            "pluginConfiguration": {"name": BARMAN_CLOUD_PLUGIN} if plugin else None,
            "backupOwnerReference": "self",
            "immediate": True,
        },
    )


def inline_s3_secret(inputs: Inputs, shape: Shape, backup: BackupShape) -> Document:
    """A plaintext Secret: only for inline keys the user acknowledged (the validator
    refuses them otherwise). Never pruned: its keys would be gone from the cluster."""
    key_id, secret_key = inputs.backup_s3_access_key_id, inputs.backup_s3_secret_access_key
    assert backup.secret is not None  # inline keys always have their Secret
    return resource(
        SECRET,
        backup.secret,
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        annotations={PLAINTEXT_ACK_ANNOTATION: "true", **NEVER_PRUNE},
        type="Opaque",
        stringData={
            S3_ACCESS_KEY_ID: key_id.get_secret_value() if key_id else "",
            S3_SECRET_ACCESS_KEY: secret_key.get_secret_value() if secret_key else "",
        },
    )
