"""Default names that derive from the cluster's name, where an input may override
them. The shape (`wildside_cnpg.shape`) reads them from here, and so do the input
rules that compare them, so each default is spelled once."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Inputs


def eso_app_secret(inputs: Inputs) -> str:
    return inputs.app_credentials_secret_name or f"{inputs.cluster_name}-app-credentials"


def eso_superuser_secret(inputs: Inputs) -> str:
    return (
        inputs.superuser_credentials_secret_name or f"{inputs.cluster_name}-superuser-credentials"
    )


def scheduled_backup_name(inputs: Inputs) -> str:
    return inputs.scheduled_backup_name or f"{inputs.cluster_name}-backup"


def replica_budget_name(inputs: Inputs) -> str:
    return inputs.pdb_name or f"{inputs.cluster_name}-pdb"


def image_name(inputs: Inputs) -> str:
    """The image, or the pinned default for the backup method: `standard` for the
    plugin (barman-cloud runs in its sidecar), `system` for in-tree Barman."""
    from ..versions import DEFAULT_IMAGES

    return inputs.image_name or DEFAULT_IMAGES[inputs.backup_method]


def backup_server_name(inputs: Inputs) -> str:
    """The archive's folder under the destination path."""
    return inputs.backup_server_name or inputs.cluster_name


def recovery_source_server_name(inputs: Inputs) -> str:
    return inputs.recovery_source_server_name or inputs.cluster_name
