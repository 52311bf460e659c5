"""A PodMonitor for the instances' metrics (CNPG deprecated its own enablePodMonitor)."""

from __future__ import annotations

from ..constants import CLUSTER_LABEL
from ..kinds import POD_MONITOR
from ..shape import Shape
from .common import Document, cluster_labels, resource


def pod_monitor(shape: Shape) -> Document:
    return resource(
        POD_MONITOR,
        shape.cluster,
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        spec={
            "selector": {"matchLabels": {CLUSTER_LABEL: shape.cluster}},
            "podMetricsEndpoints": [{"port": "metrics"}],
        },
    )
