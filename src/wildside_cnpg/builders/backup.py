"""Backups to S3-compatible storage, either through CNPG's in-tree Barman
(`spec.backup.barmanObjectStore`) or through the Barman Cloud plugin (an ObjectStore
and the Cluster's `plugins`), the ScheduledBackup, and the plaintext S3 Secret
rendered only for acknowledged inline keys."""

from __future__ import annotations

from typing import Any

from ..inputs import Inputs
from ..kinds import BARMAN_CLOUD_PLUGIN, OBJECT_STORE, SCHEDULED_BACKUP, SECRET
from ..names import PLAINTEXT_ACK_ANNOTATION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, Names
from .common import Document, resource

CHECKSUM_VARIABLES = ("AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_RESPONSE_CHECKSUM_VALIDATION")


def _store_configuration(inputs: Inputs, secret: str) -> Document:
    """The Barman object store settings; the same schema for both methods."""
    return {
        "destinationPath": inputs.backup_destination_path,
        "endpointURL": inputs.backup_endpoint_url,
        "s3Credentials": {
            "accessKeyId": {"name": secret, "key": S3_ACCESS_KEY_ID},
            "secretAccessKey": {"name": secret, "key": S3_SECRET_ACCESS_KEY},
        },
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
    if not (inputs.backup_enabled and inputs.backup_s3_checksum_when_required):
        return None
    return [{"name": name, "value": "when_required"} for name in CHECKSUM_VARIABLES]


def cluster_backup(inputs: Inputs, names: Names) -> Document | None:
    """The Cluster's `spec.backup` for in-tree Barman, or None."""
    secret = names.backup_secret
    if secret is None or names.uses_plugin:
        return None
    return {
        "retentionPolicy": inputs.backup_retention_policy,
        "barmanObjectStore": _store_configuration(inputs, secret),
    }


def cluster_plugins(names: Names) -> list[dict[str, Any]] | None:
    """The Cluster's `spec.plugins` entry that makes the plugin archive WAL."""
    if not names.uses_plugin:
        return None
    return [
        {
            "name": BARMAN_CLOUD_PLUGIN,
            "isWALArchiver": True,
            "parameters": {"barmanObjectName": names.object_store},
        }
    ]


def instance_env(inputs: Inputs, names: Names) -> list[dict[str, str]] | None:
    """Environment of the instance pods, where in-tree barman-cloud runs."""
    return None if names.uses_plugin else _checksum_env(inputs)


def object_store(inputs: Inputs, names: Names) -> Document | None:
    """The plugin's ObjectStore; barman-cloud runs in its sidecar, so the checksum
    environment goes there."""
    secret = names.backup_secret
    if secret is None or not names.uses_plugin:
        return None
    env = _checksum_env(inputs)
    return resource(
        OBJECT_STORE,
        names.object_store,
        inputs.cluster_namespace,
        labels={"cnpg.io/cluster": inputs.cluster_name},
        spec={
            "configuration": _store_configuration(inputs, secret),
            "retentionPolicy": inputs.backup_retention_policy,
            "instanceSidecarConfiguration": {"env": env} if env else None,
        },
    )


def scheduled_backup(inputs: Inputs, names: Names) -> Document:
    plugin = names.uses_plugin
    return resource(
        SCHEDULED_BACKUP,
        inputs.scheduled_backup_name,
        inputs.cluster_namespace,
        labels={"cnpg.io/cluster": inputs.cluster_name},
        spec={
            "schedule": inputs.backup_schedule,
            "cluster": {"name": inputs.cluster_name},
            "method": "plugin" if plugin else "barmanObjectStore",
            "pluginConfiguration": {"name": BARMAN_CLOUD_PLUGIN} if plugin else None,
            "backupOwnerReference": "self",
            "immediate": True,
        },
    )


def inline_s3_secret(inputs: Inputs, names: Names) -> Document | None:
    """A plaintext Secret: only for inline keys the user acknowledged (the validator
    refuses them otherwise)."""
    key_id, secret_key = inputs.backup_s3_access_key_id, inputs.backup_s3_secret_access_key
    if names.backup_secret is None or key_id is None or secret_key is None:
        return None
    return resource(
        SECRET,
        names.backup_secret,
        inputs.cluster_namespace,
        labels={"cnpg.io/cluster": inputs.cluster_name},
        annotations={PLAINTEXT_ACK_ANNOTATION: "true"},
        type="Opaque",
        stringData={
            S3_ACCESS_KEY_ID: key_id.get_secret_value(),
            S3_SECRET_ACCESS_KEY: secret_key.get_secret_value(),
        },
    )
