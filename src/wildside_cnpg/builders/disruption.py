"""PodDisruptionBudgets that replace CNPG's built-in ones, one budget per pod.

The Kubernetes eviction API refuses to evict a pod that two budgets select, so the
primary and the replicas get disjoint selectors (by `cnpg.io/instanceRole`), exactly
as CNPG's own budgets do, and the Cluster's `enablePDB` is switched off."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import POD_DISRUPTION_BUDGET
from ..names import Names
from .common import Document, resource


def _budget(inputs: Inputs, name: str, role: str, min_available: int) -> Document:
    return resource(
        POD_DISRUPTION_BUDGET,
        name,
        inputs.cluster_namespace,
        labels={"cnpg.io/cluster": inputs.cluster_name},
        spec={
            "minAvailable": min_available,
            "selector": {
                "matchLabels": {
                    "cnpg.io/cluster": inputs.cluster_name,
                    "cnpg.io/instanceRole": role,
                }
            },
        },
    )


def disruption_budgets(inputs: Inputs, names: Names) -> list[Document]:
    """The primary's budget (it is never evicted; CNPG switches over first when its
    node is drained), plus the replicas' when there are at least two replicas."""
    if not names.renders_pdb:
        return []
    budgets = [_budget(inputs, names.primary_pdb, "primary", 1)]
    if inputs.instances >= 3:
        budgets.append(_budget(inputs, names.replica_pdb, "replica", inputs.pdb_min_available))
    return budgets
