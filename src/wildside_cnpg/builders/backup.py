"""In-tree Barman backups: the Cluster's object store, the ScheduledBackup, and the
plaintext S3 Secret rendered only for acknowledged inline keys."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import SCHEDULED_BACKUP, SECRET
from ..names import PLAINTEXT_ACK_ANNOTATION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, Names
from .common import Document, resource


def cluster_backup(inputs: Inputs, names: Names) -> Document | None:
    """The Cluster's `spec.backup`, or None without backups."""
    secret = names.backup_secret
    if secret is None:
        return None
    return {
        "retentionPolicy": inputs.backup_retention_policy,
        "barmanObjectStore": {
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
        },
    }


def scheduled_backup(inputs: Inputs) -> Document:
    return resource(
        SCHEDULED_BACKUP,
        inputs.scheduled_backup_name,
        inputs.cluster_namespace,
        labels={"cnpg.io/cluster": inputs.cluster_name},
        spec={
            "schedule": inputs.backup_schedule,
            "cluster": {"name": inputs.cluster_name},
            "method": "barmanObjectStore",
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
