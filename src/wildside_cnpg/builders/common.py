"""Object skeletons and labels shared by every builder."""

from __future__ import annotations

from typing import Any

from ..constants import (
    CLUSTER_LABEL,
    FLUX_PRUNE_ANNOTATION,
    FLUX_PRUNE_DISABLED,
    MANAGED_BY,
    MANAGED_BY_LABEL,
    PART_OF_LABEL,
)
from ..kinds import Kind

Document = dict[str, Any]

# Objects whose deletion loses data or credentials: Flux must never prune them.
NEVER_PRUNE = {FLUX_PRUNE_ANNOTATION: FLUX_PRUNE_DISABLED}


def common_labels() -> dict[str, str]:
    return {MANAGED_BY_LABEL: MANAGED_BY, PART_OF_LABEL: "cloudnative-pg"}


def cluster_labels(cluster: str) -> dict[str, str]:
    return {CLUSTER_LABEL: cluster}


def resource(
    kind: Kind,
    name: str,
    namespace: str | None = None,
    *,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    **body: Any,
) -> Document:
    """A Kubernetes object; None values anywhere are dropped when serialised."""
    metadata: Document = {"name": name, "namespace": namespace}
    metadata["labels"] = common_labels() | (labels or {})
    if annotations:
        metadata["annotations"] = annotations
    return {"apiVersion": kind.api_version, "kind": kind.kind, "metadata": metadata, **body}
