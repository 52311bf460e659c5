"""A Helm release's records in the cluster, read through the API.

Helm 3 keeps each revision of a release in a Secret of the release's namespace (a
ConfigMap with HELM_DRIVER=configmap) labelled owner=helm, name=<release>,
version=<revision> and status=<status>. The labels tell the current revision and its
status without the helm binary, and watching them follows an install as it runs.
Only the labels are read; the release's payload is never decoded or shown.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lightkube import ApiError, Client
from lightkube.resources.core_v1 import ConfigMap, Secret

from .errors import ClusterError
from .ssa import as_dict


@dataclass(frozen=True)
class Revision:
    number: int
    status: str


def record_type() -> Any:
    """Secret or ConfigMap, as HELM_DRIVER says; None for drivers outside the API
    server (sql, memory)."""
    driver = os.environ.get("HELM_DRIVER", "").strip().lower()
    if driver in ("", "secret", "secrets"):
        return Secret
    if driver in ("configmap", "configmaps"):
        return ConfigMap
    return None


def record_labels(release: str) -> dict[str, Any]:
    return {"owner": "helm", "name": release}


def revision_of(record: Mapping[str, Any]) -> Revision | None:
    labels = (record.get("metadata") or {}).get("labels") or {}
    try:
        return Revision(int(labels.get("version", "")), str(labels.get("status") or "unknown"))
    except ValueError:
        return None


def newest(records: Iterable[Mapping[str, Any]]) -> Revision | None:
    found = [r for r in (revision_of(record) for record in records) if r is not None]
    return max(found, key=lambda r: r.number) if found else None


def read_release(client: Client, namespace: str, release: str) -> tuple[Revision | None, str]:
    """The newest revision of release (None: not installed) and the resourceVersion
    the records were read at. Raises ClusterError when the storage is not readable."""
    kind = record_type()
    if kind is None:
        raise ClusterError(
            f"Helm release {namespace}/{release}: HELM_DRIVER="
            f"{os.environ.get('HELM_DRIVER')} keeps releases outside the API server"
        )
    try:
        listed = client.list(kind, namespace=namespace, labels=record_labels(release))
        items = [as_dict(item) for item in listed]
    except ApiError as exc:
        raise ClusterError(
            f"Helm release {namespace}/{release}: cannot read its records: {exc.status.message}"
        ) from exc
    return newest(items), listed.resourceVersion
