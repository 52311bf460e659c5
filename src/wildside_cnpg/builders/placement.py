"""Where the instances run: CNPG's affinity section (anti-affinity across hosts,
node selector, tolerations), a spread across zones and the pods' priority.

Nothing is rendered while the inputs keep CNPG's defaults (preferred anti-affinity
over kubernetes.io/hostname), so the default Cluster stays as it was."""

from __future__ import annotations

from ..constants import CLUSTER_LABEL
from ..inputs import Inputs
from ..inputs.compiled import Toleration
from .common import Document

HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
POD_ROLE_LABEL = "cnpg.io/podRole"
_WHEN_UNSATISFIABLE = {"preferred": "ScheduleAnyway", "required": "DoNotSchedule"}


def _toleration(toleration: Toleration) -> Document:
    return {
        "key": toleration.key,
        "operator": toleration.operator,
        "value": toleration.value,
        "effect": toleration.effect,
        "tolerationSeconds": toleration.toleration_seconds,
    }


def affinity(inputs: Inputs) -> Document | None:
    if (
        inputs.pod_anti_affinity_type == "preferred"
        and not inputs.node_selector
        and not inputs.tolerations
    ):
        return None
    return {
        "enablePodAntiAffinity": True,
        "podAntiAffinityType": inputs.pod_anti_affinity_type,
        "topologyKey": HOSTNAME,
        "nodeSelector": dict(sorted(inputs.node_selector.items())) or None,
        "tolerations": [_toleration(t) for t in inputs.tolerations] or None,
    }


def topology_spread(inputs: Inputs, cluster: str) -> list[Document] | None:
    """One constraint over the zones: the instances of this cluster (not its jobs)
    differ by at most one between any two zones."""
    if inputs.zone_spread == "off":
        return None
    return [
        {
            "maxSkew": 1,
            "topologyKey": ZONE,
            "whenUnsatisfiable": _WHEN_UNSATISFIABLE[inputs.zone_spread],
            "labelSelector": {"matchLabels": {CLUSTER_LABEL: cluster, POD_ROLE_LABEL: "instance"}},
        }
    ]


def placement(inputs: Inputs, cluster: str) -> Document:
    """The Cluster spec fields of placement (None values are dropped)."""
    return {
        "affinity": affinity(inputs),
        "topologySpreadConstraints": topology_spread(inputs, cluster),
        "priorityClassName": inputs.priority_class_name,
    }
