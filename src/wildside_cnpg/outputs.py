"""The module's outputs, shaped like `tofu output -json`:
{name: {"value": ..., "type": <type expression>, "sensitive": bool}}."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .inputs import Inputs
from .inputs.service_names import PoolerType
from .shape import POSTGRES_PORT, Shape

TypeExpr = str | list[Any]


@dataclass(frozen=True)
class OutputSpec:
    description: str
    value: Callable[[Inputs, Shape, Callable[[], dict[str, str]]], Any]
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


def _secret_ref(name: str | None, shape: Shape) -> dict[str, str] | None:
    return None if name is None else {"name": name, "namespace": shape.namespace}


def _endpoint(shape: Shape, service: str | None) -> dict[str, Any] | None:
    return None if service is None else {"host": shape.fqdn(service), "port": POSTGRES_PORT}


def _fqdn(shape: Shape, service: str | None) -> str | None:
    return None if service is None else shape.fqdn(service)


def _pooler_service(shape: Shape, kind: PoolerType) -> str | None:
    pooler = shape.pooler(kind)
    return None if pooler is None else pooler.name


def _tls(shape: Shape) -> dict[str, Any]:
    """Whether clients should verify the server (sslmode=verify-full), with the Secret
    the instances serve and the one holding the ca.crt to verify it with. Null
    secrets without it: CNPG's self-signed <cluster>-ca also holds its private key,
    which no consumer should read."""
    tls = shape.tls
    return {
        "enabled": tls is not None,
        "server_secret": _secret_ref(tls.secret if tls else None, shape),
        "ca_secret": _secret_ref(tls.ca_secret if tls else None, shape),
    }


_TARGET_KINDS = {
    "targetTime": "time",
    "targetLSN": "lsn",
    "targetXID": "xid",
    "targetName": "name",
    "targetImmediate": "immediate",
}


def bootstrap_contract(shape: Shape) -> dict[str, Any]:
    """How CNPG created (or creates) the cluster: empty, or from which backup."""
    recovery = shape.recovery
    if recovery is None:
        return {"method": "initdb", "source": None}
    target = None
    if recovery.target is not None:
        field, value = recovery.target
        target = {"kind": _TARGET_KINDS[field], "value": value}
    return {
        "method": "recovery",
        "source": {
            "destination_path": recovery.destination_path,
            "endpoint_url": recovery.endpoint_url,
            "server_name": recovery.server_name,
            "backup_id": recovery.backup_id,
            "target": target,
        },
    }


def _databases(inputs: Inputs, shape: Shape) -> list[dict[str, Any]]:
    """Every database and the Secret with its owner's credentials: the application
    database first, then the extra ones by name."""
    application = {
        "name": inputs.database_name,
        "owner": inputs.database_owner,
        "credentials_secret": _secret_ref(shape.app_secret, shape),
    }
    return [application] + [
        {
            "name": db.name,
            "owner": db.owner,
            "credentials_secret": _secret_ref(db.secret, shape),
        }
        for db in shape.databases
        if not db.application
    ]


def sync_policy_contract(inputs: Inputs, shape: Shape) -> dict[str, Any]:
    """What downstream modules need to reach and use the database. Every secret it
    names exists in the cluster with this configuration, and every endpoint has
    endpoints: with one instance there are no replicas, so `replica` is null and
    readers use `read` (any instance, the primary included). The endpoint of a default
    Service turned off (disabled_default_services) is null too. The backup's
    `credentials_secret` is null when no Secret holds keys: the instances' IAM role."""
    backup = None
    if shape.backup is not None:
        backup = {
            "enabled": True,
            "method": shape.backup.method,
            "destination_path": shape.backup.destination_path,
            "endpoint_url": shape.backup.endpoint_url,
            "server_name": shape.backup.server_name,
            "schedule": inputs.backup_schedule,
            "retention_policy": inputs.backup_retention_policy,
            "credentials_secret": _secret_ref(shape.backup.secret, shape),
        }
    return {
        "cluster": {"name": shape.cluster, "namespace": shape.namespace},
        "endpoints": {
            "primary": _endpoint(shape, shape.primary_service),
            "replica": _endpoint(shape, shape.replica_service),
            "read": _endpoint(shape, shape.read_service),
            # PgBouncer in front of the primary and of the replicas (null when off).
            "pooler_rw": _endpoint(shape, _pooler_service(shape, "rw")),
            "pooler_ro": _endpoint(shape, _pooler_service(shape, "ro")),
        },
        "database": {"name": inputs.database_name, "owner": inputs.database_owner},
        "databases": _databases(inputs, shape),
        "credentials": {
            "superuser_secret": _secret_ref(shape.superuser_secret, shape),
            "app_secret": _secret_ref(shape.app_secret, shape),
        },
        "backup": backup,
        "bootstrap": bootstrap_contract(shape),
        "postgis_enabled": inputs.postgis_enabled,
        "tls": _tls(shape),
    }


