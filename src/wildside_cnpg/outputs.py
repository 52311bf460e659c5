"""The module's outputs, shaped like `tofu output -json`:
{name: {"value": ..., "type": <type expression>, "sensitive": bool}}."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .inputs import Inputs
from .names import POSTGRES_PORT, Names

TypeExpr = str | list[Any]


@dataclass(frozen=True)
class OutputSpec:
    description: str
    value: Callable[[Inputs, Names, Callable[[], dict[str, str]]], Any]
    sensitive: bool = False
    # The declared type where the value alone cannot tell it (null, or a map).
    type_hint: TypeExpr | None = None


def tofu_type(value: Any) -> TypeExpr:
    """The type expression `tofu output -json` prints for a value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return ["object", {key: tofu_type(item) for key, item in value.items()}]
    if isinstance(value, list | tuple):
        return ["tuple", [tofu_type(item) for item in value]]
    return "dynamic"


def _secret_ref(name: str | None, inputs: Inputs) -> dict[str, str] | None:
    return None if name is None else {"name": name, "namespace": inputs.cluster_namespace}


def sync_policy_contract(inputs: Inputs, names: Names) -> dict[str, Any]:
    """What downstream modules need to reach and use the database. Every secret it
    names exists in the cluster with this configuration."""
    backup = None
    if inputs.backup_enabled:
        backup = {
            "enabled": True,
            "method": inputs.backup_method,
            "destination_path": inputs.backup_destination_path,
            "endpoint_url": inputs.backup_endpoint_url,
            "schedule": inputs.backup_schedule,
            "retention_policy": inputs.backup_retention_policy,
            "credentials_secret": _secret_ref(names.backup_secret, inputs),
        }
    return {
        "cluster": {"name": inputs.cluster_name, "namespace": inputs.cluster_namespace},
        "endpoints": {
            "primary": {"host": names.primary_endpoint, "port": POSTGRES_PORT},
            "replica": {"host": names.replica_endpoint, "port": POSTGRES_PORT},
        },
        "database": {"name": inputs.database_name, "owner": inputs.database_owner},
        "credentials": {
            "superuser_secret": _secret_ref(names.superuser_secret, inputs),
            "app_secret": _secret_ref(names.app_secret, inputs),
        },
        "backup": backup,
        "postgis_enabled": inputs.postgis_enabled,
    }


OUTPUTS: dict[str, OutputSpec] = {
    "operator_namespace": OutputSpec(
        "Namespace of the CloudNativePG operator", lambda i, n, r: i.operator_namespace
    ),
    "cluster_namespace": OutputSpec(
        "Namespace of the PostgreSQL cluster", lambda i, n, r: i.cluster_namespace
    ),
    "cluster_name": OutputSpec("Name of the CNPG Cluster", lambda i, n, r: i.cluster_name),
    "helm_release_name": OutputSpec(
        "Name of the operator's Helm release", lambda i, n, r: i.helm_release_name
    ),
    "primary_service_name": OutputSpec(
        "Service of the primary (read-write)", lambda i, n, r: n.primary_service
    ),
    "replica_service_name": OutputSpec(
        "Service of the replicas (read-only)", lambda i, n, r: n.replica_service
    ),
    "primary_endpoint": OutputSpec(
        "FQDN of the primary (read-write) service", lambda i, n, r: n.primary_endpoint
    ),
    "replica_endpoint": OutputSpec(
        "FQDN of the replica (read-only) service", lambda i, n, r: n.replica_endpoint
    ),
    "database_name": OutputSpec("Application database", lambda i, n, r: i.database_name),
    "database_owner": OutputSpec("Owner role of the database", lambda i, n, r: i.database_owner),
    "superuser_credentials_secret_name": OutputSpec(
        "Secret with the superuser's credentials (null when superuser access is off)",
        lambda i, n, r: n.superuser_secret,
        type_hint="string",
    ),
    "app_credentials_secret_name": OutputSpec(
        "Secret with the application credentials (ESO's target or CNPG's <cluster>-app)",
        lambda i, n, r: n.app_secret,
    ),
    "backup_credentials_secret_name": OutputSpec(
        "Secret with the S3 keys (null without backups)",
        lambda i, n, r: n.backup_secret,
        type_hint="string",
    ),
    "backup_enabled": OutputSpec("Whether backups are on", lambda i, n, r: i.backup_enabled),
    "sync_policy_contract": OutputSpec(
        "Endpoints, database, credential secrets, backup settings and PostGIS "
        "for downstream modules",
        lambda i, n, r: sync_policy_contract(i, n),
    ),
    "rendered_manifests": OutputSpec(
        "Rendered files keyed by GitOps path (empty in apply mode)",
        lambda i, n, r: r() if i.mode == "render" else {},
        sensitive=True,
        type_hint=["map", "string"],
    ),
}


def module_outputs(
    inputs: Inputs, names: Names, render: Callable[[], dict[str, str]]
) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for name in sorted(OUTPUTS):
        spec = OUTPUTS[name]
        value = spec.value(inputs, names, render)
        result[name] = {
            "sensitive": spec.sensitive,
            "type": spec.type_hint if spec.type_hint is not None else tofu_type(value),
            "value": value,
        }
    return result
