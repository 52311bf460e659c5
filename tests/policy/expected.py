"""The warnings a valid tree carries by design, derived from its shape: superuser
access on (C12, the default), inline S3 keys (an acknowledged plaintext Secret, E7),
an S3 Secret kept outside the tree (B5), a managed role's password Secret kept
outside the tree (R5) and a single instance without a disruption budget (D3).
Nothing else may warn on a tree the module renders."""

from __future__ import annotations

from typing import Any

from wildside_cnpg import Module

ACK = "wildside-cnpg.io/plaintext-credentials-acknowledged"
SUPERUSER = (
    "Cluster/{namespace}/{name}: spec.enableSuperuserAccess: true lets the postgres superuser "
    "log in with a password over the network; CloudNativePG's default is false (administer "
    "with managed roles, or kubectl cnpg psql)"
)
ROLE_SECRET_OUTSIDE = (
    "Cluster/{namespace}/{name}: spec.managed.roles: role '{role}' reads Secret '{secret}', "
    "which is not in the tree; it must exist in namespace '{namespace}' with the role's "
    "username and password"
)


def superuser_warning(namespace: str, name: str) -> str:
    return SUPERUSER.format(namespace=namespace, name=name)


def superuser_warnings(tree: dict[str, list[dict[str, Any]]]) -> list[str]:
    """C12 for every Cluster of a tree (as documents) that lets the superuser in."""
    return sorted(
        superuser_warning(doc["metadata"]["namespace"], doc["metadata"]["name"])
        for docs in tree.values()
        for doc in docs
        if isinstance(doc, dict)
        and doc.get("kind") == "Cluster"
        and (doc.get("spec") or {}).get("enableSuperuserAccess") is True
    )


def knowing_warnings(module: Module) -> list[str]:
    shape = module.shape
    backup = shape.backup
    namespace = shape.namespace
    warnings: list[str] = []
    if shape.budgets.source == "none":
        warnings.append(
            f"Cluster/{namespace}/{shape.cluster}: spec.instances: 1, so no disruption budget "
            "protects it and draining its node stops the database; use two or more instances "
            "where that matters"
        )
    if module.inputs.enable_superuser_access:
        warnings.append(superuser_warning(namespace, shape.cluster))
    fetched = {role.name for role in shape.role_external_secrets}
    warnings += [
        ROLE_SECRET_OUTSIDE.format(
            namespace=namespace, name=shape.cluster, role=role.name, secret=role.secret
        )
        for role in shape.roles
        if role.name not in fetched
    ]
    if backup is None:
        return sorted(warnings)
    if backup.credentials == "inline":
        warnings.append(
            f"Secret/{namespace}/{backup.secret}: stringData: plaintext credentials in "
            f"the Git tree (acknowledged by {ACK}); prefer an ExternalSecret"
        )
    if backup is not None and backup.credentials == "secret":
        if backup.uses_plugin:
            owner = f"ObjectStore/{namespace}/{backup.object_store}: spec.configuration"
        else:
            owner = f"Cluster/{namespace}/{shape.cluster}: spec.backup.barmanObjectStore"
        warnings.append(
            f"{owner}.s3Credentials: Secret '{backup.secret}' is not in the tree; it must "
            f"exist in namespace '{namespace}' before the first backup"
        )
    return sorted(warnings)