OUTPUTS: dict[str, OutputSpec] = {
    "operator_namespace": OutputSpec(
        "Namespace of the CloudNativePG operator", lambda i, s, r: i.operator_namespace
    ),
    "cluster_namespace": OutputSpec(
        "Namespace of the PostgreSQL cluster", lambda i, s, r: i.cluster_namespace
    ),
    "cluster_name": OutputSpec("Name of the CNPG Cluster", lambda i, s, r: i.cluster_name),
    "helm_release_name": OutputSpec(
        "Name of the operator's Helm release", lambda i, s, r: i.helm_release_name
    ),
    "primary_service_name": OutputSpec(
        "Service of the primary (read-write)", lambda i, s, r: s.primary_service
    ),
    "replica_service_name": OutputSpec(
        "Service of the replicas (read-only; null with one instance, which has none, or "
        "with ro in disabled_default_services)",
        lambda i, s, r: s.replica_service,
        type_hint="string",
    ),
    "read_service_name": OutputSpec(
        "Service of any instance, the primary included (read; null with r in "
        "disabled_default_services)",
        lambda i, s, r: s.read_service,
        type_hint="string",
    ),
    "primary_endpoint": OutputSpec(
        "FQDN of the primary (read-write) service", lambda i, s, r: s.fqdn(s.primary_service)
    ),
    "replica_endpoint": OutputSpec(
        "FQDN of the replica (read-only) service (null with one instance: use read_endpoint; "
        "null with ro in disabled_default_services)",
        lambda i, s, r: _fqdn(s, s.replica_service),
        type_hint="string",
    ),
    "read_endpoint": OutputSpec(
        "FQDN of the service of any instance (read; null with r in disabled_default_services)",
        lambda i, s, r: _fqdn(s, s.read_service),
        type_hint="string",
    ),
    "pooler_rw_endpoint": OutputSpec(
        "FQDN of the PgBouncer pooler in front of the primary (null without pooler_enabled)",
        lambda i, s, r: _fqdn(s, _pooler_service(s, "rw")),
        type_hint="string",
    ),
    "pooler_ro_endpoint": OutputSpec(
        "FQDN of the PgBouncer pooler in front of the replicas (null without "
        "pooler_read_only_enabled)",
        lambda i, s, r: _fqdn(s, _pooler_service(s, "ro")),
        type_hint="string",
    ),
    "database_name": OutputSpec("Application database", lambda i, s, r: i.database_name),
    "database_owner": OutputSpec("Owner role of the database", lambda i, s, r: i.database_owner),
    "superuser_credentials_secret_name": OutputSpec(
        "Secret with the superuser's credentials (null when superuser access is off)",
        lambda i, s, r: s.superuser_secret,
        type_hint="string",
    ),
    "app_credentials_secret_name": OutputSpec(
        "Secret with the application credentials (ESO's target or CNPG's <cluster>-app)",
        lambda i, s, r: s.app_secret,
    ),
    "backup_credentials_secret_name": OutputSpec(
        "Secret with the S3 keys (null without backups, or with the instances' IAM role)",
        lambda i, s, r: s.backup.secret if s.backup else None,
        type_hint="string",
    ),
    "backup_enabled": OutputSpec("Whether backups are on", lambda i, s, r: i.backup_enabled),
    "sync_policy_contract": OutputSpec(
        "Endpoints (poolers included), database, credential secrets, backup settings, how "
        "the cluster was bootstrapped, PostGIS and TLS for downstream modules",
        lambda i, s, r: sync_policy_contract(i, s),
    ),
    "rendered_manifests": OutputSpec(
        "Rendered files keyed by GitOps path (empty in apply mode)",
        lambda i, s, r: r() if i.mode == "render" else {},
        sensitive=True,
        type_hint=["map", "string"],
    ),
}


def module_outputs(
    inputs: Inputs, shape: Shape, render: Callable[[], dict[str, str]]
) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for name in sorted(OUTPUTS):
        spec = OUTPUTS[name]
        value = spec.value(inputs, shape, render)
        result[name] = {
            "sensitive": spec.sensitive,
            "type": spec.type_hint if spec.type_hint is not None else tofu_type(value),
            "value": value,
        }
    return result
