"""The warnings a valid tree carries by design, derived from its shape: inline S3
keys (an acknowledged plaintext Secret, E7) and an S3 Secret kept outside the tree
(B5). Nothing else may warn on a tree the module renders."""

from __future__ import annotations

from wildside_cnpg import Module

ACK = "wildside-cnpg.io/plaintext-credentials-acknowledged"


def knowing_warnings(module: Module) -> list[str]:
    shape = module.shape
    backup = shape.backup
    if backup is None:
        return []
    namespace = shape.namespace
    warnings: list[str] = []
    if backup.credentials == "inline":
        warnings.append(
            f"Secret/{namespace}/{backup.secret}: stringData: plaintext credentials in "
            f"the Git tree (acknowledged by {ACK}); prefer an ExternalSecret"
        )
    if backup.credentials == "secret":
        if backup.uses_plugin:
            owner = f"ObjectStore/{namespace}/{backup.object_store}: spec.configuration"
        else:
            owner = f"Cluster/{namespace}/{shape.cluster}: spec.backup.barmanObjectStore"
        warnings.append(
            f"{owner}.s3Credentials: Secret '{backup.secret}' is not in the tree; it must "
            f"exist in namespace '{namespace}' before the first backup"
        )
    return sorted(warnings)
