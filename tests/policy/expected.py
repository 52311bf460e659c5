"""The warnings a valid tree carries by design, derived from its inputs: inline S3
keys (an acknowledged plaintext Secret, E7) and an S3 Secret kept outside the tree
(B5). Nothing else may warn on a tree the module renders."""

from __future__ import annotations

from wildside_cnpg import Module

ACK = "wildside-cnpg.io/plaintext-credentials-acknowledged"


def knowing_warnings(module: Module) -> list[str]:
    inputs, names = module.inputs, module.names
    namespace = inputs.cluster_namespace
    warnings: list[str] = []
    if inputs.backup_enabled and inputs.backup_s3_access_key_id is not None:
        warnings.append(
            f"Secret/{namespace}/{names.backup_secret}: stringData: plaintext credentials in "
            f"the Git tree (acknowledged by {ACK}); prefer an ExternalSecret"
        )
    if inputs.backup_enabled and inputs.backup_s3_credentials_secret_name is not None:
        if names.uses_plugin:
            owner = f"ObjectStore/{namespace}/{names.object_store}: spec.configuration"
        else:
            owner = f"Cluster/{namespace}/{inputs.cluster_name}: spec.backup.barmanObjectStore"
        warnings.append(
            f"{owner}.s3Credentials: Secret '{inputs.backup_s3_credentials_secret_name}' is not "
            f"in the tree; it must exist in namespace '{namespace}' before the first backup"
        )
    return sorted(warnings)
