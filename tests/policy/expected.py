"""The warnings a valid tree carries by design, derived from its shape: inline S3
keys (an acknowledged plaintext Secret, E7), an S3 Secret kept outside the tree (B5),
in-tree Barman Cloud (B16), pods that are not Guaranteed QoS (C12, C14) and a single
instance without a disruption budget (D5). Nothing else may warn on a tree the module
renders."""

from __future__ import annotations

from wildside_cnpg import Module

ACK = "wildside-cnpg.io/plaintext-credentials-acknowledged"
IN_TREE = (
    "in-tree Barman Cloud is removed in CloudNativePG 1.31 (the 1.30 release notes); move "
    "to the Barman Cloud plugin (an ObjectStore, and spec.plugins or an externalClusters "
    "plugin entry) before upgrading the operator"
)


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
    warnings: list[str] = _qos(module)
    if shape.budgets.source == "none":
        warnings.append(
            f"{cluster}: spec.instances: 1, so no disruption budget protects it and draining "
            "its node stops the database; use two or more instances where that matters"
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
