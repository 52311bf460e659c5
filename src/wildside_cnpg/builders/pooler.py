"""PgBouncer Poolers in front of the cluster, and a disruption budget for each.

CNPG labels a Pooler's pods `cnpg.io/poolerName=<pooler>` and `cnpg.io/podRole=pooler`
(CNPG 1.30, pkg/specs/pgbouncer/deployments.go). They carry `cnpg.io/cluster` too, but
never `cnpg.io/instanceRole`, so the instances' budgets (CNPG's or the tree's, which
select by instance role) never select them, and a budget selecting by pooler name
never selects an instance: each pod stays under exactly one budget."""

from __future__ import annotations

from ..constants import POD_ROLE_LABEL, POOLER_NAME_LABEL
from ..inputs import Inputs
from ..kinds import POD_DISRUPTION_BUDGET, POOLER
from ..shape import PoolerShape, Shape
from .common import Document, cluster_labels, resource
from .services import service_template

POOLER_ROLE = "pooler"
CONTAINER = "pgbouncer"


def _pod_selector(pooler: PoolerShape) -> dict[str, str]:
    return {POOLER_NAME_LABEL: pooler.name, POD_ROLE_LABEL: POOLER_ROLE}


def pooler(inputs: Inputs, shape: Shape, pooler: PoolerShape) -> Document:
    resources = {
        "requests": inputs.pooler_resource_requests.model_dump(),
        "limits": inputs.pooler_resource_limits.model_dump(),
    }
    # Spread the PgBouncer pods over nodes where the scheduler can.
    spread = {
        "weight": 100,
        "podAffinityTerm": {
            "topologyKey": "kubernetes.io/hostname",
            "labelSelector": {"matchLabels": {POOLER_NAME_LABEL: pooler.name}},
        },
    }
    return resource(
        POOLER,
        pooler.name,
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        spec={
            "cluster": {"name": shape.cluster},
            "type": pooler.type,
            "instances": inputs.pooler_instances,
            "pgbouncer": {
                "poolMode": inputs.pooler_pool_mode,
                # PgBouncer's own settings are strings in the Pooler.
                "parameters": {
                    **inputs.pooler_parameters,
                    "max_client_conn": str(inputs.pooler_max_client_connections),
                    "default_pool_size": str(inputs.pooler_default_pool_size),
                },
            },
            "template": {
                "spec": {
                    "containers": [{"name": CONTAINER, "resources": resources}],
                    "affinity": {
                        "podAntiAffinity": {
                            "preferredDuringSchedulingIgnoredDuringExecution": [spread]
                        }
                    },
                }
            },
            "serviceTemplate": service_template(pooler.service) if pooler.service else None,
        },
    )


def pooler_budget(shape: Shape, pooler: PoolerShape) -> Document:
    """One PgBouncer pod at a time may go: a drain never blocks on it, and never takes
    every pod of the Pooler at once."""
    return resource(
        POD_DISRUPTION_BUDGET,
        pooler.budget or pooler.name,
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        spec={"maxUnavailable": 1, "selector": {"matchLabels": _pod_selector(pooler)}},
    )


def poolers(inputs: Inputs, shape: Shape) -> list[Document]:
    """The Poolers, then the budgets of those with two or more pods."""
    documents = [pooler(inputs, shape, each) for each in shape.poolers]
    documents.extend(pooler_budget(shape, each) for each in shape.poolers if each.budget)
    return documents
