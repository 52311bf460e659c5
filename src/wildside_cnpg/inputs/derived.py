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


def role_secret_name(inputs: Inputs, owner: str, given: str | None = None) -> str:
    """The Secret with a managed role's credentials: given, or derived from the cluster
    and the role (PostgreSQL identifiers have no '-', so '_' -> '-' is one to one)."""
    return given or f"{inputs.cluster_name}-role-{owner.replace('_', '-')}"
