"""Object skeletons and labels shared by every builder."""

from __future__ import annotations

from typing import Any

from ..kinds import Kind
from ..names import MANAGED_BY

Document = dict[str, Any]


def common_labels() -> dict[str, str]:
    return {
        "app.kubernetes.io/managed-by": MANAGED_BY,
        "app.kubernetes.io/part-of": "cloudnative-pg",
    }


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
