"""Apply order as data: which step each kind belongs to, and in what order.

Like lightkube's rank table, but in steps that match how the module converges:
namespaces, then the operator (a Helm release, not objects), then secrets and
ExternalSecrets, then the Cluster, then what protects it. Deletion (prune)
walks the same table backwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# (API group, kind) -> rank. Gaps leave room; unknown kinds go last.
RANKS: Mapping[tuple[str, str], int] = {
    ("apiextensions.k8s.io", "CustomResourceDefinition"): 10,
    ("", "Namespace"): 20,
    # 30: the Helm releases (operator, plugin): see OPERATOR_RANK
    ("", "Secret"): 40,
    ("external-secrets.io", "ExternalSecret"): 41,
    ("", "ConfigMap"): 42,
    ("barmancloud.cnpg.io", "ObjectStore"): 45,
    ("postgresql.cnpg.io", "Cluster"): 50,
    ("policy", "PodDisruptionBudget"): 60,
    ("postgresql.cnpg.io", "ScheduledBackup"): 61,
    ("monitoring.coreos.com", "PodMonitor"): 62,
}
UNKNOWN_RANK = 1000

# Rank at which the Helm releases are installed: after namespaces, before secrets.
OPERATOR_RANK = 30

# Kinds that describe the operator for Flux. In apply mode Helm installs the
# operator itself, so these are never sent to the API server.
OPERATOR_KINDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("source.toolkit.fluxcd.io", "HelmRepository"),
        ("source.toolkit.fluxcd.io", "OCIRepository"),
        ("helm.toolkit.fluxcd.io", "HelmRelease"),
    }
)

# Kinds never deleted by prune: removing a namespace removes everything in it.
NEVER_PRUNED: frozenset[tuple[str, str]] = frozenset({("", "Namespace")})


def group_of(api_version: str) -> str:
    """The API group of an apiVersion ('' for the core group)."""
    return api_version.rpartition("/")[0]


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
