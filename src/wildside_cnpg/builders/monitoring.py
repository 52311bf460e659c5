"""A PodMonitor for the instances' metrics (CNPG deprecated its own enablePodMonitor)."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import POD_MONITOR
from .common import Document, resource


def pod_monitor(inputs: Inputs) -> Document | None:
    if not inputs.monitoring_enabled:
        return None
    return resource(
        POD_MONITOR,
        inputs.cluster_name,
        inputs.cluster_namespace,
        labels={"cnpg.io/cluster": inputs.cluster_name},
        spec={
            "selector": {"matchLabels": {"cnpg.io/cluster": inputs.cluster_name}},
            "podMetricsEndpoints": [{"port": "metrics"}],
        },
    )
