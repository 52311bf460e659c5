"""Identity constants: the tool's name and the labels, annotations and keys that
several modules (builders, apply, policies' expectations) must spell alike."""

from __future__ import annotations

from typing import Final

MANAGED_BY: Final = "wildside-cnpg"
MANAGED_BY_LABEL: Final = "app.kubernetes.io/managed-by"
PART_OF_LABEL: Final = "app.kubernetes.io/part-of"
CLUSTER_LABEL: Final = "cnpg.io/cluster"
INSTANCE_ROLE_LABEL: Final = "cnpg.io/instanceRole"
RELOAD_LABEL: Final = "cnpg.io/reload"
# On a Pooler's PgBouncer pods (CNPG 1.30 pkg/specs/pgbouncer/deployments.go), which
# also carry cnpg.io/cluster but never cnpg.io/instanceRole.
POOLER_NAME_LABEL: Final = "cnpg.io/poolerName"
POD_ROLE_LABEL: Final = "cnpg.io/podRole"
PLAINTEXT_ACK_ANNOTATION: Final = "wildside-cnpg.io/plaintext-credentials-acknowledged"
# Flux never deletes an object carrying this annotation, neither when it leaves a
# Kustomization's inventory nor when the Kustomization itself is deleted.
FLUX_PRUNE_ANNOTATION: Final = "kustomize.toolkit.fluxcd.io/prune"
FLUX_PRUNE_DISABLED: Final = "disabled"
S3_ACCESS_KEY_ID: Final = "ACCESS_KEY_ID"
S3_SECRET_ACCESS_KEY: Final = "SECRET_ACCESS_KEY"
