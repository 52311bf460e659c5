"""The warnings a valid tree carries by design, derived from its shape: superuser
access on (C15, the default), inline S3 keys (an acknowledged plaintext Secret, E7),
an S3 Secret kept outside the tree (B5), in-tree Barman Cloud (B16), pods that are not
Guaranteed QoS (C12, C14), a single instance without a disruption budget (D5), a
managed role's password Secret kept outside the tree (R5) and a LoadBalancer without
source ranges, of the Cluster's own Services (C20) or of a Pooler (P5). Nothing else
may warn on a tree the module renders."""

from __future__ import annotations

from typing import Any

from wildside_cnpg import Module

ACK = "wildside-cnpg.io/plaintext-credentials-acknowledged"
IN_TREE = (
    "in-tree Barman Cloud is removed in CloudNativePG 1.31 (the 1.30 release notes); move "
    "to the Barman Cloud plugin (an ObjectStore, and spec.plugins or an externalClusters "
    "plugin entry) before upgrading the operator"
)


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
    """C15 for every Cluster of a tree (as documents) that lets the superuser in."""
    return sorted(
        superuser_warning(doc["metadata"]["namespace"], doc["metadata"]["name"])
        for docs in tree.values()
        for doc in docs
        if isinstance(doc, dict)
        and doc.get("kind") == "Cluster"
        and (doc.get("spec") or {}).get("enableSuperuserAccess") is True
    )


def _databases(module: Module) -> list[str]:
    """Superuser access on, and each managed role whose Secret no ExternalSecret writes."""
    shape = module.shape
    warnings = []
    if module.inputs.enable_superuser_access:
        warnings.append(superuser_warning(shape.namespace, shape.cluster))
    fetched = {role.name for role in shape.role_external_secrets}
    warnings += [
        ROLE_SECRET_OUTSIDE.format(
            namespace=shape.namespace, name=shape.cluster, role=role.name, secret=role.secret
        )
        for role in shape.roles
        if role.name not in fetched
    ]
    return warnings


def _outside(owner: str, secret: str, namespace: str) -> str:
    return (
        f"{owner}.s3Credentials: Secret '{secret}' is not in the tree; it must "
        f"exist in namespace '{namespace}' before the first backup"
    )


def _qos(module: Module) -> list[str]:
    shape = module.shape
    cluster = f"Cluster/{shape.namespace}/{shape.cluster}"
    warnings = []
    resources = shape.resources
    for resource in ("cpu", "memory"):
        request, limit = resources.requests[resource], resources.limits[resource]
        if request != limit:
            warnings.append(
                f"{cluster}: spec.resources.requests.{resource}: '{request}' differs from the "
                f"limit '{limit}', so the instance pods are not Guaranteed QoS and the OOM "
                "killer may take the postmaster first; set requests equal to limits"
            )
    if shape.backup is not None and shape.backup.uses_plugin:
        sidecar = shape.sidecar_resources
        store = f"ObjectStore/{shape.namespace}/{shape.backup.object_store}"
        for resource in ("cpu", "memory"):
            request, limit = sidecar.requests[resource], sidecar.limits[resource]
            if request != limit:
                warnings.append(
                    f"{store}: spec.instanceSidecarConfiguration.resources.requests.{resource}: "
                    f"'{request}' differs from the limit '{limit}', so the Barman Cloud "
                    f"plugin's sidecar keeps the pods of {cluster} out of Guaranteed QoS; set "
                    "its requests equal to its limits"
                )
    return warnings


def knowing_warnings(module: Module) -> list[str]:
    shape = module.shape
    backup = shape.backup
    recovery = shape.recovery
    namespace = shape.namespace
    cluster = f"Cluster/{namespace}/{shape.cluster}"
    warnings: list[str] = [*_qos(module), *_databases(module)]
    if shape.budgets.source == "none":
        warnings.append(
            f"{cluster}: spec.instances: 1, so no disruption budget protects it and draining "
            "its node stops the database; use two or more instances where that matters"
        )
    for index, service in enumerate(module.inputs.additional_services):
        if service.type == "LoadBalancer" and not service.load_balancer_source_ranges:
            warnings.append(
                f"{cluster}: spec.managed.services.additional[{index}] ('{service.name}'): a "
                "LoadBalancer Service without loadBalancerSourceRanges, so any address that "
                "can reach the load balancer can reach PostgreSQL; list the client networks "
                "in serviceTemplate.spec.loadBalancerSourceRanges"
            )
    for pooler in (doc for doc in module.objects() if doc["kind"] == "Pooler"):
        template = pooler["spec"].get("serviceTemplate") or {}
        service = template.get("spec") or {}
        ranges = service.get("loadBalancerSourceRanges")
        restricted = isinstance(ranges, list) and len(ranges) > 0
        if service.get("type") == "LoadBalancer" and not restricted:
            metadata = pooler["metadata"]
            warnings.append(
                f"Pooler/{metadata['namespace']}/{metadata['name']}: spec.serviceTemplate: a "
                "LoadBalancer Service without loadBalancerSourceRanges, so any address that "
                "can reach the load balancer can reach PgBouncer and through it PostgreSQL; "
                "list the client networks in spec.serviceTemplate.spec.loadBalancerSourceRanges"
            )
    if backup is not None:
        if backup.credentials == "inline":
            warnings.append(
                f"Secret/{namespace}/{backup.secret}: stringData: plaintext credentials in "
                f"the Git tree (acknowledged by {ACK}); prefer an ExternalSecret"
            )
        if backup.uses_plugin:
            owner = f"ObjectStore/{namespace}/{backup.object_store}: spec.configuration"
        else:
            owner = f"{cluster}: spec.backup.barmanObjectStore"
            warnings.append(f"{owner}: {IN_TREE}")
        if backup.credentials == "secret":
            warnings.append(_outside(owner, backup.secret, namespace))
    if recovery is not None:
        if recovery.uses_plugin:
            owner = f"ObjectStore/{namespace}/{recovery.object_store}: spec.configuration"
        else:
            owner = f"{cluster}: spec.externalClusters[0].barmanObjectStore"
            warnings.append(f"{owner}: {IN_TREE}")
        if recovery.credentials == "secret":
            warnings.append(_outside(owner, recovery.secret, namespace))
    return sorted(set(warnings))
