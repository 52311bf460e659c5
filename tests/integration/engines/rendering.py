"""Render through the module, exactly as users do, and pick out what the engine
tests apply: the Cluster (found by kind in the rendered files) and every object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wildside_cnpg import Inputs, Module

VAULT_BACKUP_PATH = "wildside/postgres/backup"

# Credentials every backup configuration needs besides the S3 keys.
ESO_INPUTS: dict[str, Any] = {
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
    "backup_credentials_vault_path": VAULT_BACKUP_PATH,
}


@dataclass(frozen=True)
class Rendered:
    inputs: Inputs
    documents: Mapping[str, list[dict[str, Any]]]
    objects: list[dict[str, Any]]

    @property
    def cluster(self) -> dict[str, Any]:
        """The one Cluster of the tree, found by kind (and named by the inputs)."""
        (cluster,) = (
            doc
            for docs in self.documents.values()
            for doc in docs
            if doc.get("kind") == "Cluster" and str(doc.get("apiVersion")).startswith("postgresql.")
        )
        assert cluster["metadata"]["name"] == self.inputs.cluster_name
        return cluster


def render(values: Mapping[str, Any] | None = None) -> Rendered:
    inputs = Inputs.from_mapping(dict(values or {}))
    module = Module(inputs)
    return Rendered(inputs=inputs, documents=module.documents(), objects=module.objects())


def backup_inputs(endpoint: str, destination: str, **extra: Any) -> dict[str, Any]:
    """Backups to the local store with credentials from Vault through ESO."""
    return {
        "backup_enabled": True,
        "backup_destination_path": destination,
        "backup_endpoint_url": endpoint,
        **ESO_INPUTS,
        **extra,
    }
