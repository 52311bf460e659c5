"""Custom PodDisruptionBudgets that replace CNPG's built-in ones, one budget per pod.

The Kubernetes eviction API refuses to evict a pod that two budgets select, so the
primary and the replicas get disjoint selectors (by `cnpg.io/instanceRole`), exactly
as CNPG's own budgets do, and the Cluster's `enablePDB` is switched off."""

from __future__ import annotations

from ..constants import CLUSTER_LABEL, INSTANCE_ROLE_LABEL
from ..kinds import POD_DISRUPTION_BUDGET
from ..shape import Shape
from .common import Document, cluster_labels, resource


def _budget(shape: Shape, name: str, role: str, min_available: int) -> Document:
    return resource(
        POD_DISRUPTION_BUDGET,
        name,
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        spec={
            "minAvailable": min_available,
            "selector": {"matchLabels": {CLUSTER_LABEL: shape.cluster, INSTANCE_ROLE_LABEL: role}},
        },
    )


def disruption_budgets(shape: Shape) -> list[Document]:
    """The primary's budget (it is never evicted; CNPG switches over first when its
    node is drained), plus the replicas' when there are at least two replicas."""
    budgets = shape.budgets
    documents = [_budget(shape, budgets.primary or "", "primary", 1)]
    if budgets.replicas is not None and budgets.min_available is not None:
        documents.append(_budget(shape, budgets.replicas, "replica", budgets.min_available))
    return documents
