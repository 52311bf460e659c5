"""Apply order as data: which step each kind belongs to, and in what order.

Like lightkube's rank table, but in steps that match how the module converges:
namespaces, then the operator (a Helm release, not objects), then secrets and
ExternalSecrets, then the Cluster, then what protects it. Deletion (prune)
walks the same table backwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import kinds
from ..kinds import Kind


def group_of(api_version: str) -> str:
    """The API group of an apiVersion ('' for the core group)."""
    return api_version.rpartition("/")[0]


def _key(kind: Kind) -> tuple[str, str]:
    return group_of(kind.api_version), kind.kind


# (API group, kind) -> rank. Gaps leave room; unknown kinds go last.
RANKS: Mapping[tuple[str, str], int] = {
    ("apiextensions.k8s.io", "CustomResourceDefinition"): 10,
    _key(kinds.NAMESPACE): 20,
    # 30: the Helm releases (operator, plugin): see OPERATOR_RANK
    _key(kinds.SECRET): 40,
    _key(kinds.EXTERNAL_SECRET): 41,
    ("", "ConfigMap"): 42,
    _key(kinds.CERTIFICATE): 43,  # its Secret is the Cluster's serverTLSSecret
    _key(kinds.OBJECT_STORE): 45,
    _key(kinds.CLUSTER): 50,
    _key(kinds.POOLER): 55,
    _key(kinds.POD_DISRUPTION_BUDGET): 60,
    _key(kinds.SCHEDULED_BACKUP): 61,
    _key(kinds.POD_MONITOR): 62,
    _key(kinds.PROMETHEUS_RULE): 63,
}
UNKNOWN_RANK = 1000

# Rank at which the Helm releases are installed: after namespaces, before secrets.
OPERATOR_RANK = 30

# Flux's own objects. In apply mode Helm installs the charts itself, so these are
# never sent to the API server.
FLUX_KINDS: frozenset[tuple[str, str]] = frozenset(
    _key(k)
    for k in (
        kinds.HELM_REPOSITORY,
        kinds.OCI_REPOSITORY,
        kinds.HELM_RELEASE,
        kinds.FLUX_KUSTOMIZATION,
    )
)

# Kinds never deleted by prune: removing a namespace removes everything in it.
NEVER_PRUNED: frozenset[tuple[str, str]] = frozenset({_key(kinds.NAMESPACE)})

CLUSTER_KIND = _key(kinds.CLUSTER)


def kind_key(obj: Mapping[str, Any]) -> tuple[str, str]:
    return group_of(str(obj["apiVersion"])), str(obj["kind"])


def rank(obj: Mapping[str, Any]) -> int:
    return RANKS.get(kind_key(obj), UNKNOWN_RANK)


def _name_key(obj: Mapping[str, Any]) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


def sort_for_apply(objects: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Objects in apply order; ties keep a stable, name-based order."""
    return sorted(objects, key=lambda o: (rank(o), *kind_key(o), *_name_key(o)))


def sort_for_delete(objects: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Objects in deletion order: the apply order reversed."""
    return list(reversed(sort_for_apply(objects)))
