"""Default names that derive from the cluster's name, where an input may override
them. The shape (`wildside_cnpg.shape`) reads them from here, and so do the input
rules that compare them, so each default is spelled once."""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

from .cadence import longest_interval

if TYPE_CHECKING:
    from .compiled import Inputs


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


def tls_server_secret(inputs: Inputs) -> str:
    """The Secret cert-manager writes the server certificate to (CNPG's own is
    <cluster>-server, so turning TLS on never takes over that one)."""
    return f"{inputs.cluster_name}-server-tls"


def cnpg_ca_secret(inputs: Inputs) -> str:
    """The CA CNPG generates for itself (server and client) without spec.certificates."""
    return f"{inputs.cluster_name}-ca"


def backup_max_age_hours(inputs: Inputs) -> int | None:
    """The backup alert's threshold: the input, or the schedule's longest interval
    between two backups plus a quarter, in whole hours (None when it never repeats)."""
    if inputs.alerts_backup_max_age_hours is not None:
        return inputs.alerts_backup_max_age_hours
    interval = longest_interval(inputs.backup_schedule)
    if interval is None:
        return None
    return max(1, math.ceil(interval * 1.25 / 3600))


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


def dns_part(identifier: str) -> str:
    """A PostgreSQL identifier as part of a Kubernetes name: '_' becomes '-' (the
    identifiers have no '-', so two stay apart); one that would end with '-' (`db_`)
    ends with a short hash of itself instead, since a name cannot. The rules refuse the
    one-in-four-billion collision that leaves."""
    dashed = identifier.replace("_", "-")
    if dashed.endswith("-"):
        dashed += hashlib.sha256(identifier.encode()).hexdigest()[:8]
    return dashed


def role_secret_name(inputs: Inputs, owner: str, given: str | None = None) -> str:
    """The Secret with a managed role's credentials: given, or derived from the cluster
    and the role."""
    return given or f"{inputs.cluster_name}-role-{dns_part(owner)}"


def database_resource_name(inputs: Inputs, database: str) -> str:
    """The CNPG Database object of a database."""
    return f"{inputs.cluster_name}-{dns_part(database)}"
